"""Link passages to concepts by their labels, recording how each link was made and its score."""

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
class _ConceptMatcher:
    concept: Concept
    pref: re.Pattern | None
    other: re.Pattern | None


def _compile(labels: list[str]) -> re.Pattern | None:
    sensitive = [label_pattern(lbl) for lbl in labels if is_abbreviation(lbl)]
    insensitive = [label_pattern(lbl) for lbl in labels if not is_abbreviation(lbl)]
    parts = [p for p in sensitive if p] + [f"(?i:{p})" for p in insensitive if p]
    return re.compile("|".join(parts)) if parts else None


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

    def link(self, passage: Passage) -> list[ConceptLink]:
        """Every concept whose label occurs in the passage, strongest match per concept."""
        links = []
        for matcher in self.matchers:
            for pattern, score in ((matcher.pref, SCORE_PREF_LABEL),
                                   (matcher.other, SCORE_OTHER_LABEL)):
                match = pattern.search(passage.text) if pattern else None
                if match:
                    links.append(ConceptLink(passage.id, matcher.concept.id, METHOD_LABEL,
                                             score, match.group(0)))
                    break
        return links

    def concepts_in(self, text: str) -> list[tuple[Concept, str]]:
        """Concepts named in a free text (a query), with the words that named them."""
        found = []
        for matcher in self.matchers:
            for pattern in (matcher.pref, matcher.other):
                match = pattern.search(text) if pattern else None
                if match:
                    found.append((matcher.concept, match.group(0)))
                    break
        return found


def link_passages(passages: list[Passage], scheme: ConceptScheme) -> list[ConceptLink]:
    """Link every passage to the concepts it names."""
    linker = LabelLinker(scheme)
    return [link for passage in passages for link in linker.link(passage)]
