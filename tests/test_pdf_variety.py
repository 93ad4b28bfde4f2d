"""The PDF reader on PDFs of many makes (../shared/real-world/pdf-variety, py-pdf/sample-files).

Each rule is tested on its own in test_pdf.py with a generated PDF; here the same rules meet
third-party files: pdfTeX books and articles, office and Google Docs exports, a damaged file and
an encrypted one. The module skips when the shared folder is absent (a fresh clone).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from ingest.errors import IngestError
from ingest.models import Paragraph
from ingest.pdf import read_pdf
from ingest.pdf_headings import heading_key
from ingest.pdf_navigation import outline_titles
from ingest.pdf_text_kept import body_words, reader_text, words_kept

VARIETY = Path(__file__).resolve().parents[2] / "shared" / "real-world" / "pdf-variety"
if not VARIETY.is_dir():
    pytest.skip(
        f"{VARIETY} is absent (a fresh clone has no shared/ folder)", allow_module_level=True
    )

PASSWORD_PDF = "libreoffice-writer-password.pdf"
PASSWORD = "openpassword"  # as the sample collection documents it
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


@cache
def paragraphs(name: str) -> list[Paragraph]:
    return read_pdf(VARIETY / name, password=PASSWORD if name == PASSWORD_PDF else None)


def text_of(name: str) -> str:
    return reader_text(paragraphs(name))


def test_ligatures_are_spelled_out():
    crazy = text_of("crazyones-pdfa.pdf")
    assert "The misfits." in crazy and "see things differently" in crazy
    assert "0. Auflage, 31. Dezember 2016" in text_of("GeoTopo-komprimiert.pdf")
    for name in ("crazyones-pdfa.pdf", "GeoTopo-komprimiert.pdf", "multicolumn.pdf"):
        assert not re.search("[\ufb00-\ufb06]", text_of(name)), name


def test_private_use_glyphs_are_dropped():
    google = text_of("google-doc-document.pdf")
    assert "Indonesia | Germany | Austria | France | Vatican" in google  # flags dropped
    for name in ("google-doc-document.pdf", "GeoTopo-komprimiert.pdf"):
        assert not _PRIVATE_USE.search(text_of(name)), name


@pytest.mark.parametrize("name", ["pdflatex-outline.pdf", "mistitled_outlines_example.pdf"])
def test_sections_are_headings_with_their_printed_numbers(name: str):
    # pdflatex-outline's outline says "Foo" where the page says "1 Foo"; the mistitled one's
    # outline names no printed heading at all, so the layout gives the headings.
    blocks = paragraphs(name)
    assert all(block.heading_path for block in blocks)
    titles = [block.heading_path[0] for block in blocks]
    assert list(dict.fromkeys(titles)) == [
        f"{number} {title}" for number, title in enumerate(["Foo", "Bar", "Baz"] * 3, start=1)
    ]


def test_every_numbered_section_of_geotopo_is_a_heading():
    outline = outline_titles(PdfReader(VARIETY / "GeoTopo-komprimiert.pdf"))
    numbered = {title for _, title in outline if title[0].isdigit()}
    found = {
        title for block in paragraphs("GeoTopo-komprimiert.pdf") for title in block.heading_path
    }
    assert {heading_key(title) for title in numbered} <= {heading_key(title) for title in found}
    # Chapter 5 holds its own sections (it used to be missed, leaving them under chapter 4).
    paths = {block.heading_path[:2] for block in paragraphs("GeoTopo-komprimiert.pdf")}
    assert ("5 Krümmung", "5.4 Erste und zweite Fundamentalform") in paths
    assert not any(len(path) == 2 and path[0][0] == "4" and path[1][0] == "5" for path in paths)


def test_geotopo_front_matter_keeps_its_roman_page_labels():
    blocks = paragraphs("GeoTopo-komprimiert.pdf")
    front = list(dict.fromkeys(block.page for block in blocks[:20]))
    assert front[:3] == ["i", "ii", "iii"]
    edition = [block for block in blocks if block.text.startswith("0. Auflage")]
    assert edition and edition[0].page == "i"
    assert {
        block.page
        for block in blocks
        if block.heading_path[:1] == ("1 Topologische Grundbegriffe",)
    } >= {"3", "4"}


def test_geotopo_contents_pages_are_skipped():
    text = text_of("GeoTopo-komprimiert.pdf")
    assert ". . . ." not in text
    assert "Inhaltsverzeichnis" not in text


def test_the_password_pdf_opens_with_its_password():
    assert text_of(PASSWORD_PDF).startswith("Lorem ipsum dolor sit amet")


@pytest.mark.parametrize(
    ("password", "message"),
    [(None, "needs a password"), ("not the password", "the password given is wrong")],
)
def test_the_password_pdf_fails_clearly_without_its_password(password, message):
    with pytest.raises(IngestError, match=f"^{PASSWORD_PDF}: the PDF is encrypted and {message}"):
        read_pdf(VARIETY / PASSWORD_PDF, password=password)


def test_a_pdf_with_a_damaged_page_tree_still_gives_its_text():
    # Its /Pages object is missing; the page objects are found in the file itself.
    text = text_of("unreadablemetadata.pdf")
    assert "Rotary Potentiometer" in text
    assert "\u2022 Dust-proof construction\n\u2022 Precision linearity" in text


def test_two_columns_are_read_left_column_first():
    text = text_of("multicolumn.pdf")
    # A sentence running down the left column comes out whole ...
    assert (
        "Lorem ipsum dolor sit amet, consectetuer adipiscing elit. Ut purus elit, vestibulum ut, "
        "placerat ac, adipiscing vitae, felis. Curabitur dictum gravida mauris."
    ) in text
    # ... and the left column's last sentence goes on at the top of the right column.
    assert "Vivamus viverra fermentum felis. Donec nonummy pellentesque ante." in text


def test_table_rows_stay_rows():
    lines = text_of("google-doc-document.pdf").split("\n")
    assert "Continent | Asia | Europe" in lines
    assert "Capital | Jakarta | Berlin | Vienna | Paris | Vatican City" in lines
    assert "Population | 273.879.750 | 83,190,556 | 8,935,112 | 67,413,000 | 453" in lines
    assert not any("Europe" in line and "Capital" in line for line in lines)


@pytest.mark.parametrize("name", sorted(path.name for path in VARIETY.glob("*.pdf")))
def test_the_reader_keeps_the_body_text(name: str):
    # GeoTopo, a mathematics book, measured 0.986 (0.963 before its running headers, indices
    # and figure-part captions were read right and letters were split from their digits).
    password = PASSWORD if name == PASSWORD_PDF else None
    kept = words_kept(body_words(VARIETY / name, password), text_of(name))
    assert kept >= 0.98


def test_geotopo_running_headers_are_furniture_even_next_to_figures():
    # "18 1.6. WEGE UND KNOTEN": the header names the section, so its text changes with it.
    for block in paragraphs("GeoTopo-komprimiert.pdf"):
        assert not re.search(r"\b\d+ \d\.\d\. [A-ZÄÖÜ]{4}", block.text), block
        assert not re.match(r"\d+ (?:Lösungen der Übungsaufgaben|Symbolverzeichnis)", block.text)


def test_geotopo_formulas_keep_their_symbols_in_order_and_indices_on_them():
    text = text_of("GeoTopo-komprimiert.pdf")
    assert "„Standardtopologie des Rn“" in text  # the "R" was placed after its exponent
    assert "so sind πX und πY stetig" in text and "Umgebung U von x ein n0 gibt" in text
    assert "Inverse Fj1 hat" in text  # "F" with "j" under and "-1" over it


def test_geotopo_figure_parts_keep_their_captions():
    figures = [
        block.text for block in paragraphs("GeoTopo-komprimiert.pdf") if block.kind != "text"
    ]
    assert any("(a) Kreis mit zwei Wegen (b) Torus mit drei Wegen" in text for text in figures)
    assert any("Mittelpunkt und in einer Seite." in text for text in figures)


def test_footnotes_in_type_a_point_under_the_body_are_footnotes():
    # Google Docs sets its notes in 10 pt under 11 pt text, each after a raised number.
    notes = [
        p.text
        for p in paragraphs("google-doc-document.pdf")
        if p.heading_path[-1:] == ("Footnotes",)
    ]
    assert notes == ["1 2021 estimate", "2 2020 estimate", "3 2020 estimate"]
    body = [p for p in paragraphs("google-doc-document.pdf") if "Footnotes" not in p.heading_path]
    assert not any("estimate" in p.text for p in body)
    # pdfTeX's raised note numbers on a book page, with the running header below them kept apart.
    geotopo = paragraphs("GeoTopo-komprimiert.pdf")
    [note] = [p for p in geotopo if "Knot Theory and Its Applications" in p.text]
    assert note.heading_path[-1] == "Footnotes" and note.text.startswith("5 Siehe")
    assert note.page == "22"
