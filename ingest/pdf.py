"""Read PDFs with pypdf: printed page labels, page furniture removed, words rejoined.

The rules, in the order they run:
0. The file is opened with its password (or the empty one), or from the page objects it still
   holds when its page tree is damaged (ingest/pdf_file.py).
1. Each page's text runs are rebuilt into lines, top to bottom, with their position and font
   size (ingest/pdf_runs.py, pdf_lines.py): word spaces come from the gaps between runs,
   ligatures are spelled out and private-use glyphs dropped (pdf_glyphs.py), a two-column page
   is read a column at a time (pdf_columns.py), and table rows keep their cells apart (" | ").
   Raised numbers are footnote markers when the page has those footnotes, else exponents;
   an index set right after its symbol joins it ("Fj"); text running sideways (margin
   banners) is ignored.
2. Short lines that recur on many pages (running headers, footers, banners), any line at the
   height of a running header (one that names the section recurs there a few pages at a
   time), and bare page numbers at the top or bottom are dropped.
3. The printed page label comes from the PDF's /PageLabels only when those look like printed
   page numbers and agree with the numbers printed on the pages; else from the printed numbers;
   else it is the PDF page number (ingest/pdf_navigation.py).
4. Table-of-contents pages (titled Contents in one of several languages, or following one,
   lines ending in page numbers) are skipped.
5. Numbered small print at the bottom of a page becomes footnotes: their own paragraphs under
   the heading path of the page plus "Footnotes", placed at the end of the chapter so that
   they never split the body text that cites them.
6. Headings come from the PDF outline when its titles are printed (with or without their
   section numbers), else from the layout (ingest/pdf_headings.py). A heading with no text
   under it before the next one of its level stays as a block of its own.
7. Figure and table captions (with their "Source:" lines), the captions of a figure's parts
   ("(a) ...") and the diagram labels above a figure's caption are blocks of their own kind,
   never body text (ingest/pdf_figures.py).
8. Lines are joined into paragraphs at vertical gaps, font changes and list items, across
   columns and pages, recording where each new page starts inside a paragraph; a table is
   one block, a row to a line. Words hyphenated at line ends are
   rejoined, keeping the hyphen only where the document itself spells the word with one
   ("co-ordination"); spaces inside brackets and before commas are closed (pdf_words.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from pypdf import PageObject

from ingest.errors import IngestError
from ingest.models import TEXT, Paragraph
from ingest.pdf_figures import body_font, line_kinds, text_edges
from ingest.pdf_file import open_pdf
from ingest.pdf_headings import LIST_SECTIONS, HeadingFinder, heading_key
from ingest.pdf_layout import (
    Footnote,
    TextLine,
    body_size,
    contents_pages,
    drop_figure_text,
    left_edges,
    page_text_lines,
    split_footnotes,
    strip_furniture,
)
from ingest.pdf_navigation import outline_titles, page_labels
from ingest.pdf_paragraphs import paragraph_breaks
from ingest.pdf_runs import FontCache
from ingest.pdf_text_kept import lines_words
from ingest.pdf_words import (
    join_lines,
    page_break_offsets,
    strip_inline_markers,
    vocabulary,
)

FOOTNOTES = "Footnotes"
MIN_TEXT_LINES = 3  # lines of body text that make a page more than a title page


@dataclass(frozen=True)
class PdfPage:
    """The body lines of one PDF page, its printed label, footnotes and text column edges."""

    index: int
    label: str | None
    lines: tuple[TextLine, ...]
    footnotes: tuple[Footnote, ...] = ()
    margins: tuple[float, ...] = ()


@dataclass(frozen=True)
class PdfReading:
    """A PDF's paragraphs, and the words of its body text (to measure how many were kept)."""

    paragraphs: list[Paragraph]
    body_words: Counter[str]


def read_pdf(path: Path, *, password: str | None = None) -> list[Paragraph]:
    """Read a PDF into paragraphs carrying their heading path and printed page label.

    An encrypted PDF needs its `password`, unless it opens with the empty one.
    """
    return read_pdf_measured(path, password=password).paragraphs


def read_pdf_measured(path: Path, *, password: str | None = None) -> PdfReading:
    """`read_pdf`, with the words of the body text the paragraphs come from."""
    opened = open_pdf(path, password)
    raw_pages, markers = [], []
    fonts: FontCache = {}
    for index, page in enumerate(opened.pages):
        lines, page_markers = _page_lines(page, index, path, fonts)
        raw_pages.append(lines)
        markers.append(page_markers)
    size = body_size(raw_pages)
    cleaned, printed_numbers = strip_furniture(raw_pages)
    labels = page_labels(opened, printed_numbers)
    contents = contents_pages(cleaned)
    pages = _body_pages(cleaned, markers, labels, size, contents)
    paragraphs = paragraphs_from_pages(pages, outline_titles(opened.reader), size)
    return PdfReading(paragraphs, lines_words(cleaned, contents))


