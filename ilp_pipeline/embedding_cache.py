"""A SQLite cache of embeddings keyed by (model name, content hash), shared across builds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ilp_pipeline.cache_db import open_cache
from ingest.models import content_hash
from search.encoders.base import Encoder


class EmbeddingCache:
    """Stores each text's vector once per model, so re-ingesting unchanged text is free."""

    def __init__(self, path: Path) -> None:
        self.connection = open_cache(
            path,
            "CREATE TABLE IF NOT EXISTS embeddings (model TEXT NOT NULL, hash TEXT NOT NULL, "
            "vector BLOB NOT NULL, PRIMARY KEY (model, hash))",
        )

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors among `hashes`."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT hash, vector FROM embeddings WHERE model = ? AND hash IN ({marks})",
                [model, *chunk],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors by content hash."""
        with self.connection:
            self.connection.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [
                    (model, key, np.asarray(vec, dtype=np.float32).tobytes())
                    for key, vec in items.items()
                ],
            )

    def close(self) -> None:
        """Close the database."""
        self.connection.close()


def embed_cached(
    encoder: Encoder,
    texts: Sequence[str],
    cache: EmbeddingCache,
    progress: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Embed texts, computing only the ones not cached; returns (vectors, number computed)."""
    hashes = [content_hash(text) for text in texts]
    cached = cache.get_many(encoder.name, hashes)
    missing = {key: text for key, text in zip(hashes, texts, strict=True) if key not in cached}
    if progress and len(cached):
        progress(len(texts) - len(missing))
    if missing:
        vectors = encoder.encode(list(missing.values()), progress=progress)
        fresh = dict(zip(missing.keys(), vectors, strict=True))
        cache.put_many(encoder.name, fresh)
        cached.update(fresh)
    if not texts:
        return np.zeros((0, encoder.dimension), dtype=np.float32), 0
    return np.vstack([cached[key] for key in hashes]).astype(np.float32), len(missing)
