"""Read PDFs with pypdf: printed page labels, page furniture removed, words rejoined.

The rules, in the order they run:
1. Each page's text runs are rebuilt into lines, top to bottom, with their position and font
   size (ingest/pdf_layout.py). Superscript footnote markers are dropped; text running
   sideways (margin banners) is ignored.
2. Short lines that recur on many pages (running headers, footers, banners), any line at the
   height of a running header, and bare page numbers at the top or bottom are dropped.
3. The printed page label comes from the PDF's /PageLabels only when those look like printed
   page numbers and agree with the numbers printed on the pages; else from the printed numbers;
   else it is the PDF page number.
4. Table-of-contents pages (titled Contents, or following one, lines ending in page numbers)
   are skipped.
5. Numbered small print at the bottom of a page becomes footnotes: their own paragraphs under
   the heading path of the page plus "Footnotes", placed at the end of the chapter so that
   they never split the body text that cites them.
6. Headings come from the PDF outline when it has one, else from the layout
   (ingest/pdf_headings.py).
7. Lines are joined into paragraphs at vertical gaps, font changes and list items; words
   hyphenated at line ends are rejoined, keeping the hyphen only where the document itself
   spells the word with one ("co-ordination") (ingest/pdf_words.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ingest.errors import IngestError
from ingest.models import Paragraph
from ingest.pdf_headings import LIST_SECTIONS, HeadingFinder, heading_key
from ingest.pdf_layout import (
    Footnote,
    TextLine,
    body_size,
    drop_figure_text,
    left_margin,
    looks_like_contents,
    page_text_lines,
    printed_page_labels,
    split_footnotes,
    strip_furniture,
)
from ingest.pdf_words import is_bullet, join_lines, strip_inline_markers, vocabulary
from ingest.text import normalise_space

FOOTNOTES = "Footnotes"
_PLAUSIBLE_LABEL = re.compile(r"^(?:[A-Z]{1,3}-?)?(?:\d{1,4}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})$")
_SENTENCE_END = (".", "!", "?", ":", "\u201d", '"')


@dataclass(frozen=True)
class PdfPage:
    """The body lines of one PDF page, its printed label, footnotes and text column edge."""

    index: int
    label: str | None
    lines: tuple[TextLine, ...]
    footnotes: tuple[Footnote, ...] = ()
    margin: float | None = None


def read_pdf(path: Path) -> list[Paragraph]:
    """Read a PDF into paragraphs carrying their heading path and printed page label."""
    reader = _open(path)
    raw_pages, markers = [], []
    for index in range(len(reader.pages)):
        lines, page_markers = _page_lines(reader, index, path)
        raw_pages.append(lines)
        markers.append(page_markers)
    size = body_size(raw_pages)
    cleaned, printed_numbers = strip_furniture(raw_pages)
    labels = page_labels(reader, printed_numbers)
    pages: list[PdfPage] = []
    after_contents = False
    for index, lines in enumerate(cleaned):
        if looks_like_contents([line.text for line in lines], after_contents):
            after_contents = True
            continue
        after_contents = False
        body, notes = split_footnotes(lines, size)
        margin = left_margin(body, size)
        body = drop_figure_text(body, size, margin)
        unmarked = [note.number for note in notes if note.number not in markers[index]]
        pages.append(
            PdfPage(index, labels[index], tuple(_unmark(body, unmarked)), tuple(notes), margin)
        )
    return paragraphs_from_pages(pages, outline_titles(reader), size)


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


def _page_lines(reader: PdfReader, index: int, path: Path) -> tuple[list[TextLine], set[int]]:
    try:
        return page_text_lines(reader.pages[index])
    except Exception as error:  # pypdf raises assorted errors on damaged pages
        if "crypt" in str(error).lower():
            raise IngestError(f"{path.name}: the PDF is encrypted ({error})") from error
        raise IngestError(f"{path.name}: page {index + 1} could not be read ({error})") from error


def _unmark(lines: list[TextLine], numbers: list[int]) -> list[TextLine]:
    lines = list(lines)
    for number in numbers:
        for position, line in enumerate(lines):
            text = strip_inline_markers(line.text, [number])
            if text != line.text:
                lines[position] = TextLine(text, line.x, line.y, line.size, line.font)
                break
    return lines


def page_labels(reader: PdfReader, printed_numbers: list[int | None]) -> list[str | None]:
    """Printed page labels: trusted /PageLabels, else printed page numbers, else PDF numbers."""
    detected = printed_page_labels(printed_numbers)
    root: Any = reader.trailer["/Root"]  # a DictionaryObject; pypdf types it loosely
    if "/PageLabels" in root:
        declared = list(reader.page_labels)
        if _labels_are_plausible(declared, detected, printed_numbers):
            labels: list[str | None] = list(declared)
            return labels
    return detected or [str(index + 1) for index in range(len(reader.pages))]


def _labels_are_plausible(
    declared: list[str], detected: list[str | None] | None, printed_numbers: list[int | None]
) -> bool:
    # Producers often write /PageLabels that are not what is printed ("Abs1:3"), so the
    # labels must look like page numbers and agree with the numbers printed on the pages.
    if not all(_PLAUSIBLE_LABEL.match(label) for label in declared):
        return False
    if detected is None:
        return True
    printed = [(index, str(number)) for index, number in enumerate(printed_numbers) if number]
    agree = sum(1 for index, number in printed if declared[index] == number)
    return agree >= 0.5 * len(printed)


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


def paragraphs_from_pages(
    pages: list[PdfPage], outline: list[tuple[int, str]], size: float
) -> list[Paragraph]:
    """Join lines into paragraphs under headings; a paragraph keeps the page it starts on."""
    words = vocabulary(line.text for page in pages for line in page.lines)
    finder = HeadingFinder([(list(page.lines), page.margin) for page in pages], size, outline)
    lengths = sorted(
        len(line.text) for page in pages for line in page.lines if abs(line.size - size) < 0.6
    )
    full_line = lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0
    paragraphs: list[Paragraph] = []
    footnotes: list[Paragraph] = []
    headings: list[tuple[int, str]] = []
    current: list[TextLine] = []
    current_page: str | None = None

    def flush() -> None:
        if current:
            text = join_lines([line.text for line in current], words)
            paragraphs.append(Paragraph(text, tuple(t for _, t in headings), current_page))
        current.clear()

    for page in pages:
        previous: TextLine | None = None  # None: the first line of a page
        index = 0
        while index < len(page.lines):
            heading, count = finder.match(list(page.lines), index, page.margin)
            if heading:
                flush()
                if heading.level == 1:
                    paragraphs.extend(footnotes)
                    footnotes.clear()
                headings[:] = [(lvl, title) for lvl, title in headings if lvl < heading.level]
                headings.append((heading.level, heading.title))
                index += count
                previous = None
                continue
            line = page.lines[index]
            if current and _breaks(current, previous, line, full_line):
                flush()
            if not current:
                current_page = page.label
            current.append(line)
            previous = line
            index += 1
        path = tuple(t for _, t in headings)
        if not path or heading_key(path[-1]) not in LIST_SECTIONS:
            path += (FOOTNOTES,)  # a reference list's notes stay in the (unindexed) list
        footnotes.extend(
            Paragraph(join_lines(note.text.split("\n"), words), path, page.label)
            for note in page.footnotes
        )
    flush()
    return paragraphs + footnotes


def _breaks(
    current: list[TextLine], previous: TextLine | None, line: TextLine, full_line: int
) -> bool:
    in_list = is_bullet(current[0].text)
    if is_bullet(line.text):
        return not in_list
    last = current[-1]
    if abs(line.size - last.size) > 0.6:
        return True
    if previous is None:  # the paragraph continues from the previous page
        return last.text.rstrip().endswith(_SENTENCE_END) and len(last.text) < 0.85 * full_line
    if previous.y - line.y > 1.8 * max(previous.size, line.size):
        return True
    return not in_list and abs(line.x - previous.x) > 12
