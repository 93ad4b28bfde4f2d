"""Is it a word of English or Russian? For "did you mean" (search/spelling.py), which must not
"correct" a real word only because the corpus never uses it.

The word lists are pyspellchecker's (MIT): its English list (about 160,000 words, inflected
forms included) is read as it is; its Russian one is short (about 20,000 words), so a Russian
word counts when its Snowball stem is the stem of a listed word ("оперативными" by
"оперативный"). Both are loaded once per process, when first asked: the English list in about
0.3 s, the Russian one in about 1 s (pure-Python Snowball over its 20,000 words); together about
40 MB.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import snowballstemmer

from ingest.stems import fold, is_cyrillic_word, russian_stem

_lock = threading.Lock()


def is_word(word: str) -> bool:
    """True for a lower-case word of English (as listed) or of Russian (by its stem)."""
    if is_cyrillic_word(word):
        return russian_stem(word) in _russian_stems()
    return word in _english_words()


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    with _lock:
        return frozenset(_word_list("en"))


@lru_cache(maxsize=1)
def _russian_stems() -> frozenset[str]:
    # A stemmer of its own, in one call: ingest.stems.russian_stem would lock and cache each
    # of the 20,000 words (the same Snowball algorithm, so the stems agree).
    with _lock:
        words = [fold(word.lower()) for word in _word_list("ru")]
        return frozenset(snowballstemmer.stemmer("russian").stemWords(words))


def _word_list(language: str) -> list[str]:
    from spellchecker import SpellChecker  # imported on first use: it reads its lists at once

    return list(SpellChecker(language=language, distance=1).word_frequency.dictionary)
