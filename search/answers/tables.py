"""A table row quoted on the answer card reads with its table's column names.

The readers keep a table as a paragraph of its own, a row a line with its cells joined by
`CELL_SEPARATOR` (ingest/html.py, ingest/markdown.py), and sentence splitting ends a sentence
at every line break, so a card can quote one row: "4x4 | A to D | 1 to 4 | Not covered by the
two codes | Europol; OSCE Guidebook" says little without the header above it, "System | Source
reliability | Information validity | Handling | Where used". On the card the row reads "4x4 —
Source reliability: A to D · Information validity: 1 to 4 · Handling: Not covered by the two
codes · Where used: Europol; OSCE Guidebook": its first cell names the row, and each other
cell that has a value comes with its column's name.

Only a header that is surely one is used: the first line of a paragraph that starts inside the
passage (a passage may start in the middle of a long table), with no figure in it (a table of
names and values without a header, "Adopted | 2017", has none), above rows of as many cells.
"""

from __future__ import annotations

from ingest.text import CELL_SEPARATOR
from search.answers.roles import is_list_item


def with_column_names(passage_text: str, start: int, text: str) -> str:
    """`text`, the sentence at offset `start` of `passage_text`, with the column names of its
    table when it is a row of one (not the header itself). Any other sentence is returned as
    it is."""
    opening = passage_text.rfind("\n\n", 0, start)
    if opening == -1 or CELL_SEPARATOR.strip() not in text:
        return text
    closing = passage_text.find("\n\n", start)
    lines = passage_text[opening + 2 : closing if closing != -1 else None].split("\n")
    header, row = _cells(lines[0]), _cells(text)
    if (
        len(lines) < 2
        or len(header) < 2
        or text.strip() == lines[0].strip()
        or any(character.isdigit() for character in lines[0])
        or any(is_list_item(line) or len(_cells(line)) != len(header) for line in lines)
        or len(row) != len(header)  # a sentence inside a cell, not the whole row
    ):
        return text
    named = [f"{name}: {value}" for name, value in zip(header[1:], row[1:], strict=True) if value]
    return f"{row[0]} — " + " · ".join(named) if row[0] and named else text


def _cells(line: str) -> list[str]:
    """A row's cells, empty ones too ("| 2019 | 2020" has an empty first cell)."""
    return [cell.strip() for cell in line.strip().split(CELL_SEPARATOR.strip())]
