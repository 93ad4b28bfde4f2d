"""Split a document into passages of whole sentences that never cross a chapter boundary."""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ingest.models import FIGURE, TEXT, Block, Document, Passage, content_hash
from ingest.text import sentence_spans

MIN_WORDS = 80
MAX_WORDS = 250
MAX_PASSAGE_CHARS = 4000  # a hard cap, whatever the words (a run with no spaces)
# Reference lists are metadata, not prose: indexing them would put bibliographies into answers.
UNINDEXED_SECTIONS = frozenset(
    {"sources", "references", "bibliography", "contents", "table of contents"}
)


@dataclass(frozen=True)
class _Unit:
    """A piece that is never split further: a whole paragraph, or one sentence of a long one."""

    char_start: int
    char_end: int
    words: int
    heading_path: tuple[str, ...]
    page: str | None
    kind: str = TEXT  # the block's kind (models.BLOCK_KINDS)


def chapter_depth(document: Document) -> int:
    """How many heading levels name a chapter: 2 when every path starts with one title (h1)."""
    tops = {block.heading_path[0] for block in document.blocks if block.heading_path}
    deep = any(len(block.heading_path) >= 2 for block in document.blocks)
    return 2 if len(tops) == 1 and deep else 1


def split_passages(
    document: Document, min_words: int = MIN_WORDS, max_words: int = MAX_WORDS
) -> list[Passage]:
    """Pack paragraphs (or sentences of long ones) into passages of about min..max words."""
    depth = chapter_depth(document)
    passages: list[Passage] = []
    current: list[_Unit] = []
    seen_ids: dict[str, int] = {}

    events = document.page_events()

    def emit() -> None:
        if current:
            passages.append(_passage(document, current, seen_ids, events))
            current.clear()

    for unit in _units(document, max_words):
        if current:
            words = sum(u.words for u in current)
            new_chapter = unit.heading_path[:depth] != current[0].heading_path[:depth]
            # Footnotes, and captions with figure text, never share a passage with body text.
            apart = _is_footnotes(unit) != _is_footnotes(current[-1]) or _is_figure(
                unit
            ) != _is_figure(current[-1])
            new_section = unit.heading_path != current[-1].heading_path
            too_long = unit.char_end - current[0].char_start > MAX_PASSAGE_CHARS
            if (
                new_chapter
                or apart
                or too_long
                or (words + unit.words > max_words and words >= min_words // 2)
                or (new_section and words >= min_words)
            ):
                emit()
        current.append(unit)
    emit()
    return passages


def _is_footnotes(unit: _Unit) -> bool:
    # Footnotes (a "Footnotes" section from the PDF reader) never share a passage with body text.
    return bool(unit.heading_path) and unit.heading_path[-1] == "Footnotes"


def _is_figure(unit: _Unit) -> bool:
    return unit.kind != TEXT


def _units(document: Document, max_words: int) -> list[_Unit]:
    units: list[_Unit] = []
    for block in document.blocks:
        if block.heading_path and block.heading_path[-1].strip().lower() in UNINDEXED_SECTIONS:
            continue
        words = len(block.text.split())
        if words <= max_words and len(block.text) <= MAX_PASSAGE_CHARS:
            units.append(
                _Unit(
                    block.char_start,
                    block.char_end,
                    words,
                    block.heading_path,
                    block.page,
                    block.kind,
                )
            )
            continue
        units.extend(_sentence_units(block, max_words))
    return units


def _sentence_units(block: Block, max_words: int) -> list[_Unit]:
    return [
        _Unit(
            block.char_start + start,
            block.char_start + end,
            len(block.text[start:end].split()),
            block.heading_path,
            block.page,
            block.kind,
        )
        for sentence_start, sentence_end in sentence_spans(block.text)
        for start, end in capped_spans(block.text, sentence_start, sentence_end, max_words)
    ]


def capped_spans(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """`text[start:end]` in pieces of at most `max_words` words and `MAX_PASSAGE_CHARS`
    characters, cut at whitespace where there is any: a hard cap for text with no sentence
    ends (a file of 150,000 words without punctuation must not make one passage)."""
    spans: list[tuple[int, int]] = []
    words = list(re.finditer(r"\S+", text[start:end]))
    for first in range(0, len(words), max_words):
        chunk = words[first : first + max_words]
        piece_start, piece_end = start + chunk[0].start(), start + chunk[-1].end()
        for cut in range(piece_start, piece_end, MAX_PASSAGE_CHARS):
            spans.append((cut, min(cut + MAX_PASSAGE_CHARS, piece_end)))
    return spans


def _passage(
    document: Document,
    units: list[_Unit],
    seen_ids: dict[str, int],
    events: list[tuple[int, str | None]],
) -> Passage:
    start, end = units[0].char_start, units[-1].char_end
    text = document.text[start:end]
    heading_path = tuple(os.path.commonprefix([unit.heading_path for unit in units]))
    passage_id = f"{document.meta.id}-{content_hash(text)[:12]}"
    seen_ids[passage_id] = seen_ids.get(passage_id, 0) + 1
    if seen_ids[passage_id] > 1:  # the same text twice in one document
        passage_id = f"{passage_id}-{seen_ids[passage_id]}"
    first = bisect_right(events, start, key=lambda event: event[0])
    page = events[first - 1][1] if first else None
    breaks: list[tuple[int, str]] = []
    current = page
    for offset, label in events[first : bisect_left(events, end, key=lambda event: event[0])]:
        if label and label != current:
            breaks.append((offset - start, label))
            current = label
    kind = FIGURE if any(_is_figure(unit) for unit in units) else TEXT
    return Passage(
        passage_id, document.meta.id, heading_path, page, start, end, text, tuple(breaks), kind
    )
