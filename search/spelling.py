"""Spelling suggestions ("did you mean") from the corpus vocabulary and the concept labels.

A query word the corpus never uses, and that is no word of English or Russian either, is
replaced by the nearest word the corpus does use (edit distance
counting a swap of two letters as one edit, rapidfuzz's OSA: 1 for words of up to five letters,
2 for longer ones; the more frequent word wins a tie). A query that as a whole is close to a
concept label ("tasking and cordination") is offered that label instead. Words of fewer than
four letters, numbers and abbreviations in capitals are left alone: they are more often right
than wrong. So is a word the corpus uses in another form: one that shares its Snowball stem
with a corpus word ("resist" beside "resistance", "reforms" beside "reform", "реформами"
beside "реформа") is taken as spelt right, only inflected or derived differently:
"correcting" it to a near word ("rests") would change the question. The price is a misspelling
that keeps the stem ("resistence"), which is not corrected; dense search still reads it.

A word of the language is not corrected either, even when the corpus never uses it: a corpus
is a small vocabulary, and "Our budget keeps shrinking" is not "keeps thinking", nor "roll out
the model" "role out". The word lists are pyspellchecker's: about 160,000 English words, and
about 20,000 Russian ones, read by their Snowball stems so that any inflection counts. They are
loaded once per process, on the first suggestion (search/lexicon.py says what that costs).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from ingest.stems import english_stem, is_cyrillic_word, russian_stem
from search.lexicon import is_word

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
MIN_WORD_LENGTH = 4
LABEL_SIMILARITY = 85.0  # fuzz.ratio (0-100) over which a query reads as a misspelt label


class Speller:
    """Corrects query words against the words of the corpus and the concept labels."""

    def __init__(self, word_counts: Counter[str], labels: Iterable[str] = ()) -> None:
        self.word_counts = word_counts
        self.words = list(word_counts)
        self.labels = sorted(set(labels))
        self.stems = {_stem(word) for word in self.words}

    @classmethod
    def from_texts(cls, texts: Iterable[str], labels: Iterable[str] = ()) -> Speller:
        """A speller knowing every word of the texts and of the labels."""
        labels = list(labels)
        counts: Counter[str] = Counter()
        for text in [*texts, *labels]:
            counts.update(word.casefold() for word in _WORD.findall(text))
        return cls(counts, labels)

    def knows(self, word: str) -> bool:
        """True when the corpus or a label uses the word, in this form or another of the same
        stem, or when it is a word of English or Russian (search/lexicon.py)."""
        folded = word.casefold()
        return folded in self.word_counts or _stem(folded) in self.stems or is_word(folded)

    def _nearest(self, word: str) -> str | None:
        """The nearest known word to a word `knows` does not know, in its capitalisation; None
        when the word is too short to judge or nothing is near."""
        if len(word) < MIN_WORD_LENGTH or word.isupper():
            return None
        folded = word.casefold()
        allowed = 1 if len(folded) <= 5 else 2
        found = process.extract(
            folded, self.words, scorer=OSA.distance, score_cutoff=allowed, limit=None
        )
        if not found:
            return None
        best = min(found, key=lambda match: (match[1], -self.word_counts[match[0]], match[0]))[0]
        return best.capitalize() if word[:1].isupper() else best

    def suggest(self, query: str) -> str | None:
        """The query as it was probably meant, or None when there is nothing to correct."""
        corrected, changed, unknown = [], False, False
        position = 0
        for match in _WORD.finditer(query):
            word = match.group()
            known = self.knows(word)
            replacement = None if known else self._nearest(word)
            unknown = unknown or not known
            corrected.append(query[position : match.start()])
            corrected.append(replacement or word)
            changed = changed or replacement is not None
            position = match.end()
        corrected.append(query[position:])
        if not unknown:
            return None
        label = process.extractOne(
            query,
            self.labels,
            scorer=fuzz.ratio,
            processor=default_process,
            score_cutoff=LABEL_SIMILARITY,
        )
        if label and default_process(label[0]) != default_process(query):
            return label[0]
        return "".join(corrected) if changed else None


def _stem(word: str) -> str:
    """A lower-case word's Snowball stem, Russian or English by its letters."""
    return russian_stem(word) if is_cyrillic_word(word) else english_stem(word)
