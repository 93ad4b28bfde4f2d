"""Shared fixtures: a tiny corpus built with a deterministic encoder, and the Flask app over it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ingest.catalog import load_catalog
from search.build import run_build
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
    instance = tmp_path_factory.mktemp("instance")
    corpus = DATA / "corpus"
    run_build(load_catalog(corpus / "catalog.toml"), corpus / "concepts.ttl", instance,
              HashingEncoder())
    return instance


@pytest.fixture()
def app(built_instance: Path):
    """The Flask app over the mini build, with the hashing encoder."""
    from webapp import create_app

    return create_app({"TESTING": True, "ILP_INSTANCE": str(built_instance),
                       "ENCODER": HashingEncoder()})


@pytest.fixture()
def client(app):
    """A test client for the app."""
    return app.test_client()
