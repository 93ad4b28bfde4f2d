"""Search results as CSV, one row per passage, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from flask import url_for

from search.citation import cite
from search.results import SearchResult


def results_csv(result: SearchResult, offset: int = 0) -> str:
    """The hits of a result as CSV text, ranked from `offset` + 1, each with its citation."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "rank",
            "passage_id",
            "score",
            "document_id",
            "document_title",
            "kind",
            "year",
            "section",
            "page",
            "citation",
            "url",
            "text",
        ]
    )
    for rank, hit in enumerate(result.hits, start=offset + 1):
        row = [
            rank,
            hit.passage.id,
            f"{hit.score:.6f}",
            hit.document.id,
            hit.document.title,
            hit.document.kind,
            hit.document.year or "",
            " > ".join(hit.passage.heading_path),
            hit.passage.pages or "",
            cite(hit.document, hit.passage),
            url_for("pages.passage", passage_id=hit.passage.id, _external=True),
            hit.passage.text,
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def spreadsheet_safe(cell: object) -> object:
    """Quote text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell
