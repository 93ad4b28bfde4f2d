"""What a source names, against what the question asks about (search/answers/naming.py): a
source naming something the question names joins the card; an extract about other countries
only does not answer a question about one."""

from __future__ import annotations

from pathlib import Path

from tests.card_fixture import compose_over


def test_a_source_naming_what_the_question_names_and_the_card_does_not_joins(tmp_path: Path):
    """ "Support in Ukraine and Moldova": after a long extract about Moldova, a weaker passage
    about Ukraine joins from `NAME_CUTOFF` of the best score; asked about Moldova alone, it
    stays out."""
    moldova = (
        "Moldova received OSCE support for analysts through a national project. "
        + "Managers and analysts of the Moldovan police took separate courses in planning. " * 6
    )
    texts = [moldova, "In Ukraine an EU mission ran courses in criminal analysis for the police."]
    cosines = {"Moldova": 0.9, "Managers": 0.6, "In": 0.5}
    both = compose_over(
        tmp_path / "both", texts, cosines, "Examples of ILP support in Ukraine and Moldova"
    )
    assert {passage for passage, _ in both} == {"doc-0", "doc-1"}
    # Asked about Moldova and a place that is no country's name: the Ukraine passage stays out.
    # (A country is a name even in lower case: "in ukraine" would bring the passage in.)
    one = compose_over(
        tmp_path / "one", texts, cosines, "Examples of ILP support in Moldova and in the east"
    )
    assert {passage for passage, _ in one} == {"doc-0"}


_ELSEWHERE = (
    "Other European police services have comparable planning practices. The Belgian Federal "
    "Police treat information-led policing as a pillar. In Austria, a master plan against "
    "burglary was driven by analysis."
)
_GERMANY = (
    "Germany's example is different. The State Police of North Rhine-Westphalia set "
    "priorities with indicators and report on them every year."
)
_COSINES = {"Other": 0.7, "The": 0.65, "In": 0.6, "Germany's": 0.45, "State": 0.6}


def test_an_extract_about_other_countries_is_no_answer_about_one(tmp_path: Path):
    """Asked about a German police, the first-ranked passage, about Belgium and Austria, is
    passed over though the first passage is otherwise always quoted; asked about no country,
    it leads the card."""
    texts = [_ELSEWHERE, _GERMANY]
    asked = "Example of a German state police planning with indicators"
    quoted = compose_over(tmp_path / "de", texts, _COSINES, asked)
    assert {passage for passage, _ in quoted} == {"doc-1"}
    assert not any("Belgian" in text or "Austria" in text for _, text in quoted)
    # No country asked about: the rule is off and the first passage leads.
    general = compose_over(
        tmp_path / "any", texts, _COSINES, "Examples of planning with indicators"
    )
    assert general[0][0] == "doc-0"
    # A passage naming the asked country among others answers for it: "Germany" in lower case
    # is read too (a one-word name, as people type questions).
    both = [_ELSEWHERE.replace("In Austria", "In Austria and Germany"), _GERMANY]
    quoted = compose_over(tmp_path / "both", both, _COSINES, "planning in germany with indicators")
    assert quoted[0][0] == "doc-0"


def test_a_card_about_a_country_no_source_names_is_the_card_as_before(tmp_path: Path):
    """When every source is about other countries, the rule does not empty the card into "no
    good answer": the card is composed as if the question named no country."""
    texts = [_ELSEWHERE, _GERMANY]
    asked = compose_over(tmp_path / "kz", texts, _COSINES, "Planning with indicators in Kazakhstan")
    general = compose_over(tmp_path / "any", texts, _COSINES, "Planning with indicators")
    assert asked == general
    assert asked


def test_a_passage_passed_over_for_its_countries_does_not_set_the_bar(tmp_path: Path):
    """The German passage scores far below the passed-over Belgian one (0.05 against 0.7):
    measured against it, it would stay out and leave the card empty, and the fallback would
    put the Belgian extract back; measured against what is left, it answers alone."""
    cosines = {**_COSINES, "Germany's": 0.05, "The": 0.05}
    asked = "Example of a German state police planning with indicators"
    quoted = compose_over(tmp_path, [_ELSEWHERE, _GERMANY], cosines, asked)
    assert {passage for passage, _ in quoted} == {"doc-1"}
