"""Retrieval for a question that is not in English, over the build's multilingual index.

MiniLM reads English only, so such a question is searched with three signals, fused by
normalised scores as the English ones are (search/fusion.py):

- *multilingual dense*: the question embedded by the multilingual encoder against the
  multilingual index; a passage scores the mean of its own cosine and its best sentence's
  (`PASSAGE_SHARE`): the encoder was trained on short texts, and a passage's best sentence
  matches a question better than its whole text does;
- *keyword*: BM25 of the question (Russian words by their stems, so it finds Russian passages
  in any inflected form), plus its words rendered in English (search/translation.py) and the
  English labels of the concepts it names;
- *English rendering*: those English words and labels embedded by MiniLM against the main
  index, which is how English passages are best compared.

An English question over a build with passages in other languages uses this index too
(`other_languages`, `scored_apart`, `english_similarity`): the multilingual encoder reads
those passages, which MiniLM cannot, and their scores are mapped onto the English passages'
scales.

The weights were chosen on the Russian gold questions (corpus/eval/questions-ru.toml; README,
"Questions in Russian"). The answer card is composed as for English, from the sentences'
multilingual vectors, with thresholds of its own (the multilingual encoder's cosines run lower).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from search.answers.similarity import Reading, SentenceSimilarity
from search.encoders.query import QueryEmbedder
from search.fusion import normalised_score_fusion
from search.index.loaded import LoadedBuild
from search.index.multilingual import MultilingualIndex
from search.translation import WordTranslator

PASSAGE_SHARE = 0.5  # of the multilingual dense score; the rest is the best sentence's cosine


@dataclass(frozen=True)
class CrossLanguageConfig:
    """Fusion weights and answer thresholds for questions not in English."""

    keyword_weight: float = 0.2
    dense_weight: float = 0.4
    rendering_weight: float = 0.4  # MiniLM on the English rendering
    depth: int = 100  # how deep the multilingual dense search looks before sentences rescore
    # The multilingual encoder's cosines run lower than MiniLM's: on the Russian gold
    # questions the best answer sentence scores 0.38 (median) for answerable questions and
    # 0.13-0.22 for three of the four off-topic ones.
    no_answer_below: float = 0.2
    partial_below: float = 0.3
    # The answer card's rules (penalties, the neighbour rule) were set on MiniLM's cosines;
    # sentence cosines are multiplied by this to bring them to that scale.
    cosine_scale: float = 1.5

    @property
    def card_thresholds(self) -> tuple[float, float]:
        """(no good answer below, partial below) on the card's scaled cosines."""
        return self.no_answer_below * self.cosine_scale, self.partial_below * self.cosine_scale


@dataclass(frozen=True)
class Retrieved:
    """What a search needs besides the ranking: how the sentences are compared with the
    question, the words the answer card compares with sentence words, and the texts the card
    reads the question's names from, each on its own (the question, and the English labels
    of the concepts it names: "OSCE" in "OSCE ILP model" for "модель ПДОДИ ОБСЕ")."""

    fused: list[tuple[int, float]]
    similarity: SentenceSimilarity
    card_terms: str
    named_in: tuple[str, ...]


@dataclass(frozen=True)
class OtherLanguages:
    """An English question's multilingual vector and its scores of the passages not in
    English (`CrossLanguageSearch.other_languages`)."""

    vector: np.ndarray
    scores: dict[int, float]


