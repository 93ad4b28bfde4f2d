"""Embedding single queries as a server does: one thread, torch-free when the model allows."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from search.encoders.base import Encoder, model_location
from search.encoders.onnx_bert import OnnxEncoder, is_supported
from search.encoders.sentence_transformer import SentenceTransformerEncoder


def limit_threads(threads: int = 1) -> None:
    """Cap the BLAS and OpenMP pools (NumPy, FAISS) for answering queries on this thread.

    A server answers each query on one thread and the other core serves the next request.
    Left at two, FAISS's idle OpenMP workers spin on the core the query embedding needs: that
    cost about 5 ms per query here (22 ms p50 instead of 17). The BLAS limit is process-wide;
    OpenMP's applies to the calling thread, so `ilp serve` also sets OMP_NUM_THREADS=1 before
    anything loads, for its worker threads.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads)


def serving_query_encoder(model_path: Path | None = None) -> Encoder:
    """The query encoder as a server uses it: BLAS and OpenMP capped at one thread on this
    thread (`limit_threads`) and the model run on one thread."""
    limit_threads(1)
    return query_encoder(model_path, threads=1)


def query_encoder(model_path: Path | None = None, threads: int | None = 1) -> Encoder:
    """The encoder for single queries: ONNX Runtime when the model allows (no torch import,
    about 8 s faster to start and twice as fast per query), else sentence-transformers. Both
    give the same vectors to within float32 rounding."""
    if is_supported(model_location(model_path)[0]):
        return OnnxEncoder(model_path, threads=threads)
    return SentenceTransformerEncoder(model_path, threads=threads)


class QueryEmbedder:
    """Embeds single queries with a small in-memory cache (repeated queries cost nothing)."""

    def __init__(self, encoder: Encoder, cache_size: int = 1024) -> None:
        self.encoder = encoder
        self._cached = lru_cache(maxsize=cache_size)(self._embed)

    def _embed(self, text: str) -> np.ndarray:
        vector = self.encoder.encode([text])[0]
        vector.setflags(write=False)
        return vector

    def __call__(self, text: str) -> np.ndarray:
        """The normalised embedding of one query."""
        return self._cached(text)
