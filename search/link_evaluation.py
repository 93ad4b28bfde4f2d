"""Precision and recall of passage-concept linking on the judgments in corpus/eval/links.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

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


def precision_recall(predicted: list[bool], judgments: list[LinkJudgment]) -> dict:
    """Precision and recall of predicted links against the judgments."""
    true_positive = sum(p and j.linked for p, j in zip(predicted, judgments, strict=True))
    predicted_positive = sum(predicted)
    actual_positive = sum(j.linked for j in judgments)
    return {
        "precision": round(true_positive / predicted_positive, 4) if predicted_positive else 0.0,
        "recall": round(true_positive / actual_positive, 4) if actual_positive else 0.0,
        "n": len(judgments),
    }


def evaluate_links(build: LoadedBuild, judgments: list[LinkJudgment]) -> dict:
    """`{"precision", "recall", "n"}` of the build's concept links on the judgments."""
    rows = judged_rows(build, judgments)
    linked = build.store.concepts_of(set(rows))
    predicted = [judgment.concept in {cid for cid, _ in linked[row]}
                 for row, judgment in zip(rows, judgments, strict=True)]
    return precision_recall(predicted, judgments)
