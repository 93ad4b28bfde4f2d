"""The Milvus index backend on embedded milvus-lite, against the local FAISS + FTS5 backend.

The mini corpus is built twice, once per backend, and the same searches must return the same
passages with the same scores. Without pymilvus or milvus-lite these tests skip, except under
CI=true, where a missing engine is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.linking.model import LinkSettings
from ilp_pipeline.run import run_build
from ingest.catalog import load_catalog
from search.encoders.query import QueryEmbedder
from search.index.backend import IndexUrlError, index_backend_name
from search.index.build_folders import resolve_current
from search.index.loaded import LoadedBuild
from search.searcher import Filters, Searcher
from tests.conftest import DATA
from tests.fakes import HashingEncoder

QUERIES = [
    "tasking meetings decide resources",
    "Ratcliffe 3-i model interpret influence impact",
    "tasking and co-ordination group",
    "control strategy operational",
    "the",  # only common words: matched at FTS5's idf floor, not dropped
]


def _milvus_present() -> None:
    try:
        import milvus_lite  # noqa: F401
        import pymilvus  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("pymilvus or milvus-lite is missing; `pip install -e .[dev]` installs them")
        pytest.skip("pymilvus and milvus-lite are not installed")


def _build(instance: Path, index_url: str) -> str:
    corpus = DATA / "corpus"
    report = run_build(
        load_catalog(corpus / "catalog.toml"),
        corpus / "concepts.ttl",
        instance,
        HashingEncoder(),
        link_settings=LinkSettings.label_only(),
        index_url=index_url,
    )
    assert report.build_id
    return report.build_id


@pytest.fixture(scope="module")
def milvus_instance(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An instance with one mini build whose index is in an embedded Milvus file."""
    _milvus_present()
    instance = tmp_path_factory.mktemp("milvus-instance")
    url = f"milvus://{instance / 'index.db'}"
    _build(instance, url)
    return instance, url


def _searcher(instance: Path) -> Searcher:
    return Searcher(LoadedBuild.open_current(instance), QueryEmbedder(HashingEncoder()))


def test_manifest_names_the_collection(milvus_instance: tuple[Path, str]):
    instance, url = milvus_instance
    build = LoadedBuild.open_current(instance)
    assert build.manifest["index"]["backend"] == "milvus"
    assert build.manifest["index"]["url"] == url
    assert build.manifest["index"]["collection"] == "ilp_" + build.build_id.replace("-", "_")
    assert len(build.dense) == build.manifest["counts"]["passages"]


@pytest.mark.parametrize("method", ["keyword", "dense", "hybrid"])
@pytest.mark.parametrize("query", QUERIES)
def test_same_hits_and_scores_as_the_local_backend(
    built_instance: Path, milvus_instance: tuple[Path, str], method: str, query: str
):
    local = _searcher(built_instance).search(query, k=5, method=method)
    milvus = _searcher(milvus_instance[0]).search(query, k=5, method=method)
    assert [hit.passage.id for hit in milvus.hits] == [hit.passage.id for hit in local.hits]
    assert [hit.score for hit in milvus.hits] == pytest.approx(
        [hit.score for hit in local.hits], abs=1e-4
    )


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("tasking meetings", Filters(kinds=("good-practice",))),
        ("interpret influence impact", Filters(documents=("models-study",))),
    ],
)
def test_filters_give_the_same_hits(
    built_instance: Path, milvus_instance: tuple[Path, str], query: str, filters: Filters
):
    for method in ("keyword", "dense", "hybrid"):
        local = _searcher(built_instance).search(query, 5, method, filters)
        milvus = _searcher(milvus_instance[0]).search(query, 5, method, filters)
        assert [h.passage.id for h in milvus.hits] == [h.passage.id for h in local.hits]
        assert milvus.hits


def test_keyword_scores_of_given_rows_match(
    built_instance: Path, milvus_instance: tuple[Path, str]
):
    local = LoadedBuild.open_current(built_instance).keyword.score("tasking analysis", {0, 1, 2})
    milvus = LoadedBuild.open_current(milvus_instance[0]).keyword.score(
        "tasking analysis", {0, 1, 2}
    )
    assert milvus.of(range(5)) == pytest.approx(local.of(range(5)), abs=1e-4)
    assert milvus.top(3) == pytest.approx(local.top(3), abs=1e-4)


def test_rebuild_switches_the_alias_and_keeps_serving_the_old_build(tmp_path: Path):
    _milvus_present()
    from search.index.milvus_backend import ALIAS, client

    url = f"milvus://{tmp_path / 'index.db'}"
    first_id = _build(tmp_path, url)
    served = _searcher(tmp_path)
    milvus = client(url)
    assert milvus.describe_alias(ALIAS)["collection_name"] == "ilp_" + first_id.replace("-", "_")
    second_id = _build(tmp_path, url)
    assert resolve_current(tmp_path).name == second_id
    assert milvus.describe_alias(ALIAS)["collection_name"] == "ilp_" + second_id.replace("-", "_")
    # A reader opened before the rebuild still searches its own build's collection.
    assert served.search("tasking meetings", k=3).hits
    assert _searcher(tmp_path).build.build_id == second_id
    # Past the kept builds, a pruned build's collection is dropped with its folder.
    for _ in range(3):
        _build(tmp_path, url)
    assert "ilp_" + first_id.replace("-", "_") not in milvus.list_collections()
    assert len([name for name in milvus.list_collections() if name.startswith("ilp_")]) == 3


@pytest.mark.parametrize("url", ["faiss://x", "http://localhost:19530", "milvus"])
def test_unknown_index_urls_are_refused(url: str):
    with pytest.raises(IndexUrlError, match="milvus://"):
        index_backend_name(url)
