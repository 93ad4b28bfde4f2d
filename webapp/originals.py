"""A document's original PDF, when the build keeps it: its file and links to a printed page.

`ilp ingest` copies each PDF into the build with a map from printed page labels to PDF page
numbers (ilp_pipeline/originals.py); a cited page links to `/documents/<id>.pdf#page=N`, which
browsers' PDF viewers open at page N.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from flask import url_for

from ilp_pipeline.originals import ORIGINALS, PAGES, original_name
from webapp.services import get_build


def original_pdf(document_id: str) -> Path | None:
    """The build's copy of the document's PDF, or None when it keeps none."""
    path = get_build().path / ORIGINALS / original_name(document_id)
    return path if path.is_file() else None


def pdf_page_url(document_id: str, pages: str | None = None) -> str | None:
    """The URL of the original PDF, at the first page of `pages` ("19", "19-20", "18, 33")
    when the page map knows it; None when the build has no PDF of the document."""
    if original_pdf(document_id) is None:
        return None
    url = url_for("pages.document_pdf", document_id=document_id)
    first = re.split(r"[-\u2013,\s]+", pages.strip())[0] if pages else ""
    number = _page_numbers(get_build().path).get(document_id, {}).get(first)
    return f"{url}#page={number}" if number else url


@lru_cache(maxsize=8)
def _page_numbers(build: Path) -> dict[str, dict[str, int]]:
    path = build / ORIGINALS / PAGES
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
