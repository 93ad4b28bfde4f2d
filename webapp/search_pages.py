"""The search page and its siblings: results as HTML, CSV, BibTeX and RIS.

The view functions are registered on the `pages` blueprint (webapp/pages.py), so their
endpoints stay `pages.search`, `pages.search_csv` and `pages.search_citations`.

Reading and Tab order on the page: search box, "did you mean", answer card, passages, then
the filters, collapsed in a `<details>` unless one is chosen (the issue 20 browser review counted
43 Tab presses to the first result when the filters came first).
"""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request, url_for

from graph.countries import COUNTRY_NAMES
from ingest.models import KINDS
from search.citation import plain_text
from search.limits import LANGUAGE_NAMES
from webapp.answer_card import Extract, extracts
from webapp.citation_export import EXPORTS, results_citations
from webapp.csv_export import results_csv
from webapp.originals import pdf_page_url
from webapp.params import SearchParams, search_params
from webapp.services import get_build, get_searcher
from webapp.snippets import passage_blocks
from webapp.suggestions import concept_options, did_you_mean


def search():
    """Results: answer card, cited hits with highlights, facets, filters and pagination."""
    params = search_params(request, require_query=False)
    if not params.q.strip():
        return render_template(
            "search.html",
            params=params,
            result=None,
            kinds=KINDS,
            concept_options=concept_options(get_build()),
        )
    searcher = get_searcher()
    result = searcher.search(
        params.q, k=params.k, method=params.method, filters=params.filters, offset=params.offset
    )
    labels = {c.id: c.pref_label for c in searcher.build.scheme.concepts.values()}
    titles = {d.id: d.title for d in searcher.build.store.documents()}
    return render_template(
        "search.html",
        params=params,
        result=result,
        kinds=KINDS,
        concept_labels=labels,
        country_names=COUNTRY_NAMES,
        language_names=LANGUAGE_NAMES,
        document_titles=titles,
        extracts=extracts(result.answer),
        suggestion=did_you_mean(searcher.build, result),
        concept_options=concept_options(searcher.build),
        passage_blocks=lambda hit: passage_blocks(hit.passage.text, hit.highlight, result.query),
        hit_citation=lambda hit: plain_text(hit.document, hit.passage, passage_url(hit.passage.id)),
        answer_citation=answer_citation,
        pdf_url=pdf_page_url,
        search_url=lambda endpoint, **changes: search_url(params, endpoint, **changes),
    )


def passage_url(passage_id: str) -> str:
    """A passage's permalink, absolute."""
    return url_for("pages.passage", passage_id=passage_id, _external=True)


def answer_citation(extract: Extract) -> str:
    """What the copy button copies for an extract of the answer card: the quote, its
    citation and the passage's permalink."""
    quote = " ".join(sentence.text for sentence in extract.text)
    # Items often end in ";" already: "a;; b" reads as a typo in a pasted citation.
    items = "; ".join(text.rstrip(" ;") for text in extract.item_texts)
    words = " ".join(part for part in (quote, items) if part)
    first = extract.first
    return f"“{words}” ({first.citation}) {passage_url(first.passage_id or '')}"


def search_url(params: SearchParams, endpoint: str, **changes) -> str:
    """The URL of the same search (same filters) at another endpoint or offset."""
    args: dict[str, Any] = {
        "q": params.q,
        "k": params.k,
        "offset": params.offset,
        "kind": list(params.filters.kinds),
        "country": list(params.filters.countries),
        "year": list(params.filters.years),
        "concept": list(params.filters.concepts),
        "document": list(params.filters.documents),
        "language": list(params.filters.languages),
    }
    args.update(changes)
    return url_for(endpoint, **{key: value for key, value in args.items() if value != []})


def search_csv():
    """The same results as CSV (one row per passage)."""
    params = search_params(request)
    result = get_searcher().search(
        params.q, k=params.k, method=params.method, filters=params.filters, offset=params.offset
    )
    return Response(
        results_csv(result, params.offset),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=ilp-atlas-search.csv"},
    )


def search_citations(extension: str):
    """The same results as BibTeX or RIS, one entry per passage, for a reference manager."""
    params = search_params(request)
    result = get_searcher().search(
        params.q, k=params.k, method=params.method, filters=params.filters, offset=params.offset
    )
    mimetype = EXPORTS[extension]
    return Response(
        results_citations(result, extension, passage_url),
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename=ilp-atlas-search.{extension}"},
    )
