"""End to end with the real model: ingest the shipped corpus, then ask through library, CLI, API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ilp_pipeline.baseline import check, load_baseline
from search.encoders.query import QueryEmbedder
from search.index.loaded import LoadedBuild
from search.searcher import Searcher
from tests.conftest import REPO

pytestmark = pytest.mark.slow
BASELINE = load_baseline(REPO / "corpus" / "eval" / "baseline.json")

# (question, the documents with a passage that answers it)
QUESTIONS = [
    ("What is the 3-i model?", {"three-i-and-four-i-models"}),
    (
        "How often do tasking and co-ordination meetings take place?",
        {"tasking-and-coordination-meetings", "tasking-and-control-strategy"},
    ),
]


@pytest.mark.parametrize(("question", "documents"), QUESTIONS)
def test_library_answers_in_top_3(corpus_instance: Path, encoder, question, documents):
    searcher = Searcher(LoadedBuild.open_current(corpus_instance), QueryEmbedder(encoder))
    result = searcher.search(question, k=3)
    assert documents & {hit.document.id for hit in result.hits}
    assert result.answer and all(a.citation for a in result.answer)


def test_cli_search_json(corpus_instance: Path):
    question, documents = QUESTIONS[0]
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "webapp.cli",
            "search",
            question,
            "--json",
            "-k",
            "3",
            "--instance",
            str(corpus_instance),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    payload = json.loads(completed.stdout)
    assert payload["query"] == question
    assert documents & {hit["document"]["id"] for hit in payload["hits"]}


def test_cli_search_prints_cited_passages(corpus_instance: Path):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "webapp.cli",
            "search",
            QUESTIONS[1][0],
            "--instance",
            str(corpus_instance),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert "Tasking and co-ordination meetings" in completed.stdout
    assert "Answer" in completed.stdout


def test_api_search(corpus_instance: Path, encoder):
    from webapp import create_app

    app = create_app({"TESTING": True, "ILP_INSTANCE": str(corpus_instance), "ENCODER": encoder})
    question, documents = QUESTIONS[1]
    response = app.test_client().get("/api/search", query_string={"q": question, "k": 3})
    assert response.status_code == 200
    payload = response.get_json()
    assert documents & {hit["document"]["id"] for hit in payload["hits"]}
    first = payload["hits"][0]
    assert first["heading_path"] and first["document"]["title"]


def test_pdf_passages_carry_printed_pages(corpus_instance: Path, encoder):
    build = LoadedBuild.open_current(corpus_instance)
    passages = build.store.passages_of_document("uk-national-intelligence-model")
    assert passages and all(p.passage.page and p.passage.page.isdigit() for p in passages[1:])


def test_retrieval_quality_holds_its_baseline(corpus_instance: Path, encoder):
    """No figure falls below corpus/eval/baseline.json by more than its tolerance, and hybrid
    keeps the margin over its parts that the search-quality issue asked for."""
    from search.evaluation import evaluate, load_questions

    searcher = Searcher(LoadedBuild.open_current(corpus_instance), QueryEmbedder(encoder))
    report = evaluate(searcher, load_questions(REPO / "corpus" / "eval" / "questions.toml"))
    check(report, BASELINE, "retrieval")
    hybrid, keyword, dense = report["hybrid"], report["keyword"], report["dense"]
    assert hybrid["ndcg@10"] >= 1.10 * keyword["ndcg@10"]
    assert hybrid["ndcg@10"] >= dense["ndcg@10"]


def test_russian_questions_hold_their_baseline(corpus_instance: Path, encoder):
    """The Russian gold questions, on the cross-language route, against the baseline; and the
    route is what makes them work: searched as English they fall far below."""
    from search.encoders.multilingual import MultilingualEncoder
    from search.evaluation import evaluate, load_questions

    build = LoadedBuild.open_current(corpus_instance)
    questions = load_questions(REPO / "corpus" / "eval" / "questions-ru.toml")
    multilingual = QueryEmbedder(MultilingualEncoder())
    report = evaluate(
        Searcher(build, QueryEmbedder(encoder), embed_multilingual=multilingual), questions
    )
    check({"languages": {"ru": report}}, BASELINE, "retrieval_ru")
    english_only = evaluate(Searcher(build, QueryEmbedder(encoder)), questions, ("hybrid",))
    assert report["hybrid"]["recall@5"] >= english_only["hybrid"]["recall@5"] + 0.15


def test_eval_reports_the_printed_pages_of_page_questions(corpus_instance: Path):
    """`ilp eval --questions guidebook-questions.toml` without --answers measures what such a
    file can measure, the answer pages among the top five (it had stopped on a traceback)."""
    from click.testing import CliRunner

    from webapp.cli import cli

    questions = REPO / "corpus" / "eval" / "guidebook-questions.toml"
    result = CliRunner().invoke(
        cli, ["eval", "--instance", str(corpus_instance), "--questions", str(questions)]
    )
    assert result.exit_code == 0, result.output
    assert "Answer pages among the top 5 passages' printed pages (46 questions)" in result.output


def test_concept_linking_holds_its_baseline(corpus_instance: Path):
    """Precision and recall of linking on corpus/eval/links.toml, against the baseline."""
    from graph.linking.evaluation import load_judgments
    from ilp_pipeline.linking import evaluate_build_links

    report = evaluate_build_links(
        LoadedBuild.open_current(corpus_instance),
        load_judgments(REPO / "corpus" / "eval" / "links.toml"),
    )
    assert report["n"] >= 150
    check(report, BASELINE, "links")


def test_built_graph_validates(corpus_instance: Path):
    from click.testing import CliRunner

    from webapp.cli import cli

    result = CliRunner().invoke(
        cli, ["validate", "--instance", str(corpus_instance), "--corpus", str(REPO / "corpus")]
    )
    assert result.exit_code == 0, result.output
    assert "0 problems" in result.output


def test_linking_model_weights_are_what_the_fit_gives(corpus_instance: Path, encoder):
    """`LinkSettings` ships the weights `ilp eval --links --fit` computes on the judgments."""
    from graph.linking.evaluation import load_judgments
    from graph.linking.model import LinkSettings
    from ilp_pipeline.linking import fit_build_links

    fit = fit_build_links(
        LoadedBuild.open_current(corpus_instance),
        load_judgments(REPO / "corpus" / "eval" / "links.toml"),
        encoder,
    )
    shipped = LinkSettings()
    assert np.allclose(list(fit["weights"].values()), shipped.weights, atol=0.01)
    assert abs(fit["bias"] - shipped.bias) < 0.01
    assert abs(fit["link_min"] - shipped.link_min) < 0.02
    check(fit, BASELINE, "fit")  # cross-validated by document


# The home page's example questions (webapp/pages.py) and the README's, each with the gold
# question whose facts its card must state (corpus/eval/answer-facts.toml). The ones marked
# xfail do not hold them yet (issue #16's target): strict, so a fix shows up as XPASS.
NOT_YET = pytest.mark.xfail(strict=True, reason="the card does not state the gold facts yet")
EXAMPLES = [
    pytest.param("Does intelligence-led policing replace response policing?", "p01"),
    pytest.param(
        "What does a police service need before it can implement ILP?", "p02", marks=NOT_YET
    ),
    pytest.param("How does ILP protect human rights and personal data?", "p12", marks=NOT_YET),
    pytest.param("What is the 3-i model?", "a01"),
    pytest.param("How do definitions of intelligence-led policing differ?", "a12", marks=NOT_YET),
    pytest.param("What evidence is there that ILP works?", "p03"),
    pytest.param("Examples of tasking and co-ordination meetings", "t02"),
    pytest.param("How did Serbia introduce intelligence-led policing?", "t01", marks=NOT_YET),
    pytest.param("How are sources and information graded (5x5x5)?", "a04"),
]


def test_the_examples_are_the_home_pages():
    from webapp.pages import EXAMPLE_QUESTIONS

    shown = {question for questions in EXAMPLE_QUESTIONS.values() for question in questions}
    assert shown == {param.values[0] for param in EXAMPLES}


@pytest.mark.parametrize(("question", "gold_id"), EXAMPLES)
def test_example_questions_get_a_card_that_answers_them(
    corpus_instance: Path, encoder, question: str, gold_id: str
):
    from search.answers.evaluation import card_text, load_answer_facts

    facts = load_answer_facts(REPO / "corpus" / "eval" / "answer-facts.toml")[gold_id]
    searcher = Searcher(LoadedBuild.open_current(corpus_instance), QueryEmbedder(encoder))
    result = searcher.search(question)
    assert result.answer and all(sentence.citation for sentence in result.answer)
    assert facts.held_by(card_text(result)), card_text(result)
