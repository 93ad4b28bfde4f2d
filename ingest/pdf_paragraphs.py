"""Where one paragraph of a PDF ends and the next begins, read from the lines' positions.

A line starts a new block when it is a bullet (outside a list), a table row, set in another type
size, further below the line above than line spacing, or set in or out from it; except where the
line goes on with a sentence the line above left unfinished (it starts in lower case): a PDF that
set part of a paragraph a point smaller, the hanging indent of a numbered item. A paragraph
carries on from the previous page or column unless its last line ended a sentence short of the
full line width.
"""

from __future__ import annotations

from ingest.pdf_lines import TextLine
from ingest.pdf_words import is_bullet

_SENTENCE_END = (".", "!", "?", ":", "\u201d", '"')


def paragraph_breaks(
    current: list[TextLine], previous: TextLine | None, line: TextLine, full_line: int
) -> bool:
    """True when `line` starts a new block after the lines `current` of the block being read
    (`previous`, the line above on this page, or None at the top of a page or column)."""
    in_list = is_bullet(current[0].text)
    last = current[-1]
    if any(earlier.table for earlier in current):
        # A table stays one block, a row to a line, with the wrapped lines of its cells;
        # rows may stand further apart than lines of text.
        apart = 3.0 if line.table and last.table else 1.8
        return previous is None or previous.y - line.y > apart * max(previous.size, line.size)
    if line.table:
        return True
    if is_bullet(line.text):
        return not in_list
    if abs(line.size - last.size) > 0.6:
        # A change of type size starts a new block, except inside a sentence (a PDF that set
        # part of a paragraph a point smaller).
        return not (
            previous is not None
            and _runs_on(previous, line)
            and abs(line.x - previous.x) <= 12
            and previous.y - line.y <= 1.8 * max(previous.size, line.size)
        )
    if previous is None or line.y > previous.y + line.size:
        # The paragraph continues from the previous page, or from the previous column.
        return last.text.rstrip().endswith(_SENTENCE_END) and len(last.text) < 0.85 * full_line
    if previous.y - line.y > 1.8 * max(previous.size, line.size):
        return True
    # A line set in or out from the one above starts a block, unless it finishes that line's
    # sentence: the hanging indent of a numbered item ("1. Leading and steering - This is ..."
    # over "strategic and operational level ...").
    return not in_list and abs(line.x - previous.x) > 12 and not _runs_on(previous, line)


def _runs_on(previous: TextLine, line: TextLine) -> bool:
    """True when `line` goes on with a sentence `previous` left unfinished (it starts in lower
    case after a line that does not end one)."""
    return not previous.text.rstrip().endswith(_SENTENCE_END) and line.text[:1].islower()
