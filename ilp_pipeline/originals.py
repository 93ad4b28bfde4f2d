"""The original PDFs kept in a build, so the site can serve them and link a cited page to it.

A build is self-contained: the corpus folder may move or change after ingest, so each PDF
document is copied into `<build>/originals/<safe name>.pdf`, and `originals/pages.json` maps each
document's printed page labels to PDF page numbers (counting from 1, as `#page=N` does), read
the same way ingestion reads the labels (trusted /PageLabels, else the numbers printed on the
pages). Optional artifacts: a build without them serves no PDF, and nothing else changes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from ilp_base.errors import AtlasError
from ingest.models import DocumentMeta

ORIGINALS = "originals"
PAGES = "pages.json"


def original_name(document_id: str) -> str:
    """The file name of a document's PDF in the build: its id with anything but letters,
    digits, dots, dashes and underscores replaced (never a path)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", document_id).strip(".-") or "document"
    return f"{safe}.pdf"


def keep_originals(folder: Path, documents: list[DocumentMeta]) -> int:
    """Copy every PDF document into the build with its page map; returns how many."""
    pages: dict[str, dict[str, int]] = {}
    target = folder / ORIGINALS
    for meta in documents:
        if meta.path.suffix.lower() != ".pdf" or not meta.path.is_file() or meta.pdf_password:
            continue  # an encrypted PDF's password is never kept, so neither is the file
        target.mkdir(exist_ok=True)
        shutil.copyfile(meta.path, target / original_name(meta.id))
        pages[meta.id] = pdf_page_numbers(meta.path)
    if pages:
        (target / PAGES).write_text(json.dumps(pages, sort_keys=True), encoding="utf-8")
    return len(pages)


def pdf_page_numbers(path: Path) -> dict[str, int]:
    """Printed page label -> PDF page number (the first page carrying it); empty when the PDF
    cannot be read again (ingestion read it, so this is unexpected; the site then links to the
    PDF without a page)."""
    from pypdf.errors import PyPdfError

    from ingest.pdf_file import open_pdf
    from ingest.pdf_layout import page_text_lines, strip_furniture
    from ingest.pdf_navigation import page_labels
    from ingest.pdf_runs import FontCache

    try:
        opened = open_pdf(path)
        fonts: FontCache = {}
        raw_pages = [page_text_lines(page, fonts)[0] for page in opened.pages]
        _, printed_numbers = strip_furniture(raw_pages)
        labels = page_labels(opened, printed_numbers)
    except (AtlasError, PyPdfError, ValueError, KeyError, OSError):
        return {}
    numbers: dict[str, int] = {}
    for index, label in enumerate(labels):
        if label:
            numbers.setdefault(label, index + 1)
    return numbers
