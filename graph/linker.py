"""Link passages to concepts, recording how each link was made and its score.

Two kinds of evidence, combined by rules whose thresholds were chosen with `ilp eval --links` on
corpus/eval/links.toml (see the README, "Concept graph"):

- label: a label of the concept occurs in the passage (case, plural and hyphen variants;
  abbreviations case-sensitive). A passing mention is not a discussion, so a label match only
  links when some sentence of the passage is also semantically close to the concept.
- semantic: without a label match, the passage's two sentences closest to the concept
  (its label and definition, embedded) must both be close on average.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from graph.concepts import Concept, ConceptScheme
from ingest.models import Passage

METHOD_LABEL = "label-match"
METHOD_LABEL_SEMANTIC = "label-match+semantic"
METHOD_SEMANTIC = "semantic"
SCORE_PREF_LABEL = 1.0
SCORE_OTHER_LABEL = 0.9


@dataclass(frozen=True)
class LinkSettings:
    """Thresholds on cosine similarity between sentences and a concept's label + definition."""

    label_sentence_min: float = 0.50  # a label match links if its best sentence reaches this
    semantic_min: float = 0.50  # with no label match, the mean of the top two sentences
    semantic: bool = True  # False: every label match links, and nothing else does

    @classmethod
    def label_only(cls) -> LinkSettings:
        """Labels alone decide (for encoders whose vectors carry no meaning, as in tests)."""
        return cls(semantic=False)


@dataclass(frozen=True)
class SemanticEvidence:
    """Sentence and concept embeddings (L2-normalised) for semantic linking."""

    sentence_vectors: np.ndarray  # one row per sentence
    sentence_passage: np.ndarray  # for each sentence, the index of its passage (ascending)
    concept_vectors: np.ndarray  # one row per concept, in `concept_ids` order
    concept_ids: list[str]


def concept_text(concept: Concept) -> str:
    """What is embedded for a concept: its English label and definition."""
    return f"{concept.pref_label}. {concept.definition}"


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
    parts = [label_pattern(lbl) for lbl in sensitive] + [f"(?i:{label_pattern(lbl)})"
                                                         for lbl in insensitive]
    keys = {(False, lbl) for lbl in sensitive} | {
        (True, max(re.split(r"[\s\-]+", lbl.strip()), key=len).lower()) for lbl in insensitive}
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
        keys = {key for matcher in self.matchers for labels in (matcher.pref, matcher.other)
                if labels for key in labels.keys}
        self._exact_keys = sorted(key for folded, key in keys if not folded)
        self._folded_keys = sorted(key for folded, key in keys if folded)

    def _present_keys(self, text: str, folded: str) -> set[tuple[bool, str]]:
        return ({(False, key) for key in self._exact_keys if key in text}
                | {(True, key) for key in self._folded_keys if key in folded})

    def _matches(self, text: str) -> list[tuple[Concept, float, str]]:
        """(concept, score, matched words) for every concept named in `text`."""
        present = self._present_keys(text, text.lower())
        found = []
        for matcher in self.matchers:
            for labels, score in ((matcher.pref, SCORE_PREF_LABEL),
                                  (matcher.other, SCORE_OTHER_LABEL)):
                match = (labels.pattern.search(text)
                         if labels and not present.isdisjoint(labels.keys) else None)
                if match:
                    found.append((matcher.concept, score, match.group(0)))
                    break
        return found

    def link(self, passage: Passage) -> list[ConceptLink]:
        """Every concept whose label occurs in the passage, strongest match per concept."""
        return [ConceptLink(passage.id, concept.id, METHOD_LABEL, score, matched)
                for concept, score, matched in self._matches(passage.text)]

    def concepts_in(self, text: str) -> list[tuple[Concept, str]]:
        """Concepts named in a free text (a query), with the words that named them."""
        return [(concept, matched) for concept, _, matched in self._matches(text)]


def link_passages(passages: list[Passage], scheme: ConceptScheme,
                  evidence: SemanticEvidence | None = None,
                  settings: LinkSettings | None = None,
                  label_links: list[list[ConceptLink]] | None = None) -> list[ConceptLink]:
    """Link every passage to the concepts it discusses (label-only without `evidence`).

    `label_links` are each passage's label matches when already known (from the ingest cache);
    otherwise they are found here.
    """
    if label_links is None:
        linker = LabelLinker(scheme)
        label_links = [linker.link(passage) for passage in passages]
    settings = settings or LinkSettings()
    if evidence is None or not settings.semantic:
        return [link for links in label_links for link in links]
    column = {concept_id: n for n, concept_id in enumerate(evidence.concept_ids)}
    # Sentences come in passage order, so each passage's sentences are one slice.
    bounds = np.searchsorted(evidence.sentence_passage, np.arange(len(passages) + 1))
    result: list[ConceptLink] = []
    for index, passage in enumerate(passages):
        sims = evidence.sentence_vectors[bounds[index]:bounds[index + 1]] @ \
            evidence.concept_vectors.T  # this passage's sentences x concepts
        if len(sims) == 0:
            continue
        best = sims.max(axis=0)
        top_two = np.sort(sims, axis=0)[-2:].mean(axis=0)
        labelled = {link.concept_id: link for link in label_links[index]}
        for concept_id, link in labelled.items():
            score = float(best[column[concept_id]])
            if score >= settings.label_sentence_min:
                result.append(ConceptLink(passage.id, concept_id, METHOD_LABEL_SEMANTIC,
                                          _unit(score), link.matched))
        for concept_id, n in column.items():
            if concept_id not in labelled and top_two[n] >= settings.semantic_min:
                result.append(ConceptLink(passage.id, concept_id, METHOD_SEMANTIC,
                                          _unit(float(top_two[n])), ""))
    return result


def _unit(cosine: float) -> float:
    return round(min(1.0, max(0.0, cosine)), 4)
