"""What an answer card is made of: its items (a sentence, a list item or a definition), each
knowing its passage, printed page and anchor, and the card with its evidence."""

from __future__ import annotations

from dataclasses import dataclass

from graph.concepts import Concept
from ingest.models import DocumentMeta
from search.index.store import StoredPassage


@dataclass(frozen=True)
class CardItem:
    """One line of the card: a sentence (or list item) of a passage, or a concept definition."""

    text: str
    kind: str  # "definition", "sentence" or "item"
    stored: StoredPassage | None = None  # None for a definition from the concept scheme
    index: int = 0  # the sentence's position in its passage
    char_start: int = 0  # offsets in the passage text
    score: float = 0.0
    concept: Concept | None = None  # for a definition

    @property
    def page(self) -> str | None:
        """The printed page of the sentence itself (not of its passage's start)."""
        return self.stored.passage.page_at(self.char_start) if self.stored else None

    @property
    def anchor(self) -> str | None:
        """The sentence's anchor in the document reader."""
        return f"{self.stored.passage.id}-s{self.index}" if self.stored else None

    @property
    def document(self) -> DocumentMeta | None:
        """The document the sentence is from."""
        return self.stored.document if self.stored else None


@dataclass(frozen=True)
class Card:
    """The composed answer and how strong its evidence is."""

    items: list[CardItem]
    evidence: float
    partial: bool
