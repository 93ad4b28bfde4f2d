"""The highlight of each hit: the sentence of the passage closest to the query.

Sentence vectors are computed at build time, so scoring sentences costs one matrix product.
(The answer card is composed in compose.py.)
"""

from __future__ import annotations

from dataclasses import dataclass

from search.answers.similarity import SentenceSimilarity
from search.index.store import PassageStore

MIN_SENTENCE_WORDS = 6


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence of a hit passage with its similarity to the query."""

    row_id: int
    text: str
    score: float


def best_sentence_per_passage(
    similarity: SentenceSimilarity, row_ids: list[int], store: PassageStore
) -> dict[int, ScoredSentence]:
    """For each passage row, its sentence (of at least a few words) closest to the query."""
    sentences = [s for s in store.sentences(row_ids) if len(s.text.split()) >= MIN_SENTENCE_WORDS]
    best: dict[int, ScoredSentence] = {}
    if not sentences:
        return best
    scores = similarity.cosines(sentences)
    for sentence, score in zip(sentences, scores, strict=True):
        current = best.get(sentence.row_id)
        if current is None or score > current.score:
            best[sentence.row_id] = ScoredSentence(sentence.row_id, sentence.text, float(score))
    return best
