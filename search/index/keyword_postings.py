"""The BM25 posting lists a build stores beside its FTS5 index (see keyword.py for why).

`write_postings` reads FTS5's own index once, through an `fts5vocab` table, and stores for every
indexed term the rows that contain it, how often in each column and at which token offsets,
plus each row's length in tokens. `KeywordIndex` (keyword.py) scores queries from these tables.
"""

from __future__ import annotations

import sqlite3

import numpy as np

COLUMN_WEIGHTS = (1.0, 0.5, 0.3)  # text, heading, title: favour the passage text

POSTINGS_SCHEMA = """
CREATE TABLE keyword_postings (
    term TEXT PRIMARY KEY, rows INTEGER NOT NULL, row_ids BLOB NOT NULL,
    column_counts BLOB NOT NULL,
    positions BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE keyword_lengths (row_id INTEGER PRIMARY KEY, tokens INTEGER NOT NULL);
"""
# A token instance is stored as one int64: ((row id * 4 + column) << OFFSET_BITS) + offset, so
# one token following another in the same column is the next code.
OFFSET_BITS = 24
OFFSET_MASK = (1 << OFFSET_BITS) - 1


def write_postings(connection: sqlite3.Connection, fts_table: str = "passages_fts") -> None:
    """Store every indexed term's posting list and every row's token count (see module doc).

    Reads FTS5's index through an `fts5vocab` instance table, one `group_concat` per term
    (instances arrive in term, row, column, offset order); about 20 s for 100,000 passages.
    """
    names = [row[1] for row in connection.execute(f"PRAGMA table_info({fts_table})")]
    if len(names) != len(COLUMN_WEIGHTS):
        raise ValueError(f"{fts_table} has {len(names)} columns, not {len(COLUMN_WEIGHTS)}")
    # The vocabulary table names each instance's column; number them as bm25() does.
    column_number = (
        "CASE col "
        + " ".join(f"WHEN '{name}' THEN {number}" for number, name in enumerate(names))
        + " END"
    )
    connection.executescript(POSTINGS_SCHEMA)
    connection.execute(
        f"CREATE VIRTUAL TABLE temp.fts_instances USING fts5vocab(main, {fts_table}, instance)"
    )
    longest = connection.execute("SELECT max(offset) FROM temp.fts_instances").fetchone()[0]
    if longest is not None and longest >= 1 << (OFFSET_BITS - 1):  # room for phrase lookups
        raise ValueError(f"a passage field has over {1 << (OFFSET_BITS - 1)} tokens")
    rows = connection.execute(f"SELECT max(rowid) FROM {fts_table}").fetchone()[0]
    lengths = np.zeros((rows or 0) + 1, dtype=np.int64)
    postings = []
    for term, codes in connection.execute(
        f"SELECT term, group_concat(((doc * 4 + {column_number}) << {OFFSET_BITS}) + offset)"
        " FROM temp.fts_instances GROUP BY term"
    ):
        positions = np.sort(np.array(codes.split(","), dtype=np.int64))
        row_ids, counts = column_counts(positions)
        lengths[row_ids] += counts.sum(axis=1, dtype=np.int64)
        postings.append(
            (
                term,
                len(row_ids),
                row_ids.astype(np.int32).tobytes(),
                counts.tobytes(),
                positions.tobytes(),
            )
        )
    connection.execute("DROP TABLE temp.fts_instances")
    connection.executemany("INSERT INTO keyword_postings VALUES (?,?,?,?,?)", postings)
    connection.executemany(
        "INSERT INTO keyword_lengths VALUES (?,?)",
        [(row_id, int(tokens)) for row_id, tokens in enumerate(lengths) if tokens],
    )


def column_counts(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, instances per row and column) of sorted instance codes, by runs of equal codes."""
    row_column = positions >> OFFSET_BITS
    if not len(row_column):
        return np.zeros(0, dtype=np.int64), np.zeros((0, len(COLUMN_WEIGHTS)), dtype=np.uint16)
    run_starts = np.flatnonzero(np.r_[True, row_column[1:] != row_column[:-1]])
    run_lengths = np.diff(np.r_[run_starts, len(row_column)])
    run_rows = row_column[run_starts] >> 2
    new_row = np.r_[True, run_rows[1:] != run_rows[:-1]]
    counts = np.zeros((int(new_row.sum()), len(COLUMN_WEIGHTS)), dtype=np.uint16)
    counts[np.cumsum(new_row) - 1, row_column[run_starts] & 3] = run_lengths
    return run_rows[new_row], counts
