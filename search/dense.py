"""Dense retrieval: a FAISS inner-product index over normalised passage embeddings."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from ingest.errors import AtlasError


class IndexFileError(AtlasError):
    """A FAISS index file is missing or damaged."""


class DenseIndex:
    """`IndexIDMap(IndexFlatIP)`: exact cosine search, ids are passage row ids."""

    def __init__(self, index: faiss.Index) -> None:
        self.index = index

    @classmethod
    def build(cls, vectors: np.ndarray, row_ids: np.ndarray) -> DenseIndex:
        """Index normalised vectors under the given integer ids."""
        index = faiss.IndexIDMap(faiss.IndexFlatIP(vectors.shape[1]))
        if len(vectors):
            index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                               np.asarray(row_ids, dtype=np.int64))
        return cls(index)

    @property
    def dimension(self) -> int:
        """Vector length."""
        return self.index.d

    def __len__(self) -> int:
        return self.index.ntotal

    def search(self, vector: np.ndarray, k: int,
               allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """(row id, cosine) pairs, best first, optionally only among `allowed` row ids."""
        if len(self) == 0 or k <= 0 or (allowed is not None and not allowed):
            return []
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.fromiter(allowed, dtype=np.int64))
            params = faiss.SearchParameters(sel=selector)
        scores, ids = self.index.search(query, min(k, len(self)), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

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
