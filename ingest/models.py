"""The dataclasses passed between ingestion stages: metadata, paragraphs, documents, passages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("guidebook", "research", "good-practice", "training")
MAX_FILE_BYTES = 50 * 2**20  # the largest file read by default (`ilp ingest --max-file-mb`)


# What a block of a document is: running text, a figure or table caption, or the text inside a
# figure (diagram labels). Captions and figure text are searchable and citable, never answers.
TEXT, CAPTION, FIGURE = "text", "caption", "figure"
BLOCK_KINDS = (TEXT, CAPTION, FIGURE)

# What a document is: an original work, or a summary the ILP Atlas team wrote of other works.
ROLES = ("original", "summary")


def pages_label(pages: str) -> str:
    """ "p. 19" for one printed page, "pp. 19-20" for a range or a list ("4, 6-7")."""
    return f"{'pp.' if '-' in pages or ',' in pages else 'p.'} {pages}"


@dataclass(frozen=True)
class SourceWork:
    """A work a summary is written from: the summarised publication, cited on its own."""

    key: str
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    pages: str = ""
    url: str = ""

    def reference(self) -> str:
        """E.g. 'OSCE Guidebook Intelligence-Led Policing (OSCE Secretariat, 2017), pp. 46-52'."""
        who = "; ".join(self.authors)
        when = ", ".join(part for part in (who, str(self.year or "")) if part)
        text = f"{self.title} ({when})" if when else self.title
        if self.pages:
            text += f", {pages_label(self.pages)}"
        return text


@dataclass(frozen=True)
class DocumentMeta:
    """Catalog metadata of one source document.

    `authors` wrote this text and `publisher` published it. A summary written by the team names
    the works it summarises in `summary_of`; an original has none. `provenance` says where each
    value came from ("catalog", "sidecar file", "command line", "PDF metadata", "title page",
    "copyright notice", "file name", "default"), for the document page.
    """

    id: str
    title: str
    kind: str
    path: Path
    authors: tuple[str, ...] = ()
    publisher: str = ""
    year: int | None = None
    language: str = "en"
    countries: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    source_urls: tuple[str, ...] = ()
    summary: str = ""
    licence: str = ""
    role: str = "original"
    summary_of: tuple[SourceWork, ...] = ()
    provenance: tuple[tuple[str, str], ...] = ()
    # A password to open an encrypted PDF: used when reading, never stored or printed.
    pdf_password: str | None = field(default=None, repr=False, compare=False)

    @property
    def is_summary(self) -> bool:
        """Whether the team wrote this text as a summary of other works."""
        return self.role == "summary"

    def origin_of(self, name: str) -> str:
        """Where the value of field `name` came from, or "" when not recorded."""
        return dict(self.provenance).get(name, "")


@dataclass(frozen=True)
class Paragraph:
    """One block of body text as a reader found it, with its place in the document."""

    text: str
    heading_path: tuple[str, ...]
    page: str | None = None
    # Where a new printed page starts inside the paragraph: (offset into `text`, page label).
    page_breaks: tuple[tuple[int, str], ...] = ()
    kind: str = TEXT  # one of BLOCK_KINDS


@dataclass(frozen=True)
class Block:
    """A paragraph placed in the document text: `document.text[char_start:char_end] == text`."""

    text: str
    heading_path: tuple[str, ...]
    page: str | None
    char_start: int
    char_end: int
    page_breaks: tuple[tuple[int, str], ...] = ()  # offsets into `text`, as in `Paragraph`
    kind: str = TEXT  # as in `Paragraph`


@dataclass(frozen=True)
class Section:
    """A run of consecutive blocks under the same heading path."""

    heading_path: tuple[str, ...]
    page: str | None
    char_start: int
    char_end: int


PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class TextKept:
    """How many of a PDF's body-text words the reader kept (ingest/pdf_text_kept.py)."""

    body_words: int
    kept_words: int

    @property
    def share(self) -> float:
        """The kept share of the body words, 1.0 for a document without body text."""
        return self.kept_words / self.body_words if self.body_words else 1.0


@dataclass(frozen=True)
class Document:
    """A read document: its metadata, full text and the blocks that make up the text."""

    meta: DocumentMeta
    text: str
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...] = field(default=())
    text_kept: TextKept | None = None  # for a PDF: its body words kept in `text`

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
            lead = len(paragraph.text) - len(paragraph.text.lstrip())
            breaks = tuple(
                (max(0, at - lead), label)
                for at, label in paragraph.page_breaks
                if 0 < at - lead < len(text)
            )
            blocks.append(
                Block(
                    text,
                    paragraph.heading_path,
                    paragraph.page,
                    offset,
                    offset + len(text),
                    breaks,
                    paragraph.kind,
                )
            )
            parts.append(text)
            offset += len(text)
        return cls(meta, "".join(parts), tuple(blocks), _sections_of(blocks))

    def page_events(self) -> list[tuple[int, str | None]]:
        """(offset into `text`, printed page) wherever the page may change, in order."""
        events: list[tuple[int, str | None]] = []
        for block in self.blocks:
            events.append((block.char_start, block.page))
            events.extend((block.char_start + at, label) for at, label in block.page_breaks)
        return events


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
    # TEXT, or FIGURE for a passage of captions and figure text (never mixed with running text):
    # searchable and citable, but its sentences are never answer sentences.
    kind: str = TEXT

    def page_at(self, offset: int) -> str | None:
        """The printed page of the character at `offset` of the passage text."""
        page = self.page
        for start, label in self.page_breaks:
            if start > offset:
                break
            page = label
        return page

    @property
    def last_page(self) -> str | None:
        """The printed page the passage ends on."""
        labelled = [label for _, label in self.page_breaks if label]
        return labelled[-1] if labelled else self.page

    @property
    def pages(self) -> str | None:
        """The printed pages the passage spans: "19", or "19-20" when it runs onto the next."""
        last = self.last_page
        if self.page and last and last != self.page:
            return f"{self.page}-{last}"
        return self.page or last

    @property
    def content_hash(self) -> str:
        """SHA-256 of the passage text: the key of cached embeddings."""
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """Hex SHA-256 of a text, used for stable ids and embedding caches."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
