"""Page spans: passages know their first and last printed page, sentences their own, and the
reader marks where a new page starts."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from ingest.models import Document, DocumentMeta, Paragraph, Passage
from ingest.pdf import read_pdf
from ingest.sentences import split_sentences
from ingest.splitter import split_passages
from search.citation import cite, ris
from tests.pdfs import RUNNING_HEADER, write_layout_pdf
from webapp.reader import passage_paragraphs

META = DocumentMeta(id="doc", title="Doc", kind="research", path=Path("doc.pdf"))
FIRST = "The analyst grades every report. "
SECOND = "The manager sets the priorities at the meeting."


def test_a_passage_names_the_pages_it_spans():
    one = Passage("p", "doc", (), "19", 0, 10, "x" * 10)
    two = Passage("p", "doc", (), "19", 0, 10, "x" * 10, ((4, "20"),))
    assert (one.pages, one.last_page) == ("19", "19")
    assert (two.pages, two.last_page, two.page_at(3), two.page_at(4)) == ("19-20", "20", "19", "20")
    assert cite(META, two) == "Doc, pp. 19-20" and cite(META, two, "20") == "Doc, p. 20"
    assert "SP  - 19\nEP  - 20" in ris(META, two, "https://x")


def test_a_page_break_inside_a_paragraph_reaches_the_sentence():
    # The PDF reader records where page 20 starts inside a paragraph that runs across the break.
    paragraph = Paragraph(FIRST + SECOND, ("1. Tasking",), "19", ((len(FIRST), "20"),))
    intro = Paragraph("Intro text.", ("1. Tasking",), "18")
    document = Document.from_paragraphs(META, [intro, paragraph])
    [passage] = split_passages(document, min_words=1000)
    assert passage.pages == "18-20"
    sentences = split_sentences([passage])
    pages = [passage.page_at(sentence.char_start) for sentence in sentences]
    assert pages == ["18", "19", "20"]


def test_the_reader_marks_a_new_page_between_and_inside_sentences():
    text = FIRST + SECOND
    sentences = split_sentences([Passage("p", "doc", (), "19", 0, len(text), text)])
    between = passage_paragraphs("p", text, sentences, ((len(FIRST), "20"),))
    html = str(between[0])
    assert html.index('aria-label="Page 20"') > html.index("grades every report.</span>")
    assert html.index('aria-label="Page 20"') < html.index('id="p-s1"')
    inside = str(passage_paragraphs("p", text, sentences, ((len("The analyst "), "20"),))[0])
    assert 'The analyst <span class="page-break" aria-label="Page 20">p. 20</span>grades' in inside


def test_page_labels_in_the_reader_are_escaped():
    text = FIRST
    sentences = split_sentences([Passage("p", "doc", (), "1", 0, len(text), text)])
    html = str(passage_paragraphs("p", text, sentences, ((4, "<b>2</b>"),))[0])
    assert "<b>" not in html and "&lt;b&gt;2&lt;/b&gt;" in html


def test_a_pdf_paragraph_running_onto_the_next_page_records_where_that_page_starts(
    tmp_path: Path,
):
    # One paragraph of numbered sentences, long enough to run over two page breaks.
    sentences = [f"Report {n} was graded by the analyst on duty that week." for n in range(200)]
    pdf = write_layout_pdf(tmp_path / "long.pdf", [("1. Tasking", [" ".join(sentences)])])
    [paragraph] = [p for p in read_pdf(pdf) if p.heading_path == ("1. Tasking",)]
    assert paragraph.page == "1" and [label for _, label in paragraph.page_breaks] == ["2", "3"]
    pages = [_squash(page.extract_text()) for page in PdfReader(pdf).pages]
    for at, label in paragraph.page_breaks:
        # The words from the break on open the body text of the PDF page that carries the label.
        opening = _squash(paragraph.text[at : at + 30])
        assert pages[int(label) + 1].find(opening) < len(_squash(RUNNING_HEADER)) + 5
    # Every sentence gets the page it is printed on.
    passage = Passage(
        "p",
        "doc",
        (),
        paragraph.page,
        0,
        len(paragraph.text),
        paragraph.text,
        paragraph.page_breaks,
    )
    for sentence in split_sentences([passage]):
        key = _squash(sentence.text.split(" was ")[0] + " was")
        printed = [str(index - 1) for index, page in enumerate(pages) if key in page]
        assert [passage.page_at(sentence.char_start)] == printed[:1], sentence.text


def _squash(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())
