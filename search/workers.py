"""The process's one thread pool for keyword search, run beside the query embedding."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def keyword_workers() -> ThreadPoolExecutor:
    """The process's pool for keyword search beside the query embedding (created once)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            # One keyword job per request at a time: as many workers as waitress has threads.
            _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="keyword")
        return _pool
