"""Figure captions and diagram text become blocks of their own, never body text or answers.

The PDFs are generated here: a page of body text with a diagram (labels in small bold type near
the text column, as the ones that survive `drop_figure_text`), its caption set in another font
with a source line, and body text that mentions the figure in a sentence of its own.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from ilp_pipeline.document_cache import DocumentCache
from ingest.models import CAPTION, FIGURE, TEXT, Document, DocumentMeta
from ingest.pdf import read_pdf
from ingest.splitter import split_passages

BODY = (
    "Analysts collect and evaluate information from many sources before they write an "
    "assessment for the managers who decide on priorities and resources. "
) * 3
LABELS = ["TASKING", "COLLECTION ANALYSIS", "Priorities Priorities Priorities"]
CAPTION_TEXT = "Figure 1.1 The tasking and co-ordination cycle"
SOURCE = "Source: Ratcliffe (2016: 72)."
MENTION = "Figure 1.1 shows how tasking starts the cycle again after each review of the results."
AFTER = "The managers review the results every month and set new priorities for the analysts."


def write_figure_pdf(path: Path, caption_font: tuple[str, str] = ("Times", "B")) -> Path:
    """One page: heading, body text, a diagram's labels, its caption and source, body text."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 9, "1. Tasking", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, BODY + MENTION, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font("Helvetica", "B", 8)
    for label in LABELS:
        pdf.set_x(pdf.l_margin + 8)
        pdf.cell(0, 10, label, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(*caption_font, 11)
    pdf.cell(0, 6, CAPTION_TEXT, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Times", "I", 8)
    pdf.cell(0, 5, SOURCE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, AFTER + " " + BODY, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_caption_and_diagram_labels_are_blocks_of_their_own(tmp_path: Path):
    paragraphs = read_pdf(write_figure_pdf(tmp_path / "figure.pdf"))
    by_kind = {kind: [p.text for p in paragraphs if p.kind == kind] for kind in (TEXT, CAPTION)}
    assert by_kind[CAPTION] == [CAPTION_TEXT, SOURCE]
    figure_text = " ".join(p.text for p in paragraphs if p.kind == FIGURE)
    assert all(label in figure_text for label in LABELS)
    body = " ".join(by_kind[TEXT])
    assert MENTION in body and body.count(AFTER) == 1  # a sentence naming the figure is text
    assert not any(word in body for word in ("TASKING", "Priorities Priorities", "Source:"))


def test_a_caption_in_the_body_font_needs_a_colon(tmp_path: Path):
    # Set in the body's font and size, "Figure 1.1 The ..." could open a sentence; the
    # caption is then left in the text, and so are the labels above it.
    paragraphs = read_pdf(write_figure_pdf(tmp_path / "plain.pdf", ("Helvetica", "")))
    assert {p.kind for p in paragraphs} == {TEXT}


def test_figure_blocks_make_passages_of_their_own(tmp_path: Path):
    pdf = write_figure_pdf(tmp_path / "figure.pdf")
    meta = DocumentMeta(id="doc", title="Doc", kind="research", path=pdf)
    passages = split_passages(Document.from_paragraphs(meta, read_pdf(pdf)), min_words=1000)
    [figure] = [p for p in passages if p.kind == FIGURE]
    assert figure.text.startswith(LABELS[0]) and figure.text.endswith(SOURCE)
    text = " ".join(p.text for p in passages if p.kind == TEXT)
    assert MENTION in text and AFTER in text and CAPTION_TEXT not in text
    # The kind survives the build's document cache.
    cache = DocumentCache(tmp_path / "cache.sqlite")
    cache.put("key", passages, [[] for _ in passages])
    cached, _, _ = cache.get("key")
    cache.close()
    assert [p.kind for p in cached] == [p.kind for p in passages]
