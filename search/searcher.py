"""Search over a loaded build: keyword, dense or hybrid retrieval, concept-aware, with answers.

Hybrid retrieval fuses BM25 (over the query expanded with the labels of the concepts it names)
and FAISS cosine by normalised-score fusion, then favours passages linked to the specific
concepts the query names. The settings in `SearchConfig` were chosen with `ilp eval` on
corpus/eval/ (see README, "Search quality").
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from graph.linking.labels import is_abbreviation
from ilp_base.errors import AtlasError
from search.answers.best_sentence import best_sentence_per_passage
from search.answers.compose import compose_card
from search.answers.question import QuestionShape, question_shape
from search.encoders.query import QueryEmbedder
from search.fusion import normalised_score_fusion, reciprocal_rank_fusion
from search.index.build_folders import BuildError
from search.index.loaded import LoadedBuild
from search.limits import DEFAULT_K, KINDS, MAX_K, MAX_OFFSET, MAX_QUERY_CHARS, METHODS
from search.results import AnswerSentence, Hit, SearchResult


class QueryError(AtlasError):
    """A search request is invalid (empty query, bad k, unknown kind...)."""

    status = 400
    title = "Bad request"


@dataclass(frozen=True)
class SearchConfig:
    """Retrieval settings (see the module docstring for how they were chosen)."""

    candidates: int = 50  # how deep each retriever looks before fusion
    fusion: str = "score"  # "score" (normalised-score fusion) or "rrf"
    rrf_k: int = 60
    keyword_weight: float = 0.4
    dense_weight: float = 0.6
    concept_bonus: float = 0.05  # added for passages linked to a specific concept the query names
    specific_share: float = 0.05  # a concept on more than this share of passages is too general
    expand_concepts: bool = True  # add the labels of named concepts to the keyword query
    no_answer_below: float = 0.35  # best answer-sentence cosine under which there is no good answer
    partial_below: float = 0.5  # the card's lead sentence under this cosine: partial evidence


@dataclass(frozen=True)
class Filters:
    """Facet filters; within one field the values are alternatives."""

    kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    concepts: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # language codes as in the catalog ("en", "ru")


def validate_request(query: str, k: int, offset: int, filters: Filters, method: str) -> str:
    """Check a request's parameters; return the cleaned query or raise `QueryError`."""
    cleaned = " ".join((query or "").split())
    if not cleaned:
        raise QueryError("The query is empty; type a question or a term")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QueryError(f"The query is longer than {MAX_QUERY_CHARS} characters")
    if not 1 <= k <= MAX_K:
        raise QueryError(f"k must be between 1 and {MAX_K}, not {k}")
    if not 0 <= offset <= MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET}, not {offset}")
    unknown = [kind for kind in filters.kinds if kind not in KINDS]
    if unknown:
        raise QueryError(f"Unknown kind {unknown[0]!r}; use one of {', '.join(KINDS)}")
    if method not in METHODS:
        raise QueryError(f"Unknown method {method!r}; use one of {', '.join(METHODS)}")
    return cleaned


_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def keyword_workers() -> ThreadPoolExecutor:
    """The process's pool for keyword search beside the query embedding (created once)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            # One keyword job per request at a time: as many workers as waitress has threads.
            _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="keyword")
        return _pool


class Searcher:
    """Answers queries over one loaded build."""

    def __init__(
        self,
        build: LoadedBuild,
        embed_query: QueryEmbedder,
        config: SearchConfig | None = None,
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
        depth = max(config.candidates, k + offset)
        scoring = None  # keyword search runs on a worker thread while the query is embedded
        if method in ("hybrid", "keyword"):
            scoring = self._workers.submit(
                self.build.keyword.score, self._keyword_query(query, named), allowed
            )
        vector = self.embed_query(query)
        keyword: dict[int, float] = {}
        dense: dict[int, float] = {}
        if method in ("hybrid", "dense"):
            dense = dict(self.build.dense.search(vector, depth, allowed))
        if scoring is not None:
            scores = scoring.result()
            keyword = dict(scores.top(depth))
            if method == "hybrid" and config.fusion == "score":
                keyword.update(scores.of(dense))  # the dense candidates' own BM25, not zero
        if method == "keyword":
            fused = sorted(keyword.items(), key=lambda pair: (-pair[1], pair[0]))
        elif method == "dense":
            fused = sorted(dense.items(), key=lambda pair: (-pair[1], pair[0]))
        else:
            fused = self._fuse(vector, keyword, dense, named)
        shape = question_shape(query, [(concept.id, words) for concept, words in mentions])
        return self._result(query, method, vector, fused, k, offset, named, shape)

    def _fuse(
        self,
        vector,
        keyword: dict[int, float],
        dense: dict[int, float],
        named: list[tuple[str, str]],
    ) -> list[tuple[int, float]]:
        config = self.config
        if config.fusion == "rrf":
            return reciprocal_rank_fusion(
                [
                    sorted(keyword, key=keyword.__getitem__, reverse=True),
                    sorted(dense, key=dense.__getitem__, reverse=True),
                ],
                k=config.rrf_k,
                weights=[config.keyword_weight, config.dense_weight],
            )
        # Each candidate is fused on both real scores: `search` took the dense candidates'
        # BM25, and keyword-only candidates get their cosine here.
        missing = sorted(set(keyword) - set(dense))
        if missing:
            dense.update(zip(missing, self.build.dense.cosines(vector, missing), strict=True))
        fused = dict(
            normalised_score_fusion(
                [keyword, dense], [config.keyword_weight, config.dense_weight], floors=[0.0, None]
            )
        )
        for row in self._specific_concept_rows(named, set(fused)):
            fused[row] += config.concept_bonus
        return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))

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
        if not self.config.expand_concepts:
            return query
        extra = []
        for concept_id, _ in named:
            concept = self.build.scheme.concepts[concept_id]  # named: found in this scheme
            extra.append(concept.pref_label)
            extra.extend(
                label for label in concept.alt_labels if is_abbreviation(label) and label.isascii()
            )
        return " ".join([query, *extra])

    def _result(
        self,
        query: str,
        method: str,
        vector,
        fused: list[tuple[int, float]],
        k: int,
        offset: int,
        named: list[tuple[str, str]],
        shape: QuestionShape,
    ) -> SearchResult:
        store = self.build.store
        page = fused[offset : offset + k]
        rows = [row for row, _ in page]
        stored = store.passages(rows)
        concepts = store.concepts_of(rows)
        best = best_sentence_per_passage(vector, rows, store, self.build.sentence_vectors)
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
            query,
            vector,
            shape,
            [row for row, _ in fused],
            store,
            self.build.sentence_vectors,
            self.build.scheme.get(shape.concept_id) if shape.concept_id else None,
            self.config.no_answer_below,
            self.config.partial_below,
        )
        no_good_answer = not card.items
        answer = [AnswerSentence.from_item(item) for item in card.items]
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
            partial=card.partial and not no_good_answer,
        )
