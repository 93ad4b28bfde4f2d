"""Footnotes set a point under the body text, as word processors set them, are footnotes."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from ingest.pdf import FOOTNOTES, read_pdf

BODY = "Analysts grade every report before the managers decide on priorities and resources."
NOTE = "Graded on the 5x5x5 system."


def write_word_processor_pdf(path: Path, note_size: float) -> Path:
    """11 pt body text with a raised marker, and the note at the page's foot in `note_size`
    after its raised number (drawn at exact positions, in millimetres from the top left)."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    for line, y in ((BODY, 30), (BODY, 36), ("Every report is graded", 42)):
        pdf.text(20, y, line)
    end = 20 + pdf.get_string_width("Every report is graded")
    pdf.set_font("Helvetica", "", 7)
    pdf.text(end + 0.3, 40.5, "1")
    pdf.set_font("Helvetica", "", 11)
    pdf.text(end + 2.5, 42, "on arrival.")
    pdf.set_font("Helvetica", "", 7)
    pdf.text(20, 268.5, "1")
    pdf.set_font("Helvetica", "", note_size)
    pdf.text(22, 270, NOTE)
    pdf.output(str(path))
    return path


def test_a_note_a_point_under_the_body_after_a_raised_number_is_a_footnote(tmp_path: Path):
    paragraphs = read_pdf(write_word_processor_pdf(tmp_path / "doc.pdf", note_size=10))
    notes = [p.text for p in paragraphs if p.heading_path[-1:] == (FOOTNOTES,)]
    assert notes == [f"1 {NOTE}"]
    body = " ".join(p.text for p in paragraphs if FOOTNOTES not in p.heading_path)
    assert "Every report is graded on arrival." in body and NOTE not in body


def test_text_in_body_size_at_the_foot_of_the_page_stays_body_text(tmp_path: Path):
    paragraphs = read_pdf(write_word_processor_pdf(tmp_path / "doc.pdf", note_size=11))
    assert not any(FOOTNOTES in p.heading_path for p in paragraphs)
    assert NOTE in " ".join(p.text for p in paragraphs)
