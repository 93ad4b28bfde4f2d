"""A question's words rendered in English, word by word, through the multilingual encoder.

The corpus is mostly English, and BM25 and MiniLM only see words, so a Russian question shares
no word with the passages that answer it. The multilingual encoder embeds single words
meaningfully across languages ("законодательство" is nearest to "legislation" at 0.95,
"бюджет" to "budget" at 0.93, "доноры" to "donors" at 0.78), so each content word of the
question is replaced by its nearest word of the corpus's English vocabulary
(`multilingual-words.npz`, built at ingest), when their cosine reaches `MIN_COSINE`. The
English words then join the keyword query, and MiniLM embeds them as an English rendering of
the question. Word-by-word is crude (word order, idioms and multi-word terms are lost; named
concepts are added by their English labels instead), but on the Russian gold questions it
lifted hybrid Recall@5 over the English passages from 0.54 to 0.64 (README, "Questions in
Russian").
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

import numpy as np

from ingest.country_mentions import country_name
from ingest.stems import RUSSIAN_STOPWORDS
from search.encoders.base import Encoder
from search.index.keyword import STOPWORDS
from search.index.multilingual import MultilingualIndex

MIN_COSINE = 0.7  # chosen on the Russian gold questions (0.7 / 0.75 / 0.8 tried)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def words_to_translate(text: str) -> list[str]:
    """The words of a non-English text worth translating: letters only, at least three, no
    English or Russian stopword, no abbreviation (NIM, T&CG and "3-i" speak for themselves)."""
    found = []
    for word in _WORD.findall(text):
        lowered = word.lower()
        if len(word) < 3 or lowered in STOPWORDS or lowered in RUSSIAN_STOPWORDS:
            continue
        if word.isupper() and len(word) <= 8:
            continue
        found.append(lowered)
    return list(dict.fromkeys(found))


_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()  # (model, word) -> vector
_cache_lock = threading.Lock()
CACHE_SIZE = 8192  # words; per process, shared by every searcher (one is made per request)


def clear_word_cache() -> None:
    """Forget every cached word vector (the bench times translation from scratch)."""
    with _cache_lock:
        _cache.clear()


class WordTranslator:
    """Nearest English corpus word of each word, by the multilingual encoder's vectors."""

    def __init__(
        self, encoder: Encoder, index: MultilingualIndex, min_cosine: float = MIN_COSINE
    ) -> None:
        self.encoder = encoder
        self.index = index
        self.min_cosine = min_cosine

    def _vectors(self, words: list[str]) -> np.ndarray:
        """The words' vectors, embedding only those not cached (in one batch)."""
        keys = [(self.encoder.name, word) for word in words]
        with _cache_lock:
            found = {key: _cache[key] for key in keys if key in _cache}
        missing = [word for key, word in zip(keys, words, strict=True) if key not in found]
        if missing:
            fresh = self.encoder.encode(missing)
            with _cache_lock:
                for word, vector in zip(missing, fresh, strict=True):
                    found[(self.encoder.name, word)] = _cache[(self.encoder.name, word)] = vector
                while len(_cache) > CACHE_SIZE:
                    _cache.popitem(last=False)
        return np.vstack([found[key] for key in keys])

    def translate(self, text: str) -> list[str]:
        """The English words for the words of `text`, in their order (each at most once). A
        country's name or adjective is rendered from the table of countries (its English name,
        ingest/country_mentions.py): the encoder places names poorly ("Молдовы": "milwaukee")."""
        words = words_to_translate(text)
        if not words or not self.index.words:
            return []
        countries = {word: country_name(word) for word in words}
        others = [word for word in words if countries[word] is None]
        nearest: dict[str, str] = {}
        if others:
            cosines = self._vectors(others) @ self.index.word_vectors.T
            for row, column in enumerate(cosines.argmax(axis=1)):
                if cosines[row, column] >= self.min_cosine:
                    nearest[others[row]] = self.index.words[column]
        english = [countries[word] or nearest.get(word) for word in words]
        return list(dict.fromkeys(word for word in english if word))
