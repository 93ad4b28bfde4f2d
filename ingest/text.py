"""Plain-text helpers: whitespace normalisation, sentence splitting and the text-file reader."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.errors import IngestError
from ingest.models import Paragraph

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
# A candidate sentence end: . ! ? or an ellipsis, closing quotes or brackets, space, then what
# can open a sentence (an upper-case letter, a digit, an opening quote or bracket).
_CANDIDATE_END = re.compile(
    r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018\u00ab(\[]?[A-Z0-9\u0400-\u042f])"
)
# The word before a full stop that does not end a sentence: abbreviations of citations and
# titles, in English and Russian (compared in lower case). "etc." is left out: it usually ends one.
ABBREVIATIONS = frozenset(
    """
    e.g i.e eg ie cf vs al p pp para paras no nos vol vols ch chap ed eds fig figs art sec
    approx dept govt mr mrs ms dr prof st jr sr gen col lt sgt insp supt det cmdr inc ltd co
    jan feb mar apr jun jul aug sep sept oct nov dec
    т.е т.н т.ч см с стр гл г гг рис табл п пп ст ч др им ул проф акад напр англ рус
    """.split()
)
# Like "etc.", "и т. д." and "и т. п." usually end a sentence.
ENDING_ABBREVIATIONS = frozenset({"т.д", "т.п"})
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
# The number of a numbered item at the start of its line: "1. Leading and steering", "12. Корупция".
_ITEM_NUMBER = re.compile(r"\s*\d{1,2}")
_LINE = re.compile(r"[^\n]+")
# A citation in brackets standing alone after a full stop: "... the most important message
# comes first. (OSCE Guidebook 2017, p. 39)." It cites the sentence before, so it is part of
# that sentence. A bracketed sentence, its full stop inside ("(A detailed description is given
# in Chapter 6.)"), is a sentence of its own (often a pointer elsewhere); a citation may still
# end on an abbreviation ("(Ratcliffe et al.).", "(OSCE 2017, p. 39 ff.).").
_CITATION_END = r"(?:[^()\[\]\n.!?]|\b(?:al|ff|f|pp?|ed|eds)\.)"
_BRACKETED = re.compile(
    rf"\([^()\n]{{0,159}}{_CITATION_END}\)\.?|\[[^\[\]\n]{{0,159}}{_CITATION_END}\]\.?"
)


# How the readers write a table row: its cells joined by this, a row a line (html.py,
# markdown.py); the answer card reads the rows back with their column names.
CELL_SEPARATOR = " | "


def normalise_space(text: str) -> str:
    """Collapse runs of spaces and tabs; trim each line."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(lines).strip()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, trimmed of surrounding whitespace.

    Every line break ends a sentence: inside a block only list items and table rows are on
    lines of their own, and each of them is a unit of its own.
    A full stop does not end a sentence after the number of a numbered item ("1. Leading ..."),
    after an abbreviation ("e.g.", "p.", "pp.", "No.", "т. е.",
    "см."), after a single letter (initials: "J. H. Ratcliffe", "А. С. Петров") or inside
    brackets that close soon after ("(Ratcliffe 2008, p. 248)"); "!" and "?" always do, outside
    brackets. A bracket group after a full stop ("... first. (OSCE Guidebook 2017, p. 39).")
    belongs to the sentence before it.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):  # a line break always ends one: list items, table rows
        start, stop = line.span()
        first = len(spans)  # a bracket group joins a sentence of its own line only
        for match in _CANDIDATE_END.finditer(text, start, stop):
            end = match.start() + len(match.group(0).rstrip())  # after any closing bracket
            if _continues(text, start, match.start(), end):
                continue
            _add(spans, first, text, start, end)
            start = match.end()
        _add(spans, first, text, start, stop)
    return [(s, e) for s, e in spans if e > s]


def _add(spans: list[tuple[int, int]], first: int, text: str, start: int, end: int) -> None:
    """Append the trimmed sentence `text[start:end]`, or, when it is a bracket group alone and a
    sentence of the same line (from index `first`) comes before it, extend that sentence."""
    start, end = _trim(text, start, end)
    if len(spans) > first and _BRACKETED.fullmatch(text, start, end):
        spans[-1] = (spans[-1][0], end)
    else:
        spans.append((start, end))


def _continues(text: str, start: int, stop: int, end: int) -> bool:
    """True when the punctuation at `stop` (with the closing quotes or brackets after it, up to
    `end`) does not end the sentence that began at `start`: a bracket still open at `end` keeps
    it going, one closed by then ("(Chapter 6 describes them.) Next.") does not."""
    if _inside_brackets(text, start, end):
        return True
    if text[stop] != ".":
        return False
    if _ITEM_NUMBER.fullmatch(text, start, stop):
        return True  # "1." of a numbered item, not a sentence of its own
    word = _WORD_BEFORE.search(text, max(start, stop - 12), stop + 1)
    if not word:
        return False
    token = word.group(1).lower()
    # "т. д.": the word before the stop is "д", the one before it "т."
    previous = text[max(start, stop - 16) : word.start(1)].rstrip().rsplit(" ", 1)[-1].lower()
    if token in ENDING_ABBREVIATIONS or f"{previous}{token}" in ENDING_ABBREVIATIONS:
        return False
    last = token.rsplit(".", 1)[-1]
    if len(last) == 1 and last.isalpha():
        # An initial, or the last letter of "U.K." or "т. е.". (So "in the U.K. The" and
        # "graded B. Information" stay one sentence: rarer than initials in these texts.)
        return True
    return token in ABBREVIATIONS


def _inside_brackets(text: str, start: int, stop: int, reach: int = 120) -> bool:
    """True when a bracket opened in the sentence so far closes within `reach` characters."""
    opened: list[str] = []
    for character in text[start:stop]:
        if character in "([":
            opened.append(")" if character == "(" else "]")
        elif opened and character == opened[-1]:
            opened.pop()
    if not opened:
        return False
    # Inside only if the next bracket ahead closes this one: an unclosed "(" must not swallow
    # the sentences after it up to some later bracket pair.
    ahead = next((c for c in text[stop : stop + reach] if c in "()[]"), None)
    return ahead == opened[-1]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 or UTF-16 (by BOM), falling back to cp1252 for legacy files; else refuse."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise IngestError(f"{path.name}: broken UTF-16 text ({error})") from error
    if b"\x00" in data[:4096]:
        raise IngestError(f"{path.name}: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise IngestError(
            f"{path.name}: the text is neither UTF-8 nor Windows-1252 "
            f"({error.reason} at byte {error.start}); re-save it as UTF-8"
        ) from error
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.01 * len(text):
        raise IngestError(f"{path.name}: binary data, not text")
    return text


def read_text_file(path: Path) -> list[Paragraph]:
    """Read a plain-text file: paragraphs are separated by blank lines; no headings."""
    text = decode_text(path.read_bytes(), path)
    return [
        Paragraph(normalise_space(chunk).replace("\n", " "), ())
        for chunk in re.split(r"\n\s*\n", text)
        if chunk.strip()
    ]
