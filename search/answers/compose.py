"""The answer card: a short answer composed from the top passages' sentences, each cited.

How the card is made (see question.py for the three kinds of question):

1. *Candidates* are the sentences of the top `CANDIDATE_PASSAGES` passages. Captions, footnotes,
   references, licence lines, headings and fragments are never answers (roles.py).
2. *Ranking* is the sentence's cosine to the query, plus BM25 of the query's content words over
   the candidate sentences (normalised to the best), minus a little for each rank its passage is
   below the first, a penalty for teasers (short, generic, none of the query's words), and a
   bonus for the kind of statement the question expects (a reason for "why": answer_type.py).
3. *Composition* by the kind of question:
   - concept: the concept's definition from the concept scheme, then an extract around the best
     sentence that names the concept;
   - list (lists.py): the best sentence that announces a list brings the list along (its
     bullet items, or the sentences after it, as many as it announces); a sentence followed by
     a short lead-in ("More specifically, it:") announces one too, and a list cut off by its
     passage's end goes on into the document's next passage;
   - extract: from the first passage, and from each of up to two more (best ranked first) whose
     best sentence scores close to the best of all (less close while the card is short), an
     extract around that sentence: the sentence before it when it leans on it, then its
     neighbours in the paragraph, the better-scoring side first; up to about 80 words a source,
     and the passage's second point when another of its sentences scores nearly as well. A
     heading that scores above every sentence of its passage moves the extract to the text
     under it. A passage whose best sentence says again what the card already says (another
     document's restatement of the same point) is passed over (repeats.py), and a passage
     whose extract names something the question names that the card does not yet ("support
     in Ukraine and Moldova") joins from a lower score; an extract that names countries, none
     of them one the question asks about, is passed over, even the first passage's.
4. *Honest limits*: the evidence is the best cosine among the top passages' candidates; below
   the "no good answer" threshold there is no card (except the definition alone, for a question
   that only asks what a recognised concept is), and below `partial_below` the card is marked
   partial.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from graph.concepts import Concept
from ingest.country_mentions import countries_in_question
from search.answers.candidates import LANGUAGE_BONUS, Candidate, score_candidates
from search.answers.card import Card, CardItem
from search.answers.continuation import continue_lists
from search.answers.extracts import (
    extract_around,
    has_content_after,
)
from search.answers.lists import list_card
from search.answers.naming import elsewhere, names_more
from search.answers.question import CONCEPT, LIST, QuestionShape
from search.answers.repeats import Repeats
from search.answers.roles import (
    content_terms,
    is_lead_in,
    is_list_item,
    names_in,
    words,
)
from search.answers.similarity import SentenceSimilarity
from search.index.store import PassageStore, StoredPassage

CANDIDATE_PASSAGES = 5
EVIDENCE_PASSAGES = 3  # the "no good answer" evidence looks at the top passages only
MAX_SOURCES = 3
RELATIVE_CUTOFF = 0.75  # another source joins the card when it scores this close to the best
# A card still under SHORT_CARD words (its first passage said little) takes the next source from
# SHORT_CARD_CUTOFF of the best score (measured: English cards 0.737 -> 0.748, Guidebook 0.674
# -> 0.696, 161 -> 166 words; 80 words or a 0.5 cutoff made cards longer for no more facts).
SHORT_CARD = 60
SHORT_CARD_CUTOFF = 0.6
# A question that names several things ("ILP support in Ukraine and Moldova") is answered for
# each: a source whose extract names one the card does not yet name joins from NAME_CUTOFF of
# the best score (measured: English cards 0.768 -> 0.778, Russian 0.691 -> 0.709, the
# Guidebook unchanged; at 0.6 no card changed, at 0.4 a weaker source took the place).
NAME_CUTOFF = 0.5
ITEM_STATEMENT = 12  # words: a list item this long can be quoted on its own


def compose_card(
    query: str,
    similarity: SentenceSimilarity,
    shape: QuestionShape,
    rows: list[int],
    store: PassageStore,
    concept: Concept | None,
    no_answer_below: float,
    partial_below: float,
    language: str | None = None,
    names: list[frozenset[str]] | None = None,
    countries: set[str] | None = None,
) -> Card:
    """The answer card for a query over the ranked passage `rows` (best first); `language`,
    the question's, is preferred where the top passages offer it. `names` are the names the
    question asks about (roles.names_in), when `query` is not the question as asked (a Russian
    question with its English rendering and concept labels); `countries`, likewise, the codes
    of the countries it asks about (countries_in_question)."""
    top = rows[:CANDIDATE_PASSAGES]
    stored = store.passages(top)
    candidates = score_candidates(query, similarity, top, store, language, shape.expects)
    eligible = [c for c in candidates if c.excluded is None]  # (fragments under 4 words too)
    evidence_pool = [c.cosine for c in eligible if c.rank < EVIDENCE_PASSAGES]
    evidence = max(evidence_pool, default=0.0)
    if evidence < no_answer_below or not eligible:
        if shape.kind == CONCEPT and concept is not None and concept.definition:
            # The question names a concept and asks what it is: the concept scheme answers it
            # even when no passage is close (a question in another language, say); the card
            # says its evidence is partial.
            return Card(
                [CardItem(concept.definition, "definition", concept=concept)], evidence, True
            )
        return Card([], evidence, False)
    by_passage: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_passage.setdefault(candidate.sentence.row_id, []).append(candidate)
    continue_lists(by_passage, stored, store)
    ranked = sorted(eligible, key=lambda c: (-c.score, c.rank, c.index))
    on_card = [c for sentences in by_passage.values() for c in sentences]
    continued = {c.sentence.row_id for c in on_card} - set(stored)  # lists from the next passage
    passages = {**stored, **store.passages(continued)} if continued else stored
    languages = {row: passage.document.language for row, passage in passages.items()}
    repeats = Repeats(similarity, on_card, languages)
    named = names_in(query) if names is None else names
    asked = frozenset(countries_in_question(query) if countries is None else countries)
    sources = _Sources(by_passage, stored, repeats, named, asked)
    items: list[CardItem] = []
    if shape.kind == CONCEPT and concept is not None:
        items = _concept_card(concept, ranked, sources)
    elif shape.kind == LIST:
        items = list_card(ranked, by_passage, stored, shape.count, content_terms(query))
    if not items:
        items = _extract_card(ranked, sources)
    if not items and sources.countries:  # no source is about them: the card as before the rule
        items = _extract_card(ranked, replace(sources, countries=frozenset()))
    items = _once(items)
    # Partial: even the card's best sentence is only loosely related to the query.
    shown = {(item.stored.row_id, item.index) for item in items if item.stored is not None}
    strongest = max(
        (c.cosine for c in candidates if (c.sentence.row_id, c.index) in shown), default=0.0
    )
    return Card(items, evidence, bool(items) and strongest < partial_below)


def _once(items: list[CardItem]) -> list[CardItem]:
    """Each sentence once (a list continued from the passage before may be quoted again)."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for item in items:
        if item.stored is not None:
            key = (item.stored.row_id, item.index)
            if key in seen:
                continue
            seen.add(key)
        kept.append(item)
    return kept


