"""Precision and recall of passage-concept linking on the judgments in corpus/eval/links.toml.

These functions take a build's passages and links as plain values (see ilp_pipeline/linking.py
for how they are read from a loaded build), so graph never depends on the search indexes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ilp_base.errors import AtlasError

# A document id -> (row id, text) of each of its passages, in order.
PassageTexts = Callable[[str], Iterable[tuple[int, str]]]


class JudgmentError(AtlasError):
    """The link judgments cannot be read, or name a passage the build does not have."""


@dataclass(frozen=True)
class LinkJudgment:
    """A person's verdict on whether a passage (found by phrase) should link to a concept."""

    document: str
    phrase: str
    concept: str
    linked: bool


def load_judgments(path: Path) -> list[LinkJudgment]:
    """Read `links.toml`."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise JudgmentError(f"Cannot read the link judgments at {path}: {error}") from error
    return [
        LinkJudgment(j["document"], j["phrase"], j["concept"], bool(j["linked"]))
        for j in data["judgment"]
    ]


def judged_rows(passage_texts: PassageTexts, judgments: list[LinkJudgment]) -> list[int]:
    """The passage row each judgment is about (the passage containing its phrase)."""
    rows = []
    for judgment in judgments:
        matches = [row for row, text in passage_texts(judgment.document) if judgment.phrase in text]
        if not matches:
            raise JudgmentError(f"No passage of {judgment.document!r} contains {judgment.phrase!r}")
        rows.append(matches[0])
    return rows


def precision_recall_rates(
    predicted: Sequence[bool] | np.ndarray, linked: Sequence[bool] | np.ndarray
) -> tuple[float, float]:
    """(precision, recall) of predicted links against the true ones; 0.0 where undefined."""
    predicted_links = np.asarray(predicted, dtype=bool)
    true_links = np.asarray(linked, dtype=bool)
    hits = int((predicted_links & true_links).sum())
    return hits / max(1, int(predicted_links.sum())), hits / max(1, int(true_links.sum()))


def precision_recall(predicted: list[bool], judgments: list[LinkJudgment]) -> dict:
    """Precision and recall of predicted links against the judgments."""
    precision, recall = precision_recall_rates(predicted, [j.linked for j in judgments])
    return {"precision": round(precision, 4), "recall": round(recall, 4), "n": len(judgments)}


def evaluate_links(
    judgments: list[LinkJudgment],
    passage_texts: PassageTexts,
    linked_concepts: Callable[[set[int]], Mapping[int, Iterable[str]]],
) -> dict:
    """`{"precision", "recall", "n"}` of a build's concept links on the judgments.

    `linked_concepts(rows)` gives the ids of the concepts each of those passage rows links to.
    """
    rows = judged_rows(passage_texts, judgments)
    linked = linked_concepts(set(rows))
    predicted = [
        judgment.concept in set(linked[row]) for row, judgment in zip(rows, judgments, strict=True)
    ]
    return precision_recall(predicted, judgments)
