"""The process's one thread pool for the work run beside the query embedding: keyword search,
and the multilingual reading of passages in other languages."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def keyword_workers() -> ThreadPoolExecutor:
    """The process's pool for the work beside the query embedding (created once)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            # Up to two jobs per request (keyword search, and for an English question over a
            # build with passages in other languages the multilingual reading): twice as many
            # workers as waitress has threads, so neither waits behind another request's.
            _pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="keyword")
        return _pool
