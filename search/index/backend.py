"""The index backend interface: what retrieval asks of the dense and keyword indexes.

`Searcher` (search/searcher.py) and cross-language search only call the methods below, so any
engine that provides them can serve a build. Two backends exist:

- local (the default): FAISS `IndexFlatIP` files and the SQLite FTS5 postings in the build
  folder (`DenseIndex`, `KeywordIndex`; they satisfy these protocols as they are);
- Milvus (search/index/milvus_backend.py): one collection per build, embedded milvus-lite
  (`milvus:///path/index.db`) or a Milvus server or cluster (`milvus://host:19530`), with the
  same client code.

Either way the passage store (texts, metadata, facets, sentences) stays in the build's
`passages.sqlite`; only dense and keyword retrieval move.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Protocol

import numpy as np

from ilp_base.errors import AtlasError

LOCAL = "local"


class IndexUrlError(AtlasError):
    """An index URL names no backend this build can use."""

    title = "Bad index URL"


class DenseSearch(Protocol):
    """Exact inner-product search over normalised passage vectors keyed by row id."""

    @property
    def dimension(self) -> int:
        """Vector length."""
        ...

    def __len__(self) -> int: ...

    def search(
        self, vector: np.ndarray, k: int, allowed: AbstractSet[int] | None = None
    ) -> list[tuple[int, float]]:
        """(row id, cosine) pairs, best first, optionally only among `allowed` row ids."""
        ...

    def cosines(self, vector: np.ndarray, row_ids: list[int]) -> list[float]:
        """Cosine of the query with the given rows."""
        ...

    def vectors(self, row_ids: list[int]) -> np.ndarray:
        """The stored vectors of the given rows, in that order."""
        ...


class KeywordResult(Protocol):
    """One query's BM25 scores."""

    def top(self, k: int) -> list[tuple[int, float]]:
        """The `k` best matching rows with their scores, best first (ties by row id)."""
        ...

    def of(self, rows: Iterable[int]) -> dict[int, float]:
        """The scores of those of `rows` that match."""
        ...


class KeywordSearch(Protocol):
    """BM25 scoring of passages (FTS5's formula and column weights)."""

    def score(self, query: str, allowed: AbstractSet[int] | None = None) -> KeywordResult:
        """The scores of the rows that match `query` (and are `allowed`)."""
        ...


def index_backend_name(url: str | None) -> str:
    """`local` or `milvus` for an index URL (None or "local" is the local backend)."""
    if not url or url == LOCAL:
        return LOCAL
    if url.startswith("milvus://"):
        return "milvus"
    raise IndexUrlError(
        f"Unknown index URL {url!r}: use `local`, `milvus:///path/index.db` (embedded "
        "milvus-lite) or `milvus://host:19530` (a Milvus server)"
    )
