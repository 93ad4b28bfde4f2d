"""Quality figures compared with a recorded baseline (corpus/eval/baseline.json).

Tests and `ilp eval --baseline` guard against regressions without freezing the value measured
on the day: each figure may fall by at most the file's `tolerance` below its recorded value (or
rise above it, for figures where lower is better). A deliberate change that moves a figure is
recorded with `ilp eval --record-baseline`, and the diff of the file shows it in review.

The file has one section per kind of report (`retrieval`, `links`, `fit`, `answers`, and
`retrieval_ru` / `answers_ru` for the Russian questions), each mapping a dotted path into that
report (`hybrid.ndcg@10`, `languages.ru.hybrid.ndcg@10`) to its recorded value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ilp_base.errors import AtlasError
from search.limits import METHODS

DEFAULT_TOLERANCE = 0.02
# The figures recorded for each kind of report, unless the file already names others.
DEFAULT_FIGURES = {
    "retrieval": [
        f"{method}.{metric}"
        for method in METHODS
        for metric in ("ndcg@10", "recall@5", "recall@10", "mrr")
    ]
    + ["no_good_answer.off_topic_flagged", "no_good_answer.on_topic_flagged"],
    "links": ["precision", "recall"],
    "fit": ["cross_validated.precision", "cross_validated.recall"],
    "answers": [
        "answers.facts",
        "answers.by_group.policy",
        "answers.by_group.academic",
        "answers.by_group.trainer",
        "answers.no_good_answer",
    ],
    # Questions in Russian (corpus/eval/questions-ru.toml), under the report's "languages".
    "retrieval_ru": [
        f"languages.ru.{method}.{metric}"
        for method in METHODS
        for metric in ("ndcg@10", "recall@5", "recall@10", "mrr")
    ]
    + ["languages.ru.no_good_answer.off_topic_flagged"],
    "answers_ru": ["languages.ru.answers.facts", "languages.ru.answers.no_good_answer"],
    "guidebook_answers": ["answers.facts"],
    "guidebook_pages": ["pages.recall@5", "pages.hit@5"],
}
LOWER_IS_BETTER = frozenset(
    {
        "no_good_answer.on_topic_flagged",
        "answers.no_good_answer",
        "languages.ru.answers.no_good_answer",
    }
)


class BaselineError(AtlasError):
    """The baseline file cannot be read or does not fit the report."""


class QualityRegression(AtlasError):
    """A quality figure fell below its recorded baseline by more than the tolerance."""

    exit_code = 4


@dataclass(frozen=True)
class Comparison:
    """One figure against its baseline."""

    figure: str
    baseline: float
    measured: float
    tolerance: float

    @property
    def change(self) -> float:
        """Measured minus baseline, signed so that a negative change is always worse."""
        sign = -1.0 if self.figure in LOWER_IS_BETTER else 1.0
        return sign * (self.measured - self.baseline)

    @property
    def regressed(self) -> bool:
        """True when the figure got worse by more than the tolerance."""
        return self.change < -self.tolerance - 1e-12

    def __str__(self) -> str:
        verdict = "REGRESSED" if self.regressed else "ok"
        return (
            f"{self.figure}: {self.measured:.3f} (baseline {self.baseline:.3f}, "
            f"{self.change:+.3f}) {verdict}"
        )


def figure(report: dict, path: str) -> float:
    """The value at a dotted path of a report (`hybrid.ndcg@10`)."""
    value: object = report
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise BaselineError(f"The report has no figure {path!r}")
        value = value[key]
    if not isinstance(value, int | float):
        raise BaselineError(f"The report's {path!r} is not a number")
    return float(value)


def load_baseline(path: Path) -> dict:
    """Read a baseline file."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BaselineError(f"Cannot read the baseline at {path}: {error}") from error


def compare(report: dict, baseline: dict, section: str) -> list[Comparison]:
    """Every figure of one section of the baseline against the report."""
    recorded = baseline.get(section)
    if not isinstance(recorded, dict) or not recorded:
        raise BaselineError(
            f"The baseline has no {section!r} figures; record them with "
            "`ilp eval --record-baseline`"
        )
    tolerance = float(baseline.get("tolerance", DEFAULT_TOLERANCE))
    return [
        Comparison(path, float(value), figure(report, path), tolerance)
        for path, value in recorded.items()
    ]


def check(report: dict, baseline: dict, section: str) -> list[Comparison]:
    """`compare`, raising `QualityRegression` naming every figure that regressed."""
    comparisons = compare(report, baseline, section)
    worse = [c for c in comparisons if c.regressed]
    if worse:
        raise QualityRegression("Below the recorded baseline: " + "; ".join(map(str, worse)))
    return comparisons


def record(path: Path, report: dict, section: str) -> dict:
    """Write the report's figures into one section of the baseline file (others kept)."""
    baseline = load_baseline(path) if Path(path).is_file() else {}
    baseline.setdefault("tolerance", DEFAULT_TOLERANCE)
    figures = list(baseline.get(section) or DEFAULT_FIGURES[section])
    baseline[section] = {name: round(figure(report, name), 4) for name in figures}
    Path(path).write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
    return baseline
