"""Plain-text helpers: whitespace normalisation, sentence splitting and the text-file reader."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.errors import IngestError
from ingest.models import Paragraph

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
# A sentence ends at . ! or ? followed by space and an upper-case letter, digit or opening quote.
# The look-behinds keep common abbreviations ("e.g.", "p.", "Vol.") and initials inside a sentence.
_SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!\be\.g)(?<!\bi\.e)(?<!\bp)(?<!\bpp)(?<!\bVol)(?<!\bNo)(?<!\bcf)(?<!\bet al)"
    r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bSt)(?<!\bvs)(?<!\bch)(?<!\bed)"
    r"[.!?][\"'\u201d\u2019)]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9\u0400-\u042f])"
)


def normalise_space(text: str) -> str:
    """Collapse runs of spaces and tabs; trim each line."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(lines).strip()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group(0).rstrip())
        spans.append((start, end))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in (_trim(text, s, e) for s, e in spans) if e > s]


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
