"""Pick the reader for a file by its extension and turn any failure into one clear `IngestError`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.errors import IngestError
from ingest.html import read_html
from ingest.markdown import read_markdown
from ingest.models import Document, DocumentMeta, Paragraph
from ingest.pdf import read_pdf
from ingest.text import read_text_file

READERS: dict[str, Callable[[Path], list[Paragraph]]] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".txt": read_text_file,
}
MAX_FILE_BYTES = 32 * 1024 * 1024


def read_document(meta: DocumentMeta, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read the file named by `meta` into a `Document`, or raise `IngestError` saying why not."""
    path = meta.path
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise IngestError(f"{path.name}: unsupported file type {path.suffix!r} (known: {known})")
    if not path.is_file():
        raise IngestError(f"{path.name}: file not found at {path}")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(f"{path.name}: the file is empty (0 bytes)")
    if size > max_bytes:
        raise IngestError(
            f"{path.name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit per file"
        )
    try:
        paragraphs = reader(path)
    except IngestError:
        raise
    except (UnicodeError, ValueError, OSError, RecursionError) as error:
        raise IngestError(f"{path.name}: could not be read ({error})") from error
    document = Document.from_paragraphs(meta, paragraphs)
    if not document.text.strip():
        raise IngestError(f"{path.name}: no text found (a scanned PDF needs OCR first)")
    return document
