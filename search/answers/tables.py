"""A table row quoted on the answer card reads with its table's column names.

The readers keep a table as a block of its own, a line per row with its cells joined by " | "
(ingest/html.py, ingest/markdown.py), and sentence splitting ends a sentence at every line
break, so a card can quote one row: "4x4 | A to D | 1 to 4 | Not covered by the two codes |
Europol; OSCE Guidebook" says little without the header above it, "System | Source
reliability | Information validity | Handling | Where used". On the card the row reads "4x4 —
Source reliability: A to D · Information validity: 1 to 4 · Handling: Not covered by the two
codes · Where used: Europol; OSCE Guidebook": its first cell names the row, and each other
cell comes with its column's name.
"""

from __future__ import annotations

CELL = " | "


def with_column_names(passage_text: str, start: int, text: str) -> str:
    """`text`, the sentence at offset `start` of `passage_text`, with the column names of its
    table when it is a row of one (not the header itself): a block of two or more lines with
    the same number of cells, two or more. Any other sentence is returned as it is."""
    opening = passage_text.rfind("\n\n", 0, start)
    closing = passage_text.find("\n\n", start)
    block = passage_text[opening + 2 if opening != -1 else 0 : closing if closing != -1 else None]
    lines = [line.strip() for line in block.split("\n")]
    header = lines[0].split(CELL)
    row = text.strip()
    if (
        len(lines) < 2
        or len(header) < 2
        or row == lines[0]
        or any(len(line.split(CELL)) != len(header) for line in lines)
    ):
        return text
    cells = row.split(CELL)
    if len(cells) != len(header):  # a sentence inside a cell, not the whole row
        return text
    named = [f"{name}: {value}" for name, value in zip(header[1:], cells[1:], strict=True)]
    return f"{cells[0]} — " + " · ".join(named)
