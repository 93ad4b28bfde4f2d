"""A passage's text as the search page shows it: paragraphs and real lists, with one sentence
marked.

Passage text keeps its paragraphs apart with blank lines and its list items on lines of their
own ("• political support", "1) collection"); consecutive item lines become a `<ul>` (or an
`<ol>` when numbered or lettered), so a list does not read as one run-on paragraph. A line
without a bullet right after an item continues that item.

The marked sentence is the searcher's best sentence for the query. When the hit has none, or
its text is not in the passage, the sentence sharing most words with the query is marked (the
first sentence when none shares any), so every hit shows where to start reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text import sentence_spans
from search.answers.roles import is_list_item, without_bullet

_WORD = re.compile(r"\w{3,}")
_UNORDERED = "•-*–▪●\uf0b7"


@dataclass(frozen=True)
class Run:
    """A stretch of text, marked (the highlighted sentence) or not."""

    text: str
    marked: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph ("p", one item) or a list ("ul" or "ol", one item per entry)."""

    kind: str
    items: tuple[tuple[Run, ...], ...]


def passage_blocks(text: str, highlight: str | None, query: str = "") -> list[Block]:
    """The passage as paragraphs and lists, with the highlighted sentence marked."""
    mark = highlight_span(text, highlight, query)
    blocks: list[Block] = []
    for kind, spans in _layout(text):
        items = tuple(_runs(text, start, end, mark) for start, end in spans)
        blocks.append(Block(kind, items))
    return blocks


def highlight_span(text: str, highlight: str | None, query: str = "") -> tuple[int, int] | None:
    """Where the highlighted sentence is in the text; a sensible stand-in when it is missing."""
    if highlight and highlight.strip():
        start = text.find(highlight.strip())
        if start >= 0:
            return start, start + len(highlight.strip())
    spans = sentence_spans(text)
    if not spans:
        return None
    wanted = {word.casefold() for word in _WORD.findall(query)}

    def shared(span: tuple[int, int]) -> int:
        return len(wanted & {word.casefold() for word in _WORD.findall(text[span[0] : span[1]])})

    return max(spans, key=lambda span: (shared(span), -span[0]))


def _layout(text: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """(kind, spans) per block: a paragraph's one span, or a list's item spans (bullets cut)."""
    blocks: list[tuple[str, list[tuple[int, int]]]] = []
    for paragraph in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        current: tuple[str, list[tuple[int, int]]] | None = None
        for line in re.finditer(r"[^\n]+", paragraph.group()):
            start = paragraph.start() + line.start()
            end = paragraph.start() + line.end()
            raw = line.group()
            if not raw.strip():
                continue
            if is_list_item(raw):
                body = without_bullet(raw)
                body_start = start + len(raw.rstrip()) - len(body)
                kind = "ul" if raw.strip()[0] in _UNORDERED else "ol"
                if current is None or current[0] == "p":
                    current = (kind, [])
                    blocks.append(current)
                current[1].append((body_start, end))
            elif current is not None and current[0] != "p":
                current[1][-1] = (current[1][-1][0], end)  # the item carries on
            elif current is not None:
                current[1][0] = (current[1][0][0], end)
            else:
                current = ("p", [(start, end)])
                blocks.append(current)
    return blocks


def _runs(text: str, start: int, end: int, mark: tuple[int, int] | None) -> tuple[Run, ...]:
    """The text from `start` to `end`, cut where the marked span begins and ends."""
    if mark is None or mark[1] <= start or mark[0] >= end:
        return (Run(text[start:end]),)
    cut_start, cut_end = max(mark[0], start), min(mark[1], end)
    runs = [
        Run(text[start:cut_start]),
        Run(text[cut_start:cut_end], marked=True),
        Run(text[cut_end:end]),
    ]
    return tuple(run for run in runs if run.text)
