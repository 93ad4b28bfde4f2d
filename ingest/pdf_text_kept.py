"""How much of a PDF's text the reader kept: a check that no body text was lost on the way.

The reference is what pypdf's plain `extract_text()` gives for every page, as words (letters
and digits, two or more, lower case; ligatures and private-use glyphs normalised as the reader
does; a word hyphenated at a line end, or a hyphenated compound, counts as one word on both
sides), less what the reader drops on purpose: running headers, page numbers and other page
furniture, and table-of-contents pages. Letters and digits that meet inside a word are split
apart, on both sides alike: in mathematics they are a symbol and its index or exponent
("x1", "R2", "cos2", "e2πit"), which pypdf glues to the symbol, or to the word next to it,
in whatever order the formula draws them, so "x1" is no word of the text; a letter with its
digit then counts as no word at all (under two letters), and a word is still a word ("cos").
`words_kept` compares that with the reader's text, its headings included; a careful reading
keeps 0.98 or more.

    paragraphs = read_pdf(path)
    share = words_kept(body_words(path), reader_text(paragraphs))

The ingest report measures every PDF at the price of a count: `lines_words` takes the body
text from the page's text lines the reader has already rebuilt (less the same furniture and
contents pages) instead of a second extraction, which would take as long as the reading itself.
It sees every loss after the lines are built (footnotes, figures, headings, joining), not a word
broken inside a line; the tests measure against `body_words`.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ingest.models import Paragraph, TextKept
from ingest.pdf_file import open_pdf
from ingest.pdf_glyphs import clean_glyphs
from ingest.pdf_layout import TextLine, contents_pages, page_text_lines, strip_furniture
from ingest.pdf_runs import FontCache

_WORD = re.compile(r"[^\W_]{2,}")
_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u00ad\u2010\u2011]\s*(?=[^\W\d_])")
# Where letters and digits meet inside a word ("x1", "cos2", "e2πit"): an index or exponent.
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def text_words(text: str) -> Counter[str]:
    """Lower-case words of two or more letters or digits, glyphs normalised as the reader does,
    split where letters and digits meet."""
    text = _LETTER_DIGIT.sub(" ", _HYPHEN.sub("", clean_glyphs(text)))
    return Counter(_WORD.findall(text.lower()))


def reader_text(paragraphs: list[Paragraph]) -> str:
    """The reader's text: each paragraph, after the headings that start where it does."""
    parts: list[str] = []
    path: tuple[str, ...] = ()
    for paragraph in paragraphs:
        shared = 0
        while shared < min(len(path), len(paragraph.heading_path)) and (
            path[shared] == paragraph.heading_path[shared]
        ):
            shared += 1
        parts.extend(paragraph.heading_path[shared:])
        parts.append(paragraph.text)
        path = paragraph.heading_path
    return "\n".join(parts)


def body_words(path: Path, password: str | None = None) -> Counter[str]:
    """The words pypdf extracts from the PDF's pages, less page furniture and contents pages."""
    opened = open_pdf(path, password)
    fonts: FontCache = {}
    raw = [page_text_lines(page, fonts)[0] for page in opened.pages]
    cleaned, _ = strip_furniture(raw)
    skipped = contents_pages(cleaned)
    words: Counter[str] = Counter()
    for index, page in enumerate(opened.pages):
        if index in skipped:
            continue
        kept = {id(line) for line in cleaned[index]}
        furniture = Counter[str]()
        for line in raw[index]:
            if id(line) not in kept:
                furniture.update(text_words(line.text))
        words.update(text_words(page.extract_text()) - furniture)
    return words


def lines_words(cleaned: list[list[TextLine]], skipped: set[int]) -> Counter[str]:
    """The words of the pages' text lines less page furniture (`cleaned`, from
    `strip_furniture`), on every page but the `skipped` contents pages."""
    words: Counter[str] = Counter()
    for index, lines in enumerate(cleaned):
        if index not in skipped:  # a page at a time: a word hyphenated at a line end is one
            words.update(text_words("\n".join(line.text for line in lines)))
    return words


def text_kept(body: Counter[str], kept_text: str) -> TextKept:
    """How many of the body's words (counted with repeats) the kept text also has."""
    kept = text_words(kept_text)
    return TextKept(sum(body.values()), sum(min(count, kept[word]) for word, count in body.items()))


def words_kept(body: Counter[str], kept_text: str) -> float:
    """The share of the body's words (counted with repeats) that the kept text also has."""
    return text_kept(body, kept_text).share
