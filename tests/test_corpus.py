"""The shipped corpus: sizes, the gold questions' phrases, and the concept scheme's integrity."""

from __future__ import annotations

import tomllib
from collections import Counter
from functools import cache

import pytest

from graph.concepts import load_scheme
from graph.validate import scheme_problems
from ingest.catalog import load_catalog
from ingest.reader import read_document
from ingest.splitter import split_passages
from tests.conftest import REPO

CORPUS = REPO / "corpus"


@cache
def documents():
    return {meta.id: read_document(meta) for meta in load_catalog(CORPUS / "catalog.toml")}


def test_corpus_size_and_document_lengths():
    words = {doc_id: len(document.text.split()) for doc_id, document in documents().items()}
    assert len(words) >= 35
    assert sum(words.values()) >= 45_000
    assert all(700 <= count <= 2_500 for count in words.values()), words


def test_gold_questions_cover_groups_and_phrases_are_found():
    questions = tomllib.loads((CORPUS / "eval" / "questions.toml").read_text())["question"]
    groups = Counter(q["group"] for q in questions)
    assert len(questions) >= 60 and {"policy", "academic", "trainer", "off-topic"} <= set(groups)
    assert len({q["id"] for q in questions}) == len(questions)
    passages = {
        doc_id: [p.text for p in split_passages(document)]
        for doc_id, document in documents().items()
    }
    missing = [
        (q["id"], r["document"], r["phrase"])
        for q in questions
        for r in q.get("relevant", [])
        if not any(r["phrase"] in text for text in passages.get(r["document"], []))
    ]
    assert missing == []
    assert all(q.get("relevant") for q in questions if q["group"] != "off-topic")


@pytest.fixture(scope="module")
def scheme():
    return load_scheme(CORPUS / "concepts.ttl")


def test_scheme_size_and_labels(scheme):
    concepts = list(scheme.concepts.values())
    assert len(concepts) >= 100
    assert 8 <= len(scheme.top_concepts()) <= 12
    assert sum(1 for c in concepts if "ru" in c.pref_labels) >= 30
    for concept in concepts:
        assert concept.pref_labels.get("en") and concept.definition and concept.source
        assert concept.top or concept.broader or concept.related, concept.id
    alt = {label for c in concepts for label in c.alt_labels}
    assert {"NIM", "T&CG", "SOCTA", "EMPACT", "NCID", "VERLT", "5x5x5", "3x5x2"} <= alt


def test_scheme_integrity(scheme):
    """No broader cycles, shared prefLabels, one-sided links or unreachable concepts (the checks
    `ilp validate` runs; tests/test_graph_cli.py shows they catch each kind of problem)."""
    assert scheme_problems(scheme) == []
