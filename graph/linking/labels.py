"""Link by label: find the concepts a text names, by any label (case, plural and hyphen
variants; abbreviations such as NIM or T&CG case-sensitive; Russian labels in any inflected
form, compared by their words' stems: "модели 3-i" names "модель 3-i").

A label match is the first feature of the linking model (graph/linking/model.py) and, in a query,
how the searcher recognises the concepts the user names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.concepts import Concept, ConceptScheme
from ingest.models import Passage
from ingest.stems import has_cyrillic, stemmed_words

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


def _stemmed_labels(
    matchers: list[_ConceptMatcher],
) -> dict[str, list[tuple[tuple[str, ...], Concept, float]]]:
    """Every Cyrillic label as its word stems, under its first stem."""
    by_first: dict[str, list[tuple[tuple[str, ...], Concept, float]]] = {}
    for matcher in matchers:
        concept = matcher.concept
        for labels, score in (
            (concept.pref_labels.values(), SCORE_PREF_LABEL),
            ((*concept.alt_labels, *concept.hidden_labels), SCORE_OTHER_LABEL),
        ):
            for label in labels:
                stems = tuple(stem for stem, _, _ in stemmed_words(label))
                if stems and has_cyrillic(label):
                    by_first.setdefault(stems[0], []).append((stems, concept, score))
    return by_first


class LabelLinker:
    """Finds concept labels in passage text (case, plural and hyphen variants)."""

    def __init__(self, scheme: ConceptScheme) -> None:
        self.matchers = [
            _ConceptMatcher(
                concept,
                # Cyrillic labels are matched by their stems instead (`_stem_matches`).
                _compile([lbl for lbl in concept.pref_labels.values() if not has_cyrillic(lbl)]),
                _compile(
                    [
                        lbl
                        for lbl in (*concept.alt_labels, *concept.hidden_labels)
                        if not has_cyrillic(lbl)
                    ]
                ),
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
        self._stemmed = _stemmed_labels(self.matchers)

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
        if has_cyrillic(text):
            # A Russian label that holds an English one names the concept by more words
            # ("система оценки 3x5x2" against "3x5x2"): the longer mention is kept, so that the
            # words around the English label are not read as more of the question.
            by_id = {concept.id: (concept, score, matched) for concept, score, matched in found}
            for concept, score, matched in self._stem_matches(text):
                known = by_id.get(concept.id)
                if known is None or len(matched) > len(known[2]):
                    by_id[concept.id] = (concept, max(score, known[1]) if known else score, matched)
            found = list(by_id.values())
        return found

    def _stem_matches(self, text: str) -> list[tuple[Concept, float, str]]:
        """Concepts named by a Cyrillic label in any inflected form: the label's word stems in
        a row. A match inside a longer one is dropped ("оперативных данных" names the concept
        Intelligence, not also Data)."""
        words = stemmed_words(text)
        spans: list[tuple[int, int, Concept, float]] = []
        for start, (stem, _, _) in enumerate(words):
            for label, concept, score in self._stemmed.get(stem, ()):
                end = start + len(label)
                if tuple(word[0] for word in words[start:end]) == label:
                    spans.append((words[start][1], words[end - 1][2], concept, score))
        best: dict[str, tuple[Concept, float, str]] = {}
        for first, last, concept, score in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
            inside = any(
                a <= first and last <= b and (a, b) != (first, last) for a, b, _, _ in spans
            )
            if not inside and concept.id not in best:
                best[concept.id] = (concept, score, text[first:last])
        return list(best.values())

    def link(self, passage: Passage) -> list[ConceptLink]:
        """Every concept whose label occurs in the passage, strongest match per concept."""
        return [
            ConceptLink(passage.id, concept.id, METHOD_LABEL, score, matched)
            for concept, score, matched in self._matches(passage.text)
        ]

    def concepts_in(self, text: str) -> list[tuple[Concept, str]]:
        """Concepts named in a free text (a query), with the words that named them."""
        return [(concept, matched) for concept, _, matched in self._matches(text)]
