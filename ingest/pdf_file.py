"""Opening a PDF file: passwords, and pages that a damaged file still holds.

An encrypted PDF opens with the password given, or with the empty password that many
"protected" files carry (AES needs the `cryptography` package). A PDF whose page tree is damaged
(a missing /Pages object, a broken cross-reference table) is read from the page objects found in
the file itself, in the order they are stored. Every failure is one `IngestError` naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, PdfReadError
from pypdf.generic import DictionaryObject, IndirectObject

from ingest.errors import IngestError

MAX_SCANNED_OBJECTS = 200_000  # a recovery scan reads every object; stop at absurd files


@dataclass(frozen=True)
class OpenedPdf:
    """A readable PDF and its pages, in reading order."""

    reader: PdfReader
    pages: tuple[PageObject, ...]
    recovered: bool = False  # the page tree was damaged; pages were found by scanning the file


def open_pdf(path: Path, password: str | None = None) -> OpenedPdf:
    """Open `path`, decrypting it with `password` (or the empty one), or raise `IngestError`."""
    try:
        reader = PdfReader(path)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise IngestError(f"{path.name}: not a readable PDF ({error})") from error
    if reader.is_encrypted:
        _decrypt(reader, path, password)
    try:
        pages: tuple[PageObject, ...] = tuple(reader.pages)
    except Exception as error:  # pypdf raises assorted errors on a damaged page tree
        pages = _scan_pages(reader)
        if not pages:
            raise IngestError(f"{path.name}: not a readable PDF ({error})") from error
        return OpenedPdf(reader, pages, recovered=True)
    if not pages:
        pages = _scan_pages(reader)  # an empty page tree: the pages may still be in the file
        if not pages:
            raise IngestError(f"{path.name}: the PDF has no pages")
        return OpenedPdf(reader, pages, recovered=True)
    return OpenedPdf(reader, pages)


def _decrypt(reader: PdfReader, path: Path, password: str | None) -> None:
    try:
        opened = reader.decrypt(password if password is not None else "")
    except DependencyError as error:
        raise IngestError(
            f"{path.name}: the PDF is encrypted with AES; install the 'cryptography' package"
        ) from error
    except Exception as error:  # pypdf raises assorted errors on damaged encryption data
        raise IngestError(
            f"{path.name}: the PDF is encrypted and cannot be opened ({error})"
        ) from error
    if opened:
        return
    if password is None:
        raise IngestError(f"{path.name}: the PDF is encrypted and needs a password to open")
    raise IngestError(f"{path.name}: the PDF is encrypted and the password given is wrong")


def _scan_pages(reader: PdfReader) -> tuple[PageObject, ...]:
    """The page objects stored in the file, in file order, when the page tree cannot be read."""
    found: list[tuple[int, PageObject]] = []
    scanned = 0
    for generation, objects in reader.xref.items():
        for number, offset in objects.items():
            scanned += 1
            if scanned > MAX_SCANNED_OBJECTS:
                break
            reference = IndirectObject(number, generation, reader)
            try:
                target = reference.get_object()
            except Exception:  # a damaged object is simply not a page we can read
                continue
            if isinstance(target, DictionaryObject) and target.get("/Type") == "/Page":
                page = PageObject(reader, reference)
                page.update(target)
                found.append((offset, page))
    return tuple(page for _, page in sorted(found, key=lambda item: item[0]))
