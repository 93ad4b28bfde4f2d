"""Concept sources resolved from the bibliography a build keeps, and the original PDFs it keeps
(issue 20), over a build of the test corpus with an S01 entry and a PDF document added."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ingest.models import SourceWork
from search.concept_view import source_reference
from tests.conftest import DATA, build_with_hashing, hashing_app
from tests.pdfs import write_layout_pdf
from tests.test_site_pages import html_of

BIBLIOGRAPHY_ADDITIONS = """
[[source]]
key = "S01"
title = "OSCE Guidebook Intelligence-Led Policing"
authors = ["OSCE Secretariat"]
year = 2017
url = "https://polis.osce.org/osce-guidebook-intelligenceled-policing"
"""

PDF_DOCUMENT = """
[[document]]
id = "handbook"
title = "Test Handbook"
kind = "guidebook"
authors = ["Test Ministry"]
year = 2019
language = "en"
file = "handbook.pdf"
"""


@pytest.fixture(scope="module")
def bib_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the test corpus whose bibliography also has S01, the key its concepts cite."""

    corpus = tmp_path_factory.mktemp("bib-corpus") / "corpus"
    shutil.copytree(DATA / "corpus", corpus)
    with (corpus / "sources.toml").open("a", encoding="utf-8") as handle:
        handle.write(BIBLIOGRAPHY_ADDITIONS)
    # A PDF whose printed page 1 is its third page (two front pages).
    write_layout_pdf(
        corpus / "handbook.pdf",
        [
            (
                "1. Tasking meetings",
                [
                    "The tasking and co-ordination group meets every week to set priorities. "
                    "It assigns resources to the problems that the analysts identified."
                ],
            ),
            ("2. Review", ["Each quarter the group reviews what its tasking achieved."]),
        ],
        page_offset=2,
    )
    with (corpus / "catalog.toml").open("a", encoding="utf-8") as handle:
        handle.write(PDF_DOCUMENT)
    return build_with_hashing(corpus, tmp_path_factory.mktemp("bib-instance"))


@pytest.fixture()
def bib_client(bib_instance: Path):

    app = hashing_app(bib_instance)
    return app.test_client()


# Concept sources


def test_concept_source_resolves_to_a_reference(bib_client, bib_instance):
    html = html_of(bib_client.get("/concepts/tasking-and-co-ordination-group"))
    assert "S01 p.55" not in html
    assert (
        '<a href="https://polis.osce.org/osce-guidebook-intelligenceled-policing" rel="noopener">'
        "OSCE Guidebook Intelligence-Led Policing (OSCE Secretariat, 2017), p. 55</a>"
    ) in html
    pack = html_of(bib_client.get("/concepts/tasking-and-co-ordination-group/pack"))
    assert "OSCE Guidebook Intelligence-Led Policing (OSCE Secretariat, 2017), p. 55" in pack


@pytest.mark.parametrize(
    ("source", "reference"),
    [
        ("S01 p.55", "Guidebook (OSCE, 2017), p. 55"),
        ("S01 pp.39\u201341, 70", "Guidebook (OSCE, 2017), pp. 39-41, 70"),
        ("S01 ch.3", "Guidebook (OSCE, 2017), chapter 3"),
        ("S01", "Guidebook (OSCE, 2017)"),
        ("S38a", "Study (Ratcliffe)"),
        ("S99 p.4", "S99 p.4"),  # not in the bibliography: kept as written
    ],
)
def test_source_reference(source: str, reference: str):
    works = {
        "S01": SourceWork("S01", "Guidebook", ("OSCE",), 2017, url="https://example.org/g"),
        "S38": SourceWork("S38", "Study", ("Ratcliffe",)),
    }
    assert source_reference(source, works).text == reference


# The original PDF


def test_document_reader_links_cited_pages_to_the_original_pdf(bib_client, bib_instance):
    html = html_of(bib_client.get("/documents/handbook"))
    assert '<a href="/documents/handbook.pdf">Original PDF</a>' in html
    # Printed page 1 is the PDF's third page.
    assert (
        '<a href="/documents/handbook.pdf#page=3" title="This page of the original PDF">p. 1</a>'
        in html
    )
    assert (
        '<a href="/documents/handbook.pdf#page=4" title="This page of the original PDF">p. 2</a>'
        in html
    )
    anchor = re.search(r'<section class="passage" id="([^"]+)"', html)
    assert anchor
    permalink = html_of(bib_client.get(f"/passages/{anchor[1]}"))
    assert '(<a href="/documents/handbook.pdf#page=3">in the original PDF</a>)' in permalink


def test_search_results_and_answer_card_link_cited_pages_to_the_original_pdf(bib_client):
    html = html_of(
        bib_client.get("/search?q=tasking+group+meets+every+week+priorities&document=handbook")
    )
    # The hit's printed page links to that page of the PDF (printed page 1 = PDF page 3) ...
    assert (
        '<span class="page"><a href="/documents/handbook.pdf#page=3" '
        'title="This page of the original PDF">p. 1</a></span>'
    ) in html
    # ... and so does the answer card's citation of a sentence from that page.
    card = html.split('<section class="answer', 1)[1].split("</section>", 1)[0]
    assert (
        '<a href="/documents/handbook.pdf#page=3" title="This page of the original PDF">PDF</a>'
        in card
    )
    # A document without a PDF in the build gets no PDF link.
    other = html_of(bib_client.get("/search?q=tasking+group&document=tasking-guide"))
    assert '<article class="hit"' in other and ".pdf#page=" not in other


def test_the_original_pdf_is_served_from_the_build(bib_client, bib_instance):
    response = bib_client.get("/documents/handbook.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    kept = next((bib_instance / "builds").glob("*/originals/handbook.pdf"))
    assert kept.read_bytes() == response.data


@pytest.mark.parametrize(
    "path",
    [
        "/documents/tasking-guide.pdf",
        "/documents/no-such-document.pdf",
        "/documents/..%2Fmanifest.pdf",
    ],
)
def test_no_pdf_where_the_build_keeps_none(bib_client, path):
    assert bib_client.get(path).status_code == 404


def test_a_document_without_a_pdf_has_no_pdf_links(bib_client):
    html = html_of(bib_client.get("/documents/tasking-guide"))
    assert ".pdf" not in html
