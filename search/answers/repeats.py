"""Sources that say again what the card already says.

Documents restate one another: a research summary repeats the Guidebook's recommendation, a
national handbook repeats the research summary. Two sources that state one fact in other words
make a card longer and tell the reader nothing new, and the second takes the place of a source
that would have. A source whose best sentence is as close as `REPEAT` to a sentence already on
the card (or to the best sentence of a better-ranked source) is passed over.

`REPEAT` was read from the sentence pairs of the English cards: at 0.8 and above the pairs are
the same statement in other words ("the Guidebook recommends one National Criminal Intelligence
Department" twice, the same Terms of Reference sentence from two documents); below it they are
more and more often two statements about one subject.
"""

from __future__ import annotations

from search.answers.candidates import Candidate
from search.answers.card import CardItem
from search.answers.similarity import SentenceSimilarity

REPEAT = 0.8


class Repeats:
    """Tells whether a candidate sentence says again what some card sentences say."""

    def __init__(self, similarity: SentenceSimilarity, candidates: list[Candidate]) -> None:
        self.similarity = similarity
        self.by_place = {(c.sentence.row_id, c.index): c for c in candidates}

    def of_items(self, candidate: Candidate, items: list[CardItem]) -> bool:
        """True when the candidate repeats a sentence of the card `items`."""
        shown = [
            self.by_place[(item.stored.row_id, item.index)]
            for item in items
            if item.stored is not None and (item.stored.row_id, item.index) in self.by_place
        ]
        return self.of_candidates(candidate, shown)

    def of_candidates(self, candidate: Candidate, others: list[Candidate]) -> bool:
        """True when the candidate repeats one of `others` (a sentence never repeats itself)."""
        return any(
            other is not candidate
            and self.similarity.between(candidate.sentence, other.sentence) >= REPEAT
            for other in others
        )
