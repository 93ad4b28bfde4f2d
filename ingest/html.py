"""Read HTML pages: main content only, h1-h4 as the heading path, lists and tables kept readable."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from bs4.dammit import UnicodeDammit

from ingest.errors import IngestError
from ingest.models import Paragraph
from ingest.text import CELL_SEPARATOR, normalise_space

DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "form",
    "aside",
    "template",
    "iframe",
    "svg",
    "button",
)
HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?)\]])")
_SPACE_AFTER_BRACKET = re.compile(r"([(\[])\s+")
BLOCK_TAGS = ("p", "li", "blockquote", "pre", "dd", "dt", "figcaption", "caption", "tr")


def parse_html_bytes(data: bytes, name: str) -> BeautifulSoup:
    """Decode HTML with charset detection (meta tag, BOM, then guessing) and parse it."""
    if b"\x00" in data[:4096]:
        raise IngestError(f"{name}: binary data, not HTML")
    dammit = UnicodeDammit(data, is_html=True)
    if dammit.unicode_markup is None:
        raise IngestError(f"{name}: could not detect the character encoding")
    soup = BeautifulSoup(dammit.unicode_markup, "html.parser")
    if soup.find(True) is None:
        raise IngestError(f"{name}: no HTML elements found")
    return soup


def html_metadata(soup: BeautifulSoup) -> dict[str, str]:
    """Title, description, author and language from `<title>`, `<html lang>` and meta tags."""
    meta: dict[str, str] = {}
    if soup.title and soup.title.string:
        meta["title"] = normalise_space(soup.title.string)
    html = soup.find("html")
    if isinstance(html, Tag) and html.get("lang"):
        meta["language"] = str(html["lang"]).split("-")[0].lower()
    for tag in soup.find_all("meta"):
        key = str(tag.get("name") or tag.get("property") or "").lower()
        if key in ("description", "author", "keywords", "og:title") and tag.get("content"):
            meta[key.removeprefix("og:")] = normalise_space(str(tag["content"]))
    return meta


def read_html(path: Path) -> list[Paragraph]:
    """Read an HTML file into paragraphs of its main content."""
    return html_paragraphs(parse_html_bytes(path.read_bytes(), path.name))


def html_paragraphs(soup: BeautifulSoup) -> list[Paragraph]:
    """Walk the main content in document order, tracking h1-h4 for the heading path."""
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.find("body") or soup
    paragraphs: list[Paragraph] = []
    headings: list[tuple[int, str]] = []
    last_container: Tag | None = None  # the list or table the previous block belonged to
    for element in root.find_all(True):
        heading_path = tuple(title for _, title in headings)
        if element.name in HEADING_LEVELS:
            level = HEADING_LEVELS[element.name]
            headings[:] = [(lvl, title) for lvl, title in headings if lvl < level]
            headings.append((level, _inline_text(element)))
            last_container = None
        elif element.name in BLOCK_TAGS and not element.find_parent(BLOCK_TAGS):
            text = _block_text(element)
            if not text:
                continue
            container = (
                element.find_parent(["ul", "ol", "table"]) if element.name in ("li", "tr") else None
            )
            if container is not None and container is last_container:
                # Items of one list (rows of one table) read best as one block.
                previous = paragraphs[-1]
                paragraphs[-1] = Paragraph(previous.text + "\n" + text, previous.heading_path)
            else:
                paragraphs.append(Paragraph(text, heading_path))
            last_container = container
        elif element.name == "div" and not element.find(True) and element.get_text(strip=True):
            paragraphs.append(Paragraph(_inline_text(element), heading_path))
            last_container = None
    return paragraphs


def _inline_text(element: Tag) -> str:
    text = normalise_space(element.get_text(" ")).replace("\n", " ")
    # get_text(" ") puts a space around every inline tag; take it back before punctuation.
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", _SPACE_AFTER_BRACKET.sub(r"\1", text))


def _block_text(element: Tag) -> str:
    if element.name == "tr":
        cells = [_inline_text(cell) for cell in element.find_all(["th", "td"])]
        # Empty cells are kept, so that each value stays under its column.
        return CELL_SEPARATOR.join(cells).strip() if any(cells) else ""
    text = _inline_text(element)
    if element.name != "li" or not text:
        return text
    parent = element.parent
    if parent is not None and parent.name == "ol":  # numbered as the browser would show it
        start = parent.get("start")
        first = int(start) if isinstance(start, str) and start.isdigit() else 1
        siblings = parent.find_all("li", recursive=False)
        number = first + next((n for n, item in enumerate(siblings) if item is element), 0)
        return f"{number}. {text}"
    return f"\u2022 {text}"
