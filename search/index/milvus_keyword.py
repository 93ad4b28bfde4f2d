"""The keyword side of the Milvus backend: FTS5's BM25 as sparse vectors, and their search.

Why not Milvus's own BM25 function: milvus-lite 3.2.2 has no whitespace tokenizer (only
`standard` and `jieba`), uses Lucene's idf (FTS5's differs) and, measured, scores a search
filtered to a few row ids with other statistics than the unfiltered one (the same row got 0.45
instead of 3.77), which breaks both filters and the searcher's "BM25 of the dense candidates".
So `keyword_vectors` computes each row's vector from the build's FTS5 posting lists: for each of
the row's index tokens, its exact FTS5 BM25 contribution (idf, k1 = 1.2, b = 0.75, column
weights; keyword.py), under a 31-bit hash of the token; every term of several words written in
the passages ("co-ordination", "3-i") gets a dimension too, weighted from its phrase postings. A
query is a sparse vector with 1 per query term, so the inner product is the local BM25 score.
The differences: a phrase the passages never write as one term (only "co ordination") is not
found, and terms in over half the passages are not pruned from the query but stay at FTS5's idf
floor (1e-6), hits that only they match being dropped (as `KeywordIndex` prunes them).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from functools import cached_property

import numpy as np

from search.index.keyword import _TERM, _WORD, Fts5Tokenizer, KeywordIndex, query_terms
from search.index.milvus_connection import MAX_LIMIT, loaded, row_filter

COMMON_ONLY = 1e-4  # a score below this comes only from terms at FTS5's idf floor


def term_dimension(token: str) -> int:
    """A token's dimension in the keyword vectors: 32 bits of its hash (below 2**32 - 1)."""
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "big") >> 1


def keyword_vectors(connection: sqlite3.Connection, rows: int) -> list[dict[int, float]]:
    """Each row's BM25 contributions by token dimension, from the build's posting lists."""
    index = KeywordIndex(connection)
    row_parts, dimension_parts, weight_parts = [], [], []
    for term, row_ids, _ in connection.execute("SELECT term, row_ids, rows FROM keyword_postings"):
        found, counts = index.postings(term)
        row_parts.append(np.frombuffer(row_ids, dtype=np.int32))
        dimension_parts.append(np.full(len(found), term_dimension(term), dtype=np.int64))
        weight_parts.append(index._scores(found, counts))  # FTS5's BM25 per (term, row)
    for tokens in _phrases(connection, index.tokenizer):
        found, counts = index.phrase_postings(tokens)
        if len(found):
            row_parts.append(found.astype(np.int32))
            dimension_parts.append(np.full(len(found), term_dimension(" ".join(tokens))))
            weight_parts.append(index._scores(found, counts))
    vectors: list[dict[int, float]] = [{} for _ in range(rows)]
    if not row_parts:
        return vectors
    row_of = np.concatenate(row_parts)
    dimensions, weights = np.concatenate(dimension_parts), np.concatenate(weight_parts)
    order = np.argsort(row_of, kind="stable")
    bounds = np.searchsorted(row_of[order], np.arange(rows + 1))
    for row in range(rows):
        chosen = order[bounds[row] : bounds[row + 1]]
        vectors[row] = dict(zip(dimensions[chosen].tolist(), weights[chosen].tolist(), strict=True))
    return vectors


def _phrases(connection: sqlite3.Connection, tokenizer: Fts5Tokenizer) -> set[tuple[str, ...]]:
    """The index tokens of every term of several words in the passages ("co-ordination"):
    a query names such a term as a phrase, so each gets its own dimension."""
    terms: set[str] = set()
    for fields in connection.execute("SELECT * FROM passages_fts"):
        for field in fields:
            for term in _TERM.findall(str(field or "").lower()):
                words = _WORD.findall(term)
                if len(words) > 1:
                    terms.add(" ".join(words))
    found = tokenizer.tokens(sorted(terms))
    return {tokens for tokens in found.values() if len(tokens) > 1}


class MilvusKeyword:
    """BM25 (FTS5's scores, see the module docstring) from a collection's keyword vectors."""

    def __init__(self, url: str, collection: str, tokenizer: Fts5Tokenizer | None = None) -> None:
        self.milvus = loaded(url, collection)
        self.collection = collection
        self.tokenizer = tokenizer or Fts5Tokenizer()
        self.rows = int(self.milvus.get_collection_stats(collection)["row_count"])

    def score(self, query: str, allowed: AbstractSet[int] | None = None) -> MilvusKeywordScores:
        """The scores of the rows that match `query` (and are `allowed`), fetched on demand."""
        terms = query_terms(query)
        tokens = self.tokenizer.tokens(terms) if terms else {}
        weights = Counter(  # a term of several tokens is a phrase, with a dimension of its own
            term_dimension(" ".join(tokens[term])) for term in terms if tokens.get(term)
        )
        return MilvusKeywordScores(self, {dim: float(n) for dim, n in weights.items()}, allowed)

    def search(self, vector: dict[int, float], limit: int, expression: str) -> dict[int, float]:
        """Row id -> score of the best `limit` rows under a filter expression."""
        if not vector or limit <= 0:
            return {}
        found = self.milvus.search(
            self.collection,
            data=[vector],
            anns_field="keyword",
            limit=min(limit, MAX_LIMIT),
            filter=expression,
            output_fields=[],
            search_params={"metric_type": "IP"},
        )[0]
        return {int(hit["id"]): float(hit["distance"]) for hit in found if hit["distance"] > 0}


class MilvusKeywordScores:
    """One query's BM25 scores, asked of Milvus when `top` or `of` needs them."""

    def __init__(
        self, index: MilvusKeyword, vector: dict[int, float], allowed: AbstractSet[int] | None
    ) -> None:
        self.index = index
        self.vector = vector
        self.allowed = allowed

    def top(self, k: int) -> list[tuple[int, float]]:
        """The `k` best matching rows with their scores, best first (ties by row id)."""
        if k <= 0 or (self.allowed is not None and not self.allowed):
            return []
        found = self.index.search(self.vector, k, row_filter(self.allowed, self.index.rows))
        if any(score >= COMMON_ONLY for score in found.values()):
            self.__dict__["_has_rare_term"] = True  # known without asking again
        found = self._matched(found)
        return sorted(found.items(), key=lambda pair: (-pair[1], pair[0]))[:k]

    def of(self, rows: Iterable[int]) -> dict[int, float]:
        """The scores of those of `rows` that match."""
        wanted = {int(row) for row in rows}
        if self.allowed is not None:
            wanted &= self.allowed
        if not wanted:
            return {}
        return self._matched(self.index.search(self.vector, len(wanted), f"id in {sorted(wanted)}"))

    @cached_property
    def _has_rare_term(self) -> bool:
        """Whether some passage matches a query term found in at most half the passages."""
        return any(score >= COMMON_ONLY for score in self.index.search(self.vector, 1, "").values())

    def _matched(self, scores: dict[int, float]) -> dict[int, float]:
        """Without the hits that only common terms match, when the query has a rare term
        (as `KeywordIndex` prunes terms in over half the passages from such a query)."""
        if self._has_rare_term:
            return {row: score for row, score in scores.items() if score >= COMMON_ONLY}
        # Only common terms match: `KeywordIndex` still prunes them when another query term
        # is in no passage at all (a rare term, of none), and then nothing matches.
        if len(self.vector) > 1 and any(
            not self.index.search({dimension: 1.0}, 1, "") for dimension in self.vector
        ):
            return {}
        return scores
