"""What users' documents say about themselves, and notices kept out of the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from ingest.document_metadata import detect_language, pdf_metadata
from ingest.models import DocumentMeta
from ingest.notices import is_notice, read_notices
from ingest.reader import read_document
from ingest.sources import collect
from tests.conftest import REPO

REAL_WORLD = Path(__file__).resolve().parents[2] / "shared" / "real-world"
GUIDEBOOK = REAL_WORLD / "osce-guidebook-ilp-2017.pdf"
VARIETY = REAL_WORLD / "pdf-variety"
BODY = (
    "Tasking meetings decide which problems the police work on first. The analyst presents "
    "the assessment and the managers agree on the actions, the owners and the deadlines. "
) * 3


def _pdf(path: Path, title_meta: str | None = None, author: str | None = None) -> Path:
    pdf = FPDF(format="A4")
    if title_meta:
        pdf.set_title(title_meta)
    if author:
        pdf.set_author(author)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 26)
    pdf.multi_cell(0, 12, "Handbook on Local Tasking")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, "(c) Test Police 2019")
    pdf.ln(4)
    pdf.multi_cell(0, 5, "All rights reserved. No part may be reproduced without permission.")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, BODY)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize(
    ("text", "notice"),
    [
        ("Vienna, June 2017 \u00a9 OSCE 2017", True),
        ("All rights reserved. The contents may be copied for non-commercial purposes.", True),
        ("Written for ILP Atlas in its own words. CC BY 4.0.", True),
        (
            "\u00a9 ОБСЕ 2017. Все права защищены.",
            True,
        ),
        ("The problem file maps one hotspot. Licensed under CC BY 4.0 by the team.", False),
        ("Licences for firearms are checked by the analyst. " * 20, False),
        ("Tasking meetings decide the priorities.", False),
    ],
)
def test_notices_are_told_from_body_text(text: str, notice: bool):
    assert is_notice(text) is notice


def test_notices_give_holder_year_and_terms():
    notice = read_notices(["Copyright 2019 Test Police", "Licensed under CC-BY-SA 4.0."])
    assert (notice.holder, notice.year, notice.licence) == ("Test Police", 2019, "CC BY-SA 4.0")


def test_pdf_metadata_wins_over_the_title_page(tmp_path: Path):
    found = pdf_metadata(_pdf(tmp_path / "a.pdf", "Local Tasking Handbook", "A. Author; B. Author"))
    assert (found["title"].value, found["title"].origin) == (
        "Local Tasking Handbook",
        "PDF metadata",
    )
    assert found["authors"].value == ("A. Author", "B. Author")


def test_title_page_and_copyright_notice_fill_what_the_metadata_lacks(tmp_path: Path):
    found = pdf_metadata(
        _pdf(tmp_path / "handbook-final-v3.pdf", title_meta="handbook-final-v3.docx")
    )
    assert (found["title"].value, found["title"].origin) == (
        "Handbook on Local Tasking",
        "title page",
    )
    assert (found["year"].value, found["year"].origin) == (2019, "copyright notice")
    assert found["authors"].value == ("Test Police",)
    assert found["licence"].value.startswith("All rights reserved.")
    assert found["language"].value == "en"


def test_a_loose_pdf_is_cited_by_what_it_says_and_its_notice_is_not_a_passage(tmp_path: Path):
    [meta] = collect([_pdf(tmp_path / "handbook-final-v3.pdf")])
    assert (meta.title, meta.year, meta.authors, meta.role) == (
        "Handbook on Local Tasking",
        2019,
        ("Test Police",),
        "original",
    )
    assert meta.origin_of("title") == "title page" and meta.origin_of("kind") == "default"
    document = read_document(meta)
    assert "reserved" not in document.text and "Test Police 2019" not in document.text
    assert "Tasking meetings decide" in document.text


def test_the_shipped_pdfs_licence_line_is_not_a_passage():
    path = REPO / "corpus" / "documents" / "uk-national-intelligence-model.pdf"
    document = read_document(DocumentMeta(id="nim", title="NIM", kind="research", path=path))
    assert "CC BY" not in document.text and "own words" not in document.text


def test_language_detection():
    assert detect_language("Der Vorgang ist nicht mit der und die Polizei " * 3)[0] == "de"
    assert detect_language("\u041f\u043e\u043b\u0438\u0446\u0438\u044f " * 20)[0] == "ru"
    assert detect_language("too short") is None


@pytest.mark.skipif(not GUIDEBOOK.is_file(), reason="shared/real-world is absent")
def test_the_real_guidebook_is_credited_to_the_osce_not_to_the_atlas():
    [meta] = collect([GUIDEBOOK])
    assert meta.title == "OSCE Guidebook Intelligence-Led Policing"
    assert (meta.authors, meta.year, meta.role) == (("OSCE",), 2017, "original")
    assert meta.licence.startswith("All rights reserved.") and "OSCE as the source" in meta.licence
    assert (meta.origin_of("title"), meta.origin_of("authors")) == (
        "title page",
        "copyright notice",
    )


@pytest.mark.skipif(not VARIETY.is_dir(), reason="shared/real-world is absent")
def test_a_latex_book_takes_title_author_and_language_from_its_metadata():
    found = pdf_metadata(VARIETY / "GeoTopo-komprimiert.pdf")
    assert found["title"].value == "Geometrie und Topologie"
    assert found["authors"].value == ("Martin Thoma",)
    assert found["language"].value == "de"
