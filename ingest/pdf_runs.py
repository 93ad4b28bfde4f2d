"""Runs of text as pypdf reports them, placed on the page: where each starts and ends.

pypdf's text visitor gives each run's text, font and starting point. Where it ends comes from
the font's glyph widths (ingest/pdf_fonts.py). Two habits of pypdf are undone here: after a
font change it reports the start of the line (or of its last move) again, inside text already
drawn, so such a run is placed after the one before it (and before the run drawn next, when
that starts inside it); and it reads a gap of half a space in a TJ array as a word space,
which splits letter-spaced words ("pro duced"), so narrower gaps are handed to it in steps
too small to be spaces.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from pypdf import PageObject
from pypdf.generic import ArrayObject, FloatObject

from ingest.pdf_fonts import FontWidths, font_widths
from ingest.pdf_glyphs import clean_glyphs

LETTER_GAP = 150  # thousandths of an em: a narrower gap inside a TJ array is not a word space
_GAP_STEP = 50  # thousandths of an em: below any space width pypdf compares with
FontCache = dict[int, tuple[Any, FontWidths]]


@dataclass(frozen=True)
class Run:
    """A run of text as pypdf reports it, with where it starts and ends on the page."""

    text: str
    x: float
    y: float
    size: float
    font: str
    end: float
    exact: bool = True  # the end comes from the font's glyph widths, not an estimate
    placed: bool = True  # pypdf reported where the run starts (not only that it follows)


def page_runs(page: PageObject, fonts: FontCache | None = None) -> list[Run]:
    """The upright runs of text of a page, in the order pypdf reads them.

    `fonts` caches glyph widths by font dictionary for the pages of one document.
    """
    runs: list[Run] = []
    fonts = {} if fonts is None else fonts
    origins: set[tuple[float, float]] = set()  # where pypdf said earlier runs started

    def visit(text: str, cm: list, tm: list, font_dict: dict | None, font_size: float) -> None:
        if not text.strip():
            if " " in text and runs and not runs[-1].text[-1].isspace():
                runs[-1] = replace(runs[-1], text=runs[-1].text + " ")  # a space glyph alone
            return
        # Text running sideways (margin banners, stamps) is never body text.
        if abs(tm[1]) > 1e-3 or abs(tm[2]) > 1e-3 or abs(cm[1]) > 1e-3 or abs(cm[2]) > 1e-3:
            return
        scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if id(font_dict) not in fonts:  # the dictionary is kept so that its id stays its own
            fonts[id(font_dict)] = (font_dict, font_widths(font_dict))
        widths, size = fonts[id(font_dict)][1], font_size * scale
        start, placed = x, True
        if runs and abs(runs[-1].y - y) < 0.1 and _continues(runs[-1], x, y, size, origins):
            # After a font change pypdf reports where the line (or its last move) started,
            # inside the text already drawn: the run follows the last one, gap unknown.
            start = runs[-1].end + (widths.space * size / 1000 if text[0].isspace() else 0)
            placed = False
        origins.add((x, y))
        font = str(font_dict.get("/BaseFont", "")) if font_dict else ""
        for offset, piece in enumerate(p for p in text.split("\n") if p.strip()):
            # A leading space is one pypdf put before the first glyph, which starts at x.
            advance, exact = widths.measure(piece.lstrip())
            left = start if offset == 0 else x
            run = Run(
                clean_glyphs(piece),
                left,
                y - offset * size * 1.2,
                round(size, 1),
                font,
                left + advance * size / 1000,
                exact and offset == 0,
                placed and offset == 0,
            )
            if run.text.strip():
                runs.append(run)

    page.extract_text(visitor_text=visit, visitor_operand_before=_close_letter_spacing)
    return place_estimated_runs(runs)


def place_estimated_runs(runs: list[Run]) -> list[Run]:
    """Move a run placed only by estimate (after a font change) back before the run drawn next.

    The estimate counts a full space for each word space in the run before, which TeX sets
    narrower on a tight line; the run drawn next ("R" then its exponent "n", "(" then "U")
    starts where the estimated one truly ends, so it must not come first in the line.
    """
    placed = list(runs)
    for index in range(1, len(placed) - 1):
        before, run, following = placed[index - 1], placed[index], placed[index + 1]
        if (
            not run.placed
            and following.placed
            and following.text.strip()[:1].isalnum()
            and abs(following.y - run.y) < 0.45 * max(following.size, run.size)
            and before.x < following.x < run.end - 0.1
        ):
            width = run.end - run.x
            placed[index] = replace(run, x=following.x - width, end=following.x)
    return placed


def _continues(
    before: Run, x: float, y: float, size: float, origins: set[tuple[float, float]]
) -> bool:
    """Whether pypdf's start for a run is a point already passed: the run follows `before`.

    pypdf reports the last explicit text position; after a font change without a move that is
    the start of an earlier run, or a point inside the text just drawn. (An accent drawn over
    the glyph before it starts near that glyph's start, and keeps its place.)
    """
    if (x, y) in origins:
        return True
    return before.x + 0.5 * size < x < before.end - 0.3 * size


def _close_letter_spacing(operator: bytes, operands: list, cm: list, tm: list) -> None:
    """Split the narrow gaps of a TJ array into steps too small for pypdf to see a space.

    pypdf puts a space at a TJ gap of half a space width; letter-spaced text (and kerning in
    some office exports) has gaps that wide inside words ("pro duced"). The pen still moves by
    the whole gap, so the positions pypdf works out later stay right. pypdf parses a page's
    content afresh for each extraction, so the change stays within this one.
    """
    if operator != b"TJ" or not operands or not isinstance(operands[0], ArrayObject):
        return
    items = operands[0]
    if not any(_narrow_gap(item) for item in items):
        return
    stepped: list = []
    for item in items:
        if not _narrow_gap(item):
            stepped.append(item)
            continue
        gap = -float(item)
        while gap > 0:
            stepped.append(FloatObject(-min(gap, _GAP_STEP)))
            gap -= _GAP_STEP
    items[:] = stepped


def _narrow_gap(item: object) -> bool:
    return isinstance(item, (int, float)) and -LETTER_GAP < float(item) < -_GAP_STEP
