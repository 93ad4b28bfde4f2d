"""A card composed over passages and cosines set by hand, for the card tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from graph.concepts import Concept
from ingest.models import DocumentMeta, Passage
from ingest.sentences import split_sentences
from search.answers.compose import compose_card
from search.answers.question import question_shape
from search.answers.similarity import SentenceSimilarity
from search.index.store import PassageStore
from search.index.store_writer import write_store
from tests.conftest import DATA


def compose_over(
    tmp_path: Path,
    texts: list[str],
    cosines: dict[str, float],
    query: str,
    ranked: list[int] | None = None,
    concept: Concept | None = None,
    same: dict[str, str] | None = None,
    languages: list[str] | None = None,
    kinds: bool = False,
):
    """The card for `query` over passages of one document ranked in the order given (or as
    `ranked` says), with each sentence's cosine to the query set by hand (`cosines`, by its
    first word; 0.3 otherwise); `concept`, when given, is named in the query by its label;
    `same` maps a sentence's first word to that of an earlier sentence it says again in other
    words (the two share their own direction, so they are as close as their cosines allow).

    Two sentences are otherwise as close to each other as the product of their cosines, so two
    sentences both at about 0.9 or above count as repeats (repeats.REPEAT).

    `languages`, when given, is each passage's language (a document per language; the first
    is the question's); with `kinds`, each line comes with its kind as a third element."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    languages = languages or ["en"] * len(texts)
    metas = {
        language: DocumentMeta(
            id=f"doc-{language}", title="Doc", kind="research", path=DATA / "none",
            language=language,
        )
        for language in dict.fromkeys(languages)
    }  # fmt: skip
    passages = [
        Passage(f"doc-{i}", f"doc-{language}", ("1. A",), "1", 0, len(text), text)
        for i, (text, language) in enumerate(zip(texts, languages, strict=True))
    ]
    sentences = split_sentences(passages)
    write_store(tmp_path / "p.sqlite", list(metas.values()), passages, sentences, [], {})
    wanted = [cosines.get(s.text.lstrip("• ").split()[0], 0.3) for s in sentences]
    # Each sentence is the query's direction at its cosine plus a direction of its own, so two
    # sentences are as close to each other as the product of their cosines (repeats.py).
    vectors = np.zeros((len(wanted), 1 + len(wanted)), dtype=np.float32)
    for row, cosine in enumerate(wanted):
        vectors[row, 0], vectors[row, 1 + row] = cosine, (1 - cosine * cosine) ** 0.5
    first_words = [s.text.lstrip("• ").split()[0] for s in sentences]
    for word, earlier in (same or {}).items():
        row, other = first_words.index(word), first_words.index(earlier)
        vectors[row, 1 + row], vectors[row, 1 + other] = 0.0, vectors[row, 1 + row]
    query_vector = np.zeros(1 + len(wanted), dtype=np.float32)
    query_vector[0] = 1.0
    similarity = SentenceSimilarity.single(query_vector, vectors)
    store = PassageStore(tmp_path / "p.sqlite")
    try:
        named = [(concept.id, concept.pref_label)] if concept else []
        shape = question_shape(query, named)
        rows = list(range(len(texts))) if ranked is None else ranked
        card = compose_card(
            query, similarity, shape, rows, store, concept, 0, 0, language=languages[0]
        )
    finally:
        store.close()
    quoted = [item for item in card.items if item.stored]
    if kinds:  # each line's kind too ("sentence", "item")
        return [(item.stored.passage.id, item.text, item.kind) for item in quoted]
    return [(item.stored.passage.id, item.text) for item in quoted]
