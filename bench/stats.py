"""Small statistics helpers shared by the benchmark sections."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summarise(milliseconds: list[float]) -> dict:
    """p50, p95, mean and count of a list of latencies in milliseconds."""
    return {
        "p50_ms": round(percentile(milliseconds, 0.5), 2),
        "p95_ms": round(percentile(milliseconds, 0.95), 2),
        "mean_ms": round(statistics.fmean(milliseconds), 2),
        "n": len(milliseconds),
    }


def timed(function: Callable[[], object]) -> tuple[object, float]:
    """Call `function` once; return (its result, seconds taken)."""
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def latencies_ms(function: Callable[[str], object], inputs: list[str]) -> list[float]:
    """Milliseconds of `function(x)` for each input, after one untimed warm-up call."""
    function(inputs[0])
    timings = []
    for value in inputs:
        started = time.perf_counter()
        function(value)
        timings.append((time.perf_counter() - started) * 1000)
    return timings
