"""A list cut off by the end of its passage, continued from the document's next passage.

A passage holds only so many words, so a long list can end one passage and go on in the next
("... are: 1. Leading and steering" ends one, items 2 to 10 open the next). The composer reads
the next passage's opening items as the rest of the list when that passage is the next of the
same document and section, in running text, and its numbering follows on.
"""

from __future__ import annotations

from ingest.models import TEXT
from ingest.sentences import Sentence
from search.answers.candidates import Candidate
from search.answers.extracts import MAX_LIST_ITEMS
from search.answers.roles import is_lead_in, is_list_item, item_number, never_an_answer
from search.index.store import PassageStore, StoredPassage


def continue_lists(
    by_passage: dict[int, list[Candidate]],
    stored: dict[int, StoredPassage],
    store: PassageStore,
) -> None:
    """A list cut off by the end of its passage goes on in the document's next passage (a
    passage holds only so many words: "... are: 1. Leading and steering" ends one, items 2 to
    10 open the next). The next passage's opening items join the end of this one's sentences,
    so that a lead-in brings all of them; they keep their own passage, position and page, and
    are never an extract's anchor or neighbour (see extracts.same_paragraph)."""
    for row, siblings in list(by_passage.items()):
        last = siblings[-1]
        if not (is_list_item(last.sentence.text) or is_lead_in(last.sentence.text)):
            continue
        after = stored.get(row + 1) or store.passages([row + 1]).get(row + 1)
        if after is None or not _continues_passage(stored[row], after):
            continue
        following = by_passage.get(row + 1) or _unscored(
            store.sentences([row + 1]), last.rank, after
        )
        opening = []
        for candidate in following[:MAX_LIST_ITEMS]:
            if candidate.sentence.row_id != row + 1 or not is_list_item(candidate.sentence.text):
                break  # bullets and numbered lines only: a bare line may be the next heading
            opening.append(candidate)
        if opening and _numbering_goes_on(last.sentence.text, opening[0].sentence.text):
            stored[row + 1] = after
            siblings.extend(opening)


def _continues_passage(passage: StoredPassage, after: StoredPassage) -> bool:
    """True when `after`, the passage of the next row, is the next passage of the same document
    and section, in running text (row ids follow reading order within a document)."""
    return (
        after.document.id == passage.document.id
        and after.passage.heading_path == passage.passage.heading_path
        and after.passage.kind == TEXT
    )


def _numbering_goes_on(last: str, first: str) -> bool:
    """False when numbered items do not follow on: "2." after "1.", "1." after a lead-in."""
    number = item_number(first)
    if number is None:
        return True
    before = item_number(last)
    return number == (before + 1 if before is not None else 1)


def _unscored(sentences: list[Sentence], rank: int, passage: StoredPassage) -> list[Candidate]:
    """Candidates for the sentences of a passage outside the top ones: not scored, read only
    as the rest of a list."""
    figure = passage.passage.kind != TEXT
    return [
        Candidate(
            sentence, index, rank, 0.0, 0.0, "figure" if figure else never_an_answer(sentence.text)
        )
        for index, sentence in enumerate(sentences)
    ]
