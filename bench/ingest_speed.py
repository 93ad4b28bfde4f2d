"""Embedding throughput: the raw encoder against a full `ilp ingest`, and re-ingest times.

End-to-end throughput is passages per second of wall time of `ilp ingest` into a fresh instance
with an empty embedding cache. An ingest embeds every sentence and concept too, so the report
also gives a work-equivalent ratio: the time the raw encoder needs for the same texts, over the
ingest's wall time.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.stats import timed

REPO = Path(__file__).resolve().parents[1]
ILP = Path(sys.executable).with_name("ilp")
SENTENCE_SAMPLE = 320  # sentences are short and many: a sample in reading order is enough
SUMMARY = re.compile(r"(\d+) passages.*?(\d+) texts embedded, (\d+) reused")


def raw_throughput(encoder, passages: list[str], sentences: list[str]) -> dict:
    """Texts per second of `encoder.encode` on all passages and on a sample of sentences."""
    encoder.encode(passages[:8])  # load the model and warm up
    _, passage_seconds = timed(lambda: encoder.encode(passages))
    sample = sentences[:SENTENCE_SAMPLE]
    _, sentence_seconds = timed(lambda: encoder.encode(sample))
    return {
        "passages_per_second": round(len(passages) / passage_seconds, 2),
        "sentences_per_second": round(len(sample) / sentence_seconds, 2),
        "passages": len(passages),
        "sentence_sample": len(sample),
    }


def cli_environment() -> dict:
    """The environment `make` gives the CLI: offline model, no tokenizer thread pool."""
    return dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")


def run_ingest(instance: Path, *flags: str) -> tuple[float, str]:
    """Run `ilp ingest` on corpus/; return (wall seconds, its summary line)."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(ILP), "ingest", "--instance", str(instance), *flags],
        cwd=REPO,
        env=cli_environment(),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 3):  # 3: some documents failed but a build was made
        raise RuntimeError(f"ilp ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, done.stdout.strip().splitlines()[-1]


def ingest_figures(raw: dict, sentences: int, concepts: int) -> dict:
    """Fresh ingest (empty cache), forced re-ingest (all cached) and `--if-changed` re-ingest."""
    with tempfile.TemporaryDirectory(prefix="ilp-bench-") as folder:
        instance = Path(folder) / "instance"
        fresh_seconds, fresh_line = run_ingest(instance)
        # The median of three forced runs: one run on a shared machine is noisy.
        forced = sorted((run_ingest(instance) for _ in range(3)), key=lambda run: run[0])
        forced_seconds, forced_line = forced[1]
        skipped_seconds, _ = run_ingest(instance, "--if-changed")
    passages, embedded, _ = (int(n) for n in SUMMARY.search(fresh_line).groups())
    end_to_end = passages / fresh_seconds
    raw_seconds = (
        passages / raw["passages_per_second"] + (sentences + concepts) / raw["sentences_per_second"]
    )
    return {
        "fresh_ingest_seconds": round(fresh_seconds, 1),
        "fresh_ingest_summary": fresh_line,
        "texts_embedded": embedded,
        "end_to_end_passages_per_second": round(end_to_end, 2),
        "ratio_to_raw": round(end_to_end / raw["passages_per_second"], 3),
        "raw_seconds_for_same_texts": round(raw_seconds, 1),
        "work_equivalent_ratio": round(raw_seconds / fresh_seconds, 3),
        "reingest_forced_seconds": round(forced_seconds, 2),
        "reingest_forced_summary": forced_line,
        "reingest_if_changed_seconds": round(skipped_seconds, 2),
    }
