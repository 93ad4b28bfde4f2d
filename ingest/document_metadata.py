"""What a user's document says about itself: title, authors, year, language, licence.

Each value carries where it came from, shown on the document page. For a PDF, in order of
trust: the PDF's metadata (a real title, not a file name), the title page (the largest type on
the first page with text), the copyright notice (holder and year), the creation date, and the
language of the text. HTML gives `<title>`, `<html lang>` and meta tags; Markdown its front
matter. The file name is the caller's last resort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from pypdf import PdfReader

from ingest.errors import IngestError
from ingest.html import html_metadata, parse_html_bytes
from ingest.markdown import split_front_matter
from ingest.notices import notice_sentences, read_notices
from ingest.pdf_headings import TOP_LEVEL_TITLES, heading_key
from ingest.pdf_layout import page_text_lines
from ingest.text import normalise_space

FRONT_PAGES = 4  # where title pages and copyright notices are printed
TITLE_POINTS = 16  # type this large on the first page with text is its title
# Large type on a first page that is not the document's title.
_NOT_TITLES = TOP_LEVEL_TITLES | {"contents", "table of contents", "abstract"}
_FILE_LIKE_TITLE = re.compile(
    r"\.(?:docx?|pdf|indd|odt|rtf|tex|pptx?)\b|^microsoft word|^untitled|^document\d*$", re.I
)
_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "for", "with", "are"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "ein", "eine", "von"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "pour", "que"},
    "es": {"el", "la", "los", "las", "y", "es", "una", "por", "para", "que"},
}


@dataclass(frozen=True)
class Found:
    """A metadata value and where it was found."""

    value: object
    origin: str


def file_metadata(path: Path, password: str | None = None) -> dict[str, Found]:
    """Metadata the file states about itself, by field name (`title`, `authors`, ...)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            return pdf_metadata(path, password)
        if suffix in (".md", ".markdown"):
            meta, _ = split_front_matter(path.read_text(encoding="utf-8", errors="replace"))
            return {key: Found(meta[key], "front matter") for key in ("title",) if meta.get(key)}
        if suffix in (".html", ".htm"):
            found = html_metadata(parse_html_bytes(path.read_bytes(), path.name))
            names = {"title": "title", "description": "summary", "author": "authors"}
            values = {names[k]: Found(v, "HTML metadata") for k, v in found.items() if k in names}
            if "authors" in values:
                values["authors"] = Found(
                    _split_names(str(values["authors"].value)), "HTML metadata"
                )
            if found.get("language"):
                values["language"] = Found(found["language"], "HTML metadata")
            return values
    except (OSError, IngestError):
        return {}  # an unreadable file is reported by the reader, with its reason
    return {}


def pdf_metadata(path: Path, password: str | None = None) -> dict[str, Found]:
    """Title, authors, publisher, year, language and licence of a PDF (see module doc)."""
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(password or ""):
            return {}
        info: dict[str, Any] = dict(reader.metadata or {})
        pages = [reader.pages[n] for n in range(min(FRONT_PAGES, len(reader.pages)))]
        texts = [page.extract_text() or "" for page in pages]
    except Exception:  # pypdf raises assorted errors; the reader reports them properly
        return {}
    found: dict[str, Found] = {}
    title = normalise_space(str(info.get("/Title") or ""))
    if _is_real_title(title, path):
        found["title"] = Found(title, "PDF metadata")
    else:
        page_title = _title_page(pages)
        if page_title:
            found["title"] = Found(page_title, "title page")
    authors = _split_names(str(info.get("/Author") or ""))
    if authors:
        found["authors"] = Found(authors, "PDF metadata")
    notice = read_notices(notice_sentences(" ".join(texts)))
    if notice.holder:
        found["publisher"] = Found(notice.holder, "copyright notice")
        found.setdefault("authors", Found((notice.holder,), "copyright notice"))
    if notice.year:
        found["year"] = Found(notice.year, "copyright notice")
    elif isinstance(info.get("/CreationDate"), str):
        year = re.match(r"D:((?:19|20)\d{2})", str(info["/CreationDate"]))
        if year:
            found["year"] = Found(int(year.group(1)), "PDF metadata (creation date)")
    if notice.licence:
        found["licence"] = Found(notice.licence, "copyright notice")
    language = _declared_language(reader) or detect_language(" ".join(texts))
    if language:
        found["language"] = Found(*language)
    return found


def _is_real_title(title: str, path: Path) -> bool:
    return (
        sum(ch.isalpha() for ch in title) >= 4
        and not _FILE_LIKE_TITLE.search(title)
        and title.lower() != path.stem.lower()
    )


def _title_page(pages: list) -> str:
    """The largest type on the first page that has text, when it is set as a title."""
    for page in pages:
        try:
            lines, _ = page_text_lines(page)
        except Exception:  # a damaged page has no title to give
            continue
        if not lines:
            continue
        biggest = max(line.size for line in lines)
        sizes = [line.size for line in lines]
        standout = biggest >= TITLE_POINTS or biggest >= 1.3 * median(sizes)
        title = normalise_space(" ".join(ln.text for ln in lines if ln.size >= biggest - 0.5))
        if not standout or heading_key(title) in _NOT_TITLES or sum(map(str.isalpha, title)) < 4:
            return ""
        return title[:200]
    return ""


def _split_names(field: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in re.split(r";| and |\n", field) if name.strip())


def _declared_language(reader: PdfReader) -> tuple[str, str] | None:
    try:
        root: Any = reader.trailer["/Root"]  # a DictionaryObject; pypdf types it loosely
        declared = str(root.get("/Lang") or "")
    except Exception:  # no catalog dictionary: nothing declared
        return None
    code = declared.split("-")[0].lower()
    return (code, "PDF metadata") if re.fullmatch(r"[a-z]{2,3}", code) else None


def detect_language(text: str) -> tuple[str, str] | None:
    """A language code for `text` from its script and common words, or None when unsure."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 40:
        return None
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    if cyrillic > 0.3 * len(letters):
        return "ru", "detected from the text"
    arabic = sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff")
    if arabic > 0.3 * len(letters):
        return "ar", "detected from the text"
    words = re.findall(r"[a-zäöüßéèàç]+", text.lower())
    votes = {code: sum(1 for w in words if w in stop) for code, stop in _STOPWORDS.items()}
    best = max(votes, key=lambda code: votes[code])
    return (best, "detected from the text") if votes[best] >= 5 else None
