"""Deterministic stand-ins that implement the real interfaces (no mocks)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

import numpy as np


class HashingEncoder:
    """A bag-of-words embedding: each word hashed to a signed dimension, then L2-normalised.

    Texts that share words get similar vectors, so retrieval tests mean something, and the same
    text always gives the same vector.
    """

    name = "test-hashing-encoder"

    def __init__(self, dimension: int = 64) -> None:
        self._dimension = dimension
        self.calls = 0
        self.texts_encoded = 0

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        self.calls += 1
        self.texts_encoded += len(texts)
        matrix = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self._dimension
                matrix[row, index] += 1.0 if digest[4] % 2 else -1.0
            norm = np.linalg.norm(matrix[row])
            matrix[row] = matrix[row] / norm if norm else matrix[row]
        if progress:
            progress(len(texts))
        return matrix


class MultilingualHashingEncoder(HashingEncoder):
    """The hashing encoder under another name: a build's multilingual index in fast tests.

    Hashing words reads any script, so Russian text gets meaningful vectors too; only the
    name must differ from the main encoder's, as the real multilingual model's does.
    """

    name = "test-multilingual-hashing-encoder"


class GlossingEncoder(MultilingualHashingEncoder):
    """The multilingual hashing encoder reading some English words as their translations
    (`glossary`: English word -> the word it stands for): a deterministic stand-in for a
    multilingual model, which places a word and its translation close together."""

    def __init__(self, glossary: dict[str, str], dimension: int = 64) -> None:
        super().__init__(dimension)
        self.glossary = glossary

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        glossed = [
            re.sub(r"\w+", lambda word: self.glossary.get(word[0].lower(), word[0]), text)
            for text in texts
        ]
        return super().encode(glossed, progress)
