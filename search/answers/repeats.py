"""Sources that say again what the card already says.

Documents restate one another: a research summary repeats the Guidebook's recommendation, a
national handbook repeats the research summary. Two sources that state one fact in other words
make a card longer and tell the reader nothing new, and the second takes the place of a source
that would have. A source whose best sentence is as close as `REPEAT` to a sentence already on
the card is passed over, and one that restates a better-ranked source's best sentence does not
set the bar the others are measured against (compose.py).

`REPEAT` was read from the sentence pairs of the English cards: at 0.8 and above the pairs are
the same statement in other words ("the Guidebook recommends one National Criminal Intelligence
Department" twice, the same Terms of Reference sentence from two documents); below it they are
more and more often two statements about one subject. Sentences in two languages are never
repeats: a Russian reader is answered in Russian where the sources allow (candidates.py), so a
Russian summary of an English passage is not passed over for saying the same thing.
"""

from __future__ import annotations

from search.answers.candidates import Candidate
from search.answers.card import CardItem
from search.answers.similarity import SentenceSimilarity

REPEAT = 0.8


class Repeats:
    """Tells whether a candidate sentence says again what some card sentences say."""

    def __init__(
        self,
        similarity: SentenceSimilarity,
        candidates: list[Candidate],
        language_of: dict[int, str],
    ) -> None:
        """`candidates`: every sentence that can be on the card (a list continued from the next
        passage too); `language_of`: passage row -> its document's language."""
        self.similarity = similarity
        self.by_place = {(c.sentence.row_id, c.index): c for c in candidates}
        self.language_of = language_of

    def of_items(self, candidate: Candidate, items: list[CardItem]) -> bool:
        """True when the candidate repeats a sentence of the card `items`."""
        shown = [
            self.by_place[(item.stored.row_id, item.index)]
            for item in items
            if item.stored is not None and (item.stored.row_id, item.index) in self.by_place
        ]
        return self.of_candidates(candidate, shown)

    def of_candidates(self, candidate: Candidate, others: list[Candidate]) -> bool:
        """True when the candidate repeats one of `others` in its own language (a sentence
        never repeats itself)."""
        language = self.language_of.get(candidate.sentence.row_id)
        return any(
            other is not candidate
            and self.language_of.get(other.sentence.row_id) == language
            and self.similarity.between(candidate.sentence, other.sentence) >= REPEAT
            for other in others
        )
