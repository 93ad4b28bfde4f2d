"""The answer card: a short answer composed from the top passages' sentences, each cited.

How the card is made (see question.py for the three kinds of question):

1. *Candidates* are the sentences of the top `CANDIDATE_PASSAGES` passages. Captions, footnotes,
   references, licence lines, headings and fragments are never answers (roles.py).
2. *Ranking* is the sentence's cosine to the query, plus BM25 of the query's content words over
   the candidate sentences (normalised to the best), minus a little for each rank its passage is
   below the first, and a penalty for teasers (short, generic, none of the query's words).
3. *Composition* by the kind of question:
   - concept: the concept's definition from the concept scheme, then the best sentence that names
     the concept;
   - list: the best sentence that announces a list brings the list along (its bullet items, or
     the sentences after it, as many as it announces);
   - extract: from each of up to three passages (best ranked first) whose best sentence scores
     close to the best of all, an extract around that sentence: the sentence before it when it
     leans on it, then its neighbours in the paragraph, the better-scoring side first; up to
     about 80 words a source.
4. *Honest limits*: the evidence is the best cosine among the top passages' candidates; below
   the "no good answer" threshold there is no card, and below `partial_below` the card is marked
   partial.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.concepts import Concept
from ingest.models import DocumentMeta
from search.answers.candidates import Candidate, score_candidates
from search.answers.question import CONCEPT, LIST, QuestionShape
from search.answers.roles import (
    announced_count,
    announces_list,
    carries_on,
    is_lead_in,
    is_list_item,
    words,
)
from search.index.store import PassageStore, StoredPassage

CANDIDATE_PASSAGES = 5
EVIDENCE_PASSAGES = 3  # the "no good answer" evidence looks at the top passages only
MAX_SOURCES = 3
WORDS_PER_SOURCE = 80  # an extract grows to about this many words
MAX_LIST_ITEMS = 8
MAX_LIST_WORDS = 160
RELATIVE_CUTOFF = 0.75  # another source joins the card when it scores this close to the best


@dataclass(frozen=True)
class CardItem:
    """One line of the card: a sentence (or list item) of a passage, or a concept definition."""

    text: str
    kind: str  # "definition", "sentence" or "item"
    stored: StoredPassage | None = None  # None for a definition from the concept scheme
    index: int = 0  # the sentence's position in its passage
    char_start: int = 0  # offsets in the passage text
    score: float = 0.0
    concept: Concept | None = None  # for a definition

    @property
    def page(self) -> str | None:
        """The printed page of the sentence itself (not of its passage's start)."""
        return self.stored.passage.page_at(self.char_start) if self.stored else None

    @property
    def anchor(self) -> str | None:
        """The sentence's anchor in the document reader."""
        return f"{self.stored.passage.id}-s{self.index}" if self.stored else None

    @property
    def document(self) -> DocumentMeta | None:
        """The document the sentence is from."""
        return self.stored.document if self.stored else None


@dataclass(frozen=True)
class Card:
    """The composed answer and how strong its evidence is."""

    items: list[CardItem]
    evidence: float
    partial: bool


def compose_card(
    query: str,
    query_vector: np.ndarray,
    shape: QuestionShape,
    rows: list[int],
    store: PassageStore,
    sentence_vectors: np.ndarray,
    concept: Concept | None,
    no_answer_below: float,
    partial_below: float,
) -> Card:
    """The answer card for a query over the ranked passage `rows` (best first)."""
    top = rows[:CANDIDATE_PASSAGES]
    stored = store.passages(top)
    candidates = score_candidates(query, query_vector, top, store, sentence_vectors)
    eligible = [c for c in candidates if c.excluded is None and len(words(c.sentence.text)) >= 4]
    evidence_pool = [c.cosine for c in eligible if c.rank < EVIDENCE_PASSAGES]
    evidence = max(evidence_pool, default=0.0)
    if evidence < no_answer_below or not eligible:
        return Card([], evidence, False)
    by_passage: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_passage.setdefault(candidate.sentence.row_id, []).append(candidate)
    ranked = sorted(eligible, key=lambda c: (-c.score, c.rank, c.index))
    items: list[CardItem] = []
    if shape.kind == CONCEPT and concept is not None:
        items = _concept_card(concept, ranked, by_passage, stored)
    elif shape.kind == LIST:
        items = _list_card(ranked, by_passage, stored, shape.count)
    if not items:
        items = _extract_card(ranked, by_passage, stored)
    lead = next((item for item in items if item.stored is not None), None)
    lead_cosine = evidence
    if lead is not None and lead.stored is not None:
        row = lead.stored.row_id
        lead_cosine = next(
            (c.cosine for c in candidates if c.sentence.row_id == row and c.index == lead.index),
            evidence,
        )
    return Card(items, evidence, lead_cosine < partial_below)


def _item(candidate: Candidate, stored: dict[int, StoredPassage], kind: str) -> CardItem:
    sentence = candidate.sentence
    return CardItem(
        sentence.text,
        kind,
        stored[sentence.row_id],
        candidate.index,
        sentence.char_start,
        candidate.score,
    )


def _following(candidate: Candidate, by_passage: dict[int, list[Candidate]]) -> list[Candidate]:
    """The sentences after `candidate` in its passage, in order."""
    return by_passage[candidate.sentence.row_id][candidate.index + 1 :]


def _with_continuation(
    candidate: Candidate, by_passage: dict[int, list[Candidate]], stored: dict[int, StoredPassage]
) -> list[CardItem]:
    """A short extract around a sentence, up to about `WORDS_PER_SOURCE` words:

    - the sentence before it, when this one leans on it ("This means ...", "They ...");
    - the list it leads into, when it ends with a colon;
    - the sentences around it in the same paragraph, one at a time from whichever side scores
      better: a paragraph makes one point, and the sentences next to the best one usually
      complete it ("... defines four products. They are ...").
    """
    siblings = by_passage[candidate.sentence.row_id]
    text = stored[candidate.sentence.row_id].passage.text
    chosen = [candidate]
    if candidate.index and carries_on(candidate.sentence.text):
        previous = siblings[candidate.index - 1]
        if previous.excluded is None and _same_paragraph(text, previous, candidate):
            chosen.insert(0, previous)
    budget = WORDS_PER_SOURCE - sum(len(words(c.sentence.text)) for c in chosen)
    following = _following(candidate, by_passage)
    if is_lead_in(candidate.sentence.text):
        items = [_item(c, stored, "sentence") for c in chosen]
        items += [_item(item, stored, "item") for item in list_items(following)]
        if len(items) == len(chosen) and following and following[0].excluded is None:
            items.append(_item(following[0], stored, "sentence"))
        return items
    # Grow the extract one neighbour at a time, on whichever side answers the query better,
    # while the neighbour is in the same paragraph, fits and scores above zero: a weak opener
    # ("This matters for how reformers frame the task.") does not push out the sentence after
    # it that carries the answer. (Requiring neighbours to score near the best sentence made
    # cards shorter and state less: measured at 0.5-0.7 of its score.)
    while True:
        first, last = chosen[0], chosen[-1]
        neighbours = []
        if first.index > 0:
            before = siblings[first.index - 1]
            if _same_paragraph(text, before, first):
                neighbours.append((before, 0))
        if last.index + 1 < len(siblings):
            after = siblings[last.index + 1]
            if _same_paragraph(text, last, after):
                neighbours.append((after, len(chosen)))
        fitting = [
            (neighbour, position)
            for neighbour, position in neighbours
            if neighbour.excluded is None
            and len(words(neighbour.sentence.text)) <= budget
            and neighbour.score > 0  # below 0: a teaser or off the point (candidates.py)
        ]
        if not fitting:
            break
        neighbour, position = max(fitting, key=lambda pair: pair[0].score)
        chosen.insert(position, neighbour)
        budget -= len(words(neighbour.sentence.text))
    return [_item(c, stored, "sentence") for c in chosen]


def list_items(following: list[Candidate]) -> list[Candidate]:
    """The list items at the start of `following`: bullets or numbered lines, or short lines
    without a full stop (items of a list a PDF printed without bullet glyphs)."""
    items = []
    for candidate in following[:MAX_LIST_ITEMS]:
        bullet = is_list_item(candidate.sentence.text)
        bare_line = candidate.excluded in ("heading", "fragment")
        if not (bullet or bare_line):
            break
        items.append(candidate)
    return items


def has_content_after(candidate: Candidate, by_passage: dict[int, list[Candidate]]) -> bool:
    """False for a lead-in ("... include the following:") whose list is not in its passage."""
    if not is_lead_in(candidate.sentence.text):
        return True
    return any(c.excluded is None or is_list_item(c.sentence.text) or c.excluded in
               ("heading", "fragment") for c in _following(candidate, by_passage))  # fmt: skip


def _same_paragraph(text: str, first: Candidate, second: Candidate) -> bool:
    """True when no paragraph break separates two sentences of one passage."""
    return "\n\n" not in text[first.sentence.char_end : second.sentence.char_start]


def _extract_card(
    ranked: list[Candidate],
    by_passage: dict[int, list[Candidate]],
    stored: dict[int, StoredPassage],
) -> list[CardItem]:
    """From each of the best-ranked passages in turn (up to `MAX_SOURCES`), an extract around
    its best sentence, when that sentence scores close to the best of all."""
    items: list[CardItem] = []
    best_of: dict[int, Candidate] = {}
    for candidate in ranked:  # best first, so the first seen per passage is its best
        if not is_list_item(candidate.sentence.text) and has_content_after(candidate, by_passage):
            best_of.setdefault(candidate.sentence.row_id, candidate)
    sources = sorted(best_of.values(), key=lambda c: c.rank)
    for candidate in sources:
        if candidate.score < RELATIVE_CUTOFF * ranked[0].score:
            continue
        items.extend(_with_continuation(candidate, by_passage, stored))
        if len({item.stored.row_id for item in items if item.stored}) == MAX_SOURCES:
            break
    return items


def _list_card(
    ranked: list[Candidate],
    by_passage: dict[int, list[Candidate]],
    stored: dict[int, StoredPassage],
    count: int | None,
) -> list[CardItem]:
    """The best sentence announcing a list, with its items (or the sentences that carry them)."""
    for candidate in ranked[:6]:
        if candidate.score < RELATIVE_CUTOFF * ranked[0].score:
            break
        text = candidate.sentence.text
        if not announces_list(text):
            continue
        following = _following(candidate, by_passage)
        bullets = list_items(following)
        expected = announced_count(text) or count
        if bullets:
            chosen = bullets[:MAX_LIST_ITEMS]
            kind = "item"
        elif expected and not is_lead_in(text):
            chosen = [c for c in following[:expected] if c.excluded is None]
            kind = "sentence"
        elif is_lead_in(text) and following:
            chosen = [c for c in following[:3] if c.excluded is None]
            kind = "sentence"
        else:
            continue
        items = [_item(candidate, stored, "sentence")]
        total = len(words(text))
        for item in chosen:
            total += len(words(item.sentence.text))
            if total > MAX_LIST_WORDS:
                break
            items.append(_item(item, stored, kind))
        return items
    return []


def _concept_card(
    concept: Concept,
    ranked: list[Candidate],
    by_passage: dict[int, list[Candidate]],
    stored: dict[int, StoredPassage],
) -> list[CardItem]:
    """The concept's definition, then the best sentence that names the concept."""
    items = [CardItem(concept.definition, "definition", concept=concept)]
    labels = [label.lower() for label in (concept.pref_label, *concept.alt_labels) if label]
    usable = [c for c in ranked if has_content_after(c, by_passage)] or ranked
    naming = [c for c in usable if any(label in c.sentence.text.lower() for label in labels)]
    best = (naming or usable)[0]
    return items + _with_continuation(best, by_passage, stored)
