"""The capacity plan's figures: what an ingest costs per passage, and what a query costs at
10,000, 100,000 and 1,000,000 passages (README, "Capacity plan").

    python -m bench.capacity [--sizes 10000,100000,1000000] [--no-ingest] [--instance DIR]

- **Ingest**: the shipped corpus is built from scratch into a temporary instance (no document
  or embedding cache), with each pipeline step timed in wall-clock and process CPU seconds;
  divided by the passages built, and the bytes of each artefact of the build per passage.
- **Queries**: for each size, the scale-up build of bench/scale.py (the corpus repeated, its
  embeddings plus noise: encoding a million texts would take days here) is opened in a fresh
  child process, which runs the gold questions (hybrid, keyword and dense, answer sentences
  included, every query embedded) and reports latencies, the seconds to open the build and its
  peak resident memory. Figures go to bench/results/capacity.json and capacity.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

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


def _query_child(instance: str, questions: list[str], connection) -> None:  # noqa: ANN001
    """In a fresh process: open a build, time the questions, report latency and memory."""
    from bench.latency import method_latencies
    from search.encoders.query import QueryEmbedder, serving_query_encoder
    from search.index.loaded import LoadedBuild
    from search.searcher import Searcher

    encoder = serving_query_encoder()
    baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    build = LoadedBuild.open_current(Path(instance))
    opened = time.perf_counter() - started
    searcher = Searcher(build, QueryEmbedder(encoder, cache_size=0))
    for question in questions:  # warm the SQLite pages and per-build caches once, untimed
        searcher.search(question, k=10)
    figures = method_latencies(searcher, questions)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    connection.send(
        {
            "open_seconds": round(opened, 2),
            "latency_ms": figures,
            "peak_rss_mb": round(peak_kib / 1024),
            "rss_for_build_mb": round((peak_kib - baseline_kib) / 1024),
        }
    )
    connection.close()


def query_costs(instance: Path, sizes: tuple[int, ...]) -> dict:
    """For each size, the scale-up build's size on disk and the query figures of a fresh
    process over it."""
    from bench.run import gold_questions
    from bench.scale import cached_scale_build, scale_instance
    from search.index.loaded import LoadedBuild

    source = LoadedBuild.open_current(instance)
    questions = gold_questions()
    figures = {}
    for size in sizes:
        print(f"capacity: {size:,} passages...", flush=True)
        record = cached_scale_build(source, size)
        receiver, sender = multiprocessing.get_context("spawn").Pipe(duplex=False)
        child = multiprocessing.get_context("spawn").Process(
            target=_query_child, args=(str(scale_instance(size)), questions, sender)
        )
        child.start()
        sender.close()
        result = receiver.recv()
        child.join()
        figures[str(size)] = {
            "build_seconds": record["build_seconds"],
            "disk_mb": record["total_size_mb"],
            "disk_mb_by_file": record["size_mb"],
            **result,
        }
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
        "| passages | disk MB | build s | open s | peak RSS MB | hybrid p50 / p95 ms "
        "| keyword p95 ms | dense p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, entry in report.get("queries", {}).items():
        latency = entry["latency_ms"]
        lines.append(
            f"| {int(size):,} | {entry['disk_mb']:,} | {entry['build_seconds']} | "
            f"{entry['open_seconds']} | {entry['peak_rss_mb']:,} | "
            f"{latency['hybrid']['p50_ms']} / {latency['hybrid']['p95_ms']} | "
            f"{latency['keyword']['p95_ms']} | {latency['dense']['p95_ms']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, default=REPO / "instance")
    parser.add_argument(
        "--sizes", default=",".join(str(size) for size in SIZES), help="Passage counts."
    )
    parser.add_argument("--no-ingest", action="store_true", help="Skip the ingest costs.")
    arguments = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sizes = tuple(int(size) for size in arguments.sizes.split(",") if size)
    report: dict = {}
    if not arguments.no_ingest:
        print("capacity: ingest costs...", flush=True)
        report["ingest"] = ingest_costs()
    report["queries"] = query_costs(arguments.instance, sizes)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "capacity.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "capacity.md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
