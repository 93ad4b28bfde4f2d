"""PDF reading on generated PDFs with a known layout (real Guidebook: test_real_guidebook.py).

Over 300 lines: every rule of the PDF reader (ingest/pdf*.py) is tested here on a PDF made for
it, and the rules are many; real third-party PDFs are in test_pdf_variety.py.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.errors import IngestError
from ingest.models import DocumentMeta
from ingest.pdf import FOOTNOTES, read_pdf
from ingest.pdf_glyphs import clean_glyphs
from ingest.pdf_lines import lines_from_runs
from ingest.pdf_runs import Run
from ingest.pdf_text_kept import body_words, reader_text, words_kept
from ingest.pdf_words import join_lines, tidy_punctuation
from ingest.reader import read_document
from tests.pdfs import (
    RUNNING_HEADER,
    Heading,
    Note,
    Text,
    set_page_labels,
    write_blank_pdf,
    write_layout_pdf,
    write_letter_spaced_pdf,
    write_pdf,
    write_placed_lines_pdf,
    write_table_pdf,
    write_tj_spaced_pdf,
    write_two_column_pdf,
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


def test_letter_spaced_words_come_out_whole(tmp_path: Path):
    # Letters a sixth of an em apart: pypdf's own text has a space between every two letters.
    lines = [
        ("The report was produced by the National Police", 0.17),
        ("Normal words keep their spaces", 0.0),
        ("Signed on 30/07/2023 at noon", 0.17),
    ]
    pdf = write_letter_spaced_pdf(tmp_path / "spaced.pdf", lines)
    assert "p r o d u c e d" in PdfReader(pdf).pages[0].extract_text()
    assert [p.text for p in read_pdf(pdf)] == [text for text, _ in lines]


def test_letter_spacing_inside_a_tj_array_does_not_split_words(tmp_path: Path):
    pdf = write_tj_spaced_pdf(tmp_path / "tj.pdf", ["produced", "coordinated", "repeat"], 140, 600)
    assert [p.text for p in read_pdf(pdf)] == ["produced coordinated repeat"]


ROWS = [
    ["Country", "Capital", "Population"],
    ["Austria", "Vienna", "9,100,000"],
    ["Germany", "Berlin", "84,000,000"],
]


def test_table_rows_stay_rows_with_their_cells_apart(tmp_path: Path):
    pdf = write_table_pdf(tmp_path / "table.pdf", "The table lists capitals.", ROWS, "See notes.")
    texts = [p.text for p in read_pdf(pdf)]
    assert texts == [
        "The table lists capitals.",
        "\n".join(" | ".join(row) for row in ROWS),
        "See notes.",
    ]


LEFT = (
    "The left column tells one story about analysts who collect and evaluate information from "
    "many sources before they write an assessment for the managers, and this sentence runs all "
    "the way down the left column of the page until it reaches the very end of the column. "
)
RIGHT = (
    "The right column is about something else entirely: budgets, training and the time it "
    "takes to build trust between police services and the communities that they serve. "
)


def test_two_columns_are_read_one_after_the_other(tmp_path: Path):
    pdf = write_two_column_pdf(tmp_path / "columns.pdf", "Two columns", LEFT * 2, RIGHT * 2)
    texts = [p.text for p in read_pdf(pdf)]
    assert texts == ["Two columns", (LEFT * 2).strip(), (RIGHT * 2).strip()]


def test_single_column_page_keeps_its_order(layout_pdf: Path):
    text = " ".join(p.text for p in read_pdf(layout_pdf))
    assert "Good co-ordination saves time. Analysts collect" in text


def test_outline_titles_match_printed_headings_with_their_numbers(tmp_path: Path):
    pages = [
        [Heading("1 Policing models", outline_level=0, outline_title="Policing models")],
        [Heading("2 Analysis", outline_level=0, outline_title="Analysis")],
    ]
    pages = [[*page, Text(LONG)] for page in pages]
    paths = [p.heading_path for p in read_pdf(write_pdf(tmp_path / "numbered.pdf", pages))]
    assert paths == [("1 Policing models",), ("2 Analysis",)]


def test_an_outline_that_names_no_printed_heading_gives_way_to_the_layout(tmp_path: Path):
    pages = [
        [Heading("1 Policing models", outline_level=0, outline_title="First"), Text(LONG)],
        [Heading("2 Analysis", outline_level=0, outline_title="Second"), Text(LONG)],
    ]
    paths = [p.heading_path for p in read_pdf(write_pdf(tmp_path / "mistitled.pdf", pages))]
    assert paths == [("1 Policing models",), ("2 Analysis",)]


def test_numbered_headings_may_start_with_a_non_ascii_capital(tmp_path: Path):
    pages = [[Heading("3 Überblick", 11), Text(LONG), Heading("3.1 Ämter", 11), Text(LONG)]]
    paths = [p.heading_path for p in read_pdf(write_pdf(tmp_path / "umlaut.pdf", pages))]
    assert paths == [("3 Überblick",), ("3 Überblick", "3.1 Ämter")]


def test_inline_markers_after_numbers_are_removed_when_the_note_is_on_the_page(tmp_path: Path):
    pages = [
        [
            Text("The roles of the four actors are as presented in Figure 3.1.9"),
            Text("The EU endorsed ILP in 2005. 10 Since then, plans have followed."),
            Note(9, "Ratcliffe (2016: 83).\n10 Council of the European Union (2005)."),
        ]
    ]
    body = _body(read_pdf(write_pdf(tmp_path / "markers.pdf", pages)))
    assert "as presented in Figure 3.1." in body and "3.1.9" not in body
    assert "in 2005. Since then" in body


def test_raised_numbers_without_a_footnote_stay_as_exponents(tmp_path: Path):
    pages = [[Text("An area of 40 km[^2] was searched by the teams. " + LONG)]]
    body = _body(read_pdf(write_pdf(tmp_path / "exponent.pdf", pages)))
    assert "An area of 40 km2 was searched" in body


def _encrypted(source: Path, target: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def test_aes_encrypted_pdf_with_an_empty_password_opens(tmp_path: Path, layout_pdf: Path):
    pdf = _encrypted(layout_pdf, tmp_path / "aes.pdf", "")
    assert [p.text for p in read_pdf(pdf)] == [p.text for p in read_pdf(layout_pdf)]


@pytest.mark.parametrize(
    ("password", "outcome"),
    [
        (None, "locked.pdf: the PDF is encrypted and needs a password"),
        ("wrong", "locked.pdf: the PDF is encrypted and the password given is wrong"),
        ("secret", None),
    ],
)
def test_password_protected_pdf(tmp_path: Path, layout_pdf: Path, password, outcome):
    pdf = _encrypted(layout_pdf, tmp_path / "locked.pdf", "secret")
    if outcome is None:
        assert "Analysts collect" in " ".join(p.text for p in read_pdf(pdf, password=password))
    else:
        with pytest.raises(IngestError, match=outcome):
            read_pdf(pdf, password=password)


def test_pages_are_read_when_the_page_tree_is_damaged(tmp_path: Path, layout_pdf: Path):
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(layout_pdf.read_bytes().replace(b"/Kids", b"/Kidz", 1))
    assert [p.text for p in read_pdf(damaged)] == [p.text for p in read_pdf(layout_pdf)]


@pytest.mark.parametrize(
    ("glyphs", "text"),
    [
        ("mis\ufb01ts see things di\ufb00erently", "misfits see things differently"),
        ("\ufb02ow, e\ufb03cient, \ufb04uent", "flow, efficient, ffluent"),
        ("\uf0b7 Dust-proof construction", "\u2022 Dust-proof construction"),
        ("Indonesia \U000f03d9 Germany \U000f03b2", "Indonesia  Germany "),
        ("bracket \uf8eb piece", "bracket  piece"),
        ("é and ½ stay", "é and ½ stay"),
    ],
)
def test_glyphs_are_cleaned(glyphs: str, text: str):
    assert clean_glyphs(glyphs) == text


@pytest.mark.parametrize(
    ("joined", "tidy"),
    [
        ("The 4-i model ( intent, impact ) helps", "The 4-i model (intent, impact) helps"),
        ("Tasking Groups , which meet ; often", "Tasking Groups, which meet; often"),
        ("a dash - stays and – this one too", "a dash - stays and – this one too"),
        ("“ quoted ” words", "“quoted” words"),
        ("Contents . . . . 12", "Contents . . . . 12"),
    ],
)
def test_spaces_inside_brackets_and_before_commas_are_closed(joined: str, tidy: str):
    assert tidy_punctuation(joined) == tidy


def test_a_symbol_font_bullet_starts_a_list_item():
    # How pypdf reports a Word list item: the Symbol bullet U+F0B7, a tab, then the text.
    bullet = Run(clean_glyphs("\uf0b7"), 72.0, 700.0, 11.0, "/Symbol", 77.0)
    item = Run("Dust-proof construction", 90.0, 700.0, 11.0, "/Arial", 210.0)
    lead = Run("Features:", 72.0, 714.0, 11.0, "/Arial", 120.0)
    lines, _ = lines_from_runs([lead, bullet, item])
    assert [line.text for line in lines] == ["Features:", "\u2022 Dust-proof construction"]
    text = join_lines([line.text for line in lines], Counter())
    assert text == "Features:\n\u2022 Dust-proof construction"


def test_list_bullets_keep_their_lines_and_spaces():
    text = join_lines(["Three kinds:", "\u2022 one , two", "\u2022 three"], Counter())
    assert text == "Three kinds:\n\u2022 one, two\n\u2022 three"


def test_words_kept_counts_body_text_without_page_furniture(layout_pdf: Path):
    body = body_words(layout_pdf)
    assert body["analysts"] > 0 and body["handbook"] == 0  # the running header is furniture
    assert words_kept(body, reader_text(read_pdf(layout_pdf))) == 1.0
    assert words_kept(body, "Analysts collect") < 0.1


def test_a_sentence_running_on_in_smaller_type_or_a_hanging_indent_stays_one_paragraph(
    tmp_path: Path,
):
    # A PDF that set the rest of a sentence a point smaller, and numbered items whose wrapped
    # lines hang under their text: one paragraph each. A new sentence in smaller type after a
    # finished one, and an indented line that starts a sentence, are blocks of their own.
    body = [(f"Body line {n} of the running text about analysis.", 11, 0) for n in range(8)]
    path = write_placed_lines_pdf(
        tmp_path / "lines.pdf",
        [
            *body,
            ("Operational analysis assists in the management and front-line enforcement", 11, 0),
            ("of shorter-term tasks and supports ongoing investigations.", 10, 0),
            ("Strategic analysis supports planning and the setting of priorities.", 11, 0),
            ("Note. This smaller line is a remark of its own.", 10, 0),
            ("1. Leading and steering - a key function of the model, set up on a", 11, 0),
            ("strategic and an operational level.", 11, 6),
            ("2. Sources of data - all open and closed sources must be", 11, 0),
            ("identified and used.", 11, 6),
            ("An indented quotation starts here.", 11, 14),
        ],
    )
    texts = [paragraph.text for paragraph in read_pdf(path)]
    assert any(
        "front-line enforcement of shorter-term tasks and supports ongoing" in t for t in texts
    )
    assert "Note. This smaller line is a remark of its own." in texts
    assert (
        "1. Leading and steering - a key function of the model, set up on a strategic and an "
        "operational level." in texts
    )
    assert "2. Sources of data - all open and closed sources must be identified and used." in texts
    assert "An indented quotation starts here." in texts
