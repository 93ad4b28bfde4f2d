"""Pick the reader for a file by its extension and turn any failure into one clear `IngestError`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ingest.errors import IngestError
from ingest.html import read_html
from ingest.markdown import read_markdown
from ingest.models import MAX_FILE_BYTES, Document, DocumentMeta, Paragraph
from ingest.notices import is_notice
from ingest.pdf import read_pdf, read_pdf_measured
from ingest.pdf_text_kept import reader_text, text_kept
from ingest.text import read_text_file

READERS: dict[str, Callable[[Path], list[Paragraph]]] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".txt": read_text_file,
}


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
            f"{path.name}: {size / 2**20:.1f} MB is over the {max_bytes / 2**20:.0f} MB limit per "
            "file (raise it with `ilp ingest --max-file-mb`)"
        )
    body_words = None
    try:
        if reader is read_pdf:
            reading = read_pdf_measured(path, password=meta.pdf_password)
            paragraphs, body_words = reading.paragraphs, reading.body_words
        else:
            paragraphs = reader(path)
    except IngestError:
        raise
    except (UnicodeError, ValueError, OSError, RecursionError) as error:
        raise IngestError(f"{path.name}: could not be read ({error})") from error
    # Copyright and licence notices are the document's metadata, not its text.
    paragraphs = [paragraph for paragraph in paragraphs if not is_notice(paragraph.text)]
    document = Document.from_paragraphs(meta, paragraphs)
    if body_words is not None:
        document = replace(document, text_kept=text_kept(body_words, reader_text(paragraphs)))
    if not document.text.strip():
        raise IngestError(f"{path.name}: no text found (a scanned PDF needs OCR first)")
    return document
