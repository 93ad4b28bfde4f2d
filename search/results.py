"""What a search returns: hits, answer sentences, recognised concepts and facets."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.models import DocumentMeta, Passage
from search.citation import cite


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
            "page": self.passage.page,
            "concepts": [{"id": cid, "label": label} for cid, label in self.concepts],
            "citation": cite(self.document, self.passage),
            "highlight": self.highlight,
        }


@dataclass(frozen=True)
class AnswerSentence:
    """A sentence chosen for the answer card, with where it comes from."""

    text: str
    passage_id: str
    citation: str
    score: float

    def to_dict(self) -> dict:
        """The answer entry in the fixed JSON shape."""
        return {"text": self.text, "passage_id": self.passage_id, "citation": self.citation}


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
            "total": self.total,
            "offset": self.offset,
        }
