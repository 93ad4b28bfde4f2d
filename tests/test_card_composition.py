"""How the answer card is scored and composed, on passages and cosines set by hand: the first
passage is always quoted, a list item that is a statement anchors an extract, and a question in
another language reads each sentence through the encoders that can read it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.concepts import Concept
from ingest.sentences import Sentence
from search.answers.roles import announces_list, carries_on, is_teaser
from search.answers.similarity import Reading, SentenceSimilarity
from tests.card_fixture import compose_over


def test_sentence_similarity_averages_the_readings_that_can_read_each_sentence():
    """A question in another language reads English sentences through both encoders and the
    others through the multilingual one alone (search/answers/similarity.py)."""
    multilingual = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    english = np.array([[0.0, 1.0], [0.0, 1.0]], dtype=np.float32)
    sentences = [Sentence(0, 0, "an English sentence"), Sentence(1, 1, "русское предложение")]
    query = np.array([1.0, 0.0], dtype=np.float32)
    similarity = SentenceSimilarity(
        (Reading(query, multilingual), Reading(query, english, readable={0}))
    )
    # Sentence 0 (passage 0, English): mean of 1.0 and 0.0; sentence 1: the multilingual 0.0.
    assert similarity.cosines(sentences).tolist() == [0.5, 0.0]
    alone = SentenceSimilarity.single(query, multilingual)
    assert alone.cosines(sentences).tolist() == [1.0, 0.0]
    # Two sentences are compared through the readings that can read both: the multilingual one
    # (the English reading, which cannot read sentence 1, would make them the same).
    assert similarity.between(sentences[0], sentences[1]) == 0.0
    assert similarity.between(sentences[0], sentences[0]) == 1.0


def test_the_first_passage_is_always_quoted(tmp_path: Path):
    """The search ranked it first on the whole passage; a closer sentence further down does not
    push it out of the card (its best sentence scores 0.2 here against 0.77)."""
    quoted = compose_over(
        tmp_path,
        [
            "The national police were merged into one authority in 2015. Regional units kept "
            "their own analysts.",
            "Reorganisation is a recurring theme in European policing debates.",
        ],
        {"Reorganisation": 0.9},
        "Which change followed?",
    )
    assert quoted[0][0] == "doc-0"
    assert "doc-1" in {passage for passage, _ in quoted}


def test_a_list_item_that_is_a_statement_can_anchor_an_extract(tmp_path: Path):
    """An event in a chronology is an answer of its own; a two-word item is not."""
    quoted = compose_over(
        tmp_path,
        [
            "• On 28 November 2017 in Astana the Guidebook was presented to about thirty "
            "officials from Central Asia.\n\n• Analysis units\n\n• Tasking groups",
            "Presentations of handbooks are common.",
        ],
        {"On": 0.9, "Analysis": 0.95, "Presentations": 0.4},
        "When was it presented in Central Asia?",
    )
    texts = [text for _, text in quoted]
    assert any(text.startswith("• On 28 November 2017") for text in texts)
    assert not any(text in ("• Analysis units", "• Tasking groups") for text in texts)


def test_the_names_rule_looks_past_the_preference_for_the_questions_language(tmp_path: Path):
    """A Russian question about Ukraine and Moldova, a long Russian passage on Moldova and a
    weaker English one on Ukraine: the Russian passage's lead includes the bonus for the
    reader's language (candidates.LANGUAGE_BONUS), which the names rule does not count, so the
    English passage still joins for Ukraine."""
    moldova = "В Молдове ОБСЕ поддержала аналитиков полиции через национальный проект. " + (
        "Руководители и аналитики молдавской полиции прошли отдельные курсы по планированию. " * 6
    )
    texts = [moldova, "In Ukraine an EU mission ran courses in criminal analysis for the police."]
    cosines = {"В": 0.9, "Руководители": 0.6, "In": 0.22}
    question = "Примеры поддержки ПДОДИ в Украине и Молдове"
    quoted = compose_over(tmp_path, texts, cosines, question, languages=["ru", "en"])
    assert {passage for passage, _ in quoted} == {"doc-0", "doc-1"}


def test_a_short_extract_goes_on_into_a_paragraph_that_carries_its_point(tmp_path: Path):
    quoted = compose_over(
        tmp_path,
        [
            "Demand for police services has grown faster than the resources to meet it.\n\n"
            "ILP responds in two ways. It ranks threats by the harm they cause. And it "
            "documents where resources go.\n\nA later paragraph on another subject follows.",
        ],
        {"Demand": 0.9},
        "How can we do more with less?",
    )
    texts = [text for _, text in quoted]
    assert texts[1:] == [
        "ILP responds in two ways.",
        "It ranks threats by the harm they cause.",
        "And it documents where resources go.",
    ]


def test_a_short_extract_goes_on_into_a_paragraph_that_opens_on_its_word(tmp_path: Path):
    """A one-sentence paragraph introduces what the next one explains: the next opens on a
    word of it ("chain"), though it neither leans on it nor announces a list."""
    quoted = compose_over(
        tmp_path,
        [
            "Figure 7.1 presents the model as a chain of linked components.\n\n"
            "The chain begins with tasking. Tasks come from policy and from emerging needs."
            "\n\nA later paragraph on another subject follows.",
        ],
        {"Figure": 0.9},
        "What are the parts of the model?",
    )
    assert [text for _, text in quoted][1:] == [
        "The chain begins with tasking.",
        "Tasks come from policy and from emerging needs.",
    ]


def test_an_extract_does_not_run_into_a_paragraph_on_another_point(tmp_path: Path):
    quoted = compose_over(
        tmp_path,
        [
            "Demand for police services has grown faster than the resources to meet it.\n\n"
            "Sweden reorganised its police in 2015 into one national authority.",
        ],
        {"Demand": 0.9},
        "How can we do more with less?",
    )
    assert [text for _, text in quoted] == [
        "Demand for police services has grown faster than the resources to meet it."
    ]


def test_a_short_lead_in_after_the_best_sentence_brings_its_list(tmp_path: Path):
    """ "... supports planning. More specifically, it:" and the bullets: the sentence makes the
    point, the lead-in of a few words after it announces the list."""
    quoted = compose_over(
        tmp_path,
        [
            "Local criminal intelligence supports planning and investigations. More "
            "specifically, it:\n• supports patrol officers against everyday crime;\n"
            "• provides analytical support to investigators;\n• keeps the local registries."
            "\n\nRegional units cover more than one station.",
        ],
        {"Local": 0.9, "Regional": 0.8},
        "What tasks does a local intelligence unit carry out?",
    )
    assert [text for _, text in quoted] == [
        "Local criminal intelligence supports planning and investigations.",
        "More specifically, it:",
        "• supports patrol officers against everyday crime;",
        "• provides analytical support to investigators;",
        "• keeps the local registries.",
    ]


def test_a_list_cut_off_by_its_passage_goes_on_in_the_next_one(tmp_path: Path):
    """Items 3 and 4 open the document's next passage, which is not among the results: they
    still follow the lead-in, cited to their own passage."""
    quoted = compose_over(
        tmp_path,
        [
            "The model needs four conditions:\n1. Leading and steering by managers.\n"
            "2. A systematic intelligence process.",
            "3. An effective organisational structure.\n4. Sources of data and information."
            "\n\nA later paragraph on funding follows here.",
            "Funding for analysts is a separate question for ministries.",
        ],
        {"The": 0.9, "Funding": 0.5},
        "What conditions does the model need?",
        ranked=[0, 2],
    )
    assert quoted == [
        ("doc-0", "The model needs four conditions:"),
        ("doc-0", "1. Leading and steering by managers."),
        ("doc-0", "2. A systematic intelligence process."),
        ("doc-1", "3. An effective organisational structure."),
        ("doc-1", "4. Sources of data and information."),
    ]


def test_a_list_is_not_continued_by_a_next_passage_that_starts_its_own(tmp_path: Path):
    """A complete list, then a next passage whose numbering starts again: not one list (and a
    heading over short items at a passage's end moves no extract into the next passage)."""
    quoted = compose_over(
        tmp_path,
        [
            "The model needs two conditions:\n1. Leading and steering by managers.\n"
            "2. A systematic intelligence process.",
            "1. Introduction to funding matters for ministries.\n2. Budgets follow.",
        ],
        {"The": 0.9},
        "What conditions does the model need?",
        ranked=[0],
    )
    assert quoted == [
        ("doc-0", "The model needs two conditions:"),
        ("doc-0", "1. Leading and steering by managers."),
        ("doc-0", "2. A systematic intelligence process."),
    ]
    (tmp_path / "extract").mkdir()
    extract = compose_over(
        tmp_path / "extract",
        [
            "Analysts report weekly to the tasking group in every district.\n\n"
            "Funding conditions for analysts\n• salaries;\n• software.",
            "• licences for analysis tools;\n• training courses.",
        ],
        {"Analysts": 0.5, "Funding": 0.95},
        "How are analysts paid for?",
        ranked=[0],
    )
    assert extract == [("doc-0", "Analysts report weekly to the tasking group in every district.")]


@pytest.mark.parametrize(
    "passage",
    [
        "Article 34 Police intelligence model\n\nPolice shall apply the model in the "
        "performance of all their tasks. Criminal intelligence is collected and analysed data "
        "that informs their decisions.\n\n"
        "Ministers studied the British and Swedish models before drafting the law.",
        # A sentence above the heading, in another section, is no second point (extracts.py).
        "Ministers studied the British and Swedish models before drafting Article 34.\n\n"
        "Article 34 Police intelligence model\n\nPolice shall apply the model in the "
        "performance of all their tasks. Criminal intelligence is collected and analysed data "
        "that informs their decisions.",
    ],
)
def test_a_heading_that_answers_the_question_brings_the_text_under_it(tmp_path: Path, passage: str):
    """ "What does Article 34 say?": the heading "Article 34 ..." is never quoted, but the text
    under it is the answer, though another paragraph's sentence scores higher."""
    quoted = compose_over(
        tmp_path,
        [passage],
        {"Article": 0.9, "Ministers": 0.85, "Police": 0.4, "Criminal": 0.4},
        "What does Article 34 say?",
    )
    assert [text for _, text in quoted] == [
        "Police shall apply the model in the performance of all their tasks.",
        "Criminal intelligence is collected and analysed data that informs their decisions.",
    ]


def test_list_lead_ins_continuations_and_teasers():
    assert announces_list("The UK National Intelligence Model (NIM) defines four products.")
    assert announces_list("The requirements include:")
    assert not announces_list("Sweden reorganised its police in 2015.")
    # A number of weeks or months counts no items (the tasking-group question took this for a
    # list of two and quoted the sentences after it).
    assert not announces_list("In Sweden the regional groups meet every two weeks.")
    assert not announces_list("Strategic meetings take place every three or six months.")
    assert not announces_list("Группа собирается раз в две недели.")
    assert announces_list("ILP responds in two ways.")
    assert carries_on("This means the analyst must be heard.")
    assert carries_on("Second, the data must be lawful.")
    assert not carries_on("Sweden reorganised its police in 2015.")
    terms = {"grade", "source"}
    assert is_teaser("Grading is not an end in itself.", {"tasking"})
    assert not is_teaser("Each source is graded A to E.", terms)


def _scheme_concept(label: str, definition: str) -> Concept:
    return Concept(
        "triad-model", "https://example.org/triad-model", label, {"en": label}, (), (),
        definition, "S99", (), (), (), False,
    )  # fmt: skip


def test_a_concept_card_traces_the_concept_to_the_other_close_sources(tmp_path: Path):
    """After the definition and the extract naming the concept, the other passages whose best
    sentence scores close to the best join the card, as on an extract card (up to three
    sources); a passage far below the best stays out."""
    concept = _scheme_concept("triad model", "A three-step loop of collection, analysis, action.")
    quoted = compose_over(
        tmp_path,
        [
            "The triad model was first tried in Kent. Analysts met commanders every week.",
            "Grades run from one to three in the newer scheme. Letters grade information.",
            "Its three steps repeat each quarter. Each step has an owner.",
            "Budgets are set every spring.",
        ],
        {"The": 0.8, "Grades": 0.75, "Its": 0.7, "Budgets": 0.3},
        "What is the triad model?",
        concept=concept,
    )
    assert [text.split()[0] for _, text in quoted] == ["The", "Grades", "Its"]
    assert [passage for passage, _ in quoted] == ["doc-0", "doc-1", "doc-2"]
