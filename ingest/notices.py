"""Copyright and licence notices: metadata of a document, never passages of it.

A paragraph is a notice when it is short and every sentence of it speaks of rights, copying or
licences ("© OSCE 2017", "All rights reserved. The contents ... may be freely used and copied
for educational purposes ...", "Written for ILP Atlas in its own words. CC BY 4.0."). A body
paragraph that merely mentions a licence keeps its place in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text import sentence_spans

MAX_NOTICE_WORDS = 80
_NOTICE_SENTENCE = re.compile(
    r"\u00a9|\(c\)\s|\bcopyright\b|rights reserved|\blicen[cs]ed?\b|creative commons|"
    r"\bcc[ -]by\b|reproduc|\bcopied\b|non-commercial|in its own words|\bISBN\b|"
    r"все права защищены",  # "all rights reserved" in Russian
    re.IGNORECASE,
)
_CREATIVE_COMMONS = re.compile(r"\bCC[ -]BY(?:-(?:NC|SA|ND))*(?:[ -]\d\.\d)?\b", re.IGNORECASE)
_NOTICE_START = re.compile(r"\u00a9|\(c\)\s|\bcopyright\b|all rights reserved", re.IGNORECASE)
_TERMS = re.compile(r"rights reserved|reproduc|copied|licen[cs]|non-commercial", re.IGNORECASE)
_HOLDER_YEAR = re.compile(
    r"(?:\u00a9|\(c\)|copyright)\s*(?:(?P<year1>(?:19|20)\d{2})\s+(?P<holder1>[^\d.,;\n]{2,60})"
    r"|(?P<holder2>[^\d.,;\n]{2,60}?)\s+(?P<year2>(?:19|20)\d{2}))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Notice:
    """What a document's notices say: the rights holder, the year, and the licence terms."""

    holder: str = ""
    year: int | None = None
    licence: str = ""


def is_notice(text: str) -> bool:
    """Whether a paragraph is a copyright or licence notice and nothing else."""
    words = text.split()
    if not words or len(words) > MAX_NOTICE_WORDS:
        return False
    sentences = [text[start:end] for start, end in sentence_spans(text)] or [text]
    return all(_NOTICE_SENTENCE.search(sentence) for sentence in sentences)


def notice_sentences(text: str) -> list[str]:
    """The sentences of a page's raw text that are notices, lines and hyphenation rejoined."""
    text = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text)
    # A notice often follows a line with no full stop ("Vienna, June 2017"): start it afresh.
    text = _NOTICE_START.sub(lambda match: "\n\n" + match.group(0), text)
    text = "\n\n".join(" ".join(block.split()) for block in text.split("\n\n"))
    return [
        text[start:end]
        for start, end in sentence_spans(text)
        if _NOTICE_SENTENCE.search(text[start:end]) and len(text[start:end].split()) <= 60
    ]


def read_notices(paragraphs: list[str]) -> Notice:
    """The holder, year and licence stated by the notice paragraphs among `paragraphs`."""
    notices = [" ".join(text.split()) for text in paragraphs if is_notice(text)]
    holder, year = "", None
    for text in notices:
        match = _HOLDER_YEAR.search(text)
        if match:
            holder = (match.group("holder1") or match.group("holder2") or "").strip()
            year = int(match.group("year1") or match.group("year2"))
            break
    return Notice(holder, year, _licence_terms(notices))


def _licence_terms(notices: list[str]) -> str:
    for text in notices:
        licence = _CREATIVE_COMMONS.search(text)
        if licence:
            named = re.sub(r"^CC[ -]BY", "CC BY", licence.group(0).upper())
            return re.sub(r"[ -](\d\.\d)$", r" \1", named)
    terms = [
        text[start:end].strip()
        for text in notices
        for start, end in sentence_spans(text)
        if _TERMS.search(text[start:end])
    ]
    return " ".join(terms)[:400]
