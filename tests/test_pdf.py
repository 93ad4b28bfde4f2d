"""PDF reading on generated PDFs with a known layout, and on the real Guidebook when present."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.errors import IngestError
from ingest.models import DocumentMeta
from ingest.pdf import read_pdf
from ingest.reader import read_document
from tests.pdfs import RUNNING_HEADER, write_layout_pdf

LONG = ("Analysts collect and evaluate information from many sources before they write an "
        "assessment for the managers who decide on priorities and resources. ")
CHAPTERS = [
    ("1. Contemporary policing models", [LONG * 2, "The first chapter ends here."]),
    ("2. The criminal intelligence process", [
        "Managers often face con-\nflicting demands on their time and budgets.",
        "Regular co-ordination is needed. Good co-\nordination saves time. " + LONG,
    ]),
    ("3. Implementing the model", [LONG]),
]


@pytest.fixture()
def layout_pdf(tmp_path: Path) -> Path:
    return write_layout_pdf(tmp_path / "layout.pdf", CHAPTERS, page_offset=2)


def test_running_header_and_page_numbers_are_removed(layout_pdf: Path):
    text = "\n".join(p.text for p in read_pdf(layout_pdf))
    assert RUNNING_HEADER not in text
    assert "\n1\n" not in f"\n{text}\n" and "\n3\n" not in f"\n{text}\n"


def test_printed_page_labels_are_detected(layout_pdf: Path):
    paragraphs = read_pdf(layout_pdf)
    chapter_two = [p for p in paragraphs if p.heading_path[:1] == (CHAPTERS[1][0],)]
    assert {p.page for p in chapter_two} == {"2"}  # PDF page 4 carries printed page 2


def test_numbered_headings_become_the_heading_path(layout_pdf: Path):
    paths = {p.heading_path for p in read_pdf(layout_pdf) if p.heading_path}
    assert {path[0] for path in paths} == {title for title, _ in CHAPTERS}


def test_outline_headings_are_used_when_present(tmp_path: Path):
    pdf = write_layout_pdf(tmp_path / "outline.pdf", CHAPTERS, outline=True)
    paths = {p.heading_path[0] for p in read_pdf(pdf) if p.heading_path}
    assert paths == {title for title, _ in CHAPTERS}


def test_line_end_hyphenation_is_rejoined(layout_pdf: Path):
    text = " ".join(p.text for p in read_pdf(layout_pdf))
    assert "conflicting demands" in text
    assert "con- flicting" not in text and "con-flicting" not in text
    # "co-ordination" is spelled with a hyphen elsewhere in the document, so it keeps it.
    assert "Good co-ordination saves time" in text


def test_contents_page_is_not_indexed(tmp_path: Path):
    pdf = write_layout_pdf(tmp_path / "toc.pdf", CHAPTERS, contents_page=True)
    text = " ".join(p.text for p in read_pdf(pdf))
    assert "........" not in text and "Contents" not in text


def test_encrypted_pdf_is_refused_clearly(tmp_path: Path, layout_pdf: Path):
    writer = PdfWriter(clone_from=PdfReader(layout_pdf))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    meta = DocumentMeta(id="locked", title="Locked", kind="research", path=locked)
    with pytest.raises(IngestError, match="encrypted"):
        read_document(meta)


def test_truncated_pdf_is_refused_clearly(tmp_path: Path, layout_pdf: Path):
    broken = tmp_path / "truncated.pdf"
    broken.write_bytes(layout_pdf.read_bytes()[:300])
    meta = DocumentMeta(id="broken", title="Broken", kind="research", path=broken)
    with pytest.raises(IngestError, match="truncated.pdf"):
        read_document(meta)
