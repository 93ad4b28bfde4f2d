"""Page layout for the PDF reader: positioned text lines, page furniture, footnotes, page numbers.

pypdf's text visitor reports every run of text with its position and font size
(ingest/pdf_runs.py). Lines are rebuilt from those runs in top-to-bottom order (the content
stream often draws a chapter title last; ingest/pdf_lines.py), which lets the reader tell
running headers, page numbers, footnotes and headings apart from body text by where they sit
and how big they are, not only by what they say.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from pypdf import PageObject

from ingest.pdf_lines import TextLine, lines_from_runs
from ingest.pdf_runs import FontCache, page_runs

__all__ = ["TextLine", "page_text_lines"]

BARE_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(\d{1,4}|[ivxlcdm]{1,6})(?:\s*(?:/|of)\s*\d+)?$", re.I)
_FOOTNOTE_START = re.compile(r"^(\d{1,3})(?:\s+|(?=[A-Z\u201c\"(]))(\S.*)$")
# "Contents" in the languages of the corpus and its neighbours.
_CONTENTS_TITLE = re.compile(
    r"contents|inhalt|table des mati|sommaire|\b[ií]ndice\b|sommario|inhoud|spis tre"
    r"|содержание|оглавление|зміст|садржај|sadržaj|obsah|tartalom|cuprins",
    re.I,
)
_PART_LABEL = re.compile(r"^\([a-h]\)\s+\S")  # "(a) Kreis": the caption of part of a figure
_TOC_LINE = re.compile(r"(?:\.{3,}|\s)\s*\d{1,3}$")
EDGE_LINES = 2  # lines at the top and bottom of a page where running heads and numbers sit
REPEAT_SHARE = 0.3  # a short line on this share of the pages is page furniture
FURNITURE_WORDS = 12
RECURRING_SHARE = 0.8  # of the lines at one place: texts that recur make it a running header's


@dataclass(frozen=True)
class Footnote:
    """A numbered note printed at the bottom of a page."""

    number: int
    text: str


def page_text_lines(
    page: PageObject, fonts: FontCache | None = None
) -> tuple[list[TextLine], set[int]]:
    """The upright text lines of a page, top to bottom, and the superscript markers removed.

    `fonts` caches glyph widths by font dictionary for the pages of one document.
    """
    return lines_from_runs(page_runs(page, fonts))


def body_size(pages: list[list[TextLine]]) -> float:
    """The font size that carries the most characters: the size of the body text."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _line_key(line: TextLine) -> str:
    return re.sub(r"\d+", "#", line.text.lower()).strip()


def strip_furniture(pages: list[list[TextLine]]) -> tuple[list[list[TextLine]], list[int | None]]:
    """Drop running headers/footers, banners and page numbers; return the numbers printed."""
    repeated: set[str] = set()
    fixed: set[tuple[str, int, int]] = set()  # the same text at the same place: a banner
    if len(pages) >= 3:
        threshold = max(2, int(REPEAT_SHARE * len(pages)))
        counts = Counter(
            key for lines in pages for key in {_line_key(line) for line in _edges(lines)}
        )
        repeated = {key for key, count in counts.items() if count >= threshold}
        placed = Counter(key for lines in pages for key in {_placed_key(line) for line in lines})
        fixed = {key for key, count in placed.items() if count >= threshold}
    bands = {
        (round(line.y), line.size)
        for lines in pages
        for line in _edges(lines)
        if _line_key(line) in repeated
    } | _chapter_bands(pages)
    kept_pages: list[list[TextLine]] = []
    printed_numbers: list[int | None] = []
    for lines in pages:
        edges = {id(line) for line in _edges(lines)}
        number: int | None = None
        kept: list[TextLine] = []
        for line in lines:
            short = len(line.text.split()) <= FURNITURE_WORDS
            match = BARE_PAGE_NUMBER.match(line.text) if id(line) in edges else None
            if match:
                if match.group(1).isdigit() and number is None:
                    number = int(match.group(1))
            elif not (
                # The same text at a page's top or bottom on many pages is a running header
                # or footer however long it is ("ILP Atlas corpus | The UK National ...").
                (id(line) in edges and _line_key(line) in repeated)
                or (
                    short
                    and (
                        _placed_key(line) in fixed or (id(line) in edges and _in_band(line, bands))
                    )
                )
            ):
                kept.append(line)
        kept_pages.append(kept)
        printed_numbers.append(number)
    return kept_pages, printed_numbers


