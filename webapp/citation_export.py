"""Search results as citations for a reference manager: BibTeX or RIS, one entry per passage."""

from __future__ import annotations

from collections.abc import Callable

from search.citation import bibtex, ris
from search.results import SearchResult

# extension -> media type (the same as a single passage's download, pages.CITATION_TYPES)
EXPORTS = {
    "bib": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
}
_FORMATS = {"bib": bibtex, "ris": ris}


def results_citations(
    result: SearchResult, extension: str, passage_url: Callable[[str], str]
) -> str:
    """Every hit of the result as a BibTeX entry or an RIS record, in rank order; entries are
    separated by a blank line. `passage_url` gives each passage's permalink."""
    make = _FORMATS[extension]
    return "\n".join(
        make(hit.document, hit.passage, passage_url(hit.passage.id)) for hit in result.hits
    )
