"""The index backends compared on the scale-up builds: local FAISS + FTS5 against Milvus.

    python -m bench.backends [--sizes 10000,100000] [--instance DIR]

For each size, the scale-up build of bench/scale.py is searched twice, each time in a fresh child
process that runs the gold questions (hybrid, keyword and dense, answer sentences included, every
query embedded) and reports p50/p95 latencies, the seconds to open the build and the process's
peak resident memory: once as built (local backend) and once from a copy of it whose manifest
names a Milvus collection (embedded milvus-lite, which runs inside the searching process, so its
memory is in the same figure). The copy hard-links the build's files; the collection is written
from its FAISS vectors and FTS5 postings by the library's `write_collection`. Figures go to
bench/results/backends.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

from bench.child import in_child, memory_mb

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
CACHE = REPO / "bench" / "cache"
SIZES = (10_000, 100_000)


def milvus_instance(local_instance: Path, size: int) -> tuple[Path, float]:
    """An instance whose current build is the scale-up build with its index in milvus-lite;
    returns it and the seconds the collection took to write (0 when reused)."""
    from search.index.build_folders import read_manifest, resolve_current, write_manifest
    from search.index.dense import DenseIndex
    from search.index.milvus_backend import close, write_collection

    source = resolve_current(local_instance)
    instance = CACHE / f"milvus-{size // 1000}k"
    target = instance / "builds" / source.name
    if target.is_dir() and (read_manifest(target).get("index") or {}).get("backend"):
        return instance, 0.0
    shutil.rmtree(instance, ignore_errors=True)
    target.mkdir(parents=True)
    for file in source.iterdir():
        if file.name != "manifest.json":
            os.link(file, target / file.name)  # the same files, no extra disk
    dense = DenseIndex.load(source / "passages.faiss")
    started = time.perf_counter()
    entry = write_collection(
        f"milvus://{instance / 'index.db'}",
        source.name,
        dense.vectors(list(range(len(dense)))),
        target / "passages.sqlite",
    )
    seconds = time.perf_counter() - started
    close(entry["url"])  # milvus-lite lets one process at a time open its file
    manifest = read_manifest(source)
    manifest.pop("files", None)
    write_manifest(target, dict(manifest, index=entry))
    (instance / "current").symlink_to(Path("builds") / source.name)
    return instance, seconds


def _query_child(instance: str, questions: list[str], connection) -> None:  # noqa: ANN001
    """In a fresh process: open a build, time the questions, report latency and memory."""
    from bench.latency import method_latencies
    from search.encoders.query import QueryEmbedder, serving_query_encoder
    from search.index.loaded import LoadedBuild
    from search.searcher import Searcher

    searcher_encoder = serving_query_encoder()
    before = memory_mb()["rss_mb"]
    started = time.perf_counter()
    build = LoadedBuild.open_current(Path(instance))
    opened = time.perf_counter() - started
    searcher = Searcher(build, QueryEmbedder(searcher_encoder, cache_size=0))
    for question in questions:  # warm the SQLite pages and per-build caches once, untimed
        searcher.search(question, k=10)
    figures = method_latencies(searcher, questions)
    memory = memory_mb()
    connection.send(
        {
            "open_seconds": round(opened, 2),
            "latency_ms": figures,
            **memory,
            "rss_for_build_mb": memory["rss_mb"] - before,
        }
    )
    connection.close()


def _measure(instance: Path, questions: list[str]) -> dict:
    """The query figures of a fresh process over one instance's current build."""
    return in_child(_query_child, str(instance), questions)


def compare(instance: Path, sizes: tuple[int, ...]) -> dict:
    """For each size: the local and the Milvus backend's figures."""
    from bench.run import gold_questions
    from bench.scale import cached_scale_build, scale_instance
    from search.index.loaded import LoadedBuild

    source = LoadedBuild.open_current(instance)
    questions = gold_questions()
    figures = {}
    for size in sizes:
        print(f"backends: {size:,} passages...", flush=True)
        cached_scale_build(source, size)
        local = scale_instance(size)
        milvus, write_seconds = milvus_instance(local, size)
        index_db = milvus / "index.db"
        figures[str(size)] = {
            "local": _measure(local, questions),
            "milvus": dict(
                _measure(milvus, questions),
                collection_write_seconds=round(write_seconds, 1),
                index_db_mb=round(
                    sum(f.stat().st_size for f in index_db.rglob("*") if f.is_file()) / 2**20
                    if index_db.is_dir()
                    else index_db.stat().st_size / 2**20
                ),
            ),
        }
        print(json.dumps(figures[str(size)], indent=1), flush=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and write bench/results/backends.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES))
    parser.add_argument("--instance", type=Path, default=REPO / "instance")
    arguments = parser.parse_args(argv)
    sizes = tuple(int(size) for size in arguments.sizes.split(","))
    report = compare(arguments.instance, sizes)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "backends.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
