"""An extract around a sentence: the sentence a pronoun leans on, the list a lead-in announces,
and the neighbours in its paragraph, up to about `WORDS_PER_SOURCE` words; then, past that
budget, the passage's second point when another of its sentences scores nearly as well."""

from __future__ import annotations

from search.answers.candidates import Candidate
from search.answers.card import CardItem
from search.answers.roles import (
    announces_list,
    carries_on,
    content_terms,
    is_lead_in,
    is_list_item,
    words,
)
from search.answers.tables import with_column_names
from search.index.store import StoredPassage

WORDS_PER_SOURCE = 80  # an extract grows to about this many words
MAX_LIST_ITEMS = 8
SECOND_POINT = 0.85  # a second sentence of the passage this close to the best joins the extract
# ... or this close when the extract used under half its words (its neighbours were teasers or
# another paragraph): it has room for the point (measured: English cards 0.778 -> 0.788, policy
# 0.689 -> 0.711, 2 words more; the same at 0.6, nothing at 0.75; Guidebook, Russian unchanged).
SECOND_POINT_SHORT = 0.7


def card_item(candidate: Candidate, stored: dict[int, StoredPassage], kind: str) -> CardItem:
    """The card's line for a sentence: a table row with its column names (tables.py), and
    then an item, so that the page draws a table's rows a line each, as a list's items."""
    sentence = candidate.sentence
    passage = stored[sentence.row_id]
    text = with_column_names(passage.passage.text, sentence.char_start, sentence.text)
    return CardItem(
        text,
        "item" if text != sentence.text else kind,
        passage,
        candidate.index,
        sentence.char_start,
        candidate.score,
    )


def following_sentences(
    candidate: Candidate, by_passage: dict[int, list[Candidate]]
) -> list[Candidate]:
    """The sentences after `candidate` in its passage, in order."""
    return by_passage[candidate.sentence.row_id][candidate.index + 1 :]


def extract_around(
    candidate: Candidate,
    by_passage: dict[int, list[Candidate]],
    stored: dict[int, StoredPassage],
    anchor_score: float | None = None,
) -> list[CardItem]:
    """A short extract around a sentence, up to about `WORDS_PER_SOURCE` words:

    - the sentences before it that it leans on ("This means ...", "They ..."), back to one
      that does not;
    - the list it leads into, when it ends with a colon;
    - the sentences around it in the same paragraph, one at a time from whichever side scores
      better: a paragraph makes one point, and the sentences next to the best one usually
      complete it ("... defines four products. They are ..."). A sentence before it that
      leans on its own predecessors comes with them, even past the budget, or not at all, so
      the extract never opens on a dangling "It" (measured: the sentences of the gold cards
      that lean on one the card leaves out, 23 of 1,172 -> 7, each opening its passage or
      paragraph; 14 of 238 cards changed, none gained or lost a fact, 1-2 words longer);
    - when that is still short, the next paragraph if it goes on with the point;
    - and, past the budget, the passage's second point: another sentence that scores nearly as
      well as this one, or as the heading above it that anchored the extract (`anchor_score`;
      `SECOND_POINT`, or `SECOND_POINT_SHORT` when the extract is under half the budget).
      Measured on the gold questions: English cards 0.697 -> 0.737, policy 0.578 -> 0.644,
      147 -> 161 words (README, "Answer cards").
    """
    siblings = by_passage[candidate.sentence.row_id]
    text = stored[candidate.sentence.row_id].passage.text
    chosen = _back_to_its_subject(candidate, siblings, text) or [candidate]
    budget = WORDS_PER_SOURCE - sum(len(words(c.sentence.text)) for c in chosen)
    following = following_sentences(candidate, by_passage)
    if is_lead_in(candidate.sentence.text):
        items = [card_item(c, stored, "sentence") for c in chosen]
        items += [card_item(item, stored, "item") for item in list_items(following)]
        if len(items) == len(chosen) and following and following[0].excluded is None:
            items.append(card_item(following[0], stored, "sentence"))
        # A lead-in never stands without what it announces (callers check has_content_after).
        return items if len(items) > len(chosen) else []
    # Grow the extract one neighbour at a time, on whichever side answers the query better,
    # while the neighbour is in the same paragraph, fits and scores above zero: a weak opener
    # ("This matters for how reformers frame the task.") does not push out the sentence after
    # it that carries the answer. (Requiring neighbours to score near the best sentence made
    # cards shorter and state less: measured at 0.5-0.7 of its score.)
    while True:
        first, last = chosen[0], chosen[-1]
        neighbours: list[tuple[Candidate, list[Candidate], int]] = []
        if first.index > 0:
            before = siblings[first.index - 1]
            if same_paragraph(text, before, first):
                # "It observes ..." comes with what "It" is, or not at all.
                unit = _back_to_its_subject(before, siblings, text)
                if unit:
                    neighbours.append((before, unit, 0))
        if last.index + 1 < len(siblings):
            after = siblings[last.index + 1]
            if same_paragraph(text, last, after):
                neighbours.append((after, [after], len(chosen)))
        fitting = [
            (neighbour, unit, position)
            for neighbour, unit, position in neighbours
            if neighbour.excluded is None
            and not neighbour.teaser
            and not any(is_lead_in(c.sentence.text) for c in unit)  # its list left behind
            and len(words(neighbour.sentence.text)) <= budget
            and neighbour.score > 0  # below 0: far off the point (candidates.py)
        ]
        if not fitting:
            break
        neighbour, unit, position = max(fitting, key=lambda triple: triple[0].score)
        chosen[position:position] = unit
        budget -= sum(len(words(c.sentence.text)) for c in unit)
    chosen += _next_paragraph(chosen[-1], siblings, text, budget)
    short = sum(len(words(c.sentence.text)) for c in chosen) < WORDS_PER_SOURCE / 2
    share = SECOND_POINT_SHORT if short else SECOND_POINT
    anchor = max(candidate.score, anchor_score or 0.0)
    second = _second_point(candidate, siblings, anchor, chosen, share)
    if second is not None:
        # "This guidebook recommends ..." comes with the sentence it leans on, or not at all.
        point = _back_to_its_subject(second, siblings, text)
        if point:
            chosen = sorted(chosen + [c for c in point if c not in chosen], key=lambda c: c.index)
    return [card_item(c, stored, "sentence") for c in chosen]


