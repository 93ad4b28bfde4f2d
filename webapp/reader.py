"""The document reader's text: each passage's paragraphs, with an anchor on every sentence.

An answer on the search page links to its sentence here (`#<passage id>-s<n>`, n counting the
passage's sentences from 0), so a reader lands on the sentence itself, not on the passage. Where
the printed page changes inside a passage, a page marker ("p. 20") stands at the exact place.
"""

from __future__ import annotations

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
