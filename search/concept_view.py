"""Everything known about one concept: neighbours, passages by document, co-occurring concepts.

Besides the passages, a view carries what the concept page and the topic pack show about each:
the sentence that names the concept (a snippet, not the passage's first words), how central the
passage is to the concept (its link confidence, more when it names the concept), and the
countries it concerns. The concept's sources ("S01 p.55") are resolved to references from the
bibliography (`sources.toml`) the build keeps beside its concept scheme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from graph.concepts import Concept
from ilp_base.errors import AtlasError
from ingest.catalog import load_bibliography
from ingest.models import DocumentMeta, Passage, SourceWork
from ingest.sentences import Sentence
from search.index.loaded import LoadedBuild

BIBLIOGRAPHY = "sources.toml"
# "S01 p.55", "S01 pp.39–41, 70", "S01 ch.3", "S38a": a source key and where in it.
SOURCE_PART = re.compile(r"^(?P<key>[A-Z]+\d+)(?P<suffix>[a-z]?)\s*(?P<where>.*)$")
NAMES_IT_BONUS = 0.5  # a passage that names the concept is more central than one about it
HEADING_BONUS = 0.5  # ... and one whose section heading names it more again
MENTION_BONUS = 0.05
MAX_MENTIONS_COUNTED = 4
SNIPPET_MIN_WORDS = 12  # a shorter naming sentence is followed by the next one


@dataclass(frozen=True)
class SourceReference:
    """Where a concept's definition comes from, as a reader can follow it up."""

    text: str
    url: str = ""


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
    snippets: dict[str, str] = field(default_factory=dict)  # passage id -> naming sentence(s)
    centrality: dict[str, float] = field(default_factory=dict)  # passage id -> rank score
    countries: dict[str, tuple[str, ...]] = field(default_factory=dict)  # passage id -> ISO codes
    alt_labels: tuple[tuple[str, str], ...] = ()  # (language tag or "", label)
    sources: tuple[SourceReference, ...] = ()

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
    stored_passages = build.store.passages_of_concept(concept.id)
    for stored in stored_passages:
        grouped.setdefault(stored.document.id, (stored.document, []))[1].append(stored.passage)
    row_ids = [stored.row_id for stored in stored_passages]
    links = {
        row_id: link
        for row_id, row_links in build.store.links_of(row_ids).items()
        for link in row_links
        if link.concept_id == concept.id
    }
    sentences: dict[int, list[Sentence]] = {}
    for sentence in build.store.sentences(row_ids):
        sentences.setdefault(sentence.row_id, []).append(sentence)
    snippets, centrality = {}, {}
    for stored in stored_passages:
        link = links.get(stored.row_id)
        matched = link.matched if link else ""
        snippets[stored.passage.id] = naming_sentences(
            stored.passage.text, sentences.get(stored.row_id, []), (matched, *concept.labels)
        )
        centrality[stored.passage.id] = passage_centrality(
            stored.passage, link.score if link else 0.0, bool(matched), concept.labels
        )
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
        snippets=snippets,
        centrality=centrality,
        countries=_passage_countries(build, concept, stored_passages),
        alt_labels=alt_labels(build, concept),
        sources=source_references(build, concept),
    )


def passage_centrality(
    passage: Passage, score: float, names_it: bool, labels: tuple[str, ...]
) -> float:
    """How central a passage is to the concept: the link's confidence, more when the passage
    names the concept, more again when its own heading does (a section about the concept, not
    one that mentions it among other things), and a little for each further mention."""
    patterns = _label_patterns(labels)
    heading = " ".join(passage.heading_path[-1:])
    mentions = sum(len(p.findall(passage.text)) for p in patterns)
    return (
        score
        + (NAMES_IT_BONUS if names_it else 0.0)
        + (HEADING_BONUS if any(p.search(heading) for p in patterns) else 0.0)
        + MENTION_BONUS * min(mentions, MAX_MENTIONS_COUNTED)
    )


