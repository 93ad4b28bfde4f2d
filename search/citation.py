"""Human-readable citations: document, section and printed page."""

from __future__ import annotations

from ingest.models import DocumentMeta, Passage


def section_label(passage: Passage) -> str:
    """The most specific heading of a passage below the document title."""
    path = list(passage.heading_path)
    return path[-1] if path else ""


def cite(document: DocumentMeta, passage: Passage) -> str:
    """E.g. 'Tasking and co-ordination meetings, 2. Strategic meetings, p. 55'."""
    parts = [document.title]
    section = section_label(passage)
    if section and section != document.title:
        parts.append(section)
    if passage.page:
        parts.append(f"p. {passage.page}")
    return ", ".join(parts)
