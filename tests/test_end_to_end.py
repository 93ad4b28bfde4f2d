"""End to end with the real model: ingest the shipped corpus, then ask through library, CLI, API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.catalog import load_catalog
from search.build import run_build
from search.encoder import QueryEmbedder, SentenceTransformerEncoder
from search.searcher import LoadedBuild, Searcher
from tests.conftest import REPO

pytestmark = pytest.mark.slow

# (question, the document whose passage answers it)
QUESTIONS = [
    ("What is the 3-i model?", "three-i-and-four-i-models"),
    ("How often do tasking and co-ordination meetings take place?",
     "tasking-and-coordination-meetings"),
]


@pytest.fixture(scope="session")
def encoder() -> SentenceTransformerEncoder:
    return SentenceTransformerEncoder(threads=1)


@pytest.fixture(scope="session")
def corpus_instance(tmp_path_factory: pytest.TempPathFactory, encoder) -> Path:
    """The shipped corpus ingested with the real model (about a minute)."""
    instance = tmp_path_factory.mktemp("corpus-instance")
    corpus = REPO / "corpus"
    report = run_build(load_catalog(corpus / "catalog.toml"), corpus / "concepts.ttl",
                       instance, SentenceTransformerEncoder())
    assert report.failures == [], report.failures
    return instance


@pytest.mark.parametrize(("question", "document_id"), QUESTIONS)
def test_library_answers_in_top_3(corpus_instance: Path, encoder, question, document_id):
    searcher = Searcher(LoadedBuild.open_current(corpus_instance), QueryEmbedder(encoder))
    result = searcher.search(question, k=3)
    assert document_id in [hit.document.id for hit in result.hits]
    assert result.answer and all(a.citation for a in result.answer)


def test_cli_search_json(corpus_instance: Path):
    question, document_id = QUESTIONS[0]
    completed = subprocess.run(
        [sys.executable, "-m", "webapp.cli", "search", question, "--json", "-k", "3",
         "--instance", str(corpus_instance)],
        capture_output=True, text=True, check=True, cwd=REPO,
    )
    payload = json.loads(completed.stdout)
    assert payload["query"] == question
    assert document_id in [hit["document"]["id"] for hit in payload["hits"]]


def test_cli_search_prints_cited_passages(corpus_instance: Path):
    completed = subprocess.run(
        [sys.executable, "-m", "webapp.cli", "search", QUESTIONS[1][0],
         "--instance", str(corpus_instance)],
        capture_output=True, text=True, check=True, cwd=REPO,
    )
    assert "Tasking and co-ordination meetings" in completed.stdout
    assert "Answer" in completed.stdout


def test_api_search(corpus_instance: Path, encoder):
    from webapp import create_app

    app = create_app({"TESTING": True, "ILP_INSTANCE": str(corpus_instance),
                      "ENCODER": encoder})
    question, document_id = QUESTIONS[1]
    response = app.test_client().get("/api/search", query_string={"q": question, "k": 3})
    assert response.status_code == 200
    payload = response.get_json()
    assert document_id in [hit["document"]["id"] for hit in payload["hits"]]
    first = payload["hits"][0]
    assert first["heading_path"] and first["document"]["title"]


def test_pdf_passages_carry_printed_pages(corpus_instance: Path, encoder):
    build = LoadedBuild.open_current(corpus_instance)
    passages = build.store.passages_of_document("uk-national-intelligence-model")
    assert passages and all(p.passage.page and p.passage.page.isdigit() for p in passages[1:])
