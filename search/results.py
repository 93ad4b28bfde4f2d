"""What a search returns: hits, answer sentences, recognised concepts and facets."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.models import DocumentMeta, Passage
from search.answers.card import CardItem
from search.citation import cite, cite_definition


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its document, score, concepts and best sentence."""

    passage: Passage
    document: DocumentMeta
    score: float
    concepts: list[tuple[str, str]]
    highlight: str | None = None

    def to_dict(self) -> dict:
        """The hit in the JSON shape fixed by DESIGN.md (plus `citation` and `highlight`)."""
        return {
            "passage_id": self.passage.id,
            "text": self.passage.text,
            "score": round(self.score, 6),
            "document": {
                "id": self.document.id,
                "title": self.document.title,
                "kind": self.document.kind,
                "year": self.document.year,
            },
            "heading_path": list(self.passage.heading_path),
            "page": self.passage.pages,
            "concepts": [{"id": cid, "label": label} for cid, label in self.concepts],
            "citation": cite(self.document, self.passage),
            "highlight": self.highlight,
        }


@dataclass(frozen=True)
class AnswerSentence:
    """A line of the answer card, with where it comes from: a passage's sentence (its own
    printed page and its anchor in the document reader), or a concept's definition."""

    text: str
    passage_id: str | None
    citation: str
    score: float
    kind: str = "sentence"  # "definition", "sentence" or "item" (of a list)
    page: str | None = None
    anchor: str | None = None  # "<passage id>-s<n>": the sentence in the document reader
    document_id: str | None = None
    concept_id: str | None = None  # for a definition

    @classmethod
    def from_item(cls, item: CardItem, language: str = "en") -> AnswerSentence:
        """The card item as the result carries it, cited. A definition for a question in
        another language opens with the concept's label in that language, when the scheme has
        one ("модель 3-i (3-i model): ...")."""
        if item.stored is None:
            concept = item.concept
            assert concept is not None  # a card item without a passage is a definition
            label = concept.pref_labels.get(language)
            text = item.text
            if language != "en" and label:
                text = f"{label} ({concept.pref_label}): {item.text}"
            return cls(
                text,
                None,
                cite_definition(concept.pref_label, concept.source),
                item.score,
                item.kind,
                concept_id=concept.id,
            )
        passage, document = item.stored.passage, item.stored.document
        return cls(
            item.text,
            passage.id,
            cite(document, passage, item.page),
            item.score,
            item.kind,
            item.page,
            item.anchor,
            document.id,
        )

    def to_dict(self) -> dict:
        """The answer entry in the fixed JSON shape, plus where exactly it is from."""
        return {
            "text": self.text,
            "passage_id": self.passage_id,
            "citation": self.citation,
            "kind": self.kind,
            "page": self.page,
            "anchor": self.anchor,
            "document_id": self.document_id,
            "concept_id": self.concept_id,
        }


@dataclass(frozen=True)
class SearchResult:
    """Everything a search returns."""

    query: str
    method: str
    hits: list[Hit]
    answer: list[AnswerSentence]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    concepts: list[tuple[str, str]] = field(default_factory=list)  # recognised in the query
    no_good_answer: bool = False
    evidence: float = 0.0  # the strength of the best evidence, compared with the threshold
    total: int = 0  # candidates found (for pagination)
    offset: int = 0
    partial: bool = False  # weak evidence (a far lead sentence, no passage standing out)
    language: str = "en"  # the language the query was read in (search/query_language.py)
    answer_languages: tuple[str, ...] = ()  # of the sources the card quotes, in card order

    @property
    def sources_in_other_language(self) -> bool:
        """True when the card quotes no source in the query's language (a Russian question
        answered from English sources): the page says so."""
        return bool(self.answer_languages) and self.language not in self.answer_languages

    def to_dict(self) -> dict:
        """`{"query", "answer", "hits", "facets"}` as fixed in DESIGN.md, plus extensions."""
        return {
            "query": self.query,
            "answer": [a.to_dict() for a in self.answer],
            "hits": [h.to_dict() for h in self.hits],
            "facets": self.facets,
            "method": self.method,
            "concepts": [{"id": cid, "label": label} for cid, label in self.concepts],
            "no_good_answer": self.no_good_answer,
            "evidence": round(self.evidence, 4),
            "partial": self.partial,
            "total": self.total,
            "offset": self.offset,
            "language": self.language,
            "answer_languages": list(self.answer_languages),
        }


def answer_languages(items: list[CardItem]) -> tuple[str, ...]:
    """The languages of the sources a card quotes, each once, in card order (a definition from
    the concept scheme is English)."""
    languages = [item.document.language if item.document else "en" for item in items]
    return tuple(dict.fromkeys(languages))
