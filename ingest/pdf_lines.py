"""Printed lines rebuilt from pypdf's positioned runs of text: word spaces, markers, table cells.

A run is what pypdf reports in one piece: its text, where it starts and (from the font's glyph
widths, ingest/pdf_fonts.py) where it ends. Runs on one baseline make a line. Between two runs
a word space is decided by the gap between them, not by the text: producers split words into
runs at font changes and at every letter of letter-spaced text ("N" + "ational"), so a gap
under a fifth of the font size joins the runs into one word. A gap of well over an em separates
table cells; rows whose cells line up with another row's are written with " | " between cells.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from ingest.pdf_columns import column_order
from ingest.pdf_glyphs import space_after_bullet
from ingest.pdf_runs import Run
from ingest.text import normalise_space

_MARKER = re.compile(r"^[\d*\u2020\u2021,\s]+$")
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|-bd|,b\b", re.I)
WORD_GAP = 0.2  # of the font size: a smaller gap between runs is not a word space
CELL_GAP = 1.5  # of the font size: a larger gap separates table cells
CELL_SEPARATOR = " | "
# Spacing accents that TeX and old fonts draw as glyphs of their own, as combining marks.
_ACCENTS = {
    "\u02dc": "\u0303",
    "\u00b4": "\u0301",
    "\u02cb": "\u0300",
    "\u02c6": "\u0302",
    "\u00a8": "\u0308",
    "\u00af": "\u0304",
    "\u02d9": "\u0307",
    "\u02c7": "\u030c",
    "\u02d8": "\u0306",
    "\u00b8": "\u0327",
    "\u02da": "\u030a",
}
_DASHES = ("\u2013", "\u2014")
_ALIGNED = 2.0  # points: cells of two rows start this close to line up
# A bullet or item or section number set off by a tab is not a table cell of its own.
_LABEL = re.compile(
    r"^(?:[\u2022\u00b7\u25aa\u25cf\u25e6*\u2013-]|\(?[a-zA-Z0-9]{1,3}[.)]|\d+(?:\.\d+)*\.?)$"
)


@dataclass(frozen=True)
class TextLine:
    """One printed line: its text, left edge and baseline (points from the page bottom), font."""

    text: str
    x: float
    y: float
    size: float
    font: str = ""
    spread: bool = False  # runs far apart on one baseline: a table row or figure labels
    table: bool = False  # a table row: cells lined up with another row's, joined by " | "
    end: float = 0.0  # where the line's last run ends (estimated from glyph widths)
    # Raised numbers left out of `text` (footnote markers, or exponents: "R2", "km2"), and the
    # text with them glued to the word before; the reader decides once it knows the footnotes.
    raised: tuple[int, ...] = ()
    raised_text: str = ""

    @property
    def bold(self) -> bool:
        """Whether the line is set in a bold face."""
        return bool(_BOLD_FONT.search(self.font))


def lines_from_runs(runs: list[Run]) -> tuple[list[TextLine], set[int]]:
    """Lines top to bottom (a column at a time), and the superscript markers removed."""
    groups: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if groups:
            anchor = max(groups[-1], key=lambda r: r.size)
            if abs(anchor.y - run.y) <= 0.45 * max(anchor.size, run.size):
                groups[-1].append(run)
                continue
        groups.append([run])
    markers: set[int] = set()
    rows: list[tuple[Run, list[list[Run]], list[Run]]] = []
    for group in column_order(groups, CELL_GAP):
        main = max(group, key=lambda r: len(r.text.strip()) * r.size)
        ordered = _place_accents(sorted(group, key=lambda r: r.x))
        raised = [
            run
            for run in ordered
            if run.size <= 0.75 * main.size and run.y > main.y + 0.5 and _MARKER.match(run.text)
        ]
        kept = [run for run in ordered if run not in raised]
        for run in raised:
            markers.update(int(n) for n in re.findall(r"\d+", run.text))
        if kept:
            rows.append((main, _cells(kept), ordered if raised else []))
    table_rows = _aligned_rows([cells for _, cells, _ in rows])
    lines: list[TextLine] = []
    for index, (main, cells, with_raised) in enumerate(rows):
        texts = [normalise_space(join_runs(cell)) for cell in cells]
        table = index in table_rows
        text = space_after_bullet((CELL_SEPARATOR if table else " ").join(t for t in texts if t))
        if not text:
            continue
        x, end = cells[0][0].x, max(run.end for cell in cells for run in cell)
        line = TextLine(text, x, main.y, main.size, main.font, len(cells) > 1, table, end)
        if with_raised and not table:
            glued = {id(run) for run in with_raised} - {id(run) for cell in cells for run in cell}
            numbers = [run.text for run in with_raised if id(run) in glued]
            line = replace(
                line,
                raised=tuple(int(n) for n in re.findall(r"\d+", " ".join(numbers))),
                raised_text=normalise_space(join_runs(with_raised, glued)),
            )
        lines.append(line)
    return lines, markers


def _place_accents(runs: list[Run]) -> list[Run]:
    """Put accents drawn over a letter on it ("e" + "´" is "é"), or drop them (a tilde over x)."""
    if not any(run.text.strip() in _ACCENTS for run in runs):
        return runs
    runs = list(runs)
    placed: list[Run] = []
    for index, run in enumerate(runs):
        accent = _ACCENTS.get(run.text.strip())
        if accent is None:
            placed.append(run)
            continue
        space = " " if run.text[:1].isspace() else ""  # a word space pypdf put before it
        centre = (run.x + run.end) / 2  # over the glyph that carries the accent
        following = runs[index + 1] if index + 1 < len(runs) else None
        if following and following.x <= centre and following.text.strip():
            text = following.text.lstrip()
            runs[index + 1] = replace(
                following, text=space + _compose("", text[0], accent) + text[1:]
            )
            continue
        base = placed[-1] if placed and placed[-1].end > run.x else None
        if not (base and base.text.strip()):
            placed.append(run)  # over no glyph: an accent standing on its own
            continue
        text = _compose(base.text.rstrip()[:-1], base.text.rstrip()[-1], accent)
        if len(text.strip()) == 1:  # the word space went before the accented glyph
            text, space = space + text.lstrip(), ""
        placed[-1] = replace(base, text=text)
        if space and following and not following.text[:1].isspace():
            runs[index + 1] = replace(following, text=space + following.text)
    return placed


def _compose(before: str, letter: str, accent: str) -> str:
    """`before` and `letter` with `accent` on it, when Unicode has that letter; else without."""
    composed = unicodedata.normalize("NFC", letter + accent)
    return before + (composed if len(composed) == 1 else letter)


def join_runs(runs: list[Run], glued: set[int] | frozenset[int] = frozenset()) -> str:
    """The text of runs on one baseline, with a space only where the gap is a word space.

    Runs in `glued` (by id: raised numbers) join the text before them without a space.
    """
    joined = runs[0].text
    for index, (before, run) in enumerate(zip(runs, runs[1:], strict=False), start=1):
        if not run.text:
            continue
        if id(run) in glued:
            joined = joined.rstrip() + run.text.strip()
        elif run.text[0].isspace() and _letter_spaced(runs, index):
            joined = joined.rstrip() + run.text.lstrip()
        elif run.text[0].isspace() and _touching(before, run):
            joined = joined.rstrip() + run.text.lstrip()  # a subscript set right after its letter
        elif joined[-1:].isspace() or run.text[0].isspace():
            joined += run.text  # pypdf or the font already put a space here
        elif _word_space(before, run):
            joined += " " + run.text
        else:
            joined += run.text
    return joined


def _word_space(before: Run, run: Run) -> bool:
    """Whether a word space separates two runs that pypdf put no space between."""
    gap = run.x - before.end
    size = max(before.size, run.size)
    # A dash set apart from the text before it keeps its space ("direction.” – Ratcliffe").
    if before.exact and run.placed and gap > -0.1 * size and not run.text.startswith(_DASHES):
        return gap >= WORD_GAP * size
    # The gap is unknown: a space, except before closing and after opening punctuation.
    return not (run.text[0] in ".,;:)]" or before.text[-1] in "([\u2018\u201c")


def _touching(before: Run, run: Run) -> bool:
    """Whether `run` is an index set right where `before` ends, though pypdf put a space
    before it.

    pypdf writes a space after any move of the pen, to a subscript's baseline too ("F" and
    its "j"); a space glyph that a word processor draws at the start of a run is no index.
    The end of a run of one word, from the glyph widths, is exact, while a run of several
    words has word spaces whose width TeX stretches or shrinks, and one placed by estimate
    has no known end.
    """
    if not (before.exact and before.placed and run.placed) or " " in before.text.strip():
        return False
    index = run.size < before.size - 0.5 and abs(run.y - before.y) > 0.5
    return index and abs(run.x - before.end) <= 0.05 * max(before.size, run.size)


def _letter_spaced(runs: list[Run], index: int) -> bool:
    """Whether the space pypdf put before `runs[index]` stands between the letters of a word.

    Letter-spaced text drawn a letter at a time has the same gap after each letter of the line,
    wide enough for pypdf to take it for a word space (over a tenth of an em; a space glyph of
    the font's own would start right where the letter before ends) but narrower than one.
    """
    gap = _letter_gap(runs, index)
    if gap is None or not 0.1 <= gap < WORD_GAP:
        return False
    gaps = (_letter_gap(runs, other) for other in range(1, len(runs)) if other != index)
    return sum(1 for other in gaps if other is not None and abs(other - gap) < 0.05) >= 2


def _letter_gap(runs: list[Run], index: int) -> float | None:
    """The gap before `runs[index]`, in ems, when it and the run before are single letters."""
    if not 0 < index < len(runs):
        return None
    before, run = runs[index - 1], runs[index]
    if not (before.exact and run.placed):
        return None
    if len(before.text.strip()) != 1 or len(run.text.strip()) != 1:
        return None
    return (run.x - before.end) / max(before.size, run.size)


def _cells(runs: list[Run]) -> list[list[Run]]:
    """The runs of a line grouped into cells at gaps wider than CELL_GAP."""
    cells = [[runs[0]]]
    for before, run in zip(runs, runs[1:], strict=False):
        wide = run.x - before.end > CELL_GAP * max(before.size, run.size)
        if wide and not (len(cells) == 1 and _LABEL.match(join_runs(cells[0]).strip())):
            cells.append([run])
        else:
            cells[-1].append(run)
    return cells


def _worded(cell: list[Run]) -> bool:
    """Whether a cell holds a word or a number (not a piece of a formula)."""
    text = "".join(run.text for run in cell)
    if any(unicodedata.category(ch) == "Sm" and ch not in "+<>" for ch in text):
        return False
    return sum(ch.isalnum() for ch in text) >= 2


def _aligned_rows(rows: list[list[list[Run]]]) -> set[int]:
    """Lines of two or more cells whose cell edges line up with another such line's: a table.

    Cells of a table hold words or numbers; formulas set in pieces are not tables.
    """
    starts = [
        [cell[0].x for cell in cells] if sum(map(_worded, cells)) >= 2 else [] for cells in rows
    ]
    table: set[int] = set()
    for index, edges in enumerate(starts):
        if not edges:
            continue
        for other in range(max(0, index - 3), min(len(starts), index + 4)):
            if other == index or not starts[other]:
                continue
            shared = sum(1 for x in edges if any(abs(x - y) <= _ALIGNED for y in starts[other]))
            if shared >= 2:
                table.add(index)
                break
    return table
