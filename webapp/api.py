"""The JSON API under /api/, described by the OpenAPI document at /api/openapi.json."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, jsonify, request, url_for

from search.citation import cite
from webapp.openapi import openapi_document
from webapp.params import search_params
from webapp.services import (
    concept_view_or_404,
    document_or_404,
    get_build,
    get_searcher,
    passage_or_404,
)

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    """`GET /api/search?q=&k=&offset=&kind=&country=&year=&concept=&document=&language=&method=`."""
    params = search_params(request)
    result = get_searcher().search(
        params.q, k=params.k, method=params.method, filters=params.filters, offset=params.offset
    )
    return jsonify(result.to_dict())


def _concept_summary(concept) -> dict:
    return {
        "id": concept.id,
        "label": concept.pref_label,
        "uri": concept.uri,
        "url": url_for("api.concept", concept_id=concept.id),
    }


@bp.get("/concepts")
def concepts():
    """Every concept with its label and URI."""
    scheme = get_build().scheme
    ordered = sorted(scheme.concepts.values(), key=lambda c: c.pref_label.casefold())
    return jsonify({"concepts": [_concept_summary(c) for c in ordered]})


@bp.get("/concepts/<concept_id>")
def concept(concept_id: str):
    """A concept: labels, definition, neighbours, co-occurring concepts, linked passages."""
    _, view = concept_view_or_404(concept_id)
    found = view.concept
    return jsonify(
        {
            **_concept_summary(found),
            "labels": found.pref_labels,
            "alt_labels": list(found.alt_labels),
            "definition": found.definition,
            "source": found.source,
            "broader": [_concept_summary(c) for c in view.broader],
            "narrower": [_concept_summary(c) for c in view.narrower],
            "related": [_concept_summary(c) for c in view.related],
            "cooccurring": [{**_concept_summary(c), "count": n} for c, n in view.cooccurring],
            "passages": [
                {"passage_id": p.id, "document_id": d.id, "citation": cite(d, p)}
                for d, passages in view.passages_by_document
                for p in passages
            ],
        }
    )


def _document_dict(document) -> dict:
    return {
        "id": document.id,
        "title": document.title,
        "kind": document.kind,
        "year": document.year,
        "authors": list(document.authors),
        "publisher": document.publisher,
        "licence": document.licence,
        "role": document.role,
        "summary_of": [asdict(work) for work in document.summary_of],
        "provenance": dict(document.provenance),
        "language": document.language,
        "countries": list(document.countries),
        "summary": document.summary,
        "sources": list(document.sources),
        "source_urls": list(document.source_urls),
        "url": url_for("api.document", document_id=document.id),
    }


@bp.get("/documents")
def documents():
    """Every document's metadata."""
    return jsonify({"documents": [_document_dict(d) for d in get_build().store.documents()]})


@bp.get("/documents/<document_id>")
def document(document_id: str):
    """A document's metadata and its passages in reading order."""
    store = get_build().store
    meta = document_or_404(document_id)
    passages = store.passages_of_document(document_id)
    return jsonify({**_document_dict(meta), "passages": [_passage_dict(p) for p in passages]})


def _passage_dict(stored) -> dict:
    passage = stored.passage
    return {
        "passage_id": passage.id,
        "document_id": passage.document_id,
        "heading_path": list(passage.heading_path),
        "page": passage.pages,
        "char_start": passage.char_start,
        "char_end": passage.char_end,
        "text": passage.text,
        "citation": cite(stored.document, passage),
        "url": url_for("api.passage", passage_id=passage.id),
    }


@bp.get("/passages/<passage_id>")
def passage(passage_id: str):
    """One passage with its concepts, and for each link why it was made."""
    store = get_build().store
    stored = passage_or_404(passage_id)
    links = store.links_of([stored.row_id])[stored.row_id]
    return jsonify(
        {
            **_passage_dict(stored),
            "concepts": [{"id": link.concept_id, "label": link.label} for link in links],
            "links": [
                {
                    "id": link.concept_id,
                    "label": link.label,
                    "method": link.method,
                    "score": link.score,
                    "matched": link.matched,
                }
                for link in links
            ],
        }
    )


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document())
