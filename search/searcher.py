"""Search over a loaded build: keyword, dense or hybrid retrieval, answer sentences and facets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from graph.concepts import ConceptScheme, load_scheme
from ingest.errors import AtlasError
from ingest.models import KINDS, DocumentMeta, Passage
from search.answer import best_sentence_per_passage, pick_answer
from search.builds import BuildError, resolve_current, verify_build
from search.citation import cite
from search.dense import DenseIndex
from search.encoder import QueryEmbedder
from search.fusion import reciprocal_rank_fusion
from search.keyword import keyword_search
from search.passages import PassageStore

METHODS = ("hybrid", "keyword", "dense")
MAX_K = 100
MAX_QUERY_CHARS = 1000
CANDIDATES = 50  # how deep each retriever looks before fusion
ANSWER_FROM_TOP = 3  # answer sentences come from the top passages only


class QueryError(AtlasError):
    """A search request is invalid (empty query, bad k, unknown kind...)."""


class LoadedBuild:
    """A verified build opened for reading: store, FAISS index, sentence vectors, concepts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.manifest = verify_build(path)
        self.store = PassageStore(path / "passages.sqlite")
        self.dense = DenseIndex.load(path / "passages.faiss")
        self.sentence_vectors = np.load(path / "sentences.npy", mmap_mode="r")
        counts = self.manifest["counts"]
        if len(self.dense) != counts["passages"] or self.dense.dimension != self.manifest[
                "model"]["dimension"] or self.sentence_vectors.shape[0] != counts["sentences"]:
            raise BuildError(f"{path.name}: index sizes do not match the manifest; "
                             "run `ilp ingest` to rebuild")

    @classmethod
    def open_current(cls, instance: Path) -> LoadedBuild:
        """Open the build that `instance/current` points to."""
        return cls(resolve_current(instance))

    @property
    def build_id(self) -> str:
        """The build's id (its folder name)."""
        return self.manifest["build_id"]

    @cached_property
    def scheme(self) -> ConceptScheme:
        """The concept scheme this build was linked with."""
        return load_scheme(self.path / "concepts.ttl")

    def close(self) -> None:
        """Release the SQLite connection."""
        self.store.close()


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its document, score, concepts and best sentence."""

    passage: Passage
    document: DocumentMeta
    score: float
    concepts: list[tuple[str, str]]
    highlight: str | None = None

    def to_dict(self) -> dict:
        """The hit in the JSON shape fixed by DESIGN.md (plus `citation` and `highlight`)."""
        return {
            "passage_id": self.passage.id,
            "text": self.passage.text,
            "score": round(self.score, 6),
            "document": {"id": self.document.id, "title": self.document.title,
                         "kind": self.document.kind, "year": self.document.year},
            "heading_path": list(self.passage.heading_path),
            "page": self.passage.page,
            "concepts": [{"id": cid, "label": label} for cid, label in self.concepts],
            "citation": cite(self.document, self.passage),
            "highlight": self.highlight,
        }


@dataclass(frozen=True)
class AnswerSentence:
    """A sentence chosen for the answer card, with where it comes from."""

    text: str
    passage_id: str
    citation: str
    score: float

    def to_dict(self) -> dict:
        """The answer entry in the fixed JSON shape."""
        return {"text": self.text, "passage_id": self.passage_id, "citation": self.citation}


@dataclass(frozen=True)
class SearchResult:
    """Everything a search returns."""

    query: str
    method: str
    hits: list[Hit]
    answer: list[AnswerSentence]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """`{"query", "answer", "hits", "facets"}` as fixed in DESIGN.md (plus `method`)."""
        return {"query": self.query, "method": self.method,
                "answer": [a.to_dict() for a in self.answer],
                "hits": [h.to_dict() for h in self.hits], "facets": self.facets}


def validate_request(query: str, k: int, kinds: list[str], method: str) -> str:
    """Check a request's parameters; return the cleaned query or raise `QueryError`."""
    cleaned = " ".join((query or "").split())
    if not cleaned:
        raise QueryError("The query is empty; type a question or a term")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QueryError(f"The query is longer than {MAX_QUERY_CHARS} characters")
    if not 1 <= k <= MAX_K:
        raise QueryError(f"k must be between 1 and {MAX_K}, not {k}")
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise QueryError(f"Unknown kind {unknown[0]!r}; use one of {', '.join(KINDS)}")
    if method not in METHODS:
        raise QueryError(f"Unknown method {method!r}; use one of {', '.join(METHODS)}")
    return cleaned


class Searcher:
    """Answers queries over one loaded build."""

    def __init__(self, build: LoadedBuild, embed_query: QueryEmbedder) -> None:
        model = build.manifest["model"]["name"]
        if embed_query.encoder.name != model:
            raise BuildError(f"The build was embedded with {model!r} but the query encoder is "
                             f"{embed_query.encoder.name!r}; use the same model or re-ingest")
        self.build = build
        self.embed_query = embed_query

    def search(self, query: str, k: int = 10, kinds: list[str] | None = None,
               method: str = "hybrid") -> SearchResult:
        """The top `k` passages for `query`, with answer sentences and facet counts."""
        kinds = list(kinds or [])
        query = validate_request(query, k, kinds, method)
        store = self.build.store
        allowed = store.row_ids_where(kinds=kinds)
        depth = max(CANDIDATES, k)
        vector = None
        rankings: list[list[int]] = []
        if method in ("hybrid", "keyword"):
            rankings.append([row for row, _ in keyword_search(store.connection, query, depth,
                                                               allowed)])
        if method in ("hybrid", "dense"):
            vector = self.embed_query(query)
            rankings.append([row for row, _ in self.build.dense.search(vector, depth, allowed)])
        fused = reciprocal_rank_fusion(rankings)
        top = fused[:k]
        rows = [row for row, _ in top]
        stored = store.passages(rows)
        concepts = store.concepts_of(rows)
        if vector is None:
            vector = self.embed_query(query)
        best = best_sentence_per_passage(vector, rows, store, self.build.sentence_vectors)
        hits = [Hit(stored[row].passage, stored[row].document, score, concepts[row],
                    best[row].text if row in best else None) for row, score in top]
        answer = [
            AnswerSentence(sentence.text, stored[sentence.row_id].passage.id,
                           cite(stored[sentence.row_id].document, stored[sentence.row_id].passage),
                           sentence.score)
            for sentence in pick_answer(best, rows[:ANSWER_FROM_TOP])
        ]
        return SearchResult(query, method, hits, answer,
                            facets(store, [row for row, _ in fused[:CANDIDATES]]))


def facets(store: PassageStore, rows: list[int]) -> dict[str, dict[str, int]]:
    """Counts by kind, document, country and year over the candidate passages."""
    counters: dict[str, Counter] = {name: Counter() for name in
                                    ("kind", "document", "country", "year")}
    for stored in store.passages(rows).values():
        document = stored.document
        counters["kind"][document.kind] += 1
        counters["document"][document.id] += 1
        counters["year"][str(document.year)] += 1 if document.year else 0
        for code in document.countries:
            counters["country"][code] += 1
    return {name: dict(counter.most_common()) for name, counter in counters.items()}