@dataclass(frozen=True)
class _Sources:
    """What choosing a card's sources needs besides the ranked sentences: the sentences of
    each passage, the passages, the repeats test, the names and the countries (codes) the
    question asks about."""

    by_passage: dict[int, list[Candidate]]
    stored: dict[int, StoredPassage]
    repeats: Repeats
    names: list[frozenset[str]]
    countries: frozenset[str]


def _extract_card(
    ranked: list[Candidate],
    sources: _Sources,
    most: int = MAX_SOURCES,
    card_so_far: list[CardItem] | None = None,
) -> list[CardItem]:
    """From each of the best-ranked passages in turn (up to `most`), an extract around its
    best sentence: always from the first passage, and from the others when their best
    sentence scores close to the best of all, or less close while the card (with the items
    `card_so_far` it already has) is under `SHORT_CARD` words or when the extract names
    something the question names and the card does not yet (`NAME_CUTOFF`). A passage whose
    best sentence says again what the card says is passed over, and one that restates a
    better-ranked passage's best sentence does not set the bar (repeats.py).

    The first passage is quoted whatever its best sentence scores (unless it repeats the
    concept card's opening): the search ranked it first on the whole passage (its words, its
    meaning, its concepts), which one sentence's cosine underrates (measured: 0.636 -> 0.646
    of the English cards hold their facts, none lost).
    A list item anchors an extract only when it is a statement of its own (`ITEM_STATEMENT`
    words or more: an event in a chronology, a finding in a bulleted list); a short item out of
    its list says too little.
    """
    before = card_so_far or []
    anchors = sorted(_anchors(ranked, sources).values(), key=lambda pair: pair[0].rank)
    if sources.countries:  # passed over before the bar is set, so they do not set it
        places = (sources.by_passage, sources.stored, sources.countries)
        anchors = [(c, score) for c, score in anchors if not elsewhere(c, score, *places)]
    if not anchors:
        return []
    best, best_score = _bar(anchors, sources.repeats, before)
    items: list[CardItem] = []
    for candidate, score in anchors:
        card = before + items
        short = sum(len(words(item.text)) for item in card) < SHORT_CARD
        cutoff = SHORT_CARD_CUTOFF if short else RELATIVE_CUTOFF
        extract = None  # built only for a source that is taken or may name something new
        if candidate.rank > 0 and score < cutoff * best_score:
            names_bar = NAME_CUTOFF * (best_score - _language_edge(best, candidate))
            if not (card and sources.names and score >= names_bar):
                continue
            extract = extract_around(candidate, sources.by_passage, sources.stored, score)
            if not names_more(extract, card, sources.names):
                continue
        if sources.repeats.of_items(candidate, card):
            continue
        if extract is None:
            extract = extract_around(candidate, sources.by_passage, sources.stored, score)
        items.extend(extract)
        if len({item.stored.row_id for item in items if item.stored}) >= most:
            break
    return items


