"""Page layout for the PDF reader: positioned text lines, page furniture, footnotes, page numbers.

pypdf's text visitor reports every run of text with its position and font size. Lines are
rebuilt from those runs in top-to-bottom order (the content stream often draws a chapter title
last), which lets the reader tell running headers, page numbers, footnotes and headings apart
from body text by where they sit and how big they are, not only by what they say.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from pypdf import PageObject

from ingest.text import normalise_space

BARE_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(\d{1,4}|[ivxlcdm]{1,6})(?:\s*(?:/|of)\s*\d+)?$", re.I)
_FOOTNOTE_START = re.compile(r"^(\d{1,3})(?:\s+|(?=[A-Z\u201c\"(]))(\S.*)$")
_TOC_LINE = re.compile(r"(?:\.{3,}|\s)\s*\d{1,3}$")
_MARKER = re.compile(r"^[\d*\u2020\u2021,\s]+$")
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|-bd|,b\b", re.I)
EDGE_LINES = 2  # lines at the top and bottom of a page where running heads and numbers sit
REPEAT_SHARE = 0.3  # a short line on this share of the pages is page furniture
FURNITURE_WORDS = 12


@dataclass(frozen=True)
class TextLine:
    """One printed line: its text, left edge and baseline (points from the page bottom), font."""

    text: str
    x: float
    y: float
    size: float
    font: str = ""
    spread: bool = False  # runs far apart on one baseline: a table row or figure labels

    @property
    def bold(self) -> bool:
        """Whether the line is set in a bold face."""
        return bool(_BOLD_FONT.search(self.font))


@dataclass(frozen=True)
class _Run:
    text: str
    x: float
    y: float
    size: float
    font: str


@dataclass(frozen=True)
class Footnote:
    """A numbered note printed at the bottom of a page."""

    number: int
    text: str


def page_text_lines(page: PageObject) -> tuple[list[TextLine], set[int]]:
    """The upright text lines of a page, top to bottom, and the superscript markers removed."""
    runs: list[_Run] = []

    def visit(text: str, cm: list, tm: list, font_dict: dict | None, font_size: float) -> None:
        if not text.strip():
            return
        # Text running sideways (margin banners, stamps) is never body text.
        if abs(tm[1]) > 1e-3 or abs(tm[2]) > 1e-3 or abs(cm[1]) > 1e-3 or abs(cm[2]) > 1e-3:
            return
        scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        font = str(font_dict.get("/BaseFont", "")) if font_dict else ""
        for offset, piece in enumerate(p for p in text.split("\n") if p.strip()):
            runs.append(
                _Run(
                    piece,
                    x,
                    y - offset * font_size * scale * 1.2,
                    round(font_size * scale, 1),
                    font,
                )
            )

    page.extract_text(visitor_text=visit)
    return _lines_from_runs(runs)


def _lines_from_runs(runs: list[_Run]) -> tuple[list[TextLine], set[int]]:
    groups: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if groups:
            anchor = max(groups[-1], key=lambda r: r.size)
            if abs(anchor.y - run.y) <= 0.45 * max(anchor.size, run.size):
                groups[-1].append(run)
                continue
        groups.append([run])
    lines: list[TextLine] = []
    markers: set[int] = set()
    for group in groups:
        main = max(group, key=lambda r: len(r.text.strip()) * r.size)
        kept = []
        for run in sorted(group, key=lambda r: r.x):
            if run.size <= 0.75 * main.size and run.y > main.y + 0.5 and _MARKER.match(run.text):
                markers.update(int(n) for n in re.findall(r"\d+", run.text))
                continue
            kept.append(run)
        text = normalise_space(_join_runs([run.text for run in kept]))
        if text:
            lines.append(TextLine(text, kept[0].x, main.y, main.size, main.font, _spread(kept)))
    return lines, markers


def _spread(runs: list[_Run]) -> bool:
    # Glyph widths are unknown here; half the font size per character is a fair estimate.
    return any(
        run.x - (before.x + 0.55 * before.size * len(before.text)) > 2 * before.size
        for before, run in zip(runs, runs[1:], strict=False)
    )


def _join_runs(texts: list[str]) -> str:
    joined = ""
    for text in texts:
        glued = text[0].isspace() or text[0] in ".,;:)]"
        if joined and not joined[-1].isspace() and not glued:
            joined += " "
        joined += text
    return joined


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
    }
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
                short
                and (
                    _placed_key(line) in fixed
                    or (
                        id(line) in edges and (_line_key(line) in repeated or _in_band(line, bands))
                    )
                )
            ):
                kept.append(line)
        kept_pages.append(kept)
        printed_numbers.append(number)
    return kept_pages, printed_numbers


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
    """Separate the numbered small-print notes at the bottom of a page from its body lines."""
    small_run = len(lines)
    while small_run > 0 and lines[small_run - 1].size <= 0.85 * size:
        small_run -= 1
    start = next(
        (i for i in range(small_run, len(lines)) if _FOOTNOTE_START.match(lines[i].text)), None
    )
    if start is None:
        return lines, []
    notes: list[Footnote] = []
    for line in lines[start:]:
        match = _FOOTNOTE_START.match(line.text)
        if match and (not notes or int(match.group(1)) == notes[-1].number + 1):
            notes.append(Footnote(int(match.group(1)), line.text))
        elif notes:
            notes[-1] = replace(notes[-1], text=notes[-1].text + "\n" + line.text)
    return lines[:start], notes


def left_margin(lines: list[TextLine], size: float) -> float | None:
    """The left edge shared by most body-size lines of a page."""
    edges = Counter(round(line.x) for line in lines if abs(line.size - size) < 0.6)
    return float(edges.most_common(1)[0][0]) if edges else None


def drop_figure_text(lines: list[TextLine], size: float, margin: float | None) -> list[TextLine]:
    """Drop labels inside figures: off-size text away from the text column."""
    if margin is None:
        return lines
    return [
        line for line in lines if abs(line.size - size) < 0.6 or margin - 5 <= line.x <= margin + 45
    ]


def looks_like_contents(lines: list[str], after_contents: bool = False) -> bool:
    """A table-of-contents page: titled Contents (or continuing one), lines ending in numbers."""
    if not lines:
        return False
    numbered = sum(1 for line in lines if _TOC_LINE.search(line))
    if after_contents:
        return numbered >= 0.5 * len(lines)
    titled = any("contents" in line.lower() for line in lines[: EDGE_LINES + 3])
    return titled and numbered >= 0.4 * len(lines)
