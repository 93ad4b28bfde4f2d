"""Per-process resources: the encoder (loaded once) and the current build (reloaded on switch).

Each request takes one `Searcher`, bound to one `LoadedBuild`, and uses only that for the whole
request, so a response never mixes two builds. When `instance/current` moves, the next request
opens (and verifies) the new build and later requests use it; requests already in flight finish
on the old one. The old build is deliberately not closed on the switch: its SQLite connection
closes when the last searcher holding it is garbage-collected. Pruning its folder meanwhile
(`ilp ingest` keeps three builds) cannot break those requests, because `LoadedBuild` reads
everything when it opens and keeps the files open (see search/loaded.py). A `current` that
points to a damaged build is refused with `BuildError` (503) on every request until it is fixed.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, abort, current_app

from search.builds import resolve_current
from search.encoder import QueryEmbedder, serving_query_encoder
from search.loaded import LoadedBuild
from search.searcher import Searcher

_lock = threading.Lock()


class Resources:
    """The encoder and the open build of one app; the build follows `instance/current`."""

    def __init__(self, app: Flask) -> None:
        self.instance = Path(app.config["ILP_INSTANCE"])
        encoder = app.config["ENCODER"]
        if encoder is None:
            model = app.config["ILP_MODEL"]
            # One thread per query: the server's other core serves the next request.
            encoder = serving_query_encoder(Path(model) if model else None)
        self.embed_query = QueryEmbedder(encoder)
        self.config = app.config["SEARCH_CONFIG"]
        self.build: LoadedBuild | None = None

    def searcher(self) -> Searcher:
        """A searcher over the current build, reopening it when `current` has moved."""
        target = resolve_current(self.instance)
        with _lock:
            if self.build is None or self.build.path != target:
                self.build = LoadedBuild(target)  # verify first; swap only when it loads
            return Searcher(self.build, self.embed_query, self.config)


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


def document_or_404(document_id: str):  # noqa: ANN201 - ingest.models.DocumentMeta
    """A document of the current build, or a 404 naming the id."""
    meta = get_searcher().build.store.document(document_id)
    if meta is None:
        abort(404, description=f"No document with id {document_id!r}")
    return meta


def passage_or_404(passage_id: str):  # noqa: ANN201 - search.passages.StoredPassage
    """A passage of the current build, or a 404 naming the id."""
    stored = get_searcher().build.store.passage_by_id(passage_id)
    if stored is None:
        abort(404, description=f"No passage with id {passage_id!r}")
    return stored


def concept_view_or_404(concept_id: str):  # noqa: ANN201 - (LoadedBuild, ConceptView)
    """The current build and everything it knows about a concept, or a 404 naming the id."""
    from search.concept_view import concept_view

    build = get_searcher().build
    concept = build.scheme.get(concept_id)
    if concept is None:
        abort(404, description=f"No concept with id {concept_id!r}")
    return build, concept_view(build, concept)
