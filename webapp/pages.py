"""Server-rendered HTML pages: search, concepts, topic packs, documents and passages."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from ingest.models import KINDS, DocumentMeta, Passage
from ingest.sentences import Sentence
from search.citation import FORMATS, cite
from search.limits import LANGUAGE_NAMES, MAX_QUERY_CHARS
from webapp.answer_card import extracts
from webapp.csv_export import results_csv
from webapp.params import SearchParams, search_params
from webapp.reader import passage_paragraphs
from webapp.services import (
    concept_view_or_404,
    document_or_404,
    get_build,
    get_searcher,
    passage_or_404,
)
from webapp.svg import HEIGHT, WIDTH, layout, short

bp = Blueprint("pages", __name__)
# The home page's example questions, one list per user group.
EXAMPLE_QUESTIONS = {
    "Policy-makers and senior managers": [
        "Does intelligence-led policing replace response policing?",
        "What does a police service need before it can implement ILP?",
        "How does ILP protect human rights and personal data?",
    ],
    "Academics": [
        "What is the 3-i model?",
        "How do definitions of intelligence-led policing differ?",
        "What evidence is there that ILP works?",
    ],
    "Trainers": [
        "Examples of tasking and co-ordination meetings",
        "How did Serbia introduce intelligence-led policing?",
        "How are sources and information graded (5x5x5)?",
    ],
}
KIND_LABELS = {
    "guidebook": "Guidebook",
    "research": "Research",
    "good-practice": "Good practice",
    "training": "Training",
}


@bp.app_context_processor
def template_helpers() -> dict:
    """Names every template can use."""
    return {"kind_labels": KIND_LABELS, "max_query_chars": MAX_QUERY_CHARS}


@bp.get("/")
def home():
    """Search box, example questions per user group, entry to the concepts."""
    build = get_build()
    return render_template(
        "home.html",
        examples=EXAMPLE_QUESTIONS,
        top_concepts=build.scheme.top_concepts(),
        counts=build.manifest["counts"],
    )


@bp.get("/search")
def search():
    """Results: answer card, cited hits with highlights, facets, filters and pagination."""
    params = search_params(request, require_query=False)
    if not params.q.strip():
        return render_template("search.html", params=params, result=None, kinds=KINDS)
    searcher = get_searcher()
    result = searcher.search(
        params.q, k=params.k, method=params.method, filters=params.filters, offset=params.offset
    )
    labels = {c.id: c.pref_label for c in searcher.build.scheme.concepts.values()}
    titles = {d.id: d.title for d in searcher.build.store.documents()}
    return render_template(
        "search.html",
        params=params,
        result=result,
        kinds=KINDS,
        concept_labels=labels,
        language_names=LANGUAGE_NAMES,
        document_titles=titles,
        extracts=extracts(result.answer),
        search_url=lambda endpoint, **changes: search_url(params, endpoint, **changes),
    )


def search_url(params: SearchParams, endpoint: str, **changes) -> str:
    """The URL of the same search (same filters) at another endpoint or offset."""
    args: dict[str, Any] = {
        "q": params.q,
        "k": params.k,
        "offset": params.offset,
        "kind": list(params.filters.kinds),
        "country": list(params.filters.countries),
        "year": list(params.filters.years),
        "concept": list(params.filters.concepts),
        "document": list(params.filters.documents),
        "language": list(params.filters.languages),
    }
    args.update(changes)
    return url_for(endpoint, **{key: value for key, value in args.items() if value != []})


@bp.get("/search.csv")
def search_csv():
    """The same results as CSV (one row per passage)."""
    params = search_params(request)
    result = get_searcher().search(
        params.q, k=params.k, method=params.method, filters=params.filters, offset=params.offset
    )
    return Response(
        results_csv(result, params.offset),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=ilp-atlas-search.csv"},
    )


@bp.get("/concepts/")
def concepts():
    """A-Z index and the hierarchy from the top concepts."""
    scheme = get_build().scheme
    ordered = sorted(scheme.concepts.values(), key=lambda c: c.pref_label.casefold())
    letters = defaultdict(list)
    for concept in ordered:
        letters[concept.pref_label[0].upper()].append(concept)
    return render_template("concepts.html", letters=dict(letters), scheme=scheme)


@bp.get("/concepts/<concept_id>")
def concept(concept_id: str):
    """A concept: labels, definition, hierarchy, passages by kind, co-occurrence, a graph."""
    _, view = concept_view_or_404(concept_id)
    by_kind: dict[str, list] = defaultdict(list)
    for document, passages in view.passages_by_document:
        by_kind[document.kind].append((document, passages))
    neighbours = (
        [(c.id, c.pref_label, "broader") for c in view.broader]
        + [(c.id, c.pref_label, "narrower") for c in view.narrower]
        + [(c.id, c.pref_label, "related") for c in view.related]
    )
    return render_template(
        "concept.html",
        view=view,
        concept=view.concept,
        by_kind=[(kind, by_kind[kind]) for kind in KINDS if kind in by_kind],
        nodes=layout(neighbours),
        width=WIDTH,
        height=HEIGHT,
        short=short,
    )


@bp.get("/concepts/<concept_id>.<any(ttl, jsonld):extension>")
def concept_rdf(concept_id: str, extension: str):
    """The concept's own triples (and its neighbours' labels) as Turtle or JSON-LD."""
    from graph.rdf import concept_graph

    build, view = concept_view_or_404(concept_id)
    graph = concept_graph(build.scheme.graph, view.concept.uri)
    if extension == "ttl":
        return Response(graph.serialize(format="turtle"), mimetype="text/turtle")
    return Response(graph.serialize(format="json-ld"), mimetype="application/ld+json")


@bp.get("/concepts/<concept_id>/pack")
def topic_pack(concept_id: str):
    """A printable trainer's handout: definition, key passages, examples by country."""
    _, view = concept_view_or_404(concept_id)
    key_passages: list[tuple[DocumentMeta, Passage]] = []
    examples: defaultdict[str, list[tuple[DocumentMeta, Passage]]] = defaultdict(list)
    for document, passages in view.passages_by_document:
        if document.kind == "good-practice" and document.countries:
            for code in document.countries:
                examples[code].extend((document, p) for p in passages[:2])
        else:
            key_passages.extend((document, p) for p in passages[:2])
    from graph.countries import country_name

    countries = sorted(examples, key=country_name)
    shown = [document for document, _ in key_passages[:8]]
    shown += [document for code in countries for document, _ in examples[code]]
    return render_template(
        "pack.html",
        pack_documents=list({document.id: document for document in shown}.values()),
        view=view,
        concept=view.concept,
        key_passages=key_passages[:8],
        examples=examples,
        countries=countries,
        country_name=country_name,
        cite=cite,
    )


