"""The capacity plan's figures: what an ingest costs per passage, and what a query costs at
10,000, 100,000 and 1,000,000 passages (README, "Capacity plan").

    python -m bench.capacity [--sizes 10000,100000,1000000] [--no-ingest] [--ann] [--instance DIR]

- **Ingest**: the shipped corpus is built from scratch into a temporary instance (no document
  or embedding cache), with each pipeline step timed in wall-clock and process CPU seconds;
  divided by the passages built, and the bytes of each artefact of the build per passage.
- **Queries**: for each size, the scale-up build of bench/scale.py (the corpus repeated, its
  embeddings plus noise: encoding a million texts would take days here) is opened in a fresh
  child process, which runs the gold questions (hybrid, keyword and dense, answer sentences
  included, every query embedded) and reports latencies, the seconds to open the build and its
  peak resident memory. Figures go to bench/results/capacity.json and capacity.md.

Each scale-up build is made in a child process of its own too, so its peak memory is its own.
Memory is read from /proc/self/status: `VmHWM` (peak resident), and at the end `RssAnon` (heap:
the FAISS index, Python objects) apart from `RssFile` (pages of the memory-mapped SQLite store
and sentences.npy, which the kernel can drop and read again). `ru_maxrss` will not do: a spawned
child inherits its parent's peak across exec. With `--no-ingest`, the ingest section and the
sizes not asked for are kept from the existing capacity.json, so one size can be re-run alone.

With `--ann`, the largest size's passage vectors are also searched through an approximate index,
FAISS `IndexIVFFlat` (the IVF_FLAT a Milvus server offers), in a child process: its p50/p95 for
the gold questions' vectors (one thread, as a server searches) and its recall of the exact
top 50. It measures what an index of that kind saves, not a backend of ours.

At 1,000,000 passages the scale-up build takes about 16 minutes (peak RSS 6 GiB) and 20.3 GiB of
bench/cache/ here; opening it about 40 s, its queries 3 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from bench.approximate import approximate_dense
from bench.child import in_child, memory_mb

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
SIZES = (10_000, 100_000, 1_000_000)
STEPS = ("read_and_link_by_label", "embed", "embed_multilingual", "link_by_meaning", "write")


def ingest_costs() -> dict:
    """Build the corpus from scratch with every step timed; costs per passage."""
    import ilp_pipeline.run as pipeline
    from graph.linking.model import LinkSettings
    from ingest.catalog import load_catalog
    from search.encoders.multilingual import MultilingualEncoder
    from search.encoders.sentence_transformer import SentenceTransformerEncoder
    from search.index.build_folders import read_manifest, resolve_current

    timings: dict[str, dict[str, float]] = {}

    def timed(name, function):  # noqa: ANN001, ANN202
        def wrapper(*args, **kwargs):  # noqa: ANN202
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                entry = timings.setdefault(name, {"wall_s": 0.0, "cpu_s": 0.0})
                entry["wall_s"] += time.perf_counter() - wall
                entry["cpu_s"] += time.process_time() - cpu

        return wrapper

    originals = {name: getattr(pipeline, name) for name in STEPS}
    for name, function in originals.items():
        setattr(pipeline, name, timed(name, function))
    instance = Path(tempfile.mkdtemp(prefix="capacity-"))
    try:
        corpus = REPO / "corpus"
        wall, cpu = time.perf_counter(), time.process_time()
        report = pipeline.run_build(
            load_catalog(corpus / "catalog.toml"),
            corpus / "concepts.ttl",
            instance,
            SentenceTransformerEncoder(),
            link_settings=LinkSettings(),
            multilingual=MultilingualEncoder(),
        )
        total = {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}
        manifest = read_manifest(resolve_current(instance))
    finally:
        for name, function in originals.items():
            setattr(pipeline, name, function)
        shutil.rmtree(instance, ignore_errors=True)
    passages = report.passages
    return {
        "passages": passages,
        "sentences": manifest["counts"]["sentences"],
        "texts_embedded": report.embedded,
        "total": {key: round(value, 1) for key, value in total.items()},
        "per_passage_ms": {
            name: {key: round(1000 * value / passages, 1) for key, value in entry.items()}
            for name, entry in {**timings, "total": total}.items()
        },
        "bytes_per_passage": {
            name: round(entry["bytes"] / passages) for name, entry in manifest["files"].items()
        },
    }


def _build_child(instance: str, passages: int, connection) -> None:  # noqa: ANN001
    """In a fresh process: make (or reuse) the scale-up build; report it and its peak memory."""
    from bench.scale import cached_scale_build
    from search.index.loaded import LoadedBuild

    record = cached_scale_build(LoadedBuild.open_current(Path(instance)), passages)
    connection.send(dict(record, build_peak_rss_mb=memory_mb()["peak_rss_mb"]))
    connection.close()


def _query_child(instance: str, questions: list[str], connection) -> None:  # noqa: ANN001
    """In a fresh process: open a build, time the questions, report latency and memory."""
    from bench.latency import method_latencies
    from search.encoders.query import QueryEmbedder, serving_query_encoder
    from search.index.loaded import LoadedBuild
    from search.searcher import Searcher

    encoder = serving_query_encoder()
    before = memory_mb()
    started = time.perf_counter()
    build = LoadedBuild.open_current(Path(instance))
    opened = time.perf_counter() - started
    searcher = Searcher(build, QueryEmbedder(encoder, cache_size=0))
    for question in questions:  # warm the SQLite pages and per-build caches once, untimed
        searcher.search(question, k=10)
    figures = method_latencies(searcher, questions)
    after = memory_mb()
    connection.send(
        {
            "open_seconds": round(opened, 2),
            "latency_ms": figures,
            **after,
            "rss_anon_for_build_mb": after["rss_anon_mb"] - before["rss_anon_mb"],
        }
    )
    connection.close()


def query_costs(instance: Path, sizes: tuple[int, ...]) -> dict:
    """For each size, the scale-up build's size on disk and the query figures of a fresh
    process over it."""
    from bench.run import gold_questions
    from bench.scale import scale_instance

    questions = gold_questions()
    figures = {}
    for size in sizes:
        print(f"capacity: {size:,} passages: build...", flush=True)
        record = in_child(_build_child, str(instance), size)
        print(f"capacity: {size:,} passages: queries...", flush=True)
        result = in_child(_query_child, str(scale_instance(size)), questions)
        figures[str(size)] = {
            "build_seconds": record["build_seconds"],
            "build_seconds_by_step": record["seconds"],
            # the build's peak is only measured when it was made, not when it came from the cache
            "build_peak_rss_mb": None
            if record["reused_from_cache"]
            else record["build_peak_rss_mb"],
            "disk_mb": record["total_size_mb"],
            "disk_mb_by_file": record["size_mb"],
            **result,
        }
        print(json.dumps(figures[str(size)]), flush=True)
    return figures


def markdown(report: dict) -> str:
    """The figures as the tables the README quotes."""
    lines = []
    if "ingest" in report:
        ingest = report["ingest"]
        lines += [
            f"Ingest of the corpus from scratch: {ingest['passages']} passages, "
            f"{ingest['sentences']} sentences, {ingest['texts_embedded']} texts embedded, "
            f"{ingest['total']['wall_s']} s wall, {ingest['total']['cpu_s']} s CPU.",
            "",
            "| step | wall ms / passage | CPU ms / passage |",
            "|---|---|---|",
        ]
        for name, entry in ingest["per_passage_ms"].items():
            lines.append(f"| {name} | {entry['wall_s']} | {entry['cpu_s']} |")
        lines += ["", "| artefact | bytes / passage |", "|---|---|"]
        for name, size in ingest["bytes_per_passage"].items():
            lines.append(f"| {name} | {size:,} |")
        lines.append("")
    lines += [
        "| passages | disk MiB | build s | build peak RSS MiB | open s | query peak RSS MiB "
        "| heap MiB | hybrid p50 / p95 ms | keyword p50 / p95 ms | dense p50 / p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, entry in sorted(report.get("queries", {}).items(), key=lambda pair: int(pair[0])):
        latency = entry["latency_ms"]
        build_peak = entry.get("build_peak_rss_mb")
        lines.append(
            f"| {int(size):,} | {entry['disk_mb']:,} | {entry['build_seconds']} | "
            f"{'-' if build_peak is None else f'{build_peak:,}'} | "
            f"{entry['open_seconds']} | {entry['peak_rss_mb']:,} | "
            f"{entry['rss_anon_mb']:,} | "
            + " | ".join(
                f"{latency[method]['p50_ms']} / {latency[method]['p95_ms']}"
                for method in ("hybrid", "keyword", "dense")
            )
            + " |"
        )
    lines += [
        "",
        "Query peak RSS counts the memory-mapped file pages read (SQLite store, sentences.npy);"
        " heap is the resident anonymous memory after the queries (FAISS index, Python).",
    ]
    for size, entry in report.get("approximate_dense", {}).items():
        exact = entry["exact_ms"]
        lines += [
            "",
            f"Dense search alone at {int(size):,} passages, one thread, top 50: exact (FAISS "
            f"IndexFlatIP) p50 / p95 {exact['p50_ms']} / {exact['p95_ms']} ms; "
            f"{entry['index']}, built in {entry['build_seconds']} s: "
            + "; ".join(
                f"nprobe {name.split('_')[1]} {figures['p50_ms']} / {figures['p95_ms']} ms, "
                f"recall@50 {figures['recall_at_50']}"
                for name, figures in entry.items()
                if name.startswith("nprobe_")
            )
            + ".",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, default=REPO / "instance")
    parser.add_argument(
        "--sizes", default=",".join(str(size) for size in SIZES), help="Passage counts."
    )
    parser.add_argument("--no-ingest", action="store_true", help="Skip the ingest costs.")
    parser.add_argument(
        "--ann", action="store_true", help="Also time an IVF index at the largest size."
    )
    arguments = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sizes = tuple(int(size) for size in arguments.sizes.split(",") if size)
    existing = RESULTS / "capacity.json"
    report: dict = (  # with --no-ingest, keep what this run does not measure
        json.loads(existing.read_text()) if arguments.no_ingest and existing.is_file() else {}
    )
    if not arguments.no_ingest:
        print("capacity: ingest costs...", flush=True)
        report["ingest"] = ingest_costs()
    report["queries"] = {
        **report.get("queries", {}),
        **query_costs(arguments.instance, sizes),
    }
    if arguments.ann:
        from bench.run import gold_questions
        from bench.scale import scale_instance

        print(f"capacity: IVF index at {max(sizes):,} passages...", flush=True)
        largest = str(scale_instance(max(sizes)))
        report["approximate_dense"] = {
            str(max(sizes)): in_child(approximate_dense, largest, gold_questions())
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "capacity.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "capacity.md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
