"""The answer to a question that asks for a list: the sentence that announces the list, with
its items, or the sentences that carry them.

The best-scoring sentence (among the first few, and close to the best) that announces a list
("defines four intelligence products", "... include:") brings the list with it: its bullet
items, or as many following sentences as it announces. A sentence that makes the point and is
followed by a short lead-in ("More specifically, it:") announces one too. A number that counts
something other than what was asked ("the two sit comfortably together") announces nothing.
A list cut off by its passage's end goes on into the document's next passage (continuation.py).
"""

from __future__ import annotations

from search.answers.candidates import Candidate
from search.answers.card import CardItem
from search.answers.extracts import (
    card_item,
    following_sentences,
    list_items,
    same_paragraph,
)
from search.answers.roles import (
    announced_count,
    announces_list,
    content_terms,
    count_only_announcement,
    is_lead_in,
    words,
)
from search.index.store import StoredPassage

MAX_LIST_WORDS = 160
LIST_CUTOFF = 0.75  # the announcing sentence scores this share of the best (as compose's cutoff)
SHORT_LEAD_IN = 6  # words: a lead-in this short leans on the sentence before it


def list_card(
    ranked: list[Candidate],
    by_passage: dict[int, list[Candidate]],
    stored: dict[int, StoredPassage],
    count: int | None,
    query_terms: frozenset[str],
) -> list[CardItem]:
    """The best sentence announcing a list, with its items (or the sentences that carry them)."""
    for candidate in ranked[:6]:
        if candidate.score < LIST_CUTOFF * ranked[0].score:
            break
        text = candidate.sentence.text
        if not _counts_what_is_asked(text, count, query_terms):
            continue
        following = following_sentences(candidate, by_passage)
        head = [candidate]
        if not announces_list(text):
            # "... supports local planning and investigations. More specifically, it:" -- the
            # sentence makes the point and a short lead-in after it brings the list.
            if not following or not _short_lead_in(candidate, following[0], stored):
                continue
            head.append(following[0])
            text = following[0].sentence.text
            following = following[1:]
        bullets = list_items(following)
        expected = announced_count(text) or count
        if bullets:
            chosen = bullets
            kind = "item"
        elif expected and not is_lead_in(text):
            chosen = [c for c in following[:expected] if c.excluded is None]
            kind = "sentence"
        elif is_lead_in(text) and following:
            chosen = [c for c in following[:3] if c.excluded is None]
            kind = "sentence"
        else:
            continue
        if not chosen:  # a lead-in never stands without what it announces
            continue
        items = [card_item(c, stored, "sentence") for c in head]
        total = sum(len(words(c.sentence.text)) for c in head)
        for item in chosen:
            total += len(words(item.sentence.text))
            if total > MAX_LIST_WORDS:
                break
            items.append(card_item(item, stored, kind))
        return items
    return []


def _counts_what_is_asked(text: str, count: int | None, query_terms: frozenset[str]) -> bool:
    """False for a sentence that announces a list by a number alone when the number counts
    something other than what was asked: "the two sit comfortably together" or "four senses"
    for a question about criticisms or pilots. It counts what was asked when it names the
    question's number, or one of the question's words is among the words around the number
    (`roles.count_only_announcement`: after it, and before it when it closes its clause)."""
    announced = count_only_announcement(text)
    if announced is None:
        return True
    number, around = announced
    return number == count or bool(content_terms(" ".join(around)) & query_terms)


def _short_lead_in(sentence: Candidate, after: Candidate, stored: dict[int, StoredPassage]) -> bool:
    """True when `after` is a lead-in of a few words that leans on `sentence` ("More
    specifically, it:", "These are:") in the same paragraph."""
    text = after.sentence.text
    return (
        is_lead_in(text)
        and len(words(text)) <= SHORT_LEAD_IN
        and same_paragraph(stored[sentence.sentence.row_id].passage.text, sentence, after)
    )
