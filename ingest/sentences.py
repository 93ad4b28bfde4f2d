"""Passages split into sentences: the units answers are made of and linking looks at."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.models import Passage
from ingest.text import sentence_spans


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage; `sentence_row` indexes the sentence vectors."""

    sentence_row: int
    row_id: int
    text: str
    char_start: int = 0  # offsets into the passage text
    char_end: int = 0


def split_sentences(passages: list[Passage]) -> list[Sentence]:
    """Every sentence of every passage, numbered in order; `row_id` is the passage's index."""
    sentences: list[Sentence] = []
    for row_id, passage in enumerate(passages):
        for start, end in sentence_spans(passage.text):
            sentences.append(Sentence(len(sentences), row_id, passage.text[start:end], start, end))
    return sentences