def _anchors(ranked: list[Candidate], sources: _Sources) -> dict[int, tuple[Candidate, float]]:
    """Passage row -> the sentence its extract is built around, and that sentence's score (or
    the score of the heading above it, when a heading is closer to the query than any sentence
    under it: "Article 34 Police intelligence model" for "What does Article 34 say?")."""
    anchors: dict[int, tuple[Candidate, float]] = {}
    for candidate in ranked:  # best first, so the first seen per passage is its best
        text = candidate.sentence.text
        statement = not is_list_item(text) or len(words(text)) >= ITEM_STATEMENT
        if statement and has_content_after(candidate, sources.by_passage):
            anchors.setdefault(candidate.sentence.row_id, (candidate, candidate.score))
    for row, (best, score) in list(anchors.items()):
        anchors[row] = _under_heading(sources.by_passage[row], best) or (best, score)
    return anchors


def _bar(
    anchors: list[tuple[Candidate, float]], repeats: Repeats, card_so_far: list[CardItem]
) -> tuple[Candidate, float]:
    """The best anchor and its score, the bar the further sources are measured against,
    leaving out an anchor that restates the card so far or a better-ranked anchor kept for the
    bar: "best of all" means best of what would be new."""
    kept: list[tuple[Candidate, float]] = []
    for candidate, score in anchors:  # best ranked first
        if repeats.of_candidates(candidate, [c for c, _ in kept]) or repeats.of_items(
            candidate, card_so_far
        ):
            continue
        kept.append((candidate, score))
    return max(kept or anchors, key=lambda pair: pair[1])


def _language_edge(best: Candidate, other: Candidate) -> float:
    """How much of the best anchor's lead over `other` is only the preference for the
    question's language (candidates.LANGUAGE_BONUS): the names rule looks past it, so that
    "ПДОДИ в Украине и Молдове" answered from a Russian passage on Moldova still takes the
    English one on Ukraine (Russian cards 0.746 -> 0.764; no other card changed)."""
    return LANGUAGE_BONUS if best.own_language and not other.own_language else 0.0


def _under_heading(siblings: list[Candidate], best: Candidate) -> tuple[Candidate, float] | None:
    """The first sentence under the passage's best-scoring heading, with the heading's score,
    when that heading scores above the passage's best sentence `best`. Only the passage's own
    sentences count, not a list continued from the next passage (continuation.py)."""
    own = [c for c in siblings if c.sentence.row_id == best.sentence.row_id]
    headings = [c for c in own if c.excluded == "heading" and c.score > best.score]
    if not headings:
        return None
    heading = max(headings, key=lambda c: c.score)
    below = next((c for c in own[heading.index + 1 :] if c.excluded is None), None)
    if (
        below is None
        or is_lead_in(below.sentence.text)
        or (is_list_item(below.sentence.text) and len(words(below.sentence.text)) < ITEM_STATEMENT)
    ):
        return None
    return below, heading.score


def _concept_card(concept: Concept, ranked: list[Candidate], sources: _Sources) -> list[CardItem]:
    """The concept's definition, an extract around the best sentence naming the concept, then
    extracts from the other passages that score close to the best, as on an extract card (up to
    `MAX_SOURCES` in all): a concept is traced to the sources that discuss it, and one source
    rarely says all of what it is (measured: English cards 0.657 -> 0.687, academic 0.750 ->
    0.857; README, "Answer cards")."""
    items = (
        [CardItem(concept.definition, "definition", concept=concept)] if concept.definition else []
    )
    labels = [label.lower() for label in (concept.pref_label, *concept.alt_labels) if label]
    usable = [c for c in ranked if has_content_after(c, sources.by_passage)] or ranked
    naming = [c for c in usable if any(label in c.sentence.text.lower() for label in labels)]
    best = (naming or usable)[0]
    items += extract_around(best, sources.by_passage, sources.stored)
    quoted = {item.stored.row_id for item in items if item.stored is not None}
    if len(quoted) >= MAX_SOURCES:
        return items
    others = [c for c in ranked if c.sentence.row_id not in quoted]
    return items + _extract_card(others, sources, MAX_SOURCES - len(quoted), items)