def _body_pages(
    cleaned: list[list[TextLine]],
    markers: list[set[int]],
    labels: list[str | None],
    size: float,
    contents: set[int],
) -> list[PdfPage]:
    """Pages without contents pages, footnotes apart, figure labels and inline markers gone."""
    kept: list[tuple[int, list[TextLine], list[Footnote], tuple[float, ...]]] = []
    for index, lines in enumerate(cleaned):
        if index not in contents:
            body, notes = split_footnotes(lines, size)
            kept.append((index, body, notes, left_edges(body, size)))
    # The text column's edge on most pages of the same side (odd or even) keeps a heading
    # on a page whose lines are mostly indented (definitions, exercises) or figures.
    usual = [
        Counter(edges[-1] for index, _, _, edges in kept if edges and index % 2 == side)
        for side in (0, 1)
    ]
    pages: list[PdfPage] = []
    for index, body, notes, edges in kept:
        side = usual[index % 2].most_common(1)
        # A title or cover page (a line or two of body text) keeps its own edges and drops
        # all large type away from them, as it always has.
        text_page = sum(1 for line in body if abs(line.size - size) < 0.6) >= MIN_TEXT_LINES
        if text_page and side and side[0][0] not in edges:
            edges += (side[0][0],)
        body = drop_figure_text(body, size, edges, titles=text_page)
        body = _keep_exponents(body, {note.number for note in notes})
        unmarked = [note.number for note in notes if note.number not in markers[index]]
        pages.append(
            PdfPage(index, labels[index], tuple(_unmark(body, unmarked)), tuple(notes), edges)
        )
    return pages


def _page_lines(
    page: PageObject, index: int, path: Path, fonts: FontCache
) -> tuple[list[TextLine], set[int]]:
    try:
        return page_text_lines(page, fonts)
    except Exception as error:  # pypdf raises assorted errors on damaged pages
        if "crypt" in str(error).lower():
            raise IngestError(f"{path.name}: the PDF is encrypted ({error})") from error
        raise IngestError(f"{path.name}: page {index + 1} could not be read ({error})") from error


def _keep_exponents(lines: list[TextLine], notes: set[int]) -> list[TextLine]:
    """Put back raised numbers that are no footnote on the page: exponents ("R2", "km2")."""
    return [
        replace(line, text=line.raised_text)
        if line.raised_text and not notes.intersection(line.raised)
        else line
        for line in lines
    ]


def _unmark(lines: list[TextLine], numbers: list[int]) -> list[TextLine]:
    lines = list(lines)
    for number in numbers:
        for position, line in enumerate(lines):
            text = strip_inline_markers(line.text, [number])
            if text != line.text:
                lines[position] = replace(line, text=text)
                break
    return lines


def paragraphs_from_pages(
    pages: list[PdfPage], outline: list[tuple[int, str]], size: float
) -> list[Paragraph]:
    """Join lines into paragraphs under headings; a paragraph keeps the page it starts on and
    where each following page starts inside it."""
    words = vocabulary(line.text for page in pages for line in page.lines)
    finder = HeadingFinder([(list(page.lines), page.margins) for page in pages], size, outline)
    lengths = sorted(
        len(line.text) for page in pages for line in page.lines if abs(line.size - size) < 0.6
    )
    full_line = lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0
    paragraphs: list[Paragraph] = []
    footnotes: list[Paragraph] = []
    headings: list[tuple[int, str]] = []
    empty: dict[int, str | None] = {}  # headings with no text under them yet: level -> page
    current: list[TextLine] = []
    current_page: str | None = None
    kind = TEXT  # of the paragraph in `current`: running text, a caption or figure text
    font = body_font([line for page in pages for line in page.lines], size)
    edges = text_edges([line for page in pages for line in page.lines], size)
    new_pages: list[tuple[int, str]] = []  # (index into `current`, label): a page starts there

    def flush() -> None:
        if current:
            rows = frozenset(index for index, line in enumerate(current) if line.table)
            texts = [line.text for line in current]
            text = join_lines(texts, words, rows)
            breaks = page_break_offsets(texts, text, new_pages, words, rows)
            path = tuple(t for _, t in headings)
            paragraphs.append(Paragraph(text, path, current_page, breaks, kind))
            empty.clear()
        current.clear()
        new_pages.clear()

    def close_headings(level: int) -> None:
        # A heading followed straight by one of its own level or above keeps its words as
        # a block of its own ("Industrial" / "24mm Diameter" on a data sheet).
        for position, (lvl, title) in enumerate(headings):
            if lvl >= level and lvl in empty:
                path = tuple(t for _, t in headings[: position + 1])
                paragraphs.append(Paragraph(title, path, empty.pop(lvl)))
        headings[:] = [(lvl, title) for lvl, title in headings if lvl < level]

    for page in pages:
        previous: TextLine | None = None  # None: the first line of a page
        found = finder.page_headings(list(page.lines), page.margins)
        kinds = line_kinds(list(page.lines), size, font, full_line, found.__contains__, edges)
        index = 0
        while index < len(page.lines):
            heading, count = found.get(index, (None, 0))
            if heading:
                flush()
                if heading.level == 1:
                    paragraphs.extend(footnotes)
                    footnotes.clear()
                close_headings(heading.level)
                headings.append((heading.level, heading.title))
                empty[heading.level] = page.label
                index += count
                previous = None
                continue
            line = page.lines[index]
            if current and (
                kinds[index] != kind or paragraph_breaks(current, previous, line, full_line)
            ):
                flush()
            if not current:
                current_page = page.label
                kind = kinds[index]
            elif page.label and page.label != (new_pages[-1][1] if new_pages else current_page):
                new_pages.append((len(current), page.label))
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
