"""Read Markdown documents with optional `---` front matter into paragraphs under headings."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.models import Paragraph
from ingest.text import decode_text, normalise_space

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|(\d+[.)]))\s+")
# A list item as stored: "• text" for a bullet, "1) text" with its number for a numbered one
# (the snippets and answer cards draw those as an ordered list).
_ITEM_LINE = re.compile(r"^(?:\u2022|\d+[.)]) ")
# A pipe table (GitHub-flavoured Markdown): rows between pipes, and under the header a
# delimiter row of dashes ("|---|:--:|"), which says nothing and is dropped.
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
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
    table a block of its own with a line per row, its cells joined by " | " as the HTML
    reader joins them."""
    paragraphs: list[Paragraph] = []
    headings: list[tuple[int, str]] = []
    lines: list[str] = []
    rows: list[str] = []

    def flush() -> None:
        for block, joined in ((lines, True), (rows, False)):
            text = normalise_space("\n".join(block))
            if text:
                path = tuple(title for _, title in headings)
                paragraph = Paragraph(strip_inline(text), path)
                paragraphs.append(_join_lines(paragraph) if joined else paragraph)
            block.clear()

    for line in body.splitlines():
        heading = _HEADING.match(line)
        if _TABLE_ROW.match(line) or (rows and _TABLE_DELIMITER.match(line)):
            if lines:
                flush()
            if not _TABLE_DELIMITER.match(line):
                cells = (cell.strip() for cell in line.strip().strip("|").split("|"))
                rows.append(" | ".join(cell for cell in cells if cell))
            continue
        if rows:
            flush()
        if heading:
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


def _join_lines(paragraph: Paragraph) -> Paragraph:
    # Wrapped prose lines become one line; list items stay one per line.
    out: list[str] = []
    for line in paragraph.text.split("\n"):
        if out and not _ITEM_LINE.match(line):
            out[-1] += " " + line
        else:
            out.append(line)
    return Paragraph("\n".join(out), paragraph.heading_path, paragraph.page)
