"""Build the RDF graph of a corpus: concept scheme, documents, passages, countries, concept links.

Vocabularies: SKOS for concepts, DCTERMS for documents and passages, PROV-O for the provenance of
each concept link, and the project's own terms (`graph.namespaces.ILP`) where none of those fit.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from graph.concepts import ConceptScheme
from graph.countries import country_name
from graph.linking.labels import ConceptLink
from graph.namespaces import (
    BASE,
    BUILD,
    KIND,
    PREFIXES,
    agent_uri,
    concept_uri,
    country_uri,
    document_uri,
    passage_uri,
    work_uri,
)
from graph.namespaces import ILP as ILP_NS
from ingest.models import DocumentMeta, Passage, SourceWork

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".html": "text/html",
    ".htm": "text/html",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".txt": "text/plain",
}


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("skos", SKOS)
    graph.bind("dcterms", DCTERMS)
    graph.bind("prov", PROV)
    return graph


# Anything with `add(triple)`: an rdflib Graph, or a plain set (several times faster to fill).
TripleSink = Graph | set


def corpus_triples(
    documents: list[DocumentMeta],
    passages: list[Passage],
    links: list[ConceptLink],
    scheme: ConceptScheme,
    run_id: str,
) -> set[tuple]:
    """The whole corpus as a set of triples; `run_id` names the ingest activity that made the
    links. Ingest writes these straight to N-Triples (`save_triples`) without an rdflib store."""
    triples: set[tuple] = set(scheme.graph)
    activity = BUILD[run_id]
    triples.add((activity, RDF.type, PROV.Activity))
    triples.add((activity, RDFS.label, Literal(f"ILP Atlas ingest run {run_id}")))
    for meta in documents:
        add_document(triples, meta)
    for order, passage in enumerate(passages):
        add_passage(triples, passage, order)
    for link in links:
        add_link(triples, link, activity)
    return triples


def build_graph(
    documents: list[DocumentMeta],
    passages: list[Passage],
    links: list[ConceptLink],
    scheme: ConceptScheme,
    run_id: str,
) -> Graph:
    """The whole corpus as one rdflib graph (see `corpus_triples`)."""
    graph = new_graph()
    for triple in corpus_triples(documents, passages, links, scheme, run_id):
        graph.add(triple)
    return graph


def add_document(graph: TripleSink, meta: DocumentMeta) -> None:
    """A document with its Dublin Core metadata and its countries."""
    uri = document_uri(meta.id)
    graph.add((uri, RDF.type, ILP_NS.Document))
    graph.add((uri, DCTERMS.identifier, Literal(meta.id)))
    graph.add((uri, DCTERMS.title, Literal(meta.title, lang=meta.language or None)))
    graph.add((uri, DCTERMS.type, KIND[meta.kind]))
    graph.add((uri, ILP_NS.kind, Literal(meta.kind)))
    graph.add((uri, DCTERMS.language, Literal(meta.language)))
    media_type = MEDIA_TYPES.get(meta.path.suffix.lower())
    if media_type:
        graph.add((uri, DCTERMS.format, Literal(media_type)))
    for name in meta.authors:
        graph.add((uri, DCTERMS.creator, _agent(graph, name)))
    if meta.publisher:
        graph.add((uri, DCTERMS.publisher, _agent(graph, meta.publisher)))
    graph.add((uri, ILP_NS.role, Literal(meta.role)))
    for work in meta.summary_of:
        add_work(graph, work)
        graph.add((uri, ILP_NS.summaryOf, work_uri(work.key)))
        graph.add((uri, PROV.wasDerivedFrom, work_uri(work.key)))
        graph.add((uri, DCTERMS.bibliographicCitation, Literal(f"Summary of: {work.reference()}")))
    if meta.year is not None:
        graph.add((uri, DCTERMS.date, Literal(str(meta.year), datatype=XSD.gYear)))
    if meta.summary:
        graph.add((uri, DCTERMS.abstract, Literal(meta.summary, lang="en")))
    for key in meta.sources:
        graph.add((uri, ILP_NS.sourceKey, Literal(key)))
    for url in meta.source_urls:
        graph.add((uri, DCTERMS.source, URIRef(url)))
    if meta.licence:
        graph.add((uri, DCTERMS.license, Literal(meta.licence)))
    for code in meta.countries:
        add_country(graph, code)
        graph.add((uri, DCTERMS.spatial, country_uri(code)))


def _agent(graph: TripleSink, name: str) -> URIRef:
    agent = agent_uri(name)
    graph.add((agent, RDF.type, DCTERMS.Agent))
    graph.add((agent, RDFS.label, Literal(name)))
    return agent


def add_work(graph: TripleSink, work: SourceWork) -> None:
    """A work the corpus summarises, with its own title, authors, year and address."""
    uri = work_uri(work.key)
    graph.add((uri, RDF.type, ILP_NS.Work))
    graph.add((uri, DCTERMS.identifier, Literal(work.key)))
    graph.add((uri, DCTERMS.title, Literal(work.title)))
    for name in work.authors:
        graph.add((uri, DCTERMS.creator, _agent(graph, name)))
    if work.year is not None:
        graph.add((uri, DCTERMS.date, Literal(str(work.year), datatype=XSD.gYear)))
    if work.url:
        graph.add((uri, DCTERMS.source, URIRef(work.url)))


def add_country(graph: TripleSink, code: str) -> None:
    """A country node labelled with its English name and ISO 3166-1 alpha-2 code."""
    uri = country_uri(code)
    graph.add((uri, RDF.type, DCTERMS.Location))
    graph.add((uri, RDF.type, ILP_NS.Country))
    graph.add((uri, RDFS.label, Literal(country_name(code), lang="en")))
    graph.add((uri, ILP_NS.isoCode, Literal(code.upper())))


def add_passage(graph: TripleSink, passage: Passage, order: int) -> None:
    """A passage: part of its document, with text, heading path, printed page and offsets."""
    uri = passage_uri(passage.id)
    graph.add((uri, RDF.type, ILP_NS.Passage))
    graph.add((uri, DCTERMS.identifier, Literal(passage.id)))
    graph.add((uri, DCTERMS.isPartOf, document_uri(passage.document_id)))
    graph.add((uri, ILP_NS.text, Literal(passage.text)))
    graph.add((uri, ILP_NS.order, Literal(order)))
    graph.add((uri, ILP_NS.charStart, Literal(passage.char_start)))
    graph.add((uri, ILP_NS.charEnd, Literal(passage.char_end)))
    if passage.heading_path:
        graph.add((uri, ILP_NS.section, Literal(passage.heading_path[-1])))
        graph.add((uri, ILP_NS.headingPath, Literal(" > ".join(passage.heading_path))))
    if passage.page is not None:
        graph.add((uri, ILP_NS.page, Literal(passage.page)))


def link_uri(link: ConceptLink) -> URIRef:
    """The stable URI of one passage-concept link."""
    return URIRef(f"{passage_uri(link.passage_id)}/link/{link.concept_id}")


def add_link(graph: TripleSink, link: ConceptLink, activity: URIRef) -> None:
    """`passage ilp:mentions concept`, plus a reified link carrying method, score and provenance."""
    passage, concept = passage_uri(link.passage_id), concept_uri(link.concept_id)
    graph.add((passage, ILP_NS.mentions, concept))
    graph.add((passage, DCTERMS.subject, concept))
    uri = link_uri(link)
    graph.add((uri, RDF.type, ILP_NS.ConceptLink))
    graph.add((uri, ILP_NS.passage, passage))
    graph.add((uri, ILP_NS.concept, concept))
    graph.add((uri, ILP_NS.method, Literal(link.method)))
    # xsd:double: its lexical form survives rdflib and Oxigraph alike (xsd:decimal "1" does not).
    graph.add((uri, ILP_NS.score, Literal(round(link.score, 4), datatype=XSD.double)))
    graph.add((uri, ILP_NS.matchedText, Literal(link.matched)))
    graph.add((uri, PROV.wasGeneratedBy, activity))


def save_triples(triples: Iterable[tuple], path: Path) -> None:
    """Write triples (a set, or an rdflib Graph) as sorted N-Triples, one per line:
    deterministic bytes for the same triples."""
    path.write_text("\n".join(sorted(ntriples_line(t) for t in triples)) + "\n", encoding="utf-8")


def ntriples_line(triple: tuple) -> str:
    """One triple as an N-Triples line, escaped as rdflib's own serializer escapes it."""
    subject, predicate, obj = triple
    return f"{subject.n3()} {predicate.n3()} {_ntriples_term(obj)} ."


