"""Fuse ranked lists from keyword and dense retrieval.

`ilp eval` chose normalised-score fusion for hybrid search: on corpus/eval/ it beat reciprocal
rank fusion on nDCG@10 and Recall@10 (figures in the README). RRF stays available for comparison.
"""

from __future__ import annotations

from collections import defaultdict

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: list[list[int]], k: int = RRF_K, weights: list[float] | None = None
) -> list[tuple[int, float]]:
    """Score each id by sum(weight / (k + rank)); best first, ties broken by id."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[int, float] = defaultdict(float)
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] += weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def min_max(
    scores: dict[int, float], ids: set[int], floor: float | None = None
) -> dict[int, float]:
    """Scale scores to 0..1 over `ids`; ids without a score get `floor` (default: the minimum)."""
    if not ids:
        return {}
    present = [scores[i] for i in ids if i in scores]
    low = min(present) if floor is None and present else (floor or 0.0)
    high = max(present) if present else low
    span = high - low
    return {i: ((scores.get(i, low) - low) / span if span > 0 else 0.0) for i in ids}


def add_document_prior(
    fused: dict[int, float], document_scores: dict[int, float], weight: float
) -> None:
    """Add `weight` x each candidate's document score, min-max normalised over the candidates
    (search/index/document_vectors.py): among passages that match alike, the one from the work
    about the question comes first. Candidates of one document alone are left as they are."""
    for row, value in min_max(document_scores, set(fused)).items():
        fused[row] += weight * value


def normalised_score_fusion(
    score_maps: list[dict[int, float]], weights: list[float], floors: list[float | None]
) -> list[tuple[int, float]]:
    """Weighted sum of min-max normalised scores over the union of candidates; best first."""
    ids = set().union(*score_maps) if score_maps else set()
    total: dict[int, float] = defaultdict(float)
    for scores, weight, floor in zip(score_maps, weights, floors, strict=True):
        for item, value in min_max(scores, ids, floor).items():
            total[item] += weight * value
    return sorted(total.items(), key=lambda pair: (-pair[1], pair[0]))
