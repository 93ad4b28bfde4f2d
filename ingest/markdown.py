"""Read Markdown documents with optional `---` front matter into paragraphs under headings."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.models import Paragraph
from ingest.text import CELL_SEPARATOR, decode_text, normalise_space

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|(\d+[.)]))\s+")
# A list item as stored: "• text" for a bullet, "1) text" with its number for a numbered one
# (the snippets and answer cards draw those as an ordered list).
_ITEM_LINE = re.compile(r"^(?:\u2022|\d+[.)]) ")
# A pipe table (GitHub-flavoured Markdown, with outer pipes): a row of cells between pipes
# followed by a delimiter row of dashes ("|---|:--:|"), which says nothing and is dropped, then
# its rows. A pipe inside a cell is escaped ("\\|").
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_BORDER = re.compile(r"(?<!\\)\|")
_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> link text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])"), r"\1"),  # italics
    (re.compile(r"`([^`]*)`"), r"\1"),  # inline code
]


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split `---`-fenced `key: value` front matter from the body."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end == -1:
        return {}, text
    meta: dict[str, str] = {}
    for line in text[3:end].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    body_start = text.find("\n", end + 4)
    return meta, text[body_start + 1 :] if body_start != -1 else ""


def strip_inline(text: str) -> str:
    """Remove Markdown inline markup, keeping the readable text."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def read_markdown(path: Path) -> list[Paragraph]:
    """Read a Markdown file; ATX headings (`#`..`######`) build the heading path."""
    _, body = split_front_matter(decode_text(path.read_bytes(), path))
    return parse_markdown(body)


def parse_markdown(body: str) -> list[Paragraph]:
    """Turn Markdown text into paragraphs; each list item becomes its own line, and a pipe
    table a paragraph of its own, a line per row with its cells joined as the HTML reader
    joins them (`CELL_SEPARATOR`)."""
    paragraphs: list[Paragraph] = []
    headings: list[tuple[int, str]] = []
    lines: list[str] = []

    def add(text: str, table: bool = False) -> None:
        text = normalise_space(text)
        if text:
            paragraph = Paragraph(strip_inline(text), tuple(title for _, title in headings))
            # Wrapped prose lines become one line; list items and table rows stay one a line.
            paragraphs.append(paragraph if table else _join_lines(paragraph))

    def flush() -> None:
        add("\n".join(lines))
        lines.clear()

    source = body.splitlines()
    number = 0
    while number < len(source):
        line = source[number]
        number += 1
        heading = _HEADING.match(line)
        if _starts_table(source, number - 1):
            flush()
            rows = [line]
            number += 1  # the delimiter row
            while number < len(source) and _TABLE_ROW.match(source[number]):
                rows.append(source[number])
                number += 1
            add("\n".join(map(_table_row, rows)), table=True)
        elif heading:
            flush()
            level = len(heading.group(1))
            headings[:] = [(lvl, title) for lvl, title in headings if lvl < level]
            headings.append((level, strip_inline(heading.group(2))))
        elif not line.strip():
            flush()
        elif item := _LIST_ITEM.match(line):
            if lines and not _ITEM_LINE.match(lines[0]):
                flush()
            marker = item.group(1) or "\u2022"
            lines.append(f"{marker} " + line[item.end() :].strip())
        elif lines and _ITEM_LINE.match(lines[-1]):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line.strip())
    flush()
    return paragraphs


def _starts_table(source: list[str], number: int) -> bool:
    """True when line `number` is a table's header: a row followed by a delimiter row."""
    return (
        number + 1 < len(source)
        and bool(_TABLE_ROW.match(source[number]))
        and bool(_TABLE_DELIMITER.match(source[number + 1]))  # at least one dash per cell
    )


def _table_row(line: str) -> str:
    """A table row's cells, empty ones kept (so each stays under its column), joined."""
    inner = line.strip()[1:-1]
    cells = [cell.strip().replace("\\|", "|") for cell in _CELL_BORDER.split(inner)]
    return CELL_SEPARATOR.join(cells)


def _join_lines(paragraph: Paragraph) -> Paragraph:
    # Wrapped prose lines become one line; list items stay one per line.
    out: list[str] = []
    for line in paragraph.text.split("\n"):
        if out and not _ITEM_LINE.match(line):
            out[-1] += " " + line
        else:
            out.append(line)
    return Paragraph("\n".join(out), paragraph.heading_path, paragraph.page)
