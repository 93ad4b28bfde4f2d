"""Link by label: find the concepts a text names, by any label (case, plural and hyphen
variants; abbreviations such as NIM or T&CG case-sensitive).

A label match is the first feature of the linking model (graph/linking/model.py) and, in a query,
how the searcher recognises the concepts the user names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.concepts import Concept, ConceptScheme
from ingest.models import Passage

METHOD_LABEL = "label-match"
SCORE_PREF_LABEL = 1.0
SCORE_OTHER_LABEL = 0.9


@dataclass(frozen=True)
class ConceptLink:
    """A passage is about a concept: how the link was found, how strong it is, what matched."""

    passage_id: str
    concept_id: str
    method: str
    score: float
    matched: str


def is_abbreviation(label: str) -> bool:
    """Short upper-case labels (NIM, T&CG, SOCTA, ПДОДИ) must match case-sensitively."""
    letters = [ch for ch in label if ch.isalpha()]
    return bool(letters) and len(label) <= 8 and all(ch.isupper() for ch in letters)


def label_pattern(label: str) -> str:
    """A regex for a label that tolerates hyphen/space variants and a plural ending."""
    words = [re.escape(word) for word in re.split(r"[\s\-]+", label.strip()) if word]
    if not words:
        return ""
    body = r"[\s\-]+".join(words)
    plural = "" if is_abbreviation(label) or not label[-1].isalpha() else r"(?:s|es)?"
    return rf"(?<![\w&]){body}{plural}(?![\w&])"


@dataclass(frozen=True)
class _LabelPattern:
    """A compiled alternation of labels, and key words one of which any match must contain."""

    pattern: re.Pattern
    # (folded?, key): abbreviations as written; other labels by their longest word, lower-cased.
    keys: frozenset[tuple[bool, str]]


def _compile(labels: list[str]) -> _LabelPattern | None:
    sensitive = [lbl for lbl in labels if is_abbreviation(lbl) and label_pattern(lbl)]
    insensitive = [lbl for lbl in labels if not is_abbreviation(lbl) and label_pattern(lbl)]
    if not sensitive and not insensitive:
        return None
    parts = [label_pattern(lbl) for lbl in sensitive] + [
        f"(?i:{label_pattern(lbl)})" for lbl in insensitive
    ]
    keys = {(False, lbl) for lbl in sensitive} | {
        (True, max(re.split(r"[\s\-]+", lbl.strip()), key=len).lower()) for lbl in insensitive
    }
    return _LabelPattern(re.compile("|".join(parts)), frozenset(keys))


@dataclass(frozen=True)
class _ConceptMatcher:
    concept: Concept
    pref: _LabelPattern | None
    other: _LabelPattern | None


class LabelLinker:
    """Finds concept labels in passage text (case, plural and hyphen variants)."""

    def __init__(self, scheme: ConceptScheme) -> None:
        self.matchers = [
            _ConceptMatcher(
                concept,
                _compile(list(concept.pref_labels.values())),
                _compile([*concept.alt_labels, *concept.hidden_labels]),
            )
            for concept in scheme.concepts.values()
        ]
        # Every key word once: a text is checked for each key a single time, and only the
        # concepts with a key present run their regular expressions. The substring test is
        # what keeps linking fast: most concepts are absent from most passages, and `in` rules
        # them out far quicker than a regular expression can.
        keys = {
            key
            for matcher in self.matchers
            for labels in (matcher.pref, matcher.other)
            if labels
            for key in labels.keys
        }
        self._exact_keys = sorted(key for folded, key in keys if not folded)
        self._folded_keys = sorted(key for folded, key in keys if folded)

    def _present_keys(self, text: str, folded: str) -> set[tuple[bool, str]]:
        return {(False, key) for key in self._exact_keys if key in text} | {
            (True, key) for key in self._folded_keys if key in folded
        }

    def _matches(self, text: str) -> list[tuple[Concept, float, str]]:
        """(concept, score, matched words) for every concept named in `text`."""
        present = self._present_keys(text, text.lower())
        found = []
        for matcher in self.matchers:
            for labels, score in (
                (matcher.pref, SCORE_PREF_LABEL),
                (matcher.other, SCORE_OTHER_LABEL),
            ):
                match = (
                    labels.pattern.search(text)
                    if labels and not present.isdisjoint(labels.keys)
                    else None
                )
                if match:
                    found.append((matcher.concept, score, match.group(0)))
                    break
        return found

    def link(self, passage: Passage) -> list[ConceptLink]:
        """Every concept whose label occurs in the passage, strongest match per concept."""
        return [
            ConceptLink(passage.id, concept.id, METHOD_LABEL, score, matched)
            for concept, score, matched in self._matches(passage.text)
        ]

    def concepts_in(self, text: str) -> list[tuple[Concept, str]]:
        """Concepts named in a free text (a query), with the words that named them."""
        return [(concept, matched) for concept, _, matched in self._matches(text)]
