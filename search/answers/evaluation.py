"""Does the answer card state what was asked? The facts each gold answer must hold.

`corpus/eval/answer-facts.toml` gives, for each answerable gold question, a few facts (each a
list of alternative strings) and how many must appear in the card. A card holds the facts when
at least `need` of them have an alternative in its text, compared case-insensitively with
hyphens and dashes read as spaces and runs of spaces collapsed. `ilp eval --answers` reports the
share of questions whose card holds them, overall and per user group, the mean card length in
words, and the "no good answer" rates.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ilp_base.errors import AtlasError
from ingest.stems import fold
from search.results import SearchResult

_DASHES = re.compile(r"[-\u2010-\u2015\u2212]")
_SPACE = re.compile(r"\s+")


class AnswerFactsError(AtlasError):
    """The answer facts file cannot be read or is malformed."""


@dataclass(frozen=True)
class AnswerFacts:
    """What one question's answer must state: facts as alternatives, and how many are needed."""

    question: str
    need: int
    facts: tuple[tuple[str, ...], ...]

    def held_by(self, card_text: str) -> bool:
        """True when the card's text states at least `need` of the facts."""
        text = normalise(card_text)
        stated = sum(1 for fact in self.facts if any(normalise(a) in text for a in fact))
        return stated >= self.need


@dataclass(frozen=True)
class AskedQuestion:
    """A gold question as the answer evaluation needs it: id, user group, words."""

    id: str
    group: str
    question: str


def normalise(text: str) -> str:
    """Lower case, hyphens and dashes as spaces, runs of spaces collapsed, typographic quotes
    as plain ones, "ё" as "е"."""
    text = fold(text.lower()).replace("\u2019", "'").replace("\u2018", "'")
    return _SPACE.sub(" ", _DASHES.sub(" ", text)).strip()


def load_answer_facts(path: Path) -> dict[str, AnswerFacts]:
    """Read `answer-facts.toml`: question id -> its facts."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        facts = {
            entry["question"]: AnswerFacts(
                entry["question"],
                int(entry["need"]),
                tuple(tuple(str(a) for a in fact) for fact in entry["facts"]),
            )
            for entry in data["answer"]
        }
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise AnswerFactsError(f"Cannot read the answer facts at {path}: {error}") from error
    for entry in facts.values():
        if not 1 <= entry.need <= len(entry.facts):
            raise AnswerFactsError(f"{path}: {entry.question} needs {entry.need} of "
                                   f"{len(entry.facts)} facts")  # fmt: skip
    return facts


def card_text(result: SearchResult) -> str:
    """Everything the answer card says, as one text."""
    return " ".join(sentence.text for sentence in result.answer)


def evaluate_answers(
    search: Callable[[str], SearchResult],
    questions: list[AskedQuestion],
    facts: dict[str, AnswerFacts],
) -> dict:
    """`{"facts", "n", "by_group", "mean_words", "no_good_answer", "partial", "failed",
    "without_facts"}` over the questions that have facts; `no_good_answer` is how often the
    card was withheld, and `partial` how the "partial evidence" flag reads: `{"flagged"}`, the
    share of the cards given that were flagged, and `{"missed_flagged", "missed_unflagged"}`,
    the share of each kind that misses its facts (a flag worth showing has the first well
    above the second)."""
    judged = [q for q in questions if q.id in facts]
    held: dict[str, bool] = {}
    lengths = []
    flagged = []
    partial: dict[str, bool] = {}  # the cards given: flagged partial or not
    for question in judged:
        result = search(question.question)
        text = card_text(result)
        held[question.id] = facts[question.id].held_by(text)
        lengths.append(len(text.split()))
        flagged.append(result.no_good_answer)
        if not result.no_good_answer:
            partial[question.id] = result.partial
    groups = sorted({q.group for q in judged})
    return {
        "facts": _share([held[q.id] for q in judged]),
        "n": len(judged),
        "by_group": {
            group: _share([held[q.id] for q in judged if q.group == group]) for group in groups
        },
        "mean_words": round(sum(lengths) / len(lengths), 1) if lengths else 0.0,
        "no_good_answer": _share(flagged),
        "partial": {
            "flagged": _share(list(partial.values())),
            "missed_flagged": _share([not held[id_] for id_, shown in partial.items() if shown]),
            "missed_unflagged": _share(
                [not held[id_] for id_, shown in partial.items() if not shown]
            ),
        },
        "failed": [q.id for q in judged if not held[q.id]],
        "without_facts": len([q for q in questions if q.id not in facts]),
    }


def _share(values: list[bool]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0