def _chapter_bands(pages: list[list[TextLine]]) -> set[tuple[int, float]]:
    """Where a running header that names the chapter or section sits ("18 1.6. WEGE UND
    KNOTEN"): its text changes with the section, so no one text is on enough pages, but each
    recurs at the same place and size on two pages or more, and together they top (or foot)
    a share of the pages that a running header would. The first lines of body text share a
    place too, but hardly ever a text."""
    if len(pages) < 3:
        return set()
    placed = Counter(
        key for lines in pages for key in {_banded_key(line) for line in _edges(lines)}
    )
    in_band: Counter[tuple[int, float]] = Counter()
    recurring: Counter[tuple[int, float]] = Counter()
    for lines in pages:
        keys = {_banded_key(line) for line in _edges(lines)}
        in_band.update({key[1:] for key in keys})
        recurring.update({key[1:] for key in keys if placed[key] >= 2})
    threshold = max(2, int(REPEAT_SHARE * len(pages)))
    return {
        band
        for band, count in recurring.items()
        if count >= threshold and count >= RECURRING_SHARE * in_band[band]
    }


def _banded_key(line: TextLine) -> tuple[str, int, float]:
    return _line_key(line), round(line.y), line.size


def _placed_key(line: TextLine) -> tuple[str, int, int]:
    return _line_key(line), round(line.x / 4), round(line.y / 4)


def _edges(lines: list[TextLine]) -> list[TextLine]:
    return lines[:EDGE_LINES] + lines[-EDGE_LINES:] if len(lines) > EDGE_LINES else list(lines)


def _in_band(line: TextLine, bands: set[tuple[int, float]]) -> bool:
    return any(abs(line.y - y) <= 2 and abs(line.size - size) < 0.3 for y, size in bands)


