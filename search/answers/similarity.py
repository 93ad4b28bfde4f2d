"""How close each sentence is to the query: the cosine of its vector to the query's, through one
or more readings of the question.

An English question has one reading: MiniLM's vector of the question against MiniLM's sentence
vectors; when the build holds passages in other languages, MiniLM reads the English sentences
and the multilingual encoder the others (`CrossLanguageSearch.english_similarity`). A question
in another language has two: the multilingual encoder's vector of the
question against the multilingual sentence vectors (every passage), and MiniLM's vector of its
English rendering (search/translation.py) against MiniLM's sentence vectors, which reads only
the passages MiniLM can read (English). A sentence scores the mean of the readings that can
read it: an English sentence is judged by both encoders, as the retrieval fuses the two with
equal weights (search/cross_language.py), a Russian one by the multilingual encoder alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingest.sentences import Sentence


@dataclass(frozen=True)
class Reading:
    """One way of comparing the question with sentences: a query vector, the sentence vectors
    of the same encoder, and the passages whose sentences it can read (None: all of them)."""

    query_vector: np.ndarray
    sentence_vectors: np.ndarray
    readable: frozenset[int] | set[int] | None = None


@dataclass(frozen=True)
class SentenceSimilarity:
    """The sentences' similarity to the query: the mean of the readings that can read each."""

    readings: tuple[Reading, ...]

    @classmethod
    def single(cls, query_vector: np.ndarray, sentence_vectors: np.ndarray) -> SentenceSimilarity:
        return cls((Reading(query_vector, sentence_vectors),))

    def cosines(self, sentences: list[Sentence]) -> np.ndarray:
        """One score per sentence, in the order given."""
        rows = np.array([sentence.sentence_row for sentence in sentences], dtype=np.int64)
        total = np.zeros(len(sentences), dtype=np.float64)
        count = np.zeros(len(sentences), dtype=np.float64)
        for reading in self.readings:
            if reading.readable is None:
                mask = np.ones(len(sentences), dtype=bool)
            else:
                mask = np.array([s.row_id in reading.readable for s in sentences], dtype=bool)
            if mask.any():
                total[mask] += reading.sentence_vectors[rows[mask]] @ reading.query_vector
                count[mask] += 1
        # A sentence no reading can read scores 0 (cannot happen with a reading over all rows).
        return total / np.maximum(count, 1.0)

    def between(self, first: Sentence, second: Sentence) -> float:
        """How close two sentences are to each other: the mean cosine of their vectors over
        the readings that can read both (0.0 when none can)."""
        cosines = [
            float(reading.sentence_vectors[first.sentence_row]
                  @ reading.sentence_vectors[second.sentence_row])
            for reading in self.readings
            if reading.readable is None
            or (first.row_id in reading.readable and second.row_id in reading.readable)
        ]  # fmt: skip
        return sum(cosines) / len(cosines) if cosines else 0.0
