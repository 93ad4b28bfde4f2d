"""Render the corpus's PDF documents from their Markdown sources in corpus/pdf-sources/.

Each PDF gets an unnumbered title page, a running header, printed page numbers in the footer
(page 1 is the second PDF page, so printed labels differ from PDF page numbers) and an outline.
That is the layout ingestion must cope with in real reports. Run after editing a source:

    .venv/bin/python corpus/tools/render_pdfs.py
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

CORPUS = Path(__file__).resolve().parents[1]
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
# The core PDF fonts cover Latin-1 only; typographic characters get their plain equivalents.
PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": " - ",
        "\u2026": "...",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2011": "-",
    }
)


def plain(text: str) -> str:
    """Text the core fonts can draw; refuse anything they cannot."""
    text = text.translate(PLAIN)
    bad = sorted({ch for ch in text if ord(ch) > 255})
    if bad:
        raise ValueError(f"characters outside Latin-1: {''.join(bad)}")
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    return re.sub(r"(?<!\w)\*(.+?)\*(?!\w)", r"\1", text)


class CorpusPdf(FPDF):
    """A4 pages with a running header and a printed page number from the second page on."""

    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.doc_title = title
        self.set_margins(22, 20, 22)
        self.set_auto_page_break(True, margin=22)

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("Helvetica", "I", 8)
            self.cell(
                0,
                6,
                f"ILP Atlas corpus | {self.doc_title}",
                align="R",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            self.ln(4)

    def footer(self) -> None:
        if self.page_no() > 1:
            self.set_y(-15)
            self.set_font("Helvetica", "", 9)
            self.cell(0, 8, str(self.page_no() - 1), align="C")


def render(source: Path, target: Path) -> None:
    """Render one Markdown source (front matter `title:`) to a PDF."""
    text = source.read_text(encoding="utf-8")
    title = re.search(r"^title:\s*(.+)$", text, re.M).group(1).strip()
    body = text.split("\n---", 1)[1] if text.startswith("---") else text
    pdf = CorpusPdf(plain(title))
    pdf.set_title(plain(title))
    pdf.set_author("ILP Atlas team")
    pdf.set_creation_date(FIXED_DATE)  # the same source always renders to the same bytes
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 22)
    pdf.ln(60)
    pdf.multi_cell(0, 11, plain(title), align="C")
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "Written for ILP Atlas in its own words. CC BY 4.0.", align="C")
    pdf.add_page()
    for block in re.split(r"\n\s*\n", body.strip()):
        block = block.strip()
        heading = re.match(r"^(#{1,4})\s+(.*)$", block)
        if heading:
            level = len(heading.group(1))
            if level == 1:
                continue  # the title is on the title page
            label = plain(heading.group(2))
            pdf.ln(3)
            pdf.start_section(label, level=level - 2)
            pdf.set_font("Helvetica", "B", 14 if level == 2 else 12)
            pdf.multi_cell(0, 7, label, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif re.match(r"^[-*]\s", block):
            pdf.set_font("Helvetica", "", 11)
            for item in re.split(r"\n(?=[-*]\s)", block):
                item = " ".join(item[2:].split())
                pdf.multi_cell(0, 5.5, "- " + plain(item), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        else:
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(
                0, 5.5, plain(" ".join(block.split())), align="J", new_x="LMARGIN", new_y="NEXT"
            )
            pdf.ln(2.5)
    pdf.output(str(target))


def main() -> int:
    sources = sorted((CORPUS / "pdf-sources").glob("*.md"))
    for source in sources:
        target = CORPUS / "documents" / f"{source.stem}.pdf"
        render(source, target)
        print(f"{source.relative_to(CORPUS)} -> {target.relative_to(CORPUS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
