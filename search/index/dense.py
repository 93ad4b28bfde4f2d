"""Dense retrieval: a FAISS inner-product index over normalised passage embeddings."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from ilp_base.errors import AtlasError


class IndexFileError(AtlasError):
    """A FAISS index file is missing or damaged."""


class DenseIndex:
    """`IndexIDMap(IndexFlatIP)`: exact cosine search, ids are passage row ids."""

    def __init__(self, index: faiss.Index) -> None:
        # faiss's own type hints do not know the IndexIDMap attributes used below.
        self.index: Any = index
        self._position_of: dict[int, int] | None = None  # row id -> position, if not identity

    @classmethod
    def build(cls, vectors: np.ndarray, row_ids: np.ndarray) -> DenseIndex:
        """Index normalised vectors under the given integer ids."""
        index = faiss.IndexIDMap(faiss.IndexFlatIP(vectors.shape[1]))
        if len(vectors):
            index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(row_ids, dtype=np.int64)
            )
        return cls(index)

    @property
    def dimension(self) -> int:
        """Vector length."""
        return self.index.d

    def __len__(self) -> int:
        return self.index.ntotal

    def search(
        self, vector: np.ndarray, k: int, allowed: AbstractSet[int] | None = None
    ) -> list[tuple[int, float]]:
        """(row id, cosine) pairs, best first, optionally only among `allowed` row ids."""
        if len(self) == 0 or k <= 0 or (allowed is not None and not allowed):
            return []
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.fromiter(allowed, dtype=np.int64))
            params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
        scores, ids = self.index.search(query, min(k, len(self)), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def cosines(self, vector: np.ndarray, row_ids: list[int]) -> list[float]:
        """Cosine of the query with the given rows, without scanning the index."""
        return [float(x) for x in self.vectors(row_ids) @ vector.astype(np.float32)]

    def vectors(self, row_ids: list[int]) -> np.ndarray:
        """The stored vectors of the given rows, in that order."""
        ids = np.asarray(row_ids, dtype=np.int64)
        return self.index.index.reconstruct_batch(self._positions(ids))

    def _positions(self, ids: np.ndarray) -> np.ndarray:
        if self._position_of is None:
            id_map = faiss.vector_to_array(self.index.id_map)
            # Builds add rows 0..n-1 in order, so normally a row id is its own position.
            identity = np.array_equal(id_map, np.arange(len(id_map)))
            self._position_of = {} if identity else {int(r): p for p, r in enumerate(id_map)}
        if not self._position_of:
            return ids
        return np.asarray([self._position_of[int(row)] for row in ids], dtype=np.int64)

    def save(self, path: Path) -> None:
        """Write the index file."""
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        """Read an index file, refusing a damaged one."""
        try:
            return cls(faiss.read_index(str(path)))
        except RuntimeError as error:
            raise IndexFileError(f"{path}: damaged FAISS index ({error})") from error
