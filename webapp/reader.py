"""The document reader's text: each passage's paragraphs, with an anchor on every sentence.

An answer on the search page links to its sentence here (`#<passage id>-s<n>`, n counting the
passage's sentences from 0), so a reader lands on the sentence itself, not on the passage.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ingest.sentences import Sentence


def passage_paragraphs(passage_id: str, text: str, sentences: list[Sentence]) -> list[Markup]:
    """The passage's paragraphs as HTML: each sentence in a span with its anchor id, line
    breaks inside a paragraph (list items, table rows) kept."""
    pieces: list[str] = []
    position = 0
    for index, sentence in enumerate(sentences):
        pieces.append(str(escape(text[position : sentence.char_start])))
        body = escape(text[sentence.char_start : sentence.char_end])
        pieces.append(f'<span class="sentence" id="{escape(passage_id)}-s{index}">{body}</span>')
        position = sentence.char_end
    pieces.append(str(escape(text[position:])))
    html = "".join(pieces)
    return [
        Markup(paragraph.strip().replace("\n", "<br>\n"))
        for paragraph in html.split("\n\n")
        if paragraph.strip()
    ]
