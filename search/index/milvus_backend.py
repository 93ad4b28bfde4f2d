"""The Milvus index backend: dense and keyword retrieval of a build in one Milvus collection.

The same pymilvus code runs against embedded milvus-lite (`milvus:///abs/path/index.db`, a
file beside the instance) and a Milvus server or cluster (`milvus://host:19530`). Each build
writes a new collection `ilp_<build id>` holding, per passage row id:

- `dense`: the MiniLM vector (FLAT index, inner product: exact, as FAISS `IndexFlatIP`);
- `multilingual`: the multilingual vector, when the build has the multilingual index;
- `keyword`: the passage's BM25 as a sparse vector (SPARSE_INVERTED_INDEX, inner product).

The keyword vectors hold our own BM25, not Milvus's BM25 function: milvus_keyword.py says why
and how. Connections and filters: milvus_connection.py.

Filters are Milvus filter expressions on the row id (`id in [...]`, or `id not in [...]` when the
complement is shorter); inner products are exact under any filter. Aliases: after the build is
switched, the alias `ilp_current` is pointed at its collection for other readers; the atomic
switch for our own readers is the build folder (its manifest names the collection).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path

import numpy as np

from search.index.milvus_connection import (
    MAX_LIMIT,
    IndexUnavailable,
    client,
    close,
    loaded,
    milvus_uri,
    row_filter,
)
from search.index.milvus_keyword import MilvusKeyword, keyword_vectors

__all__ = [
    "ALIAS",
    "IndexUnavailable",
    "MilvusDense",
    "MilvusKeyword",
    "client",
    "close",
    "collection_name",
    "drop_collections",
    "milvus_uri",
    "publish",
    "write_collection",
]
ALIAS = "ilp_current"
PREFIX = "ilp_"
BATCH = 1000  # rows per insert


def collection_name(build_id: str) -> str:
    """The collection of one build (Milvus names allow letters, digits and underscores)."""
    return PREFIX + build_id.replace("-", "_")


def write_collection(
    url: str,
    build_id: str,
    passage_vectors: np.ndarray,
    store_path: Path,
    multilingual_vectors: np.ndarray | None = None,
) -> dict:
    """Create and fill the build's collection; returns the manifest's `index` entry."""
    from pymilvus import DataType

    milvus = client(url)
    name = collection_name(build_id)
    schema = milvus.create_schema(auto_id=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=int(passage_vectors.shape[1]))
    if multilingual_vectors is not None:
        schema.add_field(
            "multilingual", DataType.FLOAT_VECTOR, dim=int(multilingual_vectors.shape[1])
        )
    schema.add_field("keyword", DataType.SPARSE_FLOAT_VECTOR)
    indexes = milvus.prepare_index_params()
    indexes.add_index("dense", index_type="FLAT", metric_type="IP")
    if multilingual_vectors is not None:
        indexes.add_index("multilingual", index_type="FLAT", metric_type="IP")
    indexes.add_index("keyword", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    milvus.create_collection(name, schema=schema, index_params=indexes, consistency_level="Strong")
    try:
        connection = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
        try:
            keywords = keyword_vectors(connection, len(passage_vectors))
        finally:
            connection.close()
        for start in range(0, len(passage_vectors), BATCH):
            batch = []
            for row in range(start, min(start + BATCH, len(passage_vectors))):
                entity = {
                    "id": row,
                    "dense": passage_vectors[row].tolist(),
                    "keyword": keywords[row] or {0: 1e-9},  # Milvus refuses an empty vector
                }
                if multilingual_vectors is not None:
                    entity["multilingual"] = multilingual_vectors[row].tolist()
                batch.append(entity)
            milvus.insert(name, batch)
        milvus.flush(name)
    except BaseException:
        milvus.drop_collection(name)
        raise
    return {"backend": "milvus", "url": url, "collection": name, "alias": ALIAS}


def publish(url: str, name: str) -> None:
    """Point the alias `ilp_current` at a collection (create it on first use)."""
    milvus = client(url)
    if ALIAS in milvus.list_aliases().get("aliases", []):
        milvus.alter_alias(name, ALIAS)
    else:
        milvus.create_alias(name, ALIAS)


def drop_collections(url: str, names: Iterable[str]) -> None:
    """Drop the collections of pruned builds (those that still exist)."""
    milvus = client(url)
    existing = set(milvus.list_collections())
    for name in names:
        if name in existing:
            milvus.drop_collection(name)


class MilvusDense:
    """Exact inner-product search over one vector field of a build's collection."""

    def __init__(self, url: str, collection: str, field: str) -> None:
        self.milvus = loaded(url, collection)
        self.collection = collection
        self.field = field
        self.rows = int(self.milvus.get_collection_stats(collection)["row_count"])
        described = self.milvus.describe_collection(collection)
        self._dimension = next(
            int(item["params"]["dim"]) for item in described["fields"] if item["name"] == field
        )

    @property
    def dimension(self) -> int:
        """Vector length."""
        return self._dimension

    def __len__(self) -> int:
        return self.rows

    def search(
        self, vector: np.ndarray, k: int, allowed: AbstractSet[int] | None = None
    ) -> list[tuple[int, float]]:
        """(row id, cosine) pairs, best first, optionally only among `allowed` row ids."""
        if not self.rows or k <= 0 or (allowed is not None and not allowed):
            return []
        found = self.milvus.search(
            self.collection,
            data=[np.asarray(vector, dtype=np.float32).tolist()],
            anns_field=self.field,
            limit=min(k, self.rows, MAX_LIMIT),
            filter=row_filter(allowed, self.rows),
            output_fields=[],
            search_params={"metric_type": "IP"},
        )[0]
        return [(int(hit["id"]), float(hit["distance"])) for hit in found]

    def cosines(self, vector: np.ndarray, row_ids: list[int]) -> list[float]:
        """Cosine of the query with the given rows (their vectors fetched by id)."""
        if not row_ids:
            return []
        return [float(x) for x in self.vectors(row_ids) @ np.asarray(vector, dtype=np.float32)]

    def vectors(self, row_ids: list[int]) -> np.ndarray:
        """The stored vectors of the given rows, in that order."""
        by_row: dict[int, list[float]] = {}
        for start in range(0, len(row_ids), MAX_LIMIT):
            chunk = [int(row) for row in row_ids[start : start + MAX_LIMIT]]
            for entity in self.milvus.get(self.collection, ids=chunk, output_fields=[self.field]):
                by_row[int(entity["id"])] = entity[self.field]
        return np.asarray([by_row[int(row)] for row in row_ids], dtype=np.float32).reshape(
            len(row_ids), self.dimension
        )
