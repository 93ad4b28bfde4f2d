"""Request parameter parsing shared by the HTML pages and the JSON API."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request

from webapp.errors import BadParameter

DEFAULT_K = 10


@dataclass(frozen=True)
class SearchParams:
    """A validated search request."""

    q: str
    k: int
    kinds: list[str]
    method: str


def int_param(request: Request, name: str, default: int) -> int:
    """An integer query parameter, or `BadParameter` naming it."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise BadParameter(f"{name} must be a whole number, not {raw[:40]!r}") from error


def search_params(request: Request, require_query: bool = True) -> SearchParams:
    """Read q, k, kind (repeatable) and method; the searcher checks ranges and values."""
    q = request.args.get("q")
    if q is None and require_query:
        raise BadParameter("Missing parameter q (the question or term to search for)")
    kinds = [kind for kind in request.args.getlist("kind") if kind]
    return SearchParams(q or "", int_param(request, "k", DEFAULT_K), kinds,
                        request.args.get("method", "hybrid"))
