"""Precision and recall of passage-concept linking on the judgments in corpus/eval/links.toml."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.evaluation import EvaluationError
from search.loaded import LoadedBuild


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
        raise EvaluationError(f"Cannot read the link judgments at {path}: {error}") from error
    return [LinkJudgment(j["document"], j["phrase"], j["concept"], bool(j["linked"]))
            for j in data["judgment"]]


def judged_rows(build: LoadedBuild, judgments: list[LinkJudgment]) -> list[int]:
    """The passage row each judgment is about (the passage containing its phrase)."""
    rows = []
    for judgment in judgments:
        matches = [stored.row_id for stored in
                   build.store.passages_of_document(judgment.document)
                   if judgment.phrase in stored.passage.text]
        if not matches:
            raise EvaluationError(f"No passage of {judgment.document!r} contains "
                                  f"{judgment.phrase!r}")
        rows.append(matches[0])
    return rows


def precision_recall_rates(predicted: Sequence[bool],
                           linked: Sequence[bool]) -> tuple[float, float]:
    """(precision, recall) of predicted links against the true ones; 0.0 where undefined."""
    predicted, linked = np.asarray(predicted, dtype=bool), np.asarray(linked, dtype=bool)
    hits = int((predicted & linked).sum())
    return hits / max(1, int(predicted.sum())), hits / max(1, int(linked.sum()))


def precision_recall(predicted: list[bool], judgments: list[LinkJudgment]) -> dict:
    """Precision and recall of predicted links against the judgments."""
    precision, recall = precision_recall_rates(predicted, [j.linked for j in judgments])
    return {"precision": round(precision, 4), "recall": round(recall, 4), "n": len(judgments)}


def evaluate_links(build: LoadedBuild, judgments: list[LinkJudgment]) -> dict:
    """`{"precision", "recall", "n"}` of the build's concept links on the judgments."""
    rows = judged_rows(build, judgments)
    linked = build.store.concepts_of(set(rows))
    predicted = [judgment.concept in {cid for cid, _ in linked[row]}
                 for row, judgment in zip(rows, judgments, strict=True)]
    return precision_recall(predicted, judgments)
