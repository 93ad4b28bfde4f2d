"""Search over a loaded build: keyword, dense or hybrid retrieval, concept-aware, with answers.

Hybrid retrieval fuses BM25 (over the query expanded with the labels of the concepts it names)
and FAISS cosine by normalised-score fusion, then favours passages linked to the specific
concepts the query names, passages of the documents whose catalogue entry lists a country it
names, and passages of the documents closest to the query
(search/index/document_vectors.py). The settings in `SearchConfig` were chosen with `ilp eval`
on corpus/eval/ (see README, "Search quality"). Over 300 lines: the English route, its fusion
and the result's assembly read best in one place.

A query's language decides the route (search/query_language.py): English goes through MiniLM
as always, and the passages MiniLM cannot read (not in English) are read for it by the
multilingual encoder, scored apart and counted at `other_language_factor`; any other language,
when the build has the multilingual index and the searcher a multilingual encoder, through
search/cross_language.py. The result says which language it
read and the languages of the sources its answer quotes. (What a request may hold is checked in
search/request.py; `Filters` and `QueryError` are re-exported here.)
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from concurrent.futures import Future
from dataclasses import dataclass

from graph.linking.labels import is_abbreviation
from ingest.country_mentions import countries_in_question
from search.answers.best_sentence import best_sentence_per_passage
from search.answers.compose import compose_card
from search.answers.question import QuestionShape, question_shape
from search.answers.roles import names_in
from search.answers.similarity import SentenceSimilarity
from search.cross_language import (
    CrossLanguageConfig,
    CrossLanguageSearch,
    OtherLanguages,
    Retrieved,
)
from search.encoders.query import QueryEmbedder
from search.fusion import add_document_prior, normalised_score_fusion, reciprocal_rank_fusion
from search.index.build_folders import BuildError
from search.index.loaded import LoadedBuild
from search.limits import DEFAULT_K, METHODS
from search.query_language import ENGLISH, query_language
from search.request import Filters, QueryError, validate_request
from search.results import AnswerSentence, Hit, SearchResult, answer_languages
from search.workers import keyword_workers


@dataclass(frozen=True)
class SearchConfig:
    """Retrieval settings (see the module docstring for how they were chosen)."""

    candidates: int = 50  # how deep each retriever looks before fusion
    fusion: str = "score"  # "score" (normalised-score fusion) or "rrf"
    rrf_k: int = 60
    keyword_weight: float = 0.4
    dense_weight: float = 0.6
    concept_bonus: float = 0.05  # added for passages linked to a specific concept the query names
    # ... and for passages of a document whose catalogue entry lists a country the query names
    # ("How did Serbia introduce ILP?": the Serbian report before a Montenegrin passage that
    # names Serbia once; the gold figures hardly move, README "Search quality")
    country_bonus: float = 0.1
    # x the question's cosine to each passage's document, normalised (score fusion only)
    document_prior: float = 0.1
    specific_share: float = 0.05  # a concept on more than this share of passages is too general
    expand_concepts: bool = True  # add the labels of named concepts to the keyword query
    no_answer_below: float = 0.35  # best answer-sentence cosine under which there is no good answer
    partial_below: float = 0.5  # the card's lead sentence under this cosine: partial evidence
    # ... and when no passage stands out: in hybrid search, the first passage's fused score
    # leads the fifth's by under this (any language). Then no source singles itself out as the
    # answer, and the card is assembled from several that each say a part. Measured on the
    # gold and fresh questions (README, "Answer cards"): the cards so flagged miss their facts
    # more often than the others (English 33% against 14%), where the lead-sentence test alone
    # marked cards that hold their facts as often as the others (11 of 12 in English).
    standout_below: float = 0.12
    cross_language: CrossLanguageConfig = CrossLanguageConfig()  # queries not in English
    other_language_factor: float = 0.5  # an English query's scores of passages not in English


STANDOUT_RANK = 4  # the fifth passage: the first must lead it (`SearchConfig.standout_below`)

__all__ = ["Filters", "QueryError", "SearchConfig", "Searcher", "keyword_workers"]


class Searcher:
    """Answers queries over one loaded build."""

    def __init__(
        self,
        build: LoadedBuild,
        embed_query: QueryEmbedder,
        config: SearchConfig | None = None,
        embed_multilingual: QueryEmbedder | None = None,
    ) -> None:
        model = build.manifest["model"]["name"]
        if embed_query.encoder.name != model:
            raise BuildError(
                f"The build was embedded with {model!r} but the query encoder is "
                f"{embed_query.encoder.name!r}; use the same model or re-ingest"
            )
        self.build = build
        self.embed_query = embed_query
        self.config = config or SearchConfig()
        # ONNX Runtime releases the GIL while it embeds a query, so BM25 runs beside it, on the
        # process's one pool.
        self._workers = keyword_workers()
        self.cross_language: CrossLanguageSearch | None = None
        if build.multilingual is not None and embed_multilingual is not None:
            wanted = build.manifest["multilingual"]["name"]
            if embed_multilingual.encoder.name != wanted:
                raise BuildError(
                    f"The build's multilingual index was embedded with {wanted!r} but the "
                    f"multilingual encoder is {embed_multilingual.encoder.name!r}; re-ingest"
                )
            self.cross_language = CrossLanguageSearch(
                build,
                build.multilingual,
                embed_multilingual,
                embed_query,
                self._workers,
                self.config.cross_language,
            )

    def search(
        self,
        query: str,
        k: int = DEFAULT_K,
        method: str = METHODS[0],
        filters: Filters | None = None,
        offset: int = 0,
    ) -> SearchResult:
        """The top `k` passages for `query` (from `offset`), with answer sentences and facets."""
        filters = filters or Filters()
        query = validate_request(query, k, offset, filters, method)
        store, config = self.build.store, self.config
        allowed = store.row_ids_where(
            filters.kinds,
            filters.countries,
            filters.years,
            filters.concepts,
            filters.documents,
            filters.languages,
        )
        mentions = self.build.label_linker.concepts_in(query)
        named = [(concept.id, concept.pref_label) for concept, _ in mentions]
        countries = countries_in_question(query)

        def bonus(totals: dict[int, float]) -> None:
            self._add_named_bonuses(totals, named, countries)

        depth = max(config.candidates, k + offset)
        shape = question_shape(query, [(concept.id, words) for concept, words in mentions])
        language = query_language(query)
        if language != ENGLISH and self.cross_language is not None:
            retrieved = self.cross_language.retrieve(
                query,
                self._expansion(named),
                method,
                depth,
                allowed,
                bonus,
            )
            thresholds = config.cross_language.card_thresholds
            return self._result(
                query, method, retrieved, k, offset, named, countries, shape, thresholds, language
            )
        scoring = None  # keyword search runs on a worker thread while the query is embedded
        if method in ("hybrid", "keyword"):
            scoring = self._workers.submit(
                self.build.keyword.score, self._keyword_query(query, named), allowed
            )
        reading = self._other_languages(query, method, depth, allowed)  # on a worker too
        vector = self.embed_query(query)
        keyword: dict[int, float] = {}
        dense: dict[int, float] = {}
        if method in ("hybrid", "dense"):
            dense = dict(self.build.dense.search(vector, depth, self._main_model_rows(allowed)))
        others = reading.result() if reading is not None else None
        if scoring is not None:
            scores = scoring.result()
            keyword = dict(scores.top(depth))
            if method == "hybrid" and config.fusion == "score":
                keyword.update(scores.of(dense))  # the dense candidates' own BM25, not zero
                if others is not None:  # and theirs (`_fuse` keeps them out of the English fusion)
                    keyword.update(scores.of(others.scores))
        if method == "keyword":
            fused = sorted(keyword.items(), key=lambda pair: (-pair[1], pair[0]))
        elif method == "dense":
            scale = config.cross_language.cosine_scale  # the multilingual scores to MiniLM's
            extra = {row: score * scale for row, score in (others.scores if others else {}).items()}
            fused = sorted((dense | extra).items(), key=lambda pair: (-pair[1], pair[0]))
        else:
            fused = self._fuse(vector, keyword, dense, bonus, others)
        fused = self._english_first(fused)
        similarity = SentenceSimilarity.single(vector, self.build.sentence_vectors)
        if others is not None and self.cross_language is not None:
            similarity = self.cross_language.english_similarity(vector, others)
        retrieved = Retrieved(fused, similarity, query, (query,))
        thresholds = (config.no_answer_below, config.partial_below)
        return self._result(
            query, method, retrieved, k, offset, named, countries, shape, thresholds, ENGLISH
        )

    def _fuse(
        self,
        vector,
        keyword: dict[int, float],
        dense: dict[int, float],
        bonus: Callable[[dict[int, float]], None],
        others: OtherLanguages | None = None,
    ) -> list[tuple[int, float]]:
        """Keyword and dense scores fused; the passages not in English (`others`) take the
        multilingual encoder's score in place of MiniLM's, which cannot read them, and are
        left out of the English passages' normalisation (which otherwise is as before)."""
        config = self.config
        other_scores = others.scores if others is not None else {}
        if config.fusion == "rrf":
            return reciprocal_rank_fusion(
                [sorted(signal, key=signal.__getitem__, reverse=True)
                 for signal in (keyword, dense, other_scores)],
                k=config.rrf_k,
                weights=[config.keyword_weight, config.dense_weight, config.dense_weight],
            )  # fmt: skip
        # Each candidate is fused on both real scores: `search` took the dense candidates'
        # BM25, and keyword-only candidates get their cosine here.
        unread = self.build.other_language_rows if others is not None else set()
        read = {row: score for row, score in keyword.items() if row not in unread}
        missing = sorted(set(read) - set(dense))
        if missing:
            dense.update(zip(missing, self.build.dense.cosines(vector, missing), strict=True))
        weights = [config.keyword_weight, config.dense_weight]
        fused = dict(normalised_score_fusion([read, dense], weights, floors=[0.0, None]))
        bonus(fused)
        scores = self.build.document_vectors.passage_scores(vector, list(fused))
        add_document_prior(fused, scores, config.document_prior)
        if others is not None and self.cross_language is not None:
            # The passages MiniLM cannot read, scored apart (their MiniLM cosines are noise)
            # on the English passages' scales.
            found = {row: score for row, score in keyword.items() if row in unread}
            apart = self.cross_language.scored_apart(
                others, found, read, dense, (config.keyword_weight, config.dense_weight)
            )
            bonus(apart)
            fused.update(apart)
        return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))

    def _other_languages(
        self, query: str, method: str, depth: int, allowed: AbstractSet[int] | None
    ) -> Future[OtherLanguages] | None:
        """The multilingual encoder's scores of the allowed passages not in English, on a
        worker thread, for dense and hybrid search of a build that has such passages."""
        rows = self.build.other_language_rows
        if self.cross_language is None or method == "keyword" or not rows:
            return None
        wanted = rows if allowed is None else allowed & rows
        if not wanted:
            return None
        return self._workers.submit(self.cross_language.other_languages, query, depth, wanted)

    def _english_first(self, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """An English question's ranking with passages in other languages scored down by
        `other_language_factor`: they matched on a name or an English title they quote (a
        Russian passage citing Cope's "policing led intelligence"), and an English reader
        wants the English passage first."""
        readable = self.build.main_model_rows
        if readable is None:
            return ranked
        factor = self.config.other_language_factor
        scored = [(row, score if row in readable else score * factor) for row, score in ranked]
        return sorted(scored, key=lambda pair: (-pair[1], pair[0]))

    def _main_model_rows(self, allowed: AbstractSet[int] | None) -> AbstractSet[int] | None:
        """The allowed passages the main model's dense search may return."""
        readable = self.build.main_model_rows
        if readable is None:
            return allowed
        return readable if allowed is None else allowed & readable

    def _nothing_stands_out(self, fused: list[tuple[int, float]], method: str) -> bool:
        """True when, in hybrid search with score fusion, the first passage's fused score leads
        the fifth's by under `standout_below` (`SearchConfig`); fewer than five passages (a
        narrow filter) decide nothing."""
        if method != "hybrid" or self.config.fusion != "score" or len(fused) <= STANDOUT_RANK:
            return False
        return fused[0][1] - fused[STANDOUT_RANK][1] < self.config.standout_below

    def _add_named_bonuses(
        self, fused: dict[int, float], named: list[tuple[str, str]], countries: set[str]
    ) -> None:
        """Favour candidates linked to the specific concepts the query names, and candidates
        of the documents whose catalogue entry lists a country it names."""
        for row in self._specific_concept_rows(named, set(fused)):
            fused[row] += self.config.concept_bonus
        if countries and self.config.country_bonus:
            for row in self.build.rows_listing_countries(fused, countries):
                fused[row] += self.config.country_bonus

    def _specific_concept_rows(
        self, named: list[tuple[str, str]], candidates: set[int]
    ) -> set[int]:
        """Candidates linked to named concepts specific enough to steer ranking."""
        counts = self.build.concept_passage_counts
        limit = self.config.specific_share * self.build.manifest["counts"]["passages"]
        specific = [cid for cid, _ in named if counts.get(cid, 0) <= limit]
        return self.build.store.rows_of_concepts(specific, within=candidates)

    def _keyword_query(self, query: str, named: list[tuple[str, str]]) -> str:
        """The query plus the English name and abbreviations of each concept it names.

        Only those labels: adding every variant and translation diluted BM25 in `ilp eval`.
        """
        return " ".join([query, *self._expansion(named)])

    def _expansion(self, named: list[tuple[str, str]]) -> list[str]:
        """The English name and ASCII abbreviations of each named concept (none when
        `expand_concepts` is off)."""
        if not self.config.expand_concepts:
            return []
        extra = []
        for concept_id, _ in named:
            concept = self.build.scheme.concepts[concept_id]  # named: found in this scheme
            extra.append(concept.pref_label)
            extra.extend(
                label for label in concept.alt_labels if is_abbreviation(label) and label.isascii()
            )
        return extra

    def _result(
        self,
        query: str,
        method: str,
        retrieved: Retrieved,
        k: int,
        offset: int,
        named: list[tuple[str, str]],
        countries: set[str],
        shape: QuestionShape,
        thresholds: tuple[float, float],
        language: str,
    ) -> SearchResult:
        store, fused, similarity = self.build.store, retrieved.fused, retrieved.similarity
        page = fused[offset : offset + k]
        rows = [row for row, _ in page]
        stored = store.passages(rows)
        concepts = store.concepts_of(rows)
        best = best_sentence_per_passage(similarity, rows, store)
        hits = [
            Hit(
                stored[row].passage,
                stored[row].document,
                score,
                concepts[row],
                best[row].text if row in best else None,
            )
            for row, score in page
        ]
        card = compose_card(
            retrieved.card_terms,
            similarity,
            shape,
            [row for row, _ in fused],
            store,
            self.build.scheme.get(shape.concept_id) if shape.concept_id else None,
            *thresholds,
            language=language,
            names=names_in(*retrieved.named_in),
            countries=countries,
        )
        no_good_answer = not card.items
        partial = card.partial or self._nothing_stands_out(fused, method)
        answer = [AnswerSentence.from_item(item, language) for item in card.items]
        return SearchResult(
            query,
            method,
            hits,
            answer,
            store.facet_counts([row for row, _ in fused[: self.config.candidates]]),
            named,
            no_good_answer,
            card.evidence,
            len(fused),
            offset,
            partial=partial and not no_good_answer,
            language=language,
            answer_languages=answer_languages(card.items),
        )
