"""Search results or a concept's passages as citations for a reference manager: BibTeX or RIS,
one entry per passage (`/search.bib`, `/concepts/<id>/passages.ris`, ...)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Response, url_for

from ingest.models import KINDS, DocumentMeta, Passage
from search.citation import bibtex, ris
from search.results import SearchResult
from webapp.services import concept_view_or_404

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
    return passages_citations(
        ((hit.document, hit.passage) for hit in result.hits), extension, passage_url
    )


def passages_citations(
    passages: Iterable[tuple[DocumentMeta, Passage]],
    extension: str,
    passage_url: Callable[[str], str],
) -> str:
    """Each (document, passage) as a BibTeX entry or an RIS record, in the order given; entries
    are separated by a blank line. `passage_url` gives each passage's permalink."""
    make = _FORMATS[extension]
    return "\n".join(
        make(document, passage, passage_url(passage.id)) for document, passage in passages
    )


def concept_citations(concept_id: str, extension: str) -> Response:
    """The concept's passages as BibTeX or RIS, in the concept page's order (by document kind,
    then document)."""
    _, view = concept_view_or_404(concept_id)
    by_kind = sorted(view.passages_by_document, key=lambda pair: KINDS.index(pair[0].kind))
    body = passages_citations(
        ((document, passage) for document, passages in by_kind for passage in passages),
        extension,
        lambda passage_id: url_for("pages.passage", passage_id=passage_id, _external=True),
    )
    return Response(
        body,
        mimetype=EXPORTS[extension],
        headers={"Content-Disposition": f"attachment; filename={view.concept.id}.{extension}"},
    )
