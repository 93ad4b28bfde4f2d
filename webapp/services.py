"""Per-process resources and the one build each request uses.

Per process (per app): the query encoders (MiniLM, and the multilingual one for queries in
other languages, whose model loads on the first such query) and the open build, kept by a
`BuildKeeper` (search/index/keeper.py): reopened when `instance/current` moves, verified while it
is served, and replaced by the newest good build on disk when it is damaged. (The keyword
worker pool is per process too: `search.workers.keyword_workers`.)

Per request: `get_build()` takes the current build once and keeps it on `flask.g`, and every
later call in the same request (the searcher, the store, the scheme, the graph) uses that one,
so a response never mixes two builds. When `current` moves, the next request opens (and
verifies) the new build; requests already in flight finish on the old one. The old build is
deliberately not closed on the switch: its SQLite connection closes when the last request
holding it is done and it is garbage-collected. Pruning its folder meanwhile (`ilp ingest`
keeps three builds) cannot break those requests, because `LoadedBuild` reads everything when it
opens and keeps the files open (see search/index/loaded.py). A `current` that points to a
damaged build is never served: an older good build is, or each request gets `BuildError` (503).
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, abort, current_app, g

from graph.concepts import Concept
from ingest.models import DocumentMeta
from search.concept_view import ConceptView, concept_view
from search.encoders.query import QueryEmbedder, serving_query_encoder
from search.index.keeper import BuildKeeper
from search.index.loaded import LoadedBuild
from search.index.store import StoredPassage
from search.searcher import Searcher

_lock = threading.Lock()


class Resources:
    """The encoder and the open build of one app."""

    def __init__(self, app: Flask) -> None:
        self.instance = Path(app.config["ILP_INSTANCE"])
        encoder = app.config["ENCODER"]
        if encoder is None:
            model = app.config["ILP_MODEL"]
            # One thread per query: the server's other core serves the next request.
            encoder = serving_query_encoder(Path(model) if model else None)
        self.embed_query = QueryEmbedder(encoder)
        multilingual = app.config["MULTILINGUAL_ENCODER"]
        if multilingual is None:
            from search.encoders.multilingual import MultilingualEncoder

            multilingual = MultilingualEncoder(threads=1)
        self.embed_multilingual = QueryEmbedder(multilingual)
        self.config = app.config["SEARCH_CONFIG"]
        self.builds = BuildKeeper(self.instance, float(app.config["ILP_VERIFY_SECONDS"]))

    def current_build(self) -> LoadedBuild:
        """The build to serve: `current`, verified, or the newest good one on disk."""
        return self.builds.get()


def resources() -> Resources:
    """The current app's resources, created on first use."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _lock:
        if "ilp" not in app.extensions:
            app.extensions["ilp"] = Resources(app)
    return app.extensions["ilp"]


def get_build() -> LoadedBuild:
    """The build this request uses: taken once, then the same for the whole request."""
    if "build" not in g:
        g.build = resources().current_build()
    return g.build


def report_unreadable_build(reason: str) -> None:
    """This request's build could not be read: have it verified before the next request."""
    if "build" in g:
        resources().builds.suspect(g.build, reason)


def get_searcher() -> Searcher:
    """A searcher over this request's build."""
    if "searcher" not in g:
        shared = resources()
        g.searcher = Searcher(
            get_build(), shared.embed_query, shared.config, shared.embed_multilingual
        )
    return g.searcher


def document_or_404(document_id: str) -> DocumentMeta:
    """A document of this request's build, or a 404 naming the id."""
    meta = get_build().store.document(document_id)
    if meta is None:
        abort(404, description=f"No document with id {document_id!r}")
    return meta


def passage_or_404(passage_id: str) -> StoredPassage:
    """A passage of this request's build, or a 404 naming the id."""
    stored = get_build().store.passage_by_id(passage_id)
    if stored is None:
        abort(404, description=f"No passage with id {passage_id!r}")
    return stored


def concept_view_or_404(concept_id: str) -> tuple[LoadedBuild, ConceptView]:
    """This request's build and everything it knows about a concept, or a 404 naming the id."""
    build = get_build()
    concept: Concept | None = build.scheme.get(concept_id)
    if concept is None:
        abort(404, description=f"No concept with id {concept_id!r}")
    return build, concept_view(build, concept)
