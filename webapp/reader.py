"""The document reader's text: each passage's paragraphs, with an anchor on every sentence.

An answer on the search page links to its sentence here (`#<passage id>-s<n>`, n counting the
passage's sentences from 0), so a reader lands on the sentence itself, not on the passage. Where
the printed page changes inside a passage, a page marker ("p. 20") stands at the exact place.
The table of contents nests sections under their chapters and carries no list numbers of its
own: headings keep their own numbering ("8.1 ..."), which list numbers would clash with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ingest.sentences import Sentence


def passage_paragraphs(
    passage_id: str,
    text: str,
    sentences: list[Sentence],
    page_breaks: tuple[tuple[int, str], ...] = (),
) -> list[Markup]:
    """The passage's paragraphs as HTML: each sentence in a span with its anchor id, a marker
    where a new printed page starts, line breaks inside a paragraph (list items, rows) kept."""
    inserts: dict[int, list[str]] = {}
    for index, sentence in enumerate(sentences):
        anchor = f"{escape(passage_id)}-s{index}"
        inserts.setdefault(sentence.char_end, []).append("</span>")
        inserts.setdefault(sentence.char_start, []).append(f'<span class="sentence" id="{anchor}">')
    for offset, label in page_breaks:
        marker = (
            f'<span class="page-break" aria-label="Page {escape(label)}">p. {escape(label)}</span>'
        )
        # A marker goes after a sentence that ends where the page starts, before the next one.
        at = inserts.setdefault(offset, [])
        closing = sum(1 for tag in at if tag == "</span>")
        at.insert(closing, marker)
    pieces: list[str] = []
    position = 0
    for offset in sorted(inserts):
        pieces.append(str(escape(text[position:offset])))
        pieces.extend(inserts[offset])
        position = offset
    pieces.append(str(escape(text[position:])))
    html = "".join(pieces)
    return [
        Markup(paragraph.strip().replace("\n", "<br>\n"))
        for paragraph in html.split("\n\n")
        if paragraph.strip()
    ]


@dataclass(frozen=True)
class TocEntry:
    """One heading of the reader's table of contents, with the sub-headings under it."""

    title: str
    anchor: str
    children: list[TocEntry] = field(default_factory=list)


def reader_headings(document_title: str, heading_path: tuple[str, ...] | list[str]) -> list[str]:
    """The headings the reader shows for a passage: its heading path without the document's own
    title (HTML and Markdown sources repeat it as the first heading; PDF chapters do not)."""
    path = list(heading_path)
    if len(path) > 1 and path[0].strip().casefold() == document_title.strip().casefold():
        return path[1:]
    return path


def table_of_contents(document_title: str, passages: list[tuple[str, list[str]]]) -> list[TocEntry]:
    """Chapters and their sections (two levels) from (passage id, heading path) in reading order;
    each entry points at the first passage under it."""
    chapters: list[TocEntry] = []
    for passage_id, heading_path in passages:
        headings = reader_headings(document_title, heading_path)
        if not headings:
            continue
        if not chapters or chapters[-1].title != headings[0]:
            chapters.append(TocEntry(headings[0], passage_id))
        if len(headings) > 1:
            sections = chapters[-1].children
            if not sections or sections[-1].title != headings[1]:
                sections.append(TocEntry(headings[1], passage_id))
    return chapters
