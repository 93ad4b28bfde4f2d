"""Everything known about one concept: neighbours, passages by document, co-occurring concepts."""

from __future__ import annotations

from dataclasses import dataclass

from graph.concepts import Concept
from ilp_base.errors import AtlasError
from ingest.models import DocumentMeta, Passage
from search.index.loaded import LoadedBuild


class UnknownConcept(AtlasError):
    """No concept has this id or label."""

    status = 404
    title = "Not Found"


@dataclass(frozen=True)
class ConceptView:
    """A concept with its neighbours, linked passages grouped by document, co-occurring concepts."""

    concept: Concept
    broader: list[Concept]
    narrower: list[Concept]
    related: list[Concept]
    passages_by_document: list[tuple[DocumentMeta, list[Passage]]]
    cooccurring: list[tuple[Concept, int]]

    @property
    def passage_count(self) -> int:
        """How many passages are linked to the concept."""
        return sum(len(passages) for _, passages in self.passages_by_document)


def find_concept(build: LoadedBuild, label_or_id: str) -> Concept:
    """The concept with this id or any label (case-insensitive), or `UnknownConcept`."""
    concept = build.scheme.get(label_or_id)
    if concept:
        return concept
    matches = build.scheme.find(label_or_id)
    if not matches:
        raise UnknownConcept(f"No concept is called {label_or_id!r}; see `ilp concept --list`")
    return matches[0]


def concept_view(build: LoadedBuild, concept: Concept) -> ConceptView:
    """Gather a concept's neighbourhood and passages from the build."""
    scheme = build.scheme

    def concepts(ids: tuple[str, ...]) -> list[Concept]:
        found = [scheme.get(cid) for cid in ids]
        return sorted((c for c in found if c), key=lambda c: c.pref_label.casefold())

    grouped: dict[str, tuple[DocumentMeta, list[Passage]]] = {}
    for stored in build.store.passages_of_concept(concept.id):
        grouped.setdefault(stored.document.id, (stored.document, []))[1].append(stored.passage)
    order = {meta.id: n for n, meta in enumerate(build.store.documents())}
    by_document = sorted(grouped.values(), key=lambda pair: order.get(pair[0].id, 0))
    cooccurring = [
        (known, count)
        for cid, count in build.store.cooccurring(concept.id)
        if (known := scheme.get(cid)) is not None
    ]
    return ConceptView(
        concept,
        concepts(concept.broader),
        concepts(concept.narrower),
        concepts(concept.related),
        by_document,
        cooccurring,
    )
