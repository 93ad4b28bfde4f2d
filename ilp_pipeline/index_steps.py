"""The build steps of an index backend other than the local files (search/index/backend.py).

`run_build` (run.py) calls `write_index` after the build's files are written and before its
manifest, so the manifest can name the collection; once the build folder is current,
`publish_index` points the backend's alias at the new collection and drops the collections of
the builds that `prune_builds` removed. A build that fails drops its half-written collection.
"""

from __future__ import annotations

from pathlib import Path

from ilp_pipeline.steps import Embeddings, ProgressFactory
from search.index.build_folders import BuildError, complete_builds, read_manifest


def open_index(index_url: str) -> None:
    """Connect to the index engine before any work, so a wrong URL fails at once."""
    from search.index.milvus_backend import client

    client(index_url)


def write_index(
    index_url: str,
    partial: Path,
    embeddings: Embeddings,
    multilingual: Embeddings | None,
    progress: ProgressFactory,
) -> dict:
    """Write the build's collection; returns the manifest's `index` entry."""
    from search.index.milvus_backend import write_collection

    advance = progress(1, "Milvus collection")
    entry = write_collection(
        index_url,
        partial.stem,
        embeddings.passages,
        partial / "passages.sqlite",
        None if multilingual is None else multilingual.passages,
    )
    advance(1)
    return entry


def index_collections(instance: Path) -> dict[str, str]:
    """Build id -> collection of the finished builds that have one."""
    found = {}
    for build in complete_builds(instance):
        try:
            entry = read_manifest(build).get("index")
        except BuildError:
            continue
        if entry and entry.get("backend") == "milvus":
            found[build.name] = entry["collection"]
    return found


def publish_index(index_url: str, collection: str, before: dict[str, str], instance: Path) -> None:
    """Point the alias at the new collection; drop those of the builds pruned since `before`."""
    from search.index.milvus_backend import drop_collections, publish

    publish(index_url, collection)
    remaining = {path.name for path in complete_builds(instance)}
    drop_collections(index_url, [name for build, name in before.items() if build not in remaining])


def drop_index(index_url: str, collections: list[str]) -> None:
    """Drop collections (of a build that failed)."""
    from search.index.milvus_backend import drop_collections

    drop_collections(index_url, collections)
