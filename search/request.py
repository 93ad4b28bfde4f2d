"""A search request's parameters: the facet filters, and the checks every request passes."""

from __future__ import annotations

from dataclasses import dataclass

from ilp_base.errors import AtlasError
from search.limits import KINDS, MAX_K, MAX_OFFSET, MAX_QUERY_CHARS, METHODS


class QueryError(AtlasError):
    """A search request is invalid (empty query, bad k, unknown kind...)."""

    status = 400
    title = "Bad request"


@dataclass(frozen=True)
class Filters:
    """Facet filters; within one field the values are alternatives."""

    kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    concepts: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # language codes as in the catalog ("en", "ru")


def validate_request(query: str, k: int, offset: int, filters: Filters, method: str) -> str:
    """Check a request's parameters; return the cleaned query or raise `QueryError`."""
    cleaned = " ".join((query or "").split())
    if not cleaned:
        raise QueryError("The query is empty; type a question or a term")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QueryError(f"The query is longer than {MAX_QUERY_CHARS} characters")
    if not 1 <= k <= MAX_K:
        raise QueryError(f"k must be between 1 and {MAX_K}, not {k}")
    if not 0 <= offset <= MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET}, not {offset}")
    unknown = [kind for kind in filters.kinds if kind not in KINDS]
    if unknown:
        raise QueryError(f"Unknown kind {unknown[0]!r}; use one of {', '.join(KINDS)}")
    if method not in METHODS:
        raise QueryError(f"Unknown method {method!r}; use one of {', '.join(METHODS)}")
    return cleaned
