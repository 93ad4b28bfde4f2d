"""`ilp serve --workers N`: N worker processes behind one port, run by gunicorn.

gunicorn's custom-application pattern (a `BaseApplication` subclass, https://gunicorn.org/custom):
the master process binds the port and forks the workers; each worker runs `threads` request
threads (gthread workers) and creates its own app after the fork (no preload), because ONNX
Runtime sessions, FAISS and SQLite connections must not be shared across a fork. Each worker
then keeps its own open build (webapp/services.py): it reopens it when `instance/current` moves,
so a rebuild reaches every worker on its next request, and requests in flight finish on the old
build. A worker that dies is replaced by the master.

gunicorn answers malformed requests itself (400, 414, 431, ...), before any worker's app sees
them, with `gunicorn.util.write_error`, which no setting or middleware reaches: as
webapp/security.py does for waitress, `secure_own_errors` replaces it with one that adds the
security headers.
"""

from __future__ import annotations

import html
import math
import signal
import socket
from collections.abc import Mapping
from typing import Any

from gunicorn.app.base import BaseApplication

SHORTEST_GRACE_SECONDS = 30


class AtlasWorkers(BaseApplication):
    """gunicorn running the ILP Atlas app, created by `create_app(app_config)` in each worker."""

    def __init__(self, app_config: Mapping[str, Any], options: Mapping[str, Any]) -> None:
        self.app_config = dict(app_config)
        self.options = dict(options)
        super().__init__()

    def load_config(self) -> None:
        """Set gunicorn's settings from `options` (no configuration file, no command line)."""
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        """The app of one worker: called in the worker, after the fork."""
        from webapp import create_app

        return create_app(self.app_config)


def worker_options(
    host: str, port: int, workers: int, threads: int, sparql_timeout: float
) -> dict[str, Any]:
    """gunicorn's settings for `workers` gthread workers with `threads` threads each."""
    bind_host = f"[{host}]" if ":" in host else host  # an IPv6 address
    return {
        "bind": f"{bind_host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": False,  # each worker loads its own native libraries
        # On stop or restart, time for the longest request (a SPARQL query) to finish.
        "graceful_timeout": max(SHORTEST_GRACE_SECONDS, math.ceil(sparql_timeout) + 5),
        # gunicorn's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl):
        # two servers would fight over it, and `ilp serve` has no use for it.
        "control_socket_disable": True,
        "post_worker_init": _forget_master_signals,
        "proc_name": "ilp-atlas",
    }


def _forget_master_signals(worker: Any) -> None:
    # The worker inherits the master's SIGCHLD handler, which queues every signal for a loop
    # that only the master runs: each SPARQL query's child process would add one, never read.
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)


def secure_own_errors() -> None:
    """Make gunicorn add the security headers to the error responses it writes itself."""
    from gunicorn import util

    from webapp.security import SECURITY_HEADERS

    def write_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
        body = (
            f"<html><head><title>{reason}</title></head><body><h1>{reason}</h1>"
            f"<p>{html.escape(mesg)}</p></body></html>\n"
        ).encode()
        head = [
            f"HTTP/1.1 {status_int} {reason}",
            "Connection: close",
            "Content-Type: text/html; charset=utf-8",
            f"Content-Length: {len(body)}",
            *(f"{name}: {value}" for name, value in SECURITY_HEADERS.items()),
        ]
        util.write_nonblock(sock, ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)

    util.write_error = write_error


def serve_workers(
    app_config: Mapping[str, Any], host: str, port: int, workers: int, threads: int
) -> None:
    """Serve the app with `workers` processes of `threads` threads on host:port until stopped."""
    from webapp import settings

    # Read the settings here too, so that a bad value stops the master, not every worker.
    effective = {**settings.from_environment(), **app_config}
    sparql_timeout = float(effective["ILP_SPARQL_TIMEOUT"])
    options = worker_options(host, port, workers, threads, sparql_timeout)
    secure_own_errors()  # before the fork: every worker inherits it
    AtlasWorkers(app_config, options).run()
