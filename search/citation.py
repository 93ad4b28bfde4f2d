"""Citations of passages: the short form shown with answers, and BibTeX, RIS, CSL-JSON, plain text.

A passage is cited as its document (title, organisation, year) plus its section and printed page.
The documents are ILP Atlas's own summaries, so the citation names ILP Atlas as the publisher and
keeps the underlying source's organisation as the author.
"""

from __future__ import annotations

import json
import re

from ingest.models import DocumentMeta, Passage

PUBLISHER = "ILP Atlas"


def section_label(passage: Passage) -> str:
    """The most specific heading of a passage below the document title."""
    path = list(passage.heading_path)
    return path[-1] if path else ""


def cite(document: DocumentMeta, passage: Passage, page: str | None = None) -> str:
    """E.g. 'Tasking and co-ordination meetings, 2. Strategic meetings, p. 55'.

    `page` names the printed page of one sentence of the passage; by default the passage's own.
    """
    parts = [document.title]
    section = section_label(passage)
    if section and section != document.title:
        parts.append(section)
    page = page or passage.page
    if page:
        parts.append(f"p. {page}")
    return ", ".join(parts)


def cite_definition(label: str, source: str) -> str:
    """The citation of a concept's definition from the concept scheme."""
    where = f"{PUBLISHER} concept scheme, {label}"
    return f"{where} (source {source})" if source else where


def _authors(document: DocumentMeta) -> list[str]:
    names = [name.strip() for name in document.organisation.split(";") if name.strip()]
    return names or [PUBLISHER]


def citation_key(document: DocumentMeta, passage: Passage) -> str:
    """A BibTeX key: document id, year and a short passage suffix."""
    base = re.sub(r"[^A-Za-z0-9]+", "", document.id.title())[:30]
    return f"{base}{document.year or ''}_{passage.id[-6:]}"


def plain_text(document: DocumentMeta, passage: Passage, url: str) -> str:
    """A plain-text citation with the permalink."""
    year = f" ({document.year})" if document.year else ""
    return f"{'; '.join(_authors(document))}{year}. {cite(document, passage)}. {PUBLISHER}. {url}"


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def bibtex(document: DocumentMeta, passage: Passage, url: str) -> str:
    """A BibTeX @misc entry; organisations are braced so BibTeX keeps them whole."""
    fields = {
        "author": " and ".join("{" + _bibtex_escape(name) + "}" for name in _authors(document)),
        "title": "{" + _bibtex_escape(document.title) + "}",
        "year": str(document.year or ""),
        "publisher": PUBLISHER,
        "howpublished": r"\url{" + url + "}",
        "note": _bibtex_escape(
            f"Section: {section_label(passage)}" + (f", p. {passage.page}" if passage.page else "")
        ),
    }
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items() if value)
    return f"@misc{{{citation_key(document, passage)},\n{body}\n}}\n"


def ris(document: DocumentMeta, passage: Passage, url: str) -> str:
    """An RIS record (type GEN)."""
    lines = [
        "TY  - GEN",
        *(f"AU  - {name}" for name in _authors(document)),
        f"TI  - {document.title}",
        f"T2  - {section_label(passage)}",
    ]
    if document.year:
        lines.append(f"PY  - {document.year}")
    if passage.page:
        lines.append(f"SP  - {passage.page}")
    lines += [f"PB  - {PUBLISHER}", f"UR  - {url}", f"LA  - {document.language}", "ER  - "]
    return "\n".join(lines) + "\n"


def csl_json(document: DocumentMeta, passage: Passage, url: str) -> str:
    """A CSL-JSON item (as a one-item array, the form citation managers import)."""
    item: dict[str, object] = {
        "id": citation_key(document, passage),
        "type": "document",
        "title": document.title,
        "author": [{"literal": name} for name in _authors(document)],
        "publisher": PUBLISHER,
        "section": section_label(passage),
        "URL": url,
        "language": document.language,
    }
    if document.year:
        item["issued"] = {"date-parts": [[document.year]]}
    if passage.page:
        item["page"] = passage.page
    return json.dumps([item], ensure_ascii=False, indent=2)


FORMATS = {"bibtex": bibtex, "ris": ris, "csl-json": csl_json, "text": plain_text}