def _back_to_its_subject(
    sentence: Candidate, siblings: list[Candidate], text: str
) -> list[Candidate]:
    """The sentence with those before it that it leans on ("This means ...", "They ..."),
    back to one that does not ("The Guidebook's case ...", "It observes ...", "It also counts
    ..."); empty when the chain leans on a sentence that cannot be quoted with it (another
    paragraph, a caption)."""
    unit = [sentence]
    while unit[0].index and carries_on(unit[0].sentence.text):
        previous = siblings[unit[0].index - 1]
        if previous.excluded is not None or not same_paragraph(text, previous, unit[0]):
            return []
        unit.insert(0, previous)
    return unit


def _second_point(
    candidate: Candidate,
    siblings: list[Candidate],
    anchor_score: float,
    chosen: list[Candidate],
    share: float,
) -> Candidate | None:
    """The passage's next best sentence outside the extract `chosen` around `candidate`, when
    it scores at least `share` of `anchor_score` (the extract's best sentence, or the heading
    that anchored it, and then only below it) and is not its neighbour: a passage often makes
    its point twice ("Its value comes from collecting data ..." and, further down, "...
    should therefore collect less, but more relevant, information"), and the extract around
    one sentence leaves the other out."""
    below_heading = anchor_score > candidate.score  # stay in the section the heading opens
    own = [
        c
        for c in siblings
        if c.sentence.row_id == candidate.sentence.row_id
        and abs(c.index - candidate.index) > 1
        and c not in chosen
        and (c.index > candidate.index or not below_heading)
        and c.excluded is None
        and not c.teaser
        and not is_lead_in(c.sentence.text)
        and not is_list_item(c.sentence.text)  # an item out of its list says too little
        and c.score > 0
        and c.score >= share * anchor_score
    ]
    return max(own, key=lambda c: c.score, default=None)


def _next_paragraph(
    last: Candidate, siblings: list[Candidate], text: str, budget: int
) -> list[Candidate]:
    """The start of the next paragraph, when the extract used under half its words and that
    paragraph goes on with the point: it leans on what came before ("This means ..."),
    announces a list ("ILP responds in two ways."), or its first sentence shares a content word
    with the sentence before it ("... a chain of linked components." and "The chain begins
    with tasking."; "... the step that produces it." and "Intelligence is the result of a
    further and more demanding step."). The sentences of it that fit. (The shared word:
    English cards 0.788 -> 0.798, 8 of 238 cards longer, none lost, the Guidebook's
    unchanged; requiring it among the opener's first 3-6 words kept only the first example
    and lost the second's question.)"""
    if budget < WORDS_PER_SOURCE / 2 or last.index + 1 >= len(siblings):
        return []
    opener = siblings[last.index + 1]
    if same_paragraph(text, last, opener) or is_list_item(opener.sentence.text):
        return []  # the paragraph's own rules turned it down; a list without its lead-in
    opening = opener.sentence.text
    if not (
        carries_on(opening)
        or announces_list(opening)
        or content_terms(opening) & content_terms(last.sentence.text)
    ):
        return []
    taken: list[Candidate] = []
    for candidate in siblings[last.index + 1 :]:
        size = len(words(candidate.sentence.text))
        if candidate.excluded is not None or is_lead_in(candidate.sentence.text) or size > budget:
            break
        if taken and not same_paragraph(text, taken[-1], candidate):
            break
        taken.append(candidate)
        budget -= size
    return taken


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
    following = following_sentences(candidate, by_passage)
    return bool(following) and (
        following[0].excluded in (None, "heading", "fragment")
        or is_list_item(following[0].sentence.text)
    )


def same_paragraph(text: str, first: Candidate, second: Candidate) -> bool:
    """True when no paragraph break separates two sentences of one passage (sentences of two
    passages are never in one paragraph)."""
    if first.sentence.row_id != second.sentence.row_id:
        return False
    return "\n\n" not in text[first.sentence.char_end : second.sentence.char_start]
