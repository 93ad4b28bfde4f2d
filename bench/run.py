"""`make bench`: speed figures for ILP Atlas, written to bench/results/latest.{json,md}.

Sections, in order (each can be chosen with `--sections`):
    encoder  raw SentenceTransformerEncoder throughput on corpus passages (default threads)
    ingest   full `ilp ingest` into a fresh instance (empty cache), forced and --if-changed
             re-ingest of the unchanged corpus
    latency  in-process keyword/dense/hybrid p50/p95 over the gold questions, with the
             server's query encoder (ONNX Runtime, 1 thread), with and without the query cache
    latency_ru  the same over the Russian gold questions (cross-language route)
    http     `ilp serve` (waitress) on a free loopback port: cold start, /api/search with 1 and
             8 concurrent clients, peak RSS; and bench.load's load test when present
    scale    the same in-process latencies on a 100k-passage build (cached in bench/cache/)
    bm25     FTS5 bm25(), the library's keyword search, rank-bm25 and bm25s, at corpus size
             and at 100k
Figures are reported, never asserted: the machine is shared and noisy. The targets table at the
end says which targets are met.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from bench.stats import percentile, timed  # noqa: F401 - percentile is used by bench.load

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
SECTIONS = ("encoder", "ingest", "latency", "latency_ru", "http", "scale", "bm25")
SCALE_PASSAGES = 100_000
RANK_BM25_EVERY = 4  # rank-bm25 takes ~0.5 s a query at 100k: it answers every 4th question
LOAD_CLIENTS, LOAD_SECONDS = 20, 20.0  # bench.load's run, kept short for the 15-minute budget


def gold_questions(name: str = "questions.toml") -> list[str]:
    """The questions of corpus/eval/questions.toml (or another gold file), in file order."""
    text = (REPO / "corpus" / "eval" / name).read_text(encoding="utf-8")
    return [entry["question"] for entry in tomllib.loads(text)["question"]]


def load_hook(questions: list[str]):
    """bench.load's `run_load(base_url, questions, clients, seconds)`, or None if absent."""
    try:
        from bench.load import run_load
    except ImportError:
        return None
    return lambda base_url: run_load(base_url, questions, LOAD_CLIENTS, LOAD_SECONDS)


def run_sections(chosen: list[str], instance: Path) -> dict:
    """Run the chosen sections in order; return the report (without the targets)."""
    from search.encoders.query import serving_query_encoder
    from search.encoders.sentence_transformer import SentenceTransformerEncoder
    from search.index.loaded import LoadedBuild

    build = LoadedBuild.open_current(instance)
    questions = gold_questions()
    store = build.store
    passages = [stored.passage.text for stored in store.passages(range(store.count())).values()]
    sentences = [sentence.text for sentence in store.sentences(range(store.count()))]
    encoder = SentenceTransformerEncoder()
    report: dict = {"build": build.manifest["counts"], "seconds_per_section": {}}

    def section(name: str, work) -> None:
        if name in chosen:
            print(f"bench: {name}...", flush=True)
            report[name], seconds = timed(work)
            report["seconds_per_section"][name] = round(seconds, 1)

    from bench import bm25_compare, ingest_speed, latency, scale, server

    section("encoder", lambda: ingest_speed.raw_throughput(encoder, passages, sentences))
    if "ingest" in chosen and "encoder" not in report:
        raise SystemExit("the ingest section needs the encoder section (for the ratio)")
    section(
        "ingest",
        lambda: ingest_speed.ingest_figures(
            report["encoder"], len(sentences), build.manifest["counts"]["concepts"]
        ),
    )
    # Queries are answered as in the server: one thread, ONNX Runtime
    # (search/encoders/onnx_bert.py).
    queries = serving_query_encoder()
    section("latency", lambda: latency.build_latencies(build, queries, questions))
    # Russian questions take the cross-language route: the multilingual encoder (USE, NumPy,
    # one thread) for the question and its words, MiniLM for its English rendering.
    from search.encoders.multilingual import MultilingualEncoder

    section(
        "latency_ru",
        lambda: latency.build_latencies(
            build, queries, gold_questions("questions-ru.toml"), MultilingualEncoder()
        ),
    )
    section("http", lambda: server.http_figures(instance, questions, load_hook(questions)))
    big = None
    if "scale" in chosen or "bm25" in chosen:
        record = scale.cached_scale_build(build, SCALE_PASSAGES)
        big, open_seconds = timed(
            lambda: LoadedBuild.open_current(scale.scale_instance(SCALE_PASSAGES))
        )
    section(
        "scale",
        lambda: {
            "build": record,
            "open_seconds": round(open_seconds, 1),
            "latency": latency.build_latencies(big, queries, questions),
        },
    )
    section(
        "bm25",
        lambda: {
            "corpus": bm25_compare.compare(build, questions, questions),
            "100k": bm25_compare.compare(big, questions, questions[::RANK_BM25_EVERY]),
        },
    )
    return report


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write bench/results/latest.json and latest.md."""
    from bench.report import markdown, targets

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated subset of {','.join(SECTIONS)}",
    )
    options = parser.parse_args(argv)
    chosen = [name.strip() for name in options.sections.split(",") if name.strip()]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    instance = Path(os.environ.get("ILP_INSTANCE", "instance")).resolve()
    started = time.perf_counter()
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        **run_sections(chosen, instance),
    }
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    report["targets"] = [
        {"name": t.name, "value": t.value, "bound": t.bound, "unit": t.unit, "verdict": t.verdict}
        for t in targets(report)
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    text = markdown(report)
    (RESULTS / "latest.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
