"""Per-process resources: the encoder (loaded once) and the current build (reloaded on switch)."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app

from search.builds import resolve_current
from search.encoder import QueryEmbedder, SentenceTransformerEncoder
from search.searcher import LoadedBuild, Searcher

_lock = threading.Lock()


class Resources:
    """The encoder and the open build of one app; the build follows `instance/current`."""

    def __init__(self, app: Flask) -> None:
        self.instance = Path(app.config["ILP_INSTANCE"])
        encoder = app.config["ENCODER"]
        if encoder is None:
            model = app.config["ILP_MODEL"]
            # One torch thread: the server's other core serves the next request.
            encoder = SentenceTransformerEncoder(Path(model) if model else None, threads=1)
        self.embed_query = QueryEmbedder(encoder)
        self.build: LoadedBuild | None = None

    def searcher(self) -> Searcher:
        """A searcher over the current build, reopening it when `current` has moved."""
        target = resolve_current(self.instance)
        with _lock:
            if self.build is None or self.build.path != target:
                self.build = LoadedBuild(target)  # verify first; swap only when it loads
            return Searcher(self.build, self.embed_query)


def resources() -> Resources:
    """The current app's resources, created on first use."""
    app = current_app._get_current_object()
    with _lock:
        if "ilp" not in app.extensions:
            app.extensions["ilp"] = Resources(app)
    return app.extensions["ilp"]


def get_searcher() -> Searcher:
    """The searcher for this request."""
    return resources().searcher()
