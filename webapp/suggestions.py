"""What the search box and the search page suggest: concept labels as you type (an HTML
`<datalist>`, no script), and "did you mean" when a query finds little.

Both are made once per open build and kept while the build is: the speller reads every
passage's text, so it is made on the first query that needs it, never at start-up.
"""

from __future__ import annotations

import threading
from weakref import WeakKeyDictionary

from search.index.loaded import LoadedBuild
from search.results import SearchResult
from search.spelling import Speller

FEW_HITS = 3  # fewer passages than this is "finds little"
_lock = threading.Lock()
_spellers: WeakKeyDictionary[LoadedBuild, Speller] = WeakKeyDictionary()
_options: WeakKeyDictionary[LoadedBuild, list[str]] = WeakKeyDictionary()


def concept_options(build: LoadedBuild) -> list[str]:
    """Every preferred and alternative label of the build's concepts, A-Z, each once."""
    with _lock:
        if build not in _options:
            labels: dict[str, str] = {}
            for concept in build.scheme.concepts.values():
                for label in (*concept.pref_labels.values(), *concept.alt_labels):
                    labels.setdefault(label.casefold(), label)
            _options[build] = sorted(labels.values(), key=str.casefold)
        return _options[build]


def speller(build: LoadedBuild) -> Speller:
    """The build's speller: the words of its passages and the labels of its concepts."""
    with _lock:
        if build not in _spellers:
            labels = [
                label for concept in build.scheme.concepts.values() for label in concept.labels
            ]
            _spellers[build] = Speller.from_texts(build.store.texts(), labels)
        return _spellers[build]


def did_you_mean(build: LoadedBuild, result: SearchResult) -> str | None:
    """A corrected query when this one finds little (no good answer, partial evidence or
    fewer than `FEW_HITS` passages) and has words the corpus does not use; else None."""
    weak = result.no_good_answer or result.partial or result.total < FEW_HITS
    if not weak:
        return None
    return speller(build).suggest(result.query)
