"""Reading order of two-column pages: the left column to its end, then the right one.

A page is set in two columns when many lines start at one point in the middle of the text area
(the right column's edge), the lines left of it end before it (leaving a gutter), and the text
on each side of the gutter is running text rather than table cells. Lines that cross the gutter
(a title, a wide figure, the page number) split the page into bands; each band is read left
column first. Pages without such a gutter keep their top-to-bottom order.
"""

from __future__ import annotations

from collections import Counter

from ingest.pdf_runs import Run

MIN_COLUMN_LINES = 6  # lines on each side of the gutter before a page counts as two columns
_EDGE_TOLERANCE = 1.5  # points


def column_order(groups: list[list[Run]], cell_gap: float) -> list[list[Run]]:
    """Runs grouped by baseline, reordered column by column when the page has two columns."""
    gutter = _gutter(groups, cell_gap)
    if gutter is None:
        return groups
    left_edge, right_start = gutter
    ordered: list[list[Run]] = []
    left: list[list[Run]] = []
    right: list[list[Run]] = []
    for index, group in enumerate(groups):
        if _isolated(groups, index) or any(
            run.x < right_start - _EDGE_TOLERANCE
            and (run.end > right_start + _EDGE_TOLERANCE or run.x > left_edge)
            for run in group
        ):
            ordered.extend(left + right + [group])  # a band ends at a line across the gutter
            left, right = [], []
            continue
        on_left = [run for run in group if run.x < right_start - _EDGE_TOLERANCE]
        on_right = [run for run in group if run.x >= right_start - _EDGE_TOLERANCE]
        if on_left:
            left.append(on_left)
        if on_right:
            right.append(on_right)
    return ordered + left + right


def _isolated(groups: list[list[Run]], index: int) -> bool:
    """The first or last line of a page standing apart: a running head or a page number."""
    if len(groups) < 2 or 0 < index < len(groups) - 1:
        return False
    neighbour = groups[1] if index == 0 else groups[-2]
    size = max(run.size for run in groups[index])
    return abs(groups[index][0].y - neighbour[0].y) > 2 * size


def _gutter(groups: list[list[Run]], cell_gap: float) -> tuple[float, float] | None:
    """(right end of the left column, left edge of the right column), or None."""
    runs = [run for group in groups for run in group if run.text.strip()]
    if len(runs) < 2 * MIN_COLUMN_LINES:
        return None
    first, last = min(run.x for run in runs), max(run.end for run in runs)
    width = last - first
    starts = Counter(
        round(run.x) for run in runs if first + 0.3 * width <= run.x <= first + 0.7 * width
    )
    for start, count in starts.most_common(3):
        if count < MIN_COLUMN_LINES:
            break
        gutter = _check_columns(groups, float(start), first, cell_gap)
        if gutter:
            return gutter
    return None


def _check_columns(
    groups: list[list[Run]], right_start: float, first: float, cell_gap: float
) -> tuple[float, float] | None:
    left_lines: list[list[Run]] = []
    right_lines: list[list[Run]] = []
    crossing = 0
    for group in groups:
        on_right = [run for run in group if run.x >= right_start - _EDGE_TOLERANCE]
        on_left = [run for run in group if run.x < right_start - _EDGE_TOLERANCE]
        if on_left and max(run.end for run in on_left) > right_start + _EDGE_TOLERANCE:
            crossing += 1
            continue
        if on_left:
            left_lines.append(on_left)
        if on_right:
            right_lines.append(on_right)
    if min(len(left_lines), len(right_lines)) < MIN_COLUMN_LINES:
        return None
    if crossing > 0.25 * (len(left_lines) + len(right_lines)):
        return None
    column_width = right_start - first
    for side in (left_lines, right_lines):
        running = [line for line in side if _is_running_text(line, column_width, cell_gap)]
        if len(running) < 0.6 * len(side):
            return None  # table cells or figure labels, not columns of text
    ends = sorted(max(run.end for run in line) for line in left_lines)
    return (ends[int(0.9 * (len(ends) - 1))], right_start)


def _is_running_text(line: list[Run], column_width: float, cell_gap: float) -> bool:
    """A line of a text column: no wide gaps inside, and at least half the column wide."""
    ordered = sorted(line, key=lambda run: run.x)
    for before, run in zip(ordered, ordered[1:], strict=False):
        if run.x - before.end > cell_gap * run.size:
            return False
    return ordered[-1].end - ordered[0].x >= 0.5 * column_width
