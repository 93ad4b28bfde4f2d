"""The JSON API under /api/."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from webapp.params import search_params
from webapp.services import get_searcher

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    """`GET /api/search?q=&k=&kind=&method=`: the search result in the fixed JSON shape."""
    params = search_params(request)
    result = get_searcher().search(params.q, k=params.k, kinds=params.kinds,
                                   method=params.method)
    return jsonify(result.to_dict())
