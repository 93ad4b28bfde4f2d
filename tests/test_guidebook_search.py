"""The real OSCE Guidebook ingested alone: Recall@5 by printed page, and the answer cards (their
facts, and the sentences that must never be answers). Skips without ../shared/real-world/."""

from __future__ import annotations

import pytest

from ilp_pipeline.baseline import check, load_baseline
from ilp_pipeline.run import run_build
from ingest.models import DocumentMeta
from search.answers.evaluation import AskedQuestion, evaluate_answers, load_answer_facts
from search.answers.roles import is_lead_in, never_an_answer
from search.encoders.query import QueryEmbedder
from search.encoders.sentence_transformer import SentenceTransformerEncoder
from search.evaluation import load_page_questions, page_recall
from search.index.loaded import LoadedBuild
from search.searcher import Searcher
from tests.conftest import REPO, SHARED_REAL_WORLD

GUIDEBOOK = SHARED_REAL_WORLD / "osce-guidebook-ilp-2017.pdf"
EVAL = REPO / "corpus" / "eval"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not GUIDEBOOK.is_file(), reason="no ../shared/real-world/"),
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory, encoder) -> Searcher:
    meta = DocumentMeta(
        id="osce-guidebook-2017",
        kind="guidebook",
        path=GUIDEBOOK,
        title="OSCE Guidebook Intelligence-Led Policing",
        authors=("OSCE Secretariat (TNTD/SPMU)",),
        year=2017,
    )
    instance = tmp_path_factory.mktemp("guidebook")
    report = run_build(
        [meta], REPO / "corpus" / "concepts.ttl", instance, SentenceTransformerEncoder()
    )
    assert report.failures == [] and report.passages > 100
    return Searcher(LoadedBuild.open_current(instance), QueryEmbedder(encoder))


def test_recall_at_5_by_page_holds_its_baseline(searcher: Searcher):
    figures = page_recall(searcher, load_page_questions(EVAL / "guidebook-questions.toml"), k=5)
    assert figures["n"] >= 15
    check({"pages": figures}, load_baseline(EVAL / "baseline.json"), "guidebook_pages")


def test_answer_cards_hold_their_facts_as_recorded(searcher: Searcher):
    questions = [
        AskedQuestion(q.id, "guidebook", q.question)
        for q in load_page_questions(EVAL / "guidebook-questions.toml")
    ]
    report = evaluate_answers(
        lambda text: searcher.search(text), questions, load_answer_facts(EVAL / "answer-facts.toml")
    )
    assert report["n"] == len(questions)
    check({"answers": report}, load_baseline(EVAL / "baseline.json"), "guidebook_answers")


def test_captions_footnotes_and_bare_lead_ins_are_never_answers(searcher: Searcher):
    """On a real PDF: no caption, footnote, source line, licence, heading or fragment is an
    answer sentence, and a lead-in ending in ":" always brings what it announces (from its own
    passage, or as a list continued from the document's next passage)."""
    for question in load_page_questions(EVAL / "guidebook-questions.toml"):
        answer = searcher.search(question.question).answer
        for position, sentence in enumerate(answer):
            # (A lead-in of a few words, "More specifically, it:", is a fragment on its own; it
            # is quoted only after the sentence it leans on, and is checked below.)
            if sentence.kind == "sentence" and not is_lead_in(sentence.text):
                assert never_an_answer(sentence.text) is None, (question.id, sentence.text)
            if is_lead_in(sentence.text):
                after = answer[position + 1] if position + 1 < len(answer) else None
                assert after is not None and (
                    after.passage_id == sentence.passage_id
                    or (after.kind == "item" and after.document_id == sentence.document_id)
                ), (question.id, sentence.text)
