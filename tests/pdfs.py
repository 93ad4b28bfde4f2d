"""Generate PDFs with a known layout for reader tests (fpdf2, core fonts)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

RUNNING_HEADER = "HANDBOOK ON TEST POLICING"


class LayoutPdf(FPDF):
    """Running header on every page, printed page number in the footer = PDF page - offset."""

    def __init__(self, page_offset: int = 2) -> None:
        super().__init__(format="A4")
        self.page_offset = page_offset
        self.set_auto_page_break(True, margin=25)

    def header(self) -> None:
        self.set_font("Helvetica", "B", 8)
        self.cell(0, 6, RUNNING_HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        printed = self.page_no() - self.page_offset
        if printed > 0:
            self.set_y(-15)
            self.set_font("Helvetica", "", 9)
            self.cell(0, 8, str(printed), align="C")


def write_layout_pdf(path: Path, chapters: list[tuple[str, list[str]]], page_offset: int = 2,
                     outline: bool = False, contents_page: bool = False) -> Path:
    """One chapter per page after `page_offset` front pages; paragraphs as given.

    A paragraph may contain a literal "-\\n" to force a line break after a hyphen.
    """
    pdf = LayoutPdf(page_offset)
    for front in range(page_offset):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 11)
        if contents_page and front == page_offset - 1:
            pdf.cell(0, 8, "Contents", new_x="LMARGIN", new_y="NEXT")
            for number, (title, _) in enumerate(chapters, start=1):
                pdf.cell(0, 7, f"{title} ........ {number}", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, 6, f"Front matter page {front + 1}.")
    for title, paragraphs in chapters:
        pdf.add_page()
        if outline:
            pdf.start_section(title, level=0)
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for paragraph in paragraphs:
            for line in paragraph.split("\n"):
                pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))
    return path
