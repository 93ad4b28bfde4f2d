"""Connecting to Milvus: one shared pymilvus client per index URL, and row-id filters.

`milvus:///abs/path/index.db` is embedded milvus-lite (3.x: a pure-Python engine serving gRPC on
a thread of this process, holding an exclusive lock on its folder, so one process at a time);
`milvus://host:19530` a Milvus server or cluster. The same pymilvus calls serve both.
"""

from __future__ import annotations

import threading
from collections.abc import Set as AbstractSet
from pathlib import Path

from ilp_base.errors import AtlasError

MAX_LIMIT = 16384  # Milvus's largest top-k
_clients: dict[str, object] = {}
_clients_lock = threading.Lock()


class IndexUnavailable(AtlasError):
    """The Milvus engine of an index URL cannot be opened."""

    status = 503
    title = "Search index unavailable"


def milvus_uri(url: str) -> str:
    """The pymilvus URI of an index URL: a .db file path, or http://host:port."""
    rest = url.removeprefix("milvus://")
    if rest.endswith(".db"):
        return str(Path(rest).resolve())
    return f"http://{rest}"


def client(url: str):  # noqa: ANN201 - pymilvus.MilvusClient, imported lazily
    """One shared client per index URL (milvus-lite runs one engine per file and process)."""
    uri = milvus_uri(url)
    with _clients_lock:
        if uri not in _clients:
            from pymilvus import MilvusClient
            from pymilvus.exceptions import MilvusException

            if uri.endswith(".db"):
                Path(uri).parent.mkdir(parents=True, exist_ok=True)
            try:
                _clients[uri] = MilvusClient(uri)
            except MilvusException as error:
                raise IndexUnavailable(
                    f"Milvus at {url} cannot be opened ({error.message}); an embedded "
                    "milvus-lite file is open to one process at a time (stop the server using "
                    "it, or run a Milvus server and use milvus://HOST:19530)"
                    if uri.endswith(".db")
                    else f"Milvus at {url} cannot be reached ({error.message}); start it"
                ) from error
        return _clients[uri]


def close(url: str) -> None:
    """Close the shared client of an index URL (milvus-lite then releases its file lock)."""
    with _clients_lock:
        found = _clients.pop(milvus_uri(url), None)
    if found is not None:
        found.close()  # type: ignore[attr-defined]
    if milvus_uri(url).endswith(".db"):  # stop milvus-lite's in-process engine too
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(milvus_uri(url))


def loaded(url: str, name: str):  # noqa: ANN201 - pymilvus.MilvusClient
    """The client, with the collection loaded for search (a reopened engine starts released)."""
    milvus = client(url)
    if milvus.get_load_state(name)["state"].name != "Loaded":
        milvus.load_collection(name)
    return milvus


def row_filter(allowed: AbstractSet[int] | None, rows: int) -> str:
    """A filter expression for `allowed` row ids (the shorter of `in` and `not in`)."""
    if allowed is None:
        return ""
    wanted = sorted(row for row in allowed if 0 <= row < rows)
    if len(wanted) <= rows // 2:
        return f"id in {wanted}"
    excluded = sorted(set(range(rows)) - set(wanted))
    return f"id not in {excluded}" if excluded else ""