def _ntriples_term(term) -> str:  # noqa: ANN001 - an rdflib term
    if not isinstance(term, Literal):
        return term.n3()
    quoted = '"{}"'.format(
        str(term)
        .replace("\\", "\\\\")
        .replace("\n", "\\n")
        .replace('"', '\\"')
        .replace("\r", "\\r")
    )
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype:
        return f"{quoted}^^<{term.datatype}>"
    return quoted


def load_graph(path: Path) -> Graph:
    """Read a graph saved by `save_triples`, with the project's prefixes bound."""
    graph = new_graph()
    graph.parse(path, format="nt")
    return graph


def concept_graph(scheme_graph: Graph, uri: str) -> Graph:
    """A concept's own triples plus the labels of the concepts it points to."""
    graph = new_graph()
    subject = URIRef(uri)
    for _, predicate, obj in scheme_graph.triples((subject, None, None)):
        graph.add((subject, predicate, obj))
        if isinstance(obj, URIRef):
            for label in scheme_graph.objects(obj, SKOS.prefLabel):
                graph.add((obj, SKOS.prefLabel, label))
    return graph


EXPORT_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}


def serialize_graph(path: Path, output_format: str) -> bytes:
    """A saved graph in another RDF syntax: `ttl`, `jsonld` or `nt`."""
    if output_format == "nt":
        return path.read_bytes()
    graph = load_graph(path)
    return graph.serialize(format=EXPORT_FORMATS[output_format], encoding="utf-8")


__all__ = [
    "BASE",
    "build_graph",
    "corpus_triples",
    "load_graph",
    "new_graph",
    "save_triples",
    "serialize_graph",
]
