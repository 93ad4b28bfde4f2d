"""Server-rendered HTML pages: home, search results and concept pages."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, render_template, request

from ingest.models import KINDS
from webapp import EXAMPLE_QUESTIONS
from webapp.params import search_params
from webapp.services import get_searcher

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    """Search box, example questions per user group, entry to the concepts."""
    return render_template("home.html", examples=EXAMPLE_QUESTIONS)


@bp.get("/search")
def search():
    """Results page: answer card and cited hits."""
    params = search_params(request, require_query=False)
    if not params.q.strip():
        return render_template("search.html", params=params, result=None, kinds=KINDS)
    result = get_searcher().search(params.q, k=params.k, kinds=params.kinds,
                                   method=params.method)
    return render_template("search.html", params=params, result=result, kinds=KINDS)


@bp.get("/concepts/")
def concepts():
    """A-Z list of concepts."""
    scheme = get_searcher().build.scheme
    ordered = sorted(scheme.concepts.values(), key=lambda c: c.pref_label.casefold())
    return render_template("concepts.html", concepts=ordered)


@bp.get("/concepts/<concept_id>")
def concept(concept_id: str):
    """A concept: labels, definition, neighbours and the passages linked to it."""
    build = get_searcher().build
    found = build.scheme.get(concept_id)
    if found is None:
        abort(404, description=f"No concept with id {concept_id!r}")
    by_document = defaultdict(list)
    for stored in build.store.passages_of_concept(concept_id):
        by_document[stored.document].append(stored.passage)
    neighbours = {cid: build.scheme.get(cid)
                  for cid in (*found.broader, *found.narrower, *found.related)}
    return render_template("concept.html", concept=found, by_document=by_document,
                           neighbours=neighbours)
