"""Request parameter parsing shared by the HTML pages and the JSON API."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Request

from search.searcher import Filters
from webapp.errors import BadParameter

DEFAULT_K = 10
MAX_VALUES = 20  # values per repeatable filter
_ID = re.compile(r"^[a-z0-9][a-z0-9\-]{0,120}$")
# Filter value patterns that webapp/openapi.py also publishes.
COUNTRY = re.compile(r"^[A-Za-z]{2}$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$")


@dataclass(frozen=True)
class SearchParams:
    """A parsed search request (the searcher checks ranges and known values)."""

    q: str
    k: int
    method: str
    filters: Filters
    offset: int = 0

    @property
    def kinds(self) -> list[str]:
        """The kind filter's values."""
        return list(self.filters.kinds)


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
    if len(values) > MAX_VALUES:
        raise BadParameter(f"At most {MAX_VALUES} values of {name}")
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
        if not value.isdigit() or not 1900 <= int(value) <= 2100:
            raise BadParameter(f"year must be a year such as 2017, not {value[:20]!r}")
        years.append(int(value))
    filters = Filters(
        kinds=tuple(list_param(request, "kind")),
        countries=tuple(code.upper() for code in list_param(request, "country", COUNTRY)),
        years=tuple(years),
        concepts=tuple(list_param(request, "concept", _ID)),
        documents=tuple(list_param(request, "document", _ID)),
        languages=tuple(code.lower() for code in list_param(request, "language", LANGUAGE)),
    )
    return SearchParams(q or "", int_param(request, "k", DEFAULT_K),
                        request.args.get("method", "hybrid"), filters,
                        int_param(request, "offset", 0))
