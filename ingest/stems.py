"""Word stems for matching inflected Russian: the Snowball Russian stemmer, with ё read as е.

Russian inflects nouns and adjectives by case and number ("модель", "модели", "моделью"), so a
word of a query or a label rarely occurs in a text in the form it was typed. Every place that
compares Russian words (the keyword index, concept labels in queries and passages, the answer
card's word overlap) compares their stems. Only Cyrillic words are stemmed: English text is
left exactly as it was, so English search is unchanged.

"ё" is read as "е" everywhere: Russian writers mostly type "е", and the corpus does too.
The Snowball stemmer (`snowballstemmer`, pure Python, BSD) was chosen over pymorphy3 lemmas:
one small package without dictionaries, about 5 microseconds a word, and conflations that
suit search ("анализ", "анализа", "анализе" -> "анализ"); its errors (over-short stems of
short words) do not matter for matching whole labels.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import snowballstemmer

CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[\w&]+", re.UNICODE)

# Russian function words: left out of keyword queries and the answer card's word overlap.
RUSSIAN_STOPWORDS = frozenset(
    """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
    было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него
    до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы
    тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому
    этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех
    никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них
    какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой
    им более всегда конечно всю между это такое каков какова каковы какие каких какую ли
    """.split()
)

_stemmer = snowballstemmer.stemmer("russian")
_english = snowballstemmer.stemmer("english")
_lock = threading.Lock()  # a Snowball stemmer object keeps state while it stems a word


def fold(text: str) -> str:
    """The text with "ё" read as "е" (either case)."""
    return text.replace("ё", "е").replace("Ё", "Е")


def has_cyrillic(text: str) -> bool:
    """True when the text holds a Cyrillic letter."""
    return bool(CYRILLIC_WORD.search(text))


def is_cyrillic_word(word: str) -> bool:
    """True for a word written in Cyrillic letters (no Latin letter in it)."""
    return bool(CYRILLIC_WORD.search(word)) and not _LATIN_LETTER.search(word)


@lru_cache(maxsize=65536)
def russian_stem(word: str) -> str:
    """The lower-case Snowball stem of one Russian word ("моделями" -> "модел")."""
    with _lock:
        return _stemmer.stemWord(fold(word.lower()))


@lru_cache(maxsize=65536)
def english_stem(word: str) -> str:
    """The lower-case Snowball (Porter 2) stem of one English word ("collecting" and "collect":
    "collect"; "analysts": "analyst"). The answer card's word overlap and the speller's test
    for a corpus word in another form use it (search/spelling.py); the keyword index matches
    English words as they are written."""
    with _lock:
        return _english.stemWord(word.lower())


def stem_word(word: str) -> str:
    """A word as the comparisons use it: a Cyrillic word stemmed, any other lower-cased."""
    return russian_stem(word) if CYRILLIC_WORD.fullmatch(word) else fold(word.lower())


def stem_cyrillic(text: str) -> str:
    """The text with every Cyrillic word replaced by its stem; everything else untouched."""
    if not has_cyrillic(text):
        return text
    return CYRILLIC_WORD.sub(lambda match: russian_stem(match.group(0)), text)


def stemmed_words(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of every word of a text ("T&CG" and digits kept as words)."""
    return [(stem_word(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(text)]
