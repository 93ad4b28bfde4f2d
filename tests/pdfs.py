"""Generate PDFs with a known layout for reader tests (fpdf2, core fonts).

Over 300 lines: one generator per layout the reader must handle (chapters, headings and notes,
letter spacing, tables, two columns), kept together so that tests share one vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject

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


def write_layout_pdf(
    path: Path,
    chapters: list[tuple[str, list[str]]],
    page_offset: int = 2,
    outline: bool = False,
    contents_page: bool = False,
) -> Path:
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


@dataclass(frozen=True)
class Heading:
    """A heading line: font size, weight and (optionally) an outline entry at `outline_level`."""

    text: str
    size: float = 14
    bold: bool = True
    outline_level: int | None = None
    outline_title: str | None = None  # the outline entry's title, when not the printed one


@dataclass(frozen=True)
class Text:
    """A body paragraph; "\\n" forces a line break and "[^7]" prints a superscript marker 7."""

    text: str


@dataclass(frozen=True)
class Note:
    """A footnote printed in small type at the bottom of the current page."""

    number: int
    text: str


class BannerPdf(LayoutPdf):
    """LayoutPdf with an optional banner printed sideways in the left margin of every page."""

    def __init__(self, page_offset: int, banner: str | None) -> None:
        super().__init__(page_offset)
        self.banner = banner
        self.set_auto_page_break(True, margin=40)  # room for footnotes above the footer

    def header(self) -> None:
        super().header()
        if self.banner:
            with self.rotation(90, x=6, y=200):
                self.set_font("Helvetica", "", 8)
                self.text(6, 200, self.banner)


def write_pdf(
    path: Path,
    pages: list[list[Heading | Text | Note]],
    page_offset: int = 0,
    banner: str | None = None,
) -> Path:
    """Each inner list is one page of headings, paragraphs and footnotes, in order."""
    pdf = BannerPdf(page_offset, banner)
    for front in range(page_offset):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, f"Front matter page {front + 1}.")
    for items in pages:
        pdf.add_page()
        for item in items:
            if isinstance(item, Heading):
                if item.outline_level is not None:
                    pdf.start_section(item.outline_title or item.text, level=item.outline_level)
                pdf.set_font("Helvetica", "B" if item.bold else "", item.size)
                pdf.multi_cell(120, item.size * 0.5, item.text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
            elif isinstance(item, Text):
                _write_text(pdf, item.text)
            else:
                y = pdf.get_y()
                pdf.set_auto_page_break(False)
                pdf.set_y(-35)
                pdf.set_font("Helvetica", "", 7)
                pdf.multi_cell(0, 3.5, f"{item.number} {item.text}", new_x="LMARGIN", new_y="NEXT")
                pdf.set_y(y)
                pdf.set_auto_page_break(True, margin=40)
    pdf.output(str(path))
    return path


def _write_text(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "", 11)
    for line in text.split("\n"):
        for position, piece in enumerate(re.split(r"\[\^(\d+)\]", line)):
            if position % 2:
                pdf.char_vpos = "SUP"
                pdf.write(6, piece)
                pdf.char_vpos = "LINE"
            elif piece:
                pdf.write(6, piece)
        pdf.ln(6)
    pdf.ln(3)


def set_page_labels(path: Path, ranges: list[tuple[int, int, str, str, int]]) -> Path:
    """Write /PageLabels: (first index, last index, style, prefix, start) per range."""
    writer = PdfWriter(clone_from=PdfReader(path))
    for first, last, style, prefix, start in ranges:
        writer.set_page_label(first, last, style=style, prefix=prefix or None, start=start)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_blank_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF whose pages carry no text at all."""
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
    pdf.output(str(path))
    return path


def write_placed_lines_pdf(path: Path, lines: list[tuple[str, float, float]]) -> Path:
    """One line of text per (text, font size in points, indent in mm) entry, 6 mm apart."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    y = 30.0
    for text, size, indent in lines:
        pdf.set_font("Helvetica", "", size)
        pdf.text(20.0 + indent, y, text)
        y += 6
    pdf.output(str(path))
    return path


def write_letter_spaced_pdf(path: Path, lines: list[tuple[str, float]], size: float = 11) -> Path:
    """Each line drawn a letter at a time, `spacing` (of the font size) added after each letter.

    Words are separated by a normal space, as office exports draw letter-spaced text.
    """
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "", size)
    y = 30.0
    for text, spacing in lines:
        x = 20.0
        extra = spacing * size * 25.4 / 72  # points to millimetres
        for character in text:
            if character != " ":
                pdf.text(x, y, character)
            x += pdf.get_string_width(character) + (extra if character != " " else 0)
        y += 10
    pdf.output(str(path))
    return path


def write_tj_spaced_pdf(path: Path, words: list[str], letter_gap: int, word_gap: int) -> Path:
    """One line whose letters are set apart by TJ gaps of `letter_gap` thousandths of an em.

    Words are apart by `word_gap` and no space glyph, as some office exports write them.
    """
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.text(20, 20, "x")  # puts the font among the page's resources as /F1
    pdf.output(str(path))
    items: list[str] = []
    for number, word in enumerate(words):
        if number:
            items.append(str(-word_gap))
        items.append(f" {-letter_gap} ".join(f"({letter})" for letter in word))
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 11 Tf 72 700 Td [{' '.join(items)}] TJ ET".encode("latin-1"))
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.pages[0].replace_contents(content)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_table_pdf(path: Path, before: str, rows: list[list[str]], after: str) -> Path:
    """A paragraph, a table of `rows` (the first is the header) and another paragraph."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, before, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(text_align="LEFT", first_row_as_headings=False) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(4)
    pdf.multi_cell(0, 6, after, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_two_column_pdf(path: Path, title: str, left: str, right: str) -> Path:
    """A title across the page, then `left` and `right` set in two columns side by side."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    top = pdf.get_y() + 4
    for x, text in ((20, left), (110, right)):
        pdf.set_xy(x, top)
        pdf.multi_cell(80, 5, text, align="J")
    pdf.output(str(path))
    return path
