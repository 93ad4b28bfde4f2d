"""Which sentences and sources join an answer card: a number that counts what was asked, a
passage's second point, and a further source while the card is short (search/answers/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.concepts import Concept
from search.results import AnswerSentence
from tests.card_fixture import compose_over
from webapp.answer_card import extracts


def test_a_number_that_counts_something_else_does_not_make_a_list(tmp_path: Path):
    """A count of something else ("the two sit together", "four senses") announces no list of
    criticisms: the card is an extract from the first passage, not the sentences after it."""
    quoted = compose_over(
        tmp_path,
        [
            "Most critiques warn about ILP adopted in name only. Units exist but nothing changes.",
            "Critics question whether the two sit comfortably together. The word has four "
            "senses at once. A second sentence follows. A third one. A fourth one.",
        ],
        {"Most": 0.6, "Critics": 0.7, "The": 0.7},
        "What are the main criticisms of ILP?",
    )
    assert quoted[0] == ("doc-0", "Most critiques warn about ILP adopted in name only.")
    assert ("doc-1", "A fourth one.") not in quoted


def test_a_count_of_what_was_asked_brings_its_items_before_or_after_the_noun(tmp_path: Path):
    """A count of the products asked about brings them; a Russian count often follows its noun
    ("кодов обращения всего два"), and brings only its two items, not the rest of the
    paragraph that an extract would take."""
    english = compose_over(
        tmp_path / "en",
        ["The model defines two products. Tactical assessments. Strategic assessments."],
        {"The": 0.8},
        "What are the products of the model?",
    )
    assert [text for _, text in english] == [
        "The model defines two products.",
        "Tactical assessments.",
        "Strategic assessments.",
    ]
    russian = compose_over(
        tmp_path / "ru",
        [
            "В системе кодов обращения всего два. Код P разрешает передачу. Код C ставит "
            "условия. Система также описывает порядок передачи сведений партнерам."
        ],
        {"В": 0.8},
        "Какие коды обращения есть в системе?",
    )
    assert [text for _, text in russian] == [
        "В системе кодов обращения всего два.",
        "Код P разрешает передачу.",
        "Код C ставит условия.",
    ]


def test_a_passage_that_makes_its_point_twice_gives_both_sentences(tmp_path: Path):
    """The extract around the best sentence, then the passage's second point further down,
    when it scores nearly as well (extracts.SECOND_POINT)."""
    quoted = compose_over(
        tmp_path,
        [
            "Its value comes from collecting data from many sources. It links them.\n\n"
            "Another paragraph about storage. Records are kept for years. Filler sentence "
            "about archives.\n\nA good system should collect less, but more relevant, data. "
            "Unrelated closing remark.",
        ],
        {"Its": 0.8, "It": 0.5, "A": 0.78, "Unrelated": 0.1, "Another": 0.2, "Records": 0.2},
        "Does ILP mean collecting more data?",
    )
    texts = [text for _, text in quoted]
    assert texts[0] == "Its value comes from collecting data from many sources."
    assert "A good system should collect less, but more relevant, data." in texts
    assert "Unrelated closing remark." not in texts


def test_the_second_point_is_looked_for_outside_the_extract(tmp_path: Path):
    """The extract already took the paragraph's other good sentence ("Records ..."); the
    second point is the best one it has not taken, further down the passage."""
    quoted = compose_over(
        tmp_path,
        [
            "Its value comes from data from many sources. It links data from police, customs "
            "and partners. Records of the data of every source are kept for years.\n\n"
            "Another paragraph about storage. Filler sentence about archives.\n\n"
            "A good system should keep less, but more relevant, data.",
        ],
        {"Its": 0.8, "It": 0.5, "Records": 0.78, "A": 0.75},
        "Does ILP mean collecting more data?",
    )
    texts = [text for _, text in quoted]
    assert "Records of the data of every source are kept for years." in texts
    assert texts[-1] == "A good system should keep less, but more relevant, data."


def test_a_short_extract_takes_a_second_point_from_a_lower_score(tmp_path: Path):
    """The anchor's neighbours are too short to quote, so its extract is one short sentence:
    the passage's second point joins from `SECOND_POINT_SHORT` of its score. After a neighbour
    that makes the extract longer than half its budget, the same sentence needs `SECOND_POINT`."""
    question = "What changes for middle managers?"
    anchor = "Analysts write reports. Middle managers decide what the organisation will do. "
    point = (
        " Neither works alone. The model reflects this. Operational products guide middle "
        "managers in running operations."
    )
    neighbour = (
        "Changes for managers include new meetings, new products and new duties for the "
        "people who lead operations in the districts, the regions and the specialised units "
        "of the national police service, and for those who set their budgets each year."
    )
    cosines = {"Middle": 0.7, "Operational": 0.5, "Changes": 0.3}
    short = compose_over(tmp_path / "short", [anchor + point], cosines, question)
    assert short[-1][1] == "Operational products guide middle managers in running operations."
    long = compose_over(tmp_path / "long", [anchor + neighbour + point], cosines, question)
    assert [text for _, text in long][-1] == neighbour


def test_a_distant_sentence_well_below_the_best_is_no_second_point(tmp_path: Path):
    """The same passage with its later sentence at about 0.6 of the best (0.65 against 1.1):
    it stays out, even though the extract is short (`SECOND_POINT_SHORT`)."""
    quoted = compose_over(
        tmp_path,
        [
            "Its value comes from collecting data from many sources. It links them.\n\n"
            "Another paragraph about storage. Records are kept for years.\n\n"
            "A good system should collect less, but more relevant, data.",
        ],
        {"Its": 0.8, "It": 0.5, "A": 0.35, "Another": 0.2, "Records": 0.2},
        "Does ILP mean collecting more data?",
    )
    texts = [text for _, text in quoted]
    assert texts[0] == "Its value comes from collecting data from many sources."
    assert "A good system should collect less, but more relevant, data." not in texts


def test_a_second_point_comes_with_the_sentence_it_leans_on_or_not_at_all(tmp_path: Path):
    """ "They therefore collect less ..." means nothing without the sentence before it: it comes
    with that sentence from the same paragraph, and is left out when it opens its paragraph."""

    def card(second_paragraph: str) -> list[str]:
        quoted = compose_over(
            tmp_path / str(len(second_paragraph)),
            [
                "Its value comes from collecting data from many sources. It links them.\n\n"
                "Another paragraph about storage. Records are kept for years.\n\n"
                + second_paragraph
            ],
            {"Its": 0.8, "It": 0.5, "They": 0.7, "Good": 0.2, "Another": 0.2, "Records": 0.2},
            "Does ILP mean collecting more data?",
        )
        return [text for _, text in quoted]

    with_lead = card("Good systems are selective. They therefore collect less, but relevant, data.")
    assert with_lead[-2:] == [
        "Good systems are selective.",
        "They therefore collect less, but relevant, data.",
    ]
    alone = card("They therefore collect less, but relevant, data.")
    assert "They therefore collect less, but relevant, data." not in alone


def test_a_short_card_takes_a_further_source_from_a_lower_score(tmp_path: Path):
    """A first passage that says little leaves room: the next source joins from
    `SHORT_CARD_CUTOFF` of the best score; on a card long enough it would need
    `RELATIVE_CUTOFF`."""
    texts = [
        "Help has come mainly through international assistance.",
        "Sweden gave help from the start with a gap analysis.",
    ]
    cosines = {"Help": 0.9, "Sweden": 0.55}
    quoted = compose_over(tmp_path / "short", texts, cosines, "What help is available?")
    assert {passage for passage, _ in quoted} == {"doc-0", "doc-1"}
    filler = "Training courses and analysis software went to several national police services."
    long_first = [texts[0] + " " + " ".join([filler] * 6), texts[1]]
    quoted = compose_over(tmp_path / "long", long_first, cosines, "What help is available?")
    assert {passage for passage, _ in quoted} == {"doc-0"}


_RECOMMENDED = "Each State should have one central intelligence department for all its agencies."
_RESTATED = "A single national department should serve every agency of the State."
_NEW_POINT = "Analysts in that department need training in strategic and operational analysis."


@pytest.mark.parametrize(
    ("texts", "cosines", "apart", "repeated"),
    [
        # A second passage that states the first one's point in other words gives its place on
        # the card to a passage that says something new.
        pytest.param(
            [_RECOMMENDED, _RESTATED, _NEW_POINT],
            {"Each": 0.8, "A": 0.78, "Analysts": 0.7},
            ["doc-0", "doc-1", "doc-2"],
            ["doc-0", "doc-2"],
            id="passed over",
        ),
        # The third passage restates the first one and scores best of all: measured against
        # it, the second passage would stay out; measured against what is new, it joins.
        pytest.param(
            [_RECOMMENDED, _NEW_POINT, _RESTATED],
            {"Each": 0.6, "Analysts": 0.45, "A": 0.9},
            ["doc-0", "doc-2"],
            ["doc-0", "doc-1"],
            id="not the bar",
        ),
    ],
)
def test_a_source_that_restates_another(
    tmp_path: Path,
    texts: list[str],
    cosines: dict[str, float],
    apart: list[str],
    repeated: list[str],
):
    """Documents restate one another (repeats.py): the same passages, first with nothing said
    twice, then with the "A single ..." passage restating the "Each State ..." one."""
    query = "What structure is recommended?"
    quoted = compose_over(tmp_path / "apart", texts, cosines, query)
    assert [passage for passage, _ in quoted] == apart
    quoted = compose_over(tmp_path / "same", texts, cosines, query, same={"A": "Each"})
    assert [passage for passage, _ in quoted] == repeated


def test_a_concept_card_counts_its_definition_towards_a_short_card(tmp_path: Path):
    """After the definition and the extract naming the concept, the best of the other passages
    joins, and a third from `RELATIVE_CUTOFF` of its score: the definition counts towards
    `SHORT_CARD`, so the lower `SHORT_CARD_CUTOFF` does not apply."""
    definition = (
        "A loop of collection, analysis and action in which analysts and commanders agree on "
        "priorities, task the collection of information, weigh what comes back and decide "
        "where to deploy officers, then review the results at the next meeting of the group "
        "and adjust the priorities."
    )
    quoted = compose_over(
        tmp_path,
        [
            "The triad model was first tried in Kent by a small team of analysts and managers.",
            "Its three steps were later used for a national set of meetings.",
            "Budget rules for the national meetings were set by the ministry each spring.",
        ],
        {"The": 0.85, "Its": 0.85, "Budget": 0.6},
        "What is the triad model?",
        concept=_concept("triad model", definition),
    )
    assert [passage for passage, _ in quoted] == ["doc-0", "doc-1"]


def test_answer_card_shows_a_passages_second_point_as_an_extract_of_its_own():
    """Sentences 0-1 and 4 of one passage and page: two extracts, so the gap is not read as
    running text (the second point, search/answers/extracts.py)."""

    def sentence(n: int) -> AnswerSentence:
        return AnswerSentence(f"Sentence {n}.", "p1", "Doc, p. 3", 0.9, "sentence", "3", f"p1-s{n}")

    groups = extracts([sentence(0), sentence(1), sentence(4)])
    assert [[s.text for s in group.sentences] for group in groups] == [
        ["Sentence 0.", "Sentence 1."],
        ["Sentence 4."],
    ]


def _concept(label: str, definition: str) -> Concept:
    return Concept(
        "triad-model", "https://example.org/triad-model", label, {"en": label}, (), (),
        definition, "S99", (), (), (), False,
    )  # fmt: skip
