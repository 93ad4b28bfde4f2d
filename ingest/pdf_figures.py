"""Figure captions and diagram text on a PDF page: blocks of their own, never body text.

A caption starts with "Figure 2.1", "Table 6.1", "Abbildung 1.2:" ... set apart from the body
text (in another font or size, or with a colon after the number: "Figure 7.1 is a simplified
..." in the body's font is a sentence, not a caption). Its wrapped lines share its font and
size, and a "Source:" or "Note:" line right below belongs to it. The labels of a diagram that
sit near the text column (those far from it are dropped with the rest of the figure, see
`drop_figure_text`) are the lines above a figure's caption back to the last line of body text
or heading: lines off the body's size or font, short of a full line, or spread out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from ingest.models import CAPTION, FIGURE, TEXT
from ingest.pdf_lines import TextLine

_CAPTION = re.compile(
    r"^(?P<what>Figure|Fig\.|Table|Chart|Diagram|Map|Box|Exhibit|Graph|Abbildung|Abb\.|Tabelle"
    r"|Grafik|Karte|Schaubild|Рисунок|Рис\.|Таблица|Схема)"
    r"\s*[A-Z]?\d+(?:[.\-]\d+)*[a-z]?(?P<colon>[.:]?)\s*(?P<rest>.*)$"
)
_TABLE = ("Table", "Tabelle", "Таблица")
_SOURCE = re.compile(r"^(?:Sources?|Notes?|Quellen?|Anmerkung|Источник|Примечание)\s*:", re.I)
_SENTENCE_START = re.compile(r"^[A-Z\u00c0-\u00de\u0410-\u042f\u201c\"(\d]")
SAME_SIZE = 0.6  # points: lines this close in size are set in the same size
LONG_LINE = 0.6  # of a full line: a line this long is running text, not a diagram label
USUAL_EDGE = 0.05  # of the body-size lines: a left edge this many start at is the column's


def body_font(lines: list[TextLine], size: float) -> str:
    """The font that carries the most characters of body-size text."""
    fonts: Counter[str] = Counter()
    for line in lines:
        if abs(line.size - size) < SAME_SIZE:
            fonts[line.font] += len(line.text)
    return fonts.most_common(1)[0][0] if fonts else ""


def text_edges(lines: list[TextLine], size: float) -> tuple[float, ...]:
    """The left edges where the document's body-size lines usually start (a column's, a
    page side's): each shared by one in twenty such lines or more."""
    edges: Counter[int] = Counter()
    for line in lines:
        if abs(line.size - size) < SAME_SIZE:
            edges[round(line.x)] += 1
    total = sum(edges.values())
    return tuple(float(x) for x, count in edges.items() if count >= USUAL_EDGE * total)


def caption_start(line: TextLine, size: float, font: str) -> bool:
    """Whether a line starts a figure or table caption."""
    match = _CAPTION.match(line.text)
    if not match or not match.group("rest"):
        return False
    if match.group("colon") == ":":
        return True
    set_apart = line.font != font or abs(line.size - size) >= SAME_SIZE or line.bold
    return set_apart and bool(_SENTENCE_START.match(match.group("rest")))


def line_kinds(
    lines: list[TextLine],
    size: float,
    font: str,
    full_line: int,
    is_heading: Callable[[int], bool],
    edges: tuple[float, ...] = (),
) -> list[str]:
    """TEXT, CAPTION or FIGURE for each line of one page (`is_heading(index)`: a heading starts
    at that line; `edges`: the document's `text_edges`)."""
    kinds = [TEXT] * len(lines)
    for index, line in enumerate(lines):
        if kinds[index] != TEXT or not caption_start(line, size, font):
            continue
        end = _caption_end(lines, index)
        kinds[index:end] = [CAPTION] * (end - index)
        if line.text.startswith(_TABLE):
            continue  # a table is kept as rows of text
        above = index - 1
        while above >= 0 and kinds[above] == TEXT and not is_heading(above):
            if _running_text(lines, above, size, font, full_line, edges):
                break
            kinds[above] = FIGURE
            above -= 1
    return kinds


def _caption_end(lines: list[TextLine], start: int) -> int:
    """The index after the caption that starts at `start`, with its source or note lines."""
    first = lines[start]
    end = start + 1
    source = False
    while end < len(lines):
        line, previous = lines[end], lines[end - 1]
        close = previous.y - line.y <= 2.5 * max(previous.size, line.size)
        same = line.font == previous.font and abs(line.size - previous.size) < 0.3
        if not close or _CAPTION.match(line.text):
            break
        if _SOURCE.match(line.text) and line.size <= first.size + 0.3 and not source:
            source = True
        elif not (same and previous.y - line.y <= 1.6 * line.size):
            break
        end += 1
    return end


def _running_text(
    lines: list[TextLine],
    index: int,
    size: float,
    font: str,
    full_line: int,
    edges: tuple[float, ...],
) -> bool:
    """Whether a line reads as body text: body size, and in the body font, a full line long,
    words at the column's edge ("Example 19 (Knots)"), or the short last line of a paragraph."""
    line = lines[index]
    if abs(line.size - size) >= SAME_SIZE:
        return False
    if len(line.text) >= LONG_LINE * full_line and not line.table:
        return True  # a formula spreads a line of text, and so do a diagram's labels
    if line.spread:
        return False
    if line.font == font:
        return True
    if any(abs(line.x - edge) <= 2 for edge in edges) and len(line.text.split()) >= 3:
        return True
    if index == 0:
        return False
    previous = lines[index - 1]
    return (
        previous.font == line.font
        and abs(previous.size - line.size) < 0.3
        and len(previous.text) >= LONG_LINE * full_line
        and previous.y - line.y <= 1.6 * line.size
    )
