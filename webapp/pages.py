"""Server-rendered HTML pages: home, concepts, topic packs, documents and passages (the search
page and its exports are in webapp/search_pages.py, registered here)."""

from __future__ import annotations

from collections import defaultdict

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_file,
    url_for,
)

from ingest.models import KINDS
from ingest.sentences import Sentence
from search.citation import FORMATS, cite
from search.limits import MAX_QUERY_CHARS
from webapp import citation_export, search_pages
from webapp.originals import original_pdf, pdf_page_url
from webapp.reader import passage_paragraphs, reader_headings, table_of_contents
from webapp.services import (
    concept_view_or_404,
    document_or_404,
    get_build,
    passage_or_404,
)
from webapp.suggestions import concept_options
from webapp.svg import HEIGHT, WIDTH, layout, short
from webapp.topic_pack import pack_items

bp = Blueprint("pages", __name__)
bp.add_url_rule("/search", view_func=search_pages.search)
bp.add_url_rule("/search.csv", view_func=search_pages.search_csv)
bp.add_url_rule("/search.<any(bib, ris):extension>", view_func=search_pages.search_citations)
bp.add_url_rule(
    "/concepts/<concept_id>/passages.<any(bib, ris):extension>",
    view_func=citation_export.concept_citations,
)
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
        concept_options=concept_options(build),
        examples=EXAMPLE_QUESTIONS,
        top_concepts=build.scheme.top_concepts(),
        counts=build.manifest["counts"],
    )


@bp.get("/concepts/")
def concepts():
    """A-Z index with passage counts and the hierarchy from the top concepts; `?q=` keeps the
    concepts with a label containing the words (a filter that needs no JavaScript)."""
    build = get_build()
    scheme = build.scheme
    wanted = request.args.get("q", "")[:MAX_QUERY_CHARS].strip()
    ordered = sorted(scheme.concepts.values(), key=lambda c: c.pref_label.casefold())
    if wanted:
        ordered = [c for c in ordered if concept_matches(c.labels + (c.id,), wanted)]
    letters = defaultdict(list)
    for concept in ordered:
        letters[concept.pref_label[0].upper()].append(concept)
    return render_template(
        "concepts.html",
        letters=dict(letters),
        scheme=scheme,
        wanted=wanted,
        found=len(ordered),
        passage_counts=build.concept_passage_counts,
    )


def concept_matches(labels: tuple[str, ...], wanted: str) -> bool:
    """Whether every word of `wanted` occurs in one of the labels (ignoring case)."""
    words = wanted.casefold().split()
    return any(all(word in label.casefold() for word in words) for label in labels)


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
    remote = current_app.config.get("ILP_SPARQL_ENDPOINT")
    if remote:  # the graph published into the organisation's store (graph/remote_store.py)
        from graph.rdf import new_graph
        from graph.remote_store import remote_concept_graph

        graph = new_graph()
        graph.parse(data=remote_concept_graph(remote, view.concept.uri), format="nt")
    else:
        graph = concept_graph(build.scheme.graph, view.concept.uri)
    if extension == "ttl":
        return Response(graph.serialize(format="turtle"), mimetype="text/turtle")
    return Response(graph.serialize(format="json-ld"), mimetype="application/ld+json")


@bp.get("/concepts/<concept_id>/pack")
def topic_pack(concept_id: str):
    """A printable trainer's handout: definition, the most central passages, an example from
    every country that has one; short excerpts with links, each item optional in print."""
    from graph.countries import country_name

    _, view = concept_view_or_404(concept_id)
    key_passages, examples = pack_items(view)
    countries = sorted(examples, key=country_name)
    shown = [document for document, _ in key_passages]
    shown += [document for code in countries for document, _ in examples[code]]
    return render_template(
        "pack.html",
        pack_documents=list({document.id: document for document in shown}.values()),
        view=view,
        concept=view.concept,
        key_passages=key_passages,
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
    headings = {p.row_id: reader_headings(meta.title, p.passage.heading_path) for p in passages}
    contents = table_of_contents(
        meta.title, [(p.passage.id, list(p.passage.heading_path)) for p in passages]
    )
    return render_template(
        "document.html",
        document=meta,
        passages=passages,
        paragraphs=paragraphs,
        concepts=concepts,
        headings=headings,
        contents=contents,
        pdf_url=pdf_page_url,
    )


@bp.get("/documents/<document_id>.pdf")
def document_pdf(document_id: str):
    """The document's original PDF, when the build keeps it."""
    document_or_404(document_id)
    path = original_pdf(document_id)
    if path is None:
        abort(404, description=f"The build keeps no PDF of {document_id!r}")
    return send_file(path, mimetype="application/pdf", conditional=True)


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
        pdf_url=pdf_page_url,
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
