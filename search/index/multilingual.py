"""The build's second, multilingual index: the same passages and sentences embedded by the
multilingual encoder, and the English vocabulary of the corpus with its word vectors.

Questions that are not in English are embedded by the multilingual encoder
(search/encoders/multilingual.py), so they are searched against these vectors instead of the
MiniLM ones:

- `multilingual.faiss`: FAISS `IndexIDMap(IndexFlatIP)` of the passages (row ids as in
  passages.faiss);
- `multilingual-sentences.npy`: the sentences' vectors (answer cards and highlights for such
  questions; memory-mapped like sentences.npy);
- `multilingual-words.npz`: the English words of the corpus and their vectors, from which a
  question's words get their nearest English words (search/translation.py).

A build made without a multilingual encoder has none of these; its manifest says so
(`"multilingual": null`), and every question is then searched as English.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.stems import RUSSIAN_STOPWORDS
from search.index.backend import DenseSearch
from search.index.build_folders import MULTILINGUAL_ARTIFACTS
from search.index.dense import DenseIndex
from search.index.keyword import STOPWORDS

PASSAGES, SENTENCES, WORDS = MULTILINGUAL_ARTIFACTS

_ENGLISH_WORD = re.compile(r"[a-z][a-z'-]*[a-z]")
MIN_WORD_LENGTH = 3
MIN_PASSAGES = 2  # a word must occur in this many passages: drops one-off names and foreign terms


def vocabulary(texts: Iterable[str]) -> list[str]:
    """The English words of the texts worth translating into: lower case, at least three
    letters, no stopword, in at least `MIN_PASSAGES` texts; sorted."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(
            {
                word
                for word in _ENGLISH_WORD.findall(text.lower())
                if len(word) >= MIN_WORD_LENGTH
                and word not in STOPWORDS
                and word not in RUSSIAN_STOPWORDS
            }
        )
    return sorted(word for word, count in counts.items() if count >= MIN_PASSAGES)


@dataclass(frozen=True)
class MultilingualIndex:
    """The multilingual vectors of one build (see the module docstring)."""

    dense: DenseSearch  # FAISS, or the build's Milvus collection (search/index/backend.py)
    sentence_vectors: np.ndarray
    words: tuple[str, ...]
    word_vectors: np.ndarray

    @classmethod
    def load(cls, folder: Path) -> MultilingualIndex:
        """Read the three files (`ValueError`/`OSError` when one is damaged)."""
        dense = DenseIndex.load(folder / PASSAGES)
        sentences = np.load(folder / SENTENCES, mmap_mode="r")
        with np.load(folder / WORDS, allow_pickle=False) as stored:
            words = tuple(str(word) for word in stored["words"])
            vectors = np.ascontiguousarray(stored["vectors"], dtype=np.float32)
        if len(words) != len(vectors):
            raise ValueError(f"{WORDS} holds {len(words)} words but {len(vectors)} vectors")
        return cls(dense, sentences, words, vectors)


def write_multilingual(
    folder: Path,
    passage_vectors: np.ndarray,
    sentence_vectors: np.ndarray,
    words: list[str],
    word_vectors: np.ndarray,
) -> None:
    """Write the three files into a build folder."""
    DenseIndex.build(passage_vectors, np.arange(len(passage_vectors))).save(folder / PASSAGES)
    np.save(folder / SENTENCES, np.asarray(sentence_vectors, dtype=np.float32))
    with (folder / WORDS).open("wb") as handle:
        np.savez(
            handle,
            words=np.array(words, dtype=str),
            vectors=np.asarray(word_vectors, dtype=np.float32),
        )