def _label_patterns(labels: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [
        re.compile(rf"(?<!\w){re.escape(label)}(?!\w)", re.IGNORECASE)
        for label in labels
        if label.strip()
    ]


def naming_sentences(text: str, sentences: list[Sentence], labels: tuple[str, ...]) -> str:
    """The first sentence that names the concept by one of its labels (the first sentence when
    none does), followed by the next one when it is short."""
    if not sentences:
        return text
    wanted = _label_patterns(labels)
    index = next(
        (n for n, s in enumerate(sentences) if any(p.search(s.text) for p in wanted)),
        0,
    )
    chosen = [sentences[index]]
    if len(chosen[0].text.split()) < SNIPPET_MIN_WORDS and index + 1 < len(sentences):
        chosen.append(sentences[index + 1])
    return text[chosen[0].char_start : chosen[-1].char_end].strip()


def alt_labels(build: LoadedBuild, concept: Concept) -> tuple[tuple[str, str], ...]:
    """The concept's alternative labels with their language tags, by language then label."""
    found = {
        (label.language or "", str(label))
        for label in build.scheme.graph.objects(URIRef(concept.uri), SKOS.altLabel)
        if isinstance(label, Literal)
    }
    return tuple(sorted(found, key=lambda pair: (pair[0] != "en", pair[0], pair[1].casefold())))


def source_references(build: LoadedBuild, concept: Concept) -> tuple[SourceReference, ...]:
    """The concept's `dcterms:source` values ("S01 p.55; S33") as references to the works of the
    build's bibliography; a key the bibliography lacks stays as written."""
    works = bibliography(build.path)
    references = []
    values = sorted(str(v) for v in build.scheme.graph.objects(URIRef(concept.uri), DCTERMS.source))
    for value in values:
        references.extend(references_of(value, works))
    return tuple(references)


def references_of(value: str, works: dict[str, SourceWork]) -> list[SourceReference]:
    """A `dcterms:source` value ("S01 p.55; S50") as references, a group key ("S50", where
    the bibliography lists S50a-S50d) as one reference per work of the group."""
    return [
        source_reference(one, works)
        for part in (piece.strip() for piece in value.split(";"))
        for one in _group_members(part, works)
    ]


def _group_members(part: str, works: dict[str, SourceWork]) -> list[str]:
    """A key that names a group of works ("S50", where the bibliography lists S50a-S50d) as
    one part per work, each keeping the part's place ("S50 p.3" -> "S50a p.3", ...); any
    other part unchanged, and an empty one dropped."""
    match = SOURCE_PART.match(part)
    if not part or not match or match["suffix"] or match["key"] in works:
        return [part] if part else []
    members = sorted(key for key in works if re.fullmatch(rf"{match['key']}[a-z]", key))
    return [f"{key} {match['where']}".strip() for key in members] or [part]


def source_reference(part: str, works: dict[str, SourceWork]) -> SourceReference:
    """One source ("S01 pp.39–41, 70", "S38a", "S01 ch.3") as a reference."""
    match = SOURCE_PART.match(part)
    if not match:
        return SourceReference(part)
    work = works.get(match["key"] + match["suffix"]) or works.get(match["key"])
    if work is None:
        return SourceReference(part)
    where = match["where"].replace("\u2013", "-").strip()
    pages = re.fullmatch(r"pp?\.\s*(.+)", where)
    text = SourceWork(work.key, work.title, work.authors, work.year).reference()
    if pages:
        text = SourceWork(work.key, work.title, work.authors, work.year, pages[1]).reference()
    elif where.startswith("ch."):
        text += f", chapter {where[3:].strip()}"
    elif where:
        text += f", {where}"
    return SourceReference(text, work.url)


@lru_cache(maxsize=8)
def bibliography(build_path: Path) -> dict[str, SourceWork]:
    """The works of the bibliography kept in a build (empty for a build without one)."""
    return load_bibliography(build_path / BIBLIOGRAPHY)


def _passage_countries(
    build: LoadedBuild, concept: Concept, stored_passages: list
) -> dict[str, tuple[str, ...]]:
    """The countries each of the concept's passages concerns (passage-level, not the whole
    document's)."""
    codes = sorted({code for meta in build.store.documents() for code in meta.countries})
    ours = {stored.row_id: stored.passage.id for stored in stored_passages}
    countries: dict[str, list[str]] = {}
    for code in codes:
        rows = build.store.row_ids_where(countries=[code], concepts=[concept.id]) or set()
        for row_id in rows & ours.keys():
            countries.setdefault(ours[row_id], []).append(code)
    return {passage_id: tuple(found) for passage_id, found in countries.items()}