def printed_page_labels(numbers: list[int | None]) -> list[str | None] | None:
    """Labels from printed page numbers when enough pages agree on one offset, else None."""
    offsets = Counter(number - index for index, number in enumerate(numbers) if number is not None)
    if not offsets:
        return None
    offset, votes = offsets.most_common(1)[0]
    if votes < max(2, len(numbers) // 4):
        return None
    # Pages before printed page 1 (covers, front matter) have no printed number.
    return [str(index + offset) if index + offset > 0 else None for index in range(len(numbers))]


def split_footnotes(lines: list[TextLine], size: float) -> tuple[list[TextLine], list[Footnote]]:
    """Separate the numbered small-print notes at the bottom of a page from its body lines.

    Small print is under 85% of the body size; a point or more under it will do when the notes
    start with raised numbers (a word processor's 10 pt notes under 11 pt text).
    """
    start = next(
        (i for i in range(_smaller_run(lines, size - 1), len(lines)) if _raised_note(lines[i])),
        None,
    )
    if start is None:
        small_run = _smaller_run(lines, 0.85 * size)
        start = next(
            (i for i in range(small_run, len(lines)) if _FOOTNOTE_START.match(lines[i].text)),
            None,
        )
    if start is None:
        return lines, []
    notes: list[Footnote] = []
    for line in lines[start:]:
        number, text = _note_start(line)
        if number is not None and (not notes or number == notes[-1].number + 1):
            notes.append(Footnote(number, text))
        elif notes:
            notes[-1] = replace(notes[-1], text=notes[-1].text + "\n" + line.text)
    return lines[:start], notes


def _smaller_run(lines: list[TextLine], most: float) -> int:
    """Where the run of lines at the bottom of a page no bigger than `most` points starts."""
    start = len(lines)
    while start > 0 and lines[start - 1].size <= most:
        start -= 1
    return start


def _raised_note(line: TextLine) -> bool:
    """A line that starts with a raised number: the start of a footnote."""
    if not line.raised:
        return False
    number = str(line.raised[0])
    return line.raised_text.startswith(number) and (
        line.raised_text[len(number) :].lstrip() == line.text
    )


def _note_start(line: TextLine) -> tuple[int | None, str]:
    """The footnote number a line starts with, if any, and the line's text with it."""
    if _raised_note(line):
        return line.raised[0], f"{line.raised[0]} {line.text}"
    match = _FOOTNOTE_START.match(line.text)
    return (int(match.group(1)), line.text) if match else (None, line.text)


def left_edges(lines: list[TextLine], size: float) -> tuple[float, ...]:
    """Left edges of the text column: the one most body-size lines share, and the leftmost one
    that two lines share when it differs (indented definitions can outnumber the true edge)."""
    edges = Counter(round(line.x) for line in lines if abs(line.size - size) < 0.6)
    if not edges:
        return ()
    common = edges.most_common(1)[0][0]
    shared = [x for x, count in edges.items() if count >= 2]
    leftmost = min(shared) if shared else common
    return (float(common),) if leftmost >= common else (float(common), float(leftmost))


def drop_figure_text(
    lines: list[TextLine], size: float, edges: tuple[float, ...], titles: bool = True
) -> list[TextLine]:
    """Drop labels inside figures: off-size text away from the text column.

    With `titles`, text larger than the body that starts in the left half of the column, or
    tops the page, is a title or a heading (centred, or hanging left of indented text).
    """
    if not edges:
        return lines
    ends = sorted(line.end for line in lines if abs(line.size - size) < 0.6)
    left = min(edges)
    centre = (left + ends[int(0.9 * (len(ends) - 1))]) / 2 if ends else left
    parts = _part_captions(lines, size)
    return [
        line
        for position, line in enumerate(lines)
        if abs(line.size - size) < 0.6
        or any(edge - 5 <= line.x <= edge + 45 for edge in edges)
        or position in parts
        or (
            titles
            and line.size >= 1.15 * size
            and (position == 0 or left < line.end and line.x < centre)
        )
    ]


def _part_captions(lines: list[TextLine], size: float) -> set[int]:
    """The lines that caption the parts of a figure ("(a) Kreis mit zwei Wegen (b) Torus"),
    in type smaller than the body's, with the lines they wrap onto: text of the figure."""
    parts: set[int] = set()
    for position, line in enumerate(lines):
        previous = lines[position - 1] if position else None
        wrapped = (
            previous is not None
            and position - 1 in parts
            and abs(line.size - previous.size) < 0.3
            and previous.y - line.y <= 1.6 * line.size
        )
        if line.size < size - 0.6 and (wrapped or _PART_LABEL.match(line.text)):
            parts.add(position)
    return parts


def contents_pages(pages: list[list[TextLine]]) -> set[int]:
    """Indexes of the table-of-contents pages, which the reader skips."""
    skipped: set[int] = set()
    for index, lines in enumerate(pages):
        if looks_like_contents([line.text for line in lines], index - 1 in skipped):
            skipped.add(index)
    return skipped


def looks_like_contents(lines: list[str], after_contents: bool = False) -> bool:
    """A table-of-contents page: titled Contents (in one of several languages, or continuing
    one), most lines ending in page numbers."""
    if not lines:
        return False
    numbered = sum(1 for line in lines if _TOC_LINE.search(line))
    if after_contents:
        return numbered >= 0.5 * len(lines)
    titled = any(_CONTENTS_TITLE.search(line) for line in lines[: EDGE_LINES + 3])
    return titled and numbered >= 0.4 * len(lines)
