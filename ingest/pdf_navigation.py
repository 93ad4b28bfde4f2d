"""What a PDF says about its own pages and sections: page labels and the outline (bookmarks).

Neither is trusted blindly: /PageLabels are used only when they look like page numbers and agree
with the numbers printed on the pages, and the outline's titles are matched to printed lines by
the heading finder (ingest/pdf_headings.py), which ignores an outline that names none of them.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader

from ingest.pdf_file import OpenedPdf
from ingest.pdf_glyphs import clean_glyphs
from ingest.pdf_layout import printed_page_labels
from ingest.text import normalise_space

_PLAUSIBLE_LABEL = re.compile(r"^(?:[A-Z]{1,3}-?)?(?:\d{1,4}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})$")


def page_labels(opened: OpenedPdf, printed_numbers: list[int | None]) -> list[str | None]:
    """Printed page labels: trusted /PageLabels, else printed page numbers, else PDF numbers."""
    detected = printed_page_labels(printed_numbers)
    fallback: list[str | None] = [str(index + 1) for index in range(len(opened.pages))]
    if opened.recovered:  # labels count pages of the page tree, which is damaged
        return detected or fallback
    root: Any = opened.reader.trailer["/Root"]  # a DictionaryObject; pypdf types it loosely
    if "/PageLabels" in root:
        declared = list(opened.reader.page_labels)
        if _labels_are_plausible(declared, detected, printed_numbers):
            labels: list[str | None] = list(declared)
            return labels
    return detected or fallback


def _labels_are_plausible(
    declared: list[str], detected: list[str | None] | None, printed_numbers: list[int | None]
) -> bool:
    # Producers often write /PageLabels that are not what is printed ("Abs1:3"), so the
    # labels must look like page numbers and agree with the numbers printed on the pages.
    if not all(_PLAUSIBLE_LABEL.match(label) for label in declared):
        return False
    if detected is None:
        return True
    printed = [(index, str(number)) for index, number in enumerate(printed_numbers) if number]
    agree = sum(1 for index, number in printed if declared[index] == number)
    return agree >= 0.5 * len(printed)


def outline_titles(reader: PdfReader) -> list[tuple[int, str]]:
    """(level, title) of every outline entry, in document order."""
    titles: list[tuple[int, str]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                titles.append((level, normalise_space(clean_glyphs(str(item.title)))))

    try:
        walk(reader.outline, 1)
    except Exception:  # a broken outline only costs us heading detection
        return []
    return titles
