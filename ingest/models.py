"""The dataclasses passed between ingestion stages: metadata, paragraphs, documents, passages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("guidebook", "research", "good-practice", "training")


@dataclass(frozen=True)
class DocumentMeta:
    """Catalog metadata of one source document."""

    id: str
    title: str
    kind: str
    path: Path
    organisation: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    language: str = "en"
    countries: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    source_urls: tuple[str, ...] = ()
    summary: str = ""
    licence: str = ""


@dataclass(frozen=True)
class Paragraph:
    """One block of body text as a reader found it, with its place in the document."""

    text: str
    heading_path: tuple[str, ...]
    page: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph placed in the document text: `document.text[char_start:char_end] == text`."""

    text: str
    heading_path: tuple[str, ...]
    page: str | None
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Section:
    """A run of consecutive blocks under the same heading path."""

    heading_path: tuple[str, ...]
    page: str | None
    char_start: int
    char_end: int


PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Document:
    """A read document: its metadata, full text and the blocks that make up the text."""

    meta: DocumentMeta
    text: str
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...] = field(default=())

    @classmethod
    def from_paragraphs(cls, meta: DocumentMeta, paragraphs: list[Paragraph]) -> Document:
        """Join paragraphs into one text, recording each block's character offsets."""
        blocks: list[Block] = []
        parts: list[str] = []
        offset = 0
        for paragraph in paragraphs:
            text = paragraph.text.strip()
            if not text:
                continue
            if parts:
                parts.append(PARAGRAPH_SEPARATOR)
                offset += len(PARAGRAPH_SEPARATOR)
            blocks.append(
                Block(text, paragraph.heading_path, paragraph.page, offset, offset + len(text))
            )
            parts.append(text)
            offset += len(text)
        return cls(meta, "".join(parts), tuple(blocks), _sections_of(blocks))


def _sections_of(blocks: list[Block]) -> tuple[Section, ...]:
    sections: list[Section] = []
    for block in blocks:
        if sections and sections[-1].heading_path == block.heading_path:
            last = sections[-1]
            sections[-1] = Section(last.heading_path, last.page, last.char_start, block.char_end)
        else:
            sections.append(
                Section(block.heading_path, block.page, block.char_start, block.char_end)
            )
    return tuple(sections)


@dataclass(frozen=True)
class Passage:
    """A citable chunk of a document: whole sentences, never across a chapter boundary."""

    id: str
    document_id: str
    heading_path: tuple[str, ...]
    page: str | None
    char_start: int
    char_end: int
    text: str
    # Where the printed page changes inside the passage: (offset into `text`, page label), in
    # order. Empty when the whole passage is on `page`.
    page_breaks: tuple[tuple[int, str], ...] = ()

    def page_at(self, offset: int) -> str | None:
        """The printed page of the character at `offset` of the passage text."""
        page = self.page
        for start, label in self.page_breaks:
            if start > offset:
                break
            page = label
        return page

    @property
    def content_hash(self) -> str:
        """SHA-256 of the passage text: the key of cached embeddings."""
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """Hex SHA-256 of a text, used for stable ids and embedding caches."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
