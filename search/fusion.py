"""Fuse ranked lists from keyword and dense retrieval."""

from __future__ import annotations

from collections import defaultdict

RRF_K = 60


def reciprocal_rank_fusion(rankings: list[list[int]], k: int = RRF_K,
                           weights: list[float] | None = None) -> list[tuple[int, float]]:
    """Score each id by sum(weight / (k + rank)); best first, ties broken by id."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[int, float] = defaultdict(float)
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] += weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
