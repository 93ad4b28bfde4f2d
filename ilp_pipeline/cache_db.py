"""Open a cache database, starting afresh when the file is damaged.

The caches under `instance/cache/` only save work: losing one costs a slower ingest, never data.
So a cache file that SQLite cannot read (truncated, overwritten, not a database) is moved aside
as `NAME.damaged` and a new, empty one is created, and the ingest carries on.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_cache(path: Path, schema: str) -> sqlite3.Connection:
    """A connection to the cache at `path` with `schema` (CREATE ... IF NOT EXISTS) applied."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _connect(path, schema)
    except sqlite3.DatabaseError:
        path.replace(path.with_name(path.name + ".damaged"))
        return _connect(path, schema)


def _connect(path: Path, schema: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    try:
        connection.execute(schema)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        connection.close()
        raise
    return connection
