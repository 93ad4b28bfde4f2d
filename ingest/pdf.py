"""Read PDFs with pypdf: printed page labels, running headers/footers removed, words rejoined.

The rules, in the order they run:
1. Each page's text is extracted; a page that looks like a table of contents is skipped.
2. Lines that repeat near the top or bottom of many pages (running headers, footers, banners)
   and bare page numbers are dropped.
3. The printed page label comes from the PDF's /PageLabels when present, else from a page
   number printed at the top or bottom of the page, else the PDF page number.
4. Headings come from the PDF outline when it has one, else from numbered-heading patterns.
5. Lines are joined into paragraphs; words hyphenated at line ends are rejoined, keeping the
   hyphen only where the document itself spells the word with one ("co-ordination").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ingest.errors import IngestError
from ingest.models import Paragraph
from ingest.text import normalise_space

_BARE_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?(\d{1,4}|[ivxlcdm]{1,6})(?:\s*(?:/|of)\s*\d+)?$", re.I)
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-Z][^.!?]{2,90})$")
_TOC_LINE = re.compile(r"(?:\.{3,}|\s)\s*\d{1,3}$")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
EDGE_LINES = 3  # how many lines at the top and bottom of a page may be running headers/footers


@dataclass(frozen=True)
class PdfPage:
    """The text lines of one PDF page and its printed label."""

    index: int
    label: str | None
    lines: tuple[str, ...]


def read_pdf(path: Path) -> list[Paragraph]:
    """Read a PDF into paragraphs carrying their heading path and printed page label."""
    reader = _open(path)
    raw_pages = [_page_lines(reader, index, path) for index in range(len(reader.pages))]
    labels = page_labels(reader, raw_pages)
    repeated = repeated_edge_lines(raw_pages)
    pages = [
        PdfPage(index, labels[index], tuple(_strip_edges(lines, repeated)))
        for index, lines in enumerate(raw_pages)
        if not looks_like_contents(lines)
    ]
    outline = outline_titles(reader)
    return paragraphs_from_pages(pages, outline)


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(f"{path.name}: the PDF is encrypted; supply an unencrypted copy")
        if len(reader.pages) == 0:
            raise IngestError(f"{path.name}: the PDF has no pages")
        return reader
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise IngestError(f"{path.name}: not a readable PDF ({error})") from error
    except Exception as error:  # pypdf raises assorted errors on damaged files
        if "crypt" in str(error).lower():
            raise IngestError(f"{path.name}: the PDF is encrypted ({error})") from error
        raise IngestError(f"{path.name}: not a readable PDF ({error})") from error


def _page_lines(reader: PdfReader, index: int, path: Path) -> list[str]:
    try:
        text = reader.pages[index].extract_text() or ""
    except Exception as error:  # one damaged page must not lose the rest of the document
        raise IngestError(f"{path.name}: page {index + 1} could not be read ({error})") from error
    return [line for line in normalise_space(text).split("\n") if line]


def page_labels(reader: PdfReader, pages: list[list[str]]) -> list[str | None]:
    """Printed page labels: /PageLabels if the PDF defines them, else detected page numbers."""
    root = reader.trailer["/Root"]
    if "/PageLabels" in root:
        return list(reader.page_labels)
    offsets = Counter()
    for index, lines in enumerate(pages):
        number = _printed_number(lines)
        if number is not None:
            offsets[number - (index + 1)] += 1
    if offsets:
        offset, votes = offsets.most_common(1)[0]
        if votes >= max(2, len(pages) // 4):
            # Pages before printed page 1 (covers, front matter) have no printed number.
            return [str(index + 1 + offset) if index + 1 + offset > 0 else None
                    for index in range(len(pages))]
    return [str(index + 1) for index in range(len(pages))]


def _printed_number(lines: list[str]) -> int | None:
    for line in lines[:2] + lines[-2:]:
        match = _BARE_PAGE_NUMBER.match(line.strip())
        if match and match.group(1).isdigit():
            return int(match.group(1))
    return None


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower()).strip()


def repeated_edge_lines(pages: list[list[str]]) -> set[str]:
    """Keys of lines that recur at the top or bottom of at least 30% of the pages."""
    if len(pages) < 3:
        return set()
    counts = Counter()
    for lines in pages:
        edge = lines[:EDGE_LINES] + lines[-EDGE_LINES:]
        counts.update({_line_key(line) for line in edge})
    threshold = max(2, int(0.3 * len(pages)))
    return {key for key, count in counts.items() if count >= threshold}


def _strip_edges(lines: list[str], repeated: set[str]) -> list[str]:
    kept = list(lines)
    for position in list(range(min(EDGE_LINES, len(kept)))) + [-1, -2, -3]:
        if -len(kept) <= position < len(kept):
            line = kept[position]
            if _line_key(line) in repeated or _BARE_PAGE_NUMBER.match(line.strip()):
                kept[position] = ""
    return [line for line in kept if line]


def looks_like_contents(lines: list[str]) -> bool:
    """A table-of-contents page: titled Contents, most lines ending in a page number."""
    if not lines or not any("contents" in line.lower() for line in lines[:EDGE_LINES + 2]):
        return False
    numbered = sum(1 for line in lines if _TOC_LINE.search(line))
    return numbered >= 0.4 * len(lines)


def outline_titles(reader: PdfReader) -> list[tuple[int, str]]:
    """(level, title) of every outline entry, in document order."""
    titles: list[tuple[int, str]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                titles.append((level, normalise_space(str(item.title))))

    try:
        walk(reader.outline, 1)
    except Exception:  # a broken outline only costs us heading detection
        return []
    return titles


def _heading_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def paragraphs_from_pages(pages: list[PdfPage], outline: list[tuple[int, str]]) -> list[Paragraph]:
    """Join lines into paragraphs under headings; a paragraph keeps the page it starts on."""
    vocabulary = Counter(word.lower() for page in pages for line in page.lines
                         for word in _WORD.findall(line))
    outline_levels = {_heading_key(title): level for level, title in outline}
    lengths = sorted(len(line) for page in pages for line in page.lines)
    full_line = lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0
    paragraphs: list[Paragraph] = []
    headings: list[tuple[int, str]] = []
    current: list[str] = []
    current_page: str | None = None

    def flush() -> None:
        nonlocal current_page
        if current:
            text = join_lines(current, vocabulary)
            paragraphs.append(Paragraph(text, tuple(t for _, t in headings), current_page))
        current.clear()
        current_page = None

    for page in pages:
        for line in page.lines:
            level = _heading_level(line, outline_levels)
            if level:
                flush()
                headings[:] = [(lvl, title) for lvl, title in headings if lvl < level]
                headings.append((level, line.strip()))
                continue
            if current and _ends_paragraph(current[-1], line, full_line):
                flush()
            if not current:
                current_page = page.label
            current.append(line)
    flush()
    return paragraphs


def _heading_level(line: str, outline_levels: dict[str, int]) -> int:
    if outline_levels:
        return outline_levels.get(_heading_key(line), 0)
    match = _NUMBERED_HEADING.match(line.strip())
    if match and len(line.split()) <= 12:
        return match.group(1).count(".") + 1
    return 0


def _ends_paragraph(previous: str, line: str, full_line: int) -> bool:
    # A bullet starts a new block; otherwise a line that ends a sentence ends the paragraph
    # only if it stops visibly short of a full line (the ragged last line of a paragraph).
    if line.startswith(("\u2022", "- ", "* ")):
        return True
    return previous.rstrip().endswith((".", "!", "?", ":")) and len(previous) < 0.85 * full_line


def join_lines(lines: list[str], vocabulary: Counter) -> str:
    """Join wrapped lines, rejoining words split by a hyphen at the end of a line."""
    text = lines[0].strip()
    for line in lines[1:]:
        line = line.strip()
        if line.startswith(("\u2022", "- ", "* ")):
            text += "\n" + line
            continue
        match = re.search(r"([A-Za-z]+)-$", text)
        next_word = re.match(r"[a-z]+", line)
        if match and next_word:
            joined = (match.group(1) + next_word.group(0)).lower()
            hyphenated = f"{match.group(1)}-{next_word.group(0)}".lower()
            if vocabulary[hyphenated] > vocabulary[joined]:
                text += line  # the document spells this word with a hyphen elsewhere
            else:
                text = text[:-1] + line
        else:
            text += " " + line
    return text
