"""Citations of passages: the short form shown with answers, and BibTeX, RIS, CSL-JSON, plain text.

A passage is cited as its document (authors, title, year, publisher) plus its section and printed
page. A summary the ILP Atlas team wrote is cited as the team's text, never as the work it
summarises: its authors are the team, it carries no date of its own, and every format says what
it summarises ("Summary of: OSCE Guidebook Intelligence-Led Policing (OSCE Secretariat TNTD/SPMU,
2017), pp. 43-50"), so a reader cannot take it for the original.
"""

from __future__ import annotations

import json
import re

from ingest.models import DocumentMeta, Passage, pages_label

PUBLISHER = "ILP Atlas"


def section_label(passage: Passage) -> str:
    """The most specific heading of a passage below the document title."""
    path = list(passage.heading_path)
    return path[-1] if path else ""


def cite(document: DocumentMeta, passage: Passage, page: str | None = None) -> str:
    """E.g. 'Tasking and co-ordination meetings, 2. Strategic meetings, p. 55'.

    `page` names the printed page of one sentence of the passage; by default the pages the
    passage spans ("p. 19" or "pp. 19-20").
    """
    parts = [document.title]
    section = section_label(passage)
    if section and section != document.title:
        parts.append(section)
    page = page or passage.pages
    if page:
        parts.append(pages_label(page))
    return ", ".join(parts)


def cite_definition(label: str, source: str) -> str:
    """The citation of a concept's definition from the concept scheme."""
    where = f"{PUBLISHER} concept scheme, {label}"
    return f"{where} (source {source})" if source else where


def _authors(document: DocumentMeta) -> list[str]:
    return list(document.authors) or [document.publisher or "Unknown author"]


def _issued(document: DocumentMeta) -> int | None:
    """The year of the cited text: a summary's year is its source's, so it has none."""
    return None if document.is_summary else document.year


def summary_note(document: DocumentMeta) -> str:
    """'Summary of: WORK (AUTHORS, YEAR), pp. X' for a summary, else ''."""
    if not document.summary_of:
        return ""
    return "Summary of: " + "; ".join(work.reference() for work in document.summary_of)


def citation_key(document: DocumentMeta, passage: Passage) -> str:
    """A BibTeX key: document id, year and a short passage suffix."""
    base = re.sub(r"[^A-Za-z0-9]+", "", document.id.title())[:30]
    return f"{base}{document.year or ''}_{passage.id[-6:]}"


def plain_text(document: DocumentMeta, passage: Passage, url: str) -> str:
    """A plain-text citation with the permalink."""
    year = _issued(document)
    when = f" ({year})" if year else (" (n.d.)" if document.is_summary else "")
    parts = [f"{'; '.join(_authors(document))}{when}. {cite(document, passage)}."]
    if document.publisher:
        parts.append(f"{document.publisher}.")
    if document.is_summary:
        parts.append(f"{summary_note(document)}.")
    parts.append(url)
    return " ".join(parts)


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def bibtex(document: DocumentMeta, passage: Passage, url: str) -> str:
    """A BibTeX @misc entry; organisations are braced so BibTeX keeps them whole."""
    pages = passage.pages
    where = f"Section: {section_label(passage)}"
    if pages:
        where += f", {pages_label(pages)}"
    fields = {
        "author": " and ".join("{" + _bibtex_escape(name) + "}" for name in _authors(document)),
        "title": "{" + _bibtex_escape(document.title) + "}",
        "year": str(_issued(document) or ""),
        "publisher": _bibtex_escape(document.publisher),
        "howpublished": r"\url{" + url + "}",
        "note": _bibtex_escape(". ".join(part for part in (summary_note(document), where) if part)),
    }
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items() if value)
    return f"@misc{{{citation_key(document, passage)},\n{body}\n}}\n"


def ris(document: DocumentMeta, passage: Passage, url: str) -> str:
    """An RIS record (type GEN); a summary's source goes in a note (N1)."""
    lines = [
        "TY  - GEN",
        *(f"AU  - {name}" for name in _authors(document)),
        f"TI  - {document.title}",
        f"T2  - {section_label(passage)}",
    ]
    year = _issued(document)
    if year:
        lines.append(f"PY  - {year}")
    if passage.page:
        lines.append(f"SP  - {passage.page}")
    if passage.last_page and passage.last_page != passage.page:
        lines.append(f"EP  - {passage.last_page}")
    if document.publisher:
        lines.append(f"PB  - {document.publisher}")
    if document.is_summary:
        lines.append(f"N1  - {summary_note(document)}")
    lines += [f"UR  - {url}", f"LA  - {document.language}", "ER  - "]
    return "\n".join(lines) + "\n"


def csl_json(document: DocumentMeta, passage: Passage, url: str) -> str:
    """A CSL-JSON item (as a one-item array, the form citation managers import)."""
    item: dict[str, object] = {
        "id": citation_key(document, passage),
        "type": "document",
        "title": document.title,
        "author": [{"literal": name} for name in _authors(document)],
        "section": section_label(passage),
        "URL": url,
        "language": document.language,
    }
    if document.publisher:
        item["publisher"] = document.publisher
    year = _issued(document)
    if year:
        item["issued"] = {"date-parts": [[year]]}
    if passage.pages:
        item["page"] = passage.pages
    if document.is_summary:
        item["note"] = summary_note(document)
    return json.dumps([item], ensure_ascii=False, indent=2)


FORMATS = {"bibtex": bibtex, "ris": ris, "csl-json": csl_json, "text": plain_text}
