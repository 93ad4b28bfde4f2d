"""Search on the real OSCE Guidebook alone: Recall@5 by printed page (skips without the PDF)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ilp_pipeline.run import run_build
from ingest.models import DocumentMeta
from search.encoders.query import QueryEmbedder
from search.encoders.sentence_transformer import SentenceTransformerEncoder
from search.evaluation import load_page_questions, page_recall
from search.index.loaded import LoadedBuild
from search.searcher import Searcher
from tests.conftest import REPO, SHARED_REAL_WORLD

GUIDEBOOK = SHARED_REAL_WORLD / "osce-guidebook-ilp-2017.pdf"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not GUIDEBOOK.is_file(), reason="no ../shared/real-world/"),
]


def test_recall_at_5_by_page(tmp_path: Path, encoder):
    meta = DocumentMeta(
        id="osce-guidebook-2017",
        kind="guidebook",
        path=GUIDEBOOK,
        title="OSCE Guidebook Intelligence-Led Policing",
        organisation="OSCE Secretariat (TNTD/SPMU)",
        year=2017,
    )
    report = run_build(
        [meta], REPO / "corpus" / "concepts.ttl", tmp_path, SentenceTransformerEncoder()
    )
    assert report.failures == [] and report.passages > 100
    searcher = Searcher(LoadedBuild.open_current(tmp_path), QueryEmbedder(encoder))
    questions = load_page_questions(REPO / "corpus" / "eval" / "guidebook-questions.toml")
    figures = page_recall(searcher, questions, k=5)
    assert figures["n"] >= 15
    # Measured 0.74 (recall of answer pages) and 0.78 (questions with an answer page in the
    # top 5); the floor guards against regressions.
    assert figures["recall@5"] >= 0.65
    assert figures["hit@5"] >= 0.70