class CrossLanguageSearch:
    """Retrieval over the multilingual index (see the module docstring)."""

    def __init__(
        self,
        build: LoadedBuild,
        index: MultilingualIndex,
        embed_multilingual: QueryEmbedder,
        embed_english: QueryEmbedder,
        workers: ThreadPoolExecutor,
        config: CrossLanguageConfig,
    ) -> None:
        self.build = build
        self.index = index
        self.embed = embed_multilingual
        self.embed_english = embed_english
        self.translator = WordTranslator(embed_multilingual.encoder, index)
        self.workers = workers
        self.config = config

    def retrieve(
        self,
        query: str,
        english_labels: list[str],
        method: str,
        depth: int,
        allowed: AbstractSet[int] | None,
        named_bonus: Callable[[dict[int, float]], None],
    ) -> Retrieved:
        """The ranked passages for a question not in English, best first; `named_bonus` adds
        the fused scores' bonuses for the concepts and countries the question names."""
        rendering = " ".join(dict.fromkeys([*self.translator.translate(query), *english_labels]))
        terms = f"{query} {rendering}".strip()
        scoring = None
        if method in ("hybrid", "keyword"):
            scoring = self.workers.submit(self.build.keyword.score, terms, allowed)
        vector = self.embed(query)
        keyword: dict[int, float] = {}
        dense: dict[int, float] = {}
        english: dict[int, float] = {}
        english_vector = None
        if method in ("hybrid", "dense"):
            found = self.index.dense.search(vector, max(depth, self.config.depth), allowed)
            dense = dict(found)  # passage cosines; rescored with the sentences below
            if method == "dense":
                dense = self._dense_scores(vector, list(dense), dense)
        if rendering:  # the answer card reads English sentences through it too
            english_vector = self.embed_english(rendering)
        if method == "hybrid" and english_vector is not None:
            english = dict(self.build.dense.search(english_vector, depth, allowed))
        if scoring is not None:
            scores = scoring.result()
            keyword = dict(scores.top(depth))
        if method == "keyword":
            fused = sorted(keyword.items(), key=lambda pair: (-pair[1], pair[0]))
        elif method == "dense":
            fused = sorted(dense.items(), key=lambda pair: (-pair[1], pair[0]))
        else:
            candidates = sorted(set(keyword) | set(dense) | set(english))
            keyword.update(scores.of(candidates))
            dense = self._dense_scores(vector, candidates, dense)
            if english and english_vector is not None:
                english = dict(
                    zip(
                        candidates,
                        self.build.dense.cosines(english_vector, candidates),
                        strict=True,
                    )
                )
            totals = self._fuse(keyword, dense, english)
            named_bonus(totals)
            fused = sorted(totals.items(), key=lambda pair: (-pair[1], pair[0]))
        similarity = self._sentence_similarity(vector, english_vector)
        return Retrieved(fused, similarity, terms, (query, *english_labels))

    def other_languages(self, query: str, depth: int, allowed: AbstractSet[int]) -> OtherLanguages:
        """For an English question, the `allowed` passages MiniLM cannot read (not in English),
        scored by the multilingual encoder as for a Russian question (passage and best
        sentence): without them, an English question over a Russian handbook found nothing."""
        vector = self.embed(query)
        found = dict(self.index.dense.search(vector, max(depth, self.config.depth), allowed))
        return OtherLanguages(vector, self._dense_scores(vector, list(found), found))

    def scored_apart(
        self,
        other: OtherLanguages,
        keyword: dict[int, float],
        english_keyword: dict[int, float],
        english_dense: dict[int, float],
        weights: tuple[float, float],
    ) -> dict[int, float]:
        """An English question's fused scores of the passages not in English: BM25 (`keyword`)
        and the multilingual score (x `cosine_scale`, MiniLM's scale),
        each mapped as the English passages' scores were normalised (BM25 over its best, the
        cosine between the lowest and the highest English one), weighted as they are; a
        passage that only keyword search found gets its multilingual score here. Without
        English candidates, the multilingual scores run from 0 to their best."""
        bm25 = keyword
        missing = [row for row in bm25 if row not in other.scores]
        dense = {**other.scores, **self._dense_scores(other.vector, missing)}
        scaled = {row: score * self.config.cosine_scale for row, score in dense.items()}
        top = max(english_keyword.values(), default=0.0) or max(bm25.values(), default=0.0)
        low, high = (
            (min(english_dense.values()), max(english_dense.values()))
            if english_dense
            else (0.0, max(scaled.values(), default=0.0))
        )
        return {
            row: weights[0] * (bm25.get(row, 0.0) / top if top > 0 else 0.0)
            + weights[1] * (min(max((value - low) / (high - low), 0.0), 1.0) if high > low else 0.0)
            for row, value in scaled.items()
        }

    def english_similarity(
        self, english_vector: np.ndarray, other: OtherLanguages
    ) -> SentenceSimilarity:
        """An English question's sentence similarity: MiniLM reads the English sentences, the
        multilingual encoder the others, on MiniLM's scale (`cosine_scale`)."""
        build = self.build
        return SentenceSimilarity(
            (
                Reading(english_vector, build.sentence_vectors, build.main_model_rows),
                Reading(
                    other.vector * self.config.cosine_scale,
                    self.index.sentence_vectors,
                    build.other_language_rows,
                ),
            )
        )

    def _sentence_similarity(
        self, vector: np.ndarray, english_vector: np.ndarray | None
    ) -> SentenceSimilarity:
        """The multilingual reading of every sentence (its cosines scaled to MiniLM's), and,
        when the question has an English rendering, MiniLM's reading of the English ones."""
        readings = [Reading(vector * self.config.cosine_scale, self.index.sentence_vectors)]
        if english_vector is not None:
            readings.append(
                Reading(english_vector, self.build.sentence_vectors, self.build.main_model_rows)
            )
        return SentenceSimilarity(tuple(readings))

    def _fuse(
        self, keyword: dict[int, float], dense: dict[int, float], english: dict[int, float]
    ) -> dict[int, float]:
        """Normalised-score fusion of the three signals. A passage MiniLM cannot read (not in
        English) has no meaningful English-rendering cosine: its score is keyword and dense
        alone, their weights scaled up to the same total."""
        config = self.config
        weights = [config.keyword_weight, config.dense_weight, config.rendering_weight]
        if not english:
            weights[2] = 0.0
        totals = dict(
            normalised_score_fusion([keyword, dense, english], weights, floors=[0.0, None, None])
        )
        readable = self.build.main_model_rows
        if readable is not None and weights[2]:
            two = dict(
                normalised_score_fusion(
                    [keyword, dense], [weights[0], weights[1]], floors=[0.0, None]
                )
            )
            scale = sum(weights) / (weights[0] + weights[1])
            for row in totals:
                if row not in readable:
                    totals[row] = two[row] * scale
        return totals

    def _best_sentences(self, vector: np.ndarray, rows: list[int]) -> dict[int, float]:
        """Each row's best sentence cosine (-1.0 for a passage without sentences), read from
        the sentence vectors by the build's sentence bounds (the store only if it has none)."""
        best = dict.fromkeys(rows, -1.0)
        bounds = self.build.sentence_bounds
        if bounds is None:
            sentences = self.build.store.sentences(rows)
            if sentences:
                sentence_rows = np.array([sentence.sentence_row for sentence in sentences])
                scores = self.index.sentence_vectors[sentence_rows] @ vector
                for sentence, score in zip(sentences, scores, strict=True):
                    best[sentence.row_id] = max(best[sentence.row_id], float(score))
            return best
        ids = np.asarray(rows, dtype=np.int64)
        starts, ends = bounds[ids], bounds[ids + 1]
        has = ends > starts
        if not has.any():
            return best
        spans = [np.arange(start, end) for start, end in zip(starts[has], ends[has], strict=True)]
        scores = self.index.sentence_vectors[np.concatenate(spans)] @ vector
        offsets = np.cumsum([0, *(len(span) for span in spans[:-1])])
        for row, value in zip(ids[has], np.maximum.reduceat(scores, offsets), strict=True):
            best[int(row)] = float(value)
        return best

    def _dense_scores(
        self, vector: np.ndarray, rows: list[int], known: dict[int, float] | None = None
    ) -> dict[int, float]:
        """Each row's multilingual score: its passage cosine mixed with its best sentence's."""
        if not rows:
            return {}
        known = known or {}
        missing = [row for row in rows if row not in known]
        cosines = dict(known)
        if missing:
            cosines.update(zip(missing, self.index.dense.cosines(vector, missing), strict=True))
        best = self._best_sentences(vector, rows)
        return {
            row: PASSAGE_SHARE * cosines[row]
            + (1 - PASSAGE_SHARE) * (best[row] if best[row] > -1.0 else cosines[row])
            for row in rows
        }
