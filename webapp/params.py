"""Request parameter parsing shared by the HTML pages and the JSON API."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Request

from search.limits import COUNTRY, DEFAULT_K, ID, LANGUAGE, MAX_FILTER_VALUES, METHODS, YEARS
from search.searcher import Filters
from webapp.errors import BadParameter


@dataclass(frozen=True)
class SearchParams:
    """A parsed search request (the searcher checks ranges and known values)."""

    q: str
    k: int
    method: str
    filters: Filters
    offset: int = 0


def int_param(request: Request, name: str, default: int) -> int:
    """An integer query parameter, or `BadParameter` naming it."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    digits = raw[1:] if raw.startswith("-") else raw
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
        raise BadParameter(f"{name} must be a whole number, not {raw[:40]!r}")
    return int(raw)


def list_param(request: Request, name: str, pattern: re.Pattern | None = None) -> list[str]:
    """The non-empty values of a repeatable parameter, checked against `pattern`."""
    values = [value.strip() for value in request.args.getlist(name) if value.strip()]
    if len(values) > MAX_FILTER_VALUES:
        raise BadParameter(f"At most {MAX_FILTER_VALUES} values of {name}")
    for value in values:
        if pattern is not None and not pattern.match(value):
            raise BadParameter(f"{name} {value[:40]!r} is not valid")
    return values


def search_params(request: Request, require_query: bool = True) -> SearchParams:
    """Read q, k, offset, method and the filters kind, country, year, concept, document,
    language."""
    q = request.args.get("q")
    if q is None and require_query:
        raise BadParameter("Missing parameter q (the question or term to search for)")
    if q and "\x00" in q:
        raise BadParameter("q must not contain NUL characters")
    years = []
    for value in list_param(request, "year"):
        if not value.isdigit() or not YEARS[0] <= int(value) <= YEARS[1]:
            raise BadParameter(f"year must be a year such as 2017, not {value[:20]!r}")
        years.append(int(value))
    filters = Filters(
        kinds=tuple(list_param(request, "kind")),
        countries=tuple(code.upper() for code in list_param(request, "country", COUNTRY)),
        years=tuple(years),
        concepts=tuple(list_param(request, "concept", ID)),
        documents=tuple(list_param(request, "document", ID)),
        languages=tuple(code.lower() for code in list_param(request, "language", LANGUAGE)),
    )
    return SearchParams(
        q or "",
        int_param(request, "k", DEFAULT_K),
        request.args.get("method", METHODS[0]),
        filters,
        int_param(request, "offset", 0),
    )
