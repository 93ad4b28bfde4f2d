"""The language a query is written in: a rule on its words, and a detector for Latin script.

Which encoder embeds a query depends on it: MiniLM for English (exactly as before), the
multilingual encoder for any other language. Script alone is not enough: "модель 3-i" and
"что такое NIM" mix scripts, and "What is the 3-i model (модель)?" is English with one Russian
word. So the rule looks at the words that say something about the language:

1. Words with a digit ("3-i", "5x5x5"), abbreviations in Latin capitals (NIM, T&CG, SOCTA) and
   single letters are set aside: every language writes them the same way.
2. Of the rest, more Cyrillic words than Latin ones (ties too) means Russian: the corpus's
   other language and the only Cyrillic one the multilingual encoder knows well.
3. Otherwise Latin script: a query of at least `MIN_DETECTED_WORDS` such words goes to
   py3langid (a naive Bayes detector shipped with its model, about 0.07 ms a query), limited
   to the multilingual encoder's Latin-script languages; another language than English needs
   probability `MIN_PROBABILITY`. Shorter queries, and those with no telling word at all
   ("NIM", "5x5x5?"), are English, so English searches stay exactly as they were. On the 114
   English gold questions the detector says English every time.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from ingest.stems import is_cyrillic_word

ENGLISH = "en"
RUSSIAN = "ru"
# The Latin-script languages of multilingual USE v3 (it also reads ar, ja, ko, ru, th, zh).
LATIN_LANGUAGES = ("en", "de", "es", "fr", "it", "nl", "pl", "pt", "tr")
MIN_DETECTED_WORDS = 3
MIN_PROBABILITY = 0.9
_WORD = re.compile(r"[\w&]+(?:[-'\u2019][\w&]+)*", re.UNICODE)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")

_detector: Any = None
_detector_lock = threading.Lock()


def telling_words(query: str) -> list[str]:
    """The words of a query that say something about its language (see the module doc)."""
    found = []
    for word in _WORD.findall(query):
        letters = [ch for ch in word if ch.isalpha()]
        if len(letters) < 2 or any(ch.isdigit() for ch in word):
            continue
        if _LATIN.search(word) and word.isupper() and len(word) <= 8:
            continue  # NIM, T&CG, SOCTA, CCTV
        found.append(word)
    return found


def query_language(query: str) -> str:
    """The query's language code: "en", "ru", or another code of `LATIN_LANGUAGES`."""
    words = telling_words(query)
    cyrillic = sum(1 for word in words if is_cyrillic_word(word))
    latin = sum(1 for word in words if _LATIN.search(word))
    if cyrillic and cyrillic >= latin:
        return RUSSIAN
    if latin < MIN_DETECTED_WORDS:
        return ENGLISH
    language, probability = _latin_detector().classify(" ".join(words))
    return language if language != ENGLISH and probability >= MIN_PROBABILITY else ENGLISH


def _latin_detector() -> Any:
    """py3langid's identifier over `LATIN_LANGUAGES`, loaded once (about 0.5 s)."""
    global _detector
    with _detector_lock:
        if _detector is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            detector = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            detector.set_languages(list(LATIN_LANGUAGES))
            _detector = detector
        return _detector
