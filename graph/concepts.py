"""Load the SKOS concept scheme (`corpus/concepts.ttl`) into small frozen `Concept` records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from graph.namespaces import concept_id
from ilp_base.errors import AtlasError


class ConceptSchemeError(AtlasError):
    """The concept scheme file is missing or not valid RDF."""


@dataclass(frozen=True)
class Concept:
    """One SKOS concept with its labels and neighbours (neighbours as concept ids)."""

    id: str
    uri: str
    pref_label: str
    pref_labels: dict[str, str]  # language -> label
    alt_labels: tuple[str, ...]
    hidden_labels: tuple[str, ...]
    definition: str
    source: str
    broader: tuple[str, ...]
    narrower: tuple[str, ...]
    related: tuple[str, ...]
    top: bool

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label a text may use for this concept: preferred, alternative and hidden."""
        return (*self.pref_labels.values(), *self.alt_labels, *self.hidden_labels)

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(frozen=True)
class ConceptScheme:
    """All concepts of the scheme, by id, plus the RDF graph they came from."""

    concepts: dict[str, Concept]
    graph: Graph

    def get(self, concept_id_: str) -> Concept | None:
        """The concept with this id, or None."""
        return self.concepts.get(concept_id_)

    def find(self, label: str) -> list[Concept]:
        """Concepts whose id or any label equals `label`, ignoring case."""
        wanted = label.strip().casefold()
        return [
            c
            for c in self.concepts.values()
            if c.id == wanted or any(lbl.casefold() == wanted for lbl in c.labels)
        ]

    def top_concepts(self) -> list[Concept]:
        """The top concepts, sorted by label."""
        return sorted((c for c in self.concepts.values() if c.top), key=lambda c: c.pref_label)


def load_scheme(path: Path) -> ConceptScheme:
    """Parse a SKOS Turtle file into a `ConceptScheme`."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as error:
        raise ConceptSchemeError(f"No concept scheme at {path}") from error
    except Exception as error:  # rdflib raises several parser-specific error types
        raise ConceptSchemeError(f"{path}: not valid Turtle ({error})") from error
    return scheme_from_graph(graph)


def scheme_from_graph(graph: Graph) -> ConceptScheme:
    """Read every `skos:Concept` of an RDF graph."""
    concepts = {}
    # Concepts are named by URIs (the SHACL shapes require it).
    for uri in sorted(cast(set[URIRef], set(graph.subjects(RDF.type, SKOS.Concept)))):
        concept = _concept(graph, uri)
        concepts[concept.id] = concept
    return ConceptScheme(concepts, graph)


def _concept(graph: Graph, uri: URIRef) -> Concept:
    pref_labels = {
        (lbl.language or ""): str(lbl)
        for lbl in graph.objects(uri, SKOS.prefLabel)
        if isinstance(lbl, Literal)
    }
    english = pref_labels.get("en") or next(iter(pref_labels.values()), concept_id(uri))

    def literals(predicate: URIRef) -> tuple[str, ...]:
        return tuple(sorted(str(o) for o in graph.objects(uri, predicate)))

    def neighbours(predicate: URIRef) -> tuple[str, ...]:
        return tuple(sorted(concept_id(cast(URIRef, o)) for o in graph.objects(uri, predicate)))

    definitions = [
        d
        for d in graph.objects(uri, SKOS.definition)
        if isinstance(d, Literal) and d.language in (None, "en")
    ]
    return Concept(
        id=concept_id(uri),
        uri=str(uri),
        pref_label=english,
        pref_labels=pref_labels,
        alt_labels=literals(SKOS.altLabel),
        hidden_labels=literals(SKOS.hiddenLabel),
        definition=str(definitions[0]) if definitions else "",
        source=", ".join(literals(DCTERMS.source)),
        broader=neighbours(SKOS.broader),
        narrower=neighbours(SKOS.narrower),
        related=neighbours(SKOS.related),
        top=(uri, SKOS.topConceptOf, None) in graph,
    )
