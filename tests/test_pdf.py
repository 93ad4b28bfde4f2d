"""PDF reading on generated PDFs with a known layout (real Guidebook: test_real_guidebook.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.errors import IngestError
from ingest.models import DocumentMeta
from ingest.pdf import FOOTNOTES, read_pdf
from ingest.reader import read_document
from tests.pdfs import (
    RUNNING_HEADER,
    Heading,
    Note,
    Text,
    set_page_labels,
    write_blank_pdf,
    write_layout_pdf,
    write_pdf,
)

LONG = (
    "Analysts collect and evaluate information from many sources before they write an "
    "assessment for the managers who decide on priorities and resources. "
)
CHAPTERS = [
    ("1. Contemporary policing models", [LONG * 2, "The first chapter ends here."]),
    (
        "2. The criminal intelligence process",
        [
            "Managers often face con-\nflicting demands on their time and budgets.",
            "Regular co-ordination is needed. Good co-\nordination saves time. " + LONG,
        ],
    ),
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


BANNER = "RESTRICTED SIDE BANNER"
FOOTNOTE = "The Home Office first introduced the concept in 1993."
WRAPPED_TITLE = "2. A deliberately long chapter title that wraps onto a second line"
RICH_PAGES = [
    [Heading("Preface", 18), Text(LONG)],
    [
        Heading("1. Policing models", 18),
        Text("Intelligence-led policing is a recent model.[^1] " + LONG),
        Text(
            "An intelligence- led approach helps. Managers often face con-\n"
            "flicting demands on their time."
        ),
        Heading("Background", 14),
        Text(LONG),
        Heading("Details", 12),
        Text(LONG),
        Note(1, FOOTNOTE),
    ],
    [
        Heading(WRAPPED_TITLE, 18),
        Text("Budgets limit the available resources.2 " + LONG),
        Note(2, "Ministry of Interior, Handbook on the police intelligence model (2016)."),
    ],
]


@pytest.fixture()
def rich_pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "rich.pdf", RICH_PAGES, page_offset=2, banner=BANNER)


def _body(paragraphs: list) -> str:
    return "\n".join(p.text for p in paragraphs if p.heading_path[-1:] != (FOOTNOTES,))


def test_side_banner_is_removed(rich_pdf: Path):
    text = "\n".join(p.text for p in read_pdf(rich_pdf))
    assert BANNER.lower() not in text.lower()
    assert RUNNING_HEADER.lower() not in text.lower()


def test_font_size_headings_give_levels(rich_pdf: Path):
    paths = {p.heading_path for p in read_pdf(rich_pdf)}
    assert ("Preface",) in paths
    assert ("1. Policing models", "Background", "Details") in paths
    assert (WRAPPED_TITLE,) in paths  # two printed lines, one heading


def test_footnotes_leave_the_body_text(rich_pdf: Path):
    paragraphs = read_pdf(rich_pdf)
    body = _body(paragraphs)
    assert FOOTNOTE not in body and "Ministry of Interior" not in body
    assert "a recent model. Analysts" in body  # the superscript marker is gone
    assert "available resources. Analysts" in body  # an inline marker too
    notes = [p for p in paragraphs if p.heading_path[-1:] == (FOOTNOTES,)]
    assert [p.text for p in notes][0] == f"1 {FOOTNOTE}"
    assert notes[0].heading_path[0] == "1. Policing models" and notes[0].page == "2"


def test_hyphen_spacing_is_mended_where_the_document_spells_it(rich_pdf: Path):
    body = _body(read_pdf(rich_pdf))
    assert "An intelligence-led approach" in body
    assert "face conflicting demands" in body


def test_numbered_bold_headings_without_outline(tmp_path: Path):
    pages = [
        [
            Heading("3. Analysis", 11),
            Text(LONG),
            Heading("3.1 Strategic analysis", 11),
            Text(LONG),
            Heading("3.2 Operational analysis", 11),
            Text("1. Numbered list item in a paragraph."),
            Text(LONG),
        ]
    ]
    paths = [p.heading_path for p in read_pdf(write_pdf(tmp_path / "numbered.pdf", pages))]
    assert paths == [
        ("3. Analysis",),
        ("3. Analysis", "3.1 Strategic analysis"),
        ("3. Analysis", "3.2 Operational analysis"),
        ("3. Analysis", "3.2 Operational analysis"),
    ]


def test_junk_page_labels_fall_back_to_printed_numbers(layout_pdf: Path):
    set_page_labels(layout_pdf, [(0, 1, "/D", "", 1), (2, 4, "/D", "Abs1:", 1)])
    pages = {p.heading_path[0]: p.page for p in read_pdf(layout_pdf)}
    assert pages[CHAPTERS[1][0]] == "2"  # PDF page 4, printed page 2


def test_page_labels_that_match_the_printed_numbers_are_used(layout_pdf: Path):
    set_page_labels(layout_pdf, [(0, 1, "/r", "", 1), (2, 4, "/D", "", 1)])
    assert {p.page for p in read_pdf(layout_pdf)} == {"1", "2", "3"}
    reader_labels = PdfReader(layout_pdf).page_labels
    assert list(reader_labels[:2]) == ["i", "ii"]


def test_contents_spanning_two_pages_is_not_indexed(tmp_path: Path):
    entries = [Text("\n".join(f"{n}. Chapter number {n} ........ {n * 3}" for n in range(1, 25)))]
    pages = [
        [Heading("Contents", 18), *entries],
        entries,
        [Heading("1. Real chapter", 18), Text(LONG)],
    ]
    paragraphs = read_pdf(write_pdf(tmp_path / "toc2.pdf", pages))
    assert all("........" not in p.text for p in paragraphs)
    assert {p.heading_path for p in paragraphs} == {("1. Real chapter",)}


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: write_blank_pdf(path), "no text"),
        (lambda path: path.write_bytes(b""), "empty"),
        (
            lambda path: path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8),
            "not a readable PDF",
        ),
    ],
)
def test_unreadable_pdfs_raise_one_clear_error(tmp_path: Path, make, reason: str):
    path = tmp_path / "bad.pdf"
    make(path)
    with pytest.raises(IngestError, match=reason) as error:
        read_document(DocumentMeta(id="bad", title="Bad", kind="research", path=path))
    assert "bad.pdf" in str(error.value)
