"""The sentence-transformers encoder (torch), used at ingest for batches of thousands of texts.

Heavy imports (torch, sentence-transformers) happen on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from search.encoders.base import EncoderError, model_location


class SentenceTransformerEncoder:
    """A local sentence-transformers model, loaded once on first use."""

    def __init__(
        self, model_path: Path | None = None, batch_size: int = 32, threads: int | None = None
    ) -> None:
        self.model_path, self.name = model_location(model_path)
        self.batch_size = batch_size
        self.threads = threads
        self._model: Any = None  # a SentenceTransformer once loaded

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
            self._model = SentenceTransformer(
                str(self.model_path), device="cpu", local_files_only=True
            )
        return self._model

    @property
    def dimension(self) -> int:
        """Length of each embedding vector."""
        model = self.model
        # sentence-transformers 5 renamed the method; keep working with older releases too.
        measure = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(measure())

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embed texts in batches; `progress(n)` is called after each batch of n texts."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # Batches of similar length waste little on padding: encoding sorted by length halved
        # ingest time on the corpus (short sentences no longer pad to the longest passage).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            vectors[batch] = self.model.encode(
                [texts[i] for i in batch],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            if progress:
                progress(len(batch))
        return vectors
