"""`make bench`: speed figures for the current build, written as JSON and Markdown.

Measures raw encoder throughput, and in-process query latency (p50/p95) for keyword, dense and
hybrid retrieval with answer sentences, over the gold questions. Figures are reported, never
asserted: the machine is shared and noisy.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def encoder_throughput(encoder, texts: list[str]) -> float:
    """Passages per second for one encode() call over `texts` (after a warm-up batch)."""
    encoder.encode(texts[:8])
    started = time.perf_counter()
    encoder.encode(texts)
    return len(texts) / (time.perf_counter() - started)


def query_latencies(searcher, questions: list[str], method: str) -> dict:
    """p50/p95 milliseconds of full searches (retrieval, answer sentences, facets)."""
    searcher.search(questions[0], k=10, method=method)
    timings = []
    for question in questions:
        started = time.perf_counter()
        searcher.search(question, k=10, method=method)
        timings.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(percentile(timings, 0.5), 2),
            "p95_ms": round(percentile(timings, 0.95), 2),
            "mean_ms": round(statistics.fmean(timings), 2), "n": len(timings)}


def main() -> int:
    import torch

    from search.encoder import QueryEmbedder, SentenceTransformerEncoder
    from search.searcher import LoadedBuild, Searcher

    instance = Path(os.environ.get("ILP_INSTANCE", "instance"))
    build = LoadedBuild.open_current(instance)
    questions = [q["question"] for q in tomllib.loads(
        (REPO / "corpus" / "eval" / "questions.toml").read_text())["question"]]
    passages = [stored.passage.text for stored in
                build.store.passages(range(build.store.count())).values()]

    ingest_encoder = SentenceTransformerEncoder()
    throughput = encoder_throughput(ingest_encoder, passages[:200])
    torch.set_num_threads(1)  # queries are embedded with one thread, as in the server
    searcher = Searcher(build, QueryEmbedder(ingest_encoder))
    latencies = {method: query_latencies(searcher, questions, method)
                 for method in ("keyword", "dense", "hybrid")}

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "build": build.manifest["counts"],
        "encoder_passages_per_second": round(throughput, 1),
        "query_latency_in_process": latencies,
        "note": "query latencies include a fresh query embedding per question (no cache hits)",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))
    lines = ["# ILP Atlas benchmark", "", f"Run {report['when']} on {report['build']['passages']}"
             " passages.", "", f"Encoder throughput: {throughput:.1f} passages/s", "",
             "| method | p50 ms | p95 ms | mean ms | n |", "|---|---|---|---|---|"]
    lines += [f"| {m} | {v['p50_ms']} | {v['p95_ms']} | {v['mean_ms']} | {v['n']} |"
              for m, v in latencies.items()]
    (RESULTS / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