@bp.get("/documents/")
def documents():
    """Every document, grouped by kind."""
    store = get_build().store
    grouped = defaultdict(list)
    for document in store.documents():
        grouped[document.kind].append(document)
    return render_template(
        "documents.html", grouped=[(k, grouped[k]) for k in KINDS if k in grouped]
    )


@bp.get("/documents/<document_id>")
def document(document_id: str):
    """The document reader: section navigation, passage anchors, printed pages, concept tags."""
    store = get_build().store
    meta = document_or_404(document_id)
    passages = store.passages_of_document(document_id)
    concepts = store.concepts_of([p.row_id for p in passages])
    sentences: dict[int, list[Sentence]] = defaultdict(list)
    for sentence in store.sentences([p.row_id for p in passages]):
        sentences[sentence.row_id].append(sentence)
    paragraphs = {
        p.row_id: passage_paragraphs(
            p.passage.id, p.passage.text, sentences[p.row_id], p.passage.page_breaks
        )
        for p in passages
    }
    sections, seen = [], set()
    for stored in passages:
        heading = (
            stored.passage.heading_path[1:]
            if len(stored.passage.heading_path) > 1
            else stored.passage.heading_path
        )
        if heading and heading[0] not in seen:
            seen.add(heading[0])
            sections.append((heading[0], stored.passage.id))
    return render_template(
        "document.html",
        document=meta,
        passages=passages,
        paragraphs=paragraphs,
        concepts=concepts,
        sections=sections,
    )


@bp.get("/passages/<passage_id>")
def passage(passage_id: str):
    """A passage's permalink with its citation in every format."""
    store = get_build().store
    stored = passage_or_404(passage_id)
    url = url_for("pages.passage", passage_id=passage_id, _external=True)
    citations = {name: make(stored.document, stored.passage, url) for name, make in FORMATS.items()}
    return render_template(
        "passage.html",
        stored=stored,
        citations=citations,
        links=store.links_of([stored.row_id])[stored.row_id],
        short_citation=cite(stored.document, stored.passage),
    )


CITATION_TYPES = {
    "bibtex": ("application/x-bibtex", "bib"),
    "ris": ("application/x-research-info-systems", "ris"),
    "csl-json": ("application/vnd.citationstyles.csl+json", "json"),
    "text": ("text/plain", "txt"),
}


@bp.get("/passages/<passage_id>/cite/<any(bibtex, ris, 'csl-json', text):style>")
def passage_citation(passage_id: str, style: str):
    """Download one citation format."""
    stored = passage_or_404(passage_id)
    url = url_for("pages.passage", passage_id=passage_id, _external=True)
    mimetype, extension = CITATION_TYPES[style]
    return Response(
        FORMATS[style](stored.document, stored.passage, url),
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={passage_id}.{extension}"},
    )


@bp.get("/graph.<any(ttl, jsonld, nt):extension>")
def graph_dump(extension: str):
    """The whole graph: Turtle, JSON-LD or N-Triples."""
    mimetype = {
        "ttl": "text/turtle",
        "jsonld": "application/ld+json",
        "nt": "application/n-triples",
    }[extension]
    return Response(get_build().graph_dump(extension), mimetype=mimetype)
