"""Shared fixtures: a tiny corpus built with a deterministic encoder, and the Flask app over it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from graph.linking.model import LinkSettings
from ilp_pipeline.run import run_build
from ingest.catalog import load_catalog
from search.searcher import SearchConfig
from tests.fakes import HashingEncoder

os.environ.setdefault("HF_HUB_OFFLINE", "1")
DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]
SHARED_REAL_WORLD = REPO.parent / "shared" / "real-world"


@pytest.fixture()
def mini_corpus(tmp_path: Path) -> Path:
    """A writable copy of tests/data/corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(DATA / "corpus", target)
    return target


@pytest.fixture(scope="session")
def built_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An instance folder holding one build of the mini corpus (hashing encoder)."""
    return build_with_hashing(DATA / "corpus", tmp_path_factory.mktemp("instance"))


def build_with_hashing(corpus: Path, instance: Path) -> Path:
    """Build a corpus folder (catalog.toml, concepts.ttl) into `instance` as the site tests do:
    the hashing encoder, links by label only."""
    run_build(
        load_catalog(corpus / "catalog.toml"),
        corpus / "concepts.ttl",
        instance,
        HashingEncoder(),
        link_settings=LinkSettings.label_only(),
    )
    return instance


def hashing_app(instance: Path, **config: object):
    """The Flask app over `instance` as the site tests use it: the hashing encoder and no "no
    good answer" cut-off (its cosines are lower than a real model's); `config` adds to it."""
    from webapp import create_app

    return create_app(
        {
            "TESTING": True,
            "ILP_INSTANCE": str(instance),
            "ENCODER": HashingEncoder(),
            "SEARCH_CONFIG": SearchConfig(no_answer_below=0.0),
            **config,
        }
    )


@pytest.fixture()
def app(built_instance: Path):
    """The Flask app over the mini build, with the hashing encoder."""
    return hashing_app(built_instance)


@pytest.fixture()
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture(scope="session")
def encoder():
    """The real model as the server embeds queries: ONNX Runtime, one thread."""
    from search.encoders.query import query_encoder

    return query_encoder(threads=1)


@pytest.fixture(scope="session")
def corpus_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus ingested with the real models, as `ilp ingest` does (a minute or two)."""
    from search.encoders.multilingual import MultilingualEncoder
    from search.encoders.sentence_transformer import SentenceTransformerEncoder

    instance = tmp_path_factory.mktemp("corpus-instance")
    corpus = REPO / "corpus"
    report = run_build(
        load_catalog(corpus / "catalog.toml"),
        corpus / "concepts.ttl",
        instance,
        SentenceTransformerEncoder(),
        multilingual=MultilingualEncoder(),
    )
    assert report.failures == [], report.failures
    return instance
