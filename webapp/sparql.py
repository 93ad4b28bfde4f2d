"""`/sparql`: the SPARQL 1.1 Protocol, read-only, sandboxed, with limits and a result cap.

GET `?query=` or POST (form `query=` or an `application/sparql-query` body). Results by the
Accept header: SPARQL JSON (default), SPARQL XML or CSV for SELECT/ASK; Turtle or N-Triples for
CONSTRUCT/DESCRIBE; HTML for browsers. Updates and SERVICE are refused with 400. Each query runs
in a confined child process (graph/sparql.py) with the app's time and memory limits
(`ILP_SPARQL_TIMEOUT`, `ILP_SPARQL_MEMORY_MB`): one that exceeds them gets 503. At most
`ILP_SPARQL_CONCURRENT` queries run at once, so SPARQL never holds every server thread or core
that searches need; beyond that a query gets 429 with Retry-After. Errors are JSON
(`{"error": {"status", "title", "message"}}`), or the error page for a browser.
"""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from graph.namespaces import CONCEPT, DOCUMENT, PASSAGE
from graph.remote_store import RemoteStoreError, run_remote
from graph.sandbox import ProcessLimits
from graph.sparql import QueryResult, SparqlError, run_limited
from webapp.services import get_build

bp = Blueprint("sparql", __name__)
RESULT_CAP = 10_000
MAX_QUERY_BYTES = 20_000
RETRY_AFTER_SECONDS = 2
EXAMPLES = {
    "Concepts and their English labels": """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept ?label WHERE {
  ?concept a skos:Concept ; skos:prefLabel ?label .
  FILTER (lang(?label) = "en")
} ORDER BY ?label LIMIT 50""",
    "Which sources discuss tasking and co-ordination, and where?": """PREFIX ilp: <https://w3id.org/ilp-atlas/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?title ?section ?page WHERE {
  ?passage ilp:mentions <https://w3id.org/ilp-atlas/concept/tasking-and-co-ordination> ;
           dcterms:isPartOf ?document ; ilp:section ?section .
  OPTIONAL { ?passage ilp:page ?page }
  ?document dcterms:title ?title .
} ORDER BY ?title""",
    "Good-practice documents by country": """PREFIX ilp: <https://w3id.org/ilp-atlas/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?country (COUNT(?document) AS ?documents) WHERE {
  ?document ilp:kind "good-practice" ; dcterms:spatial ?place .
  ?place rdfs:label ?country .
} GROUP BY ?country ORDER BY DESC(?documents)""",
    "How each concept link was made": """PREFIX ilp: <https://w3id.org/ilp-atlas/ontology#>
SELECT ?method (COUNT(?link) AS ?links) (AVG(?score) AS ?mean_score) WHERE {
  ?link a ilp:ConceptLink ; ilp:method ?method ; ilp:score ?score .
} GROUP BY ?method""",
}
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "application/json",
    "text/html",
)
GRAPH_TYPES = ("text/turtle", "application/n-triples", "text/html")
# Our own URIs in results link to the site's page for them.
OUR_PAGES = (
    (CONCEPT, "pages.concept", "concept_id"),
    (DOCUMENT, "pages.document", "document_id"),
    (PASSAGE, "pages.passage", "passage_id"),
)


def _error(
    message: str, status: int = 400, title: str = "SPARQL error", query: str | None = None
) -> Response:
    """The error as JSON for programs; for a browser, the query form with the error above the
    user's own query (so nothing typed is lost), or the error page when there is no query."""
    if wants_html():
        if query is not None:
            page = render_template(
                "sparql.html",
                examples=EXAMPLES,
                query=query,
                result=None,
                error=SparqlProblem(title, message),
                result_link=result_link,
            )
        else:
            page = render_template("error.html", status=status, title=title, message=message)
        return Response(page, status=status, mimetype="text/html")
    response = jsonify({"error": {"status": status, "title": title, "message": message}})
    response.status_code = status
    return response


def wants_html() -> bool:
    """Whether the client prefers HTML to JSON: a browser. Not `accept_mimetypes.best`, which
    for Chromium's real header is "application/signed-exchange" (werkzeug ranks a type with
    parameters first), nor for `*/*`, which programs send."""
    return request.accept_mimetypes.best_match(("application/json", "text/html")) == "text/html"


@dataclass(frozen=True)
class SparqlProblem:
    """Why a query from the form did not run, shown above the editor."""

    title: str
    message: str


def result_link(term: dict) -> str | None:
    """Where a result cell links: our concepts, documents and passages to their pages, any
    other http(s) URI to itself; None for literals and blank nodes."""
    if term.get("type") != "uri":
        return None
    value = term["value"]
    for namespace, endpoint, argument in OUR_PAGES:
        if value.startswith(str(namespace)):
            local = unquote(value[len(str(namespace)) :])
            if local and "/" not in local and "#" not in local:
                values: dict[str, Any] = {argument: local}
                return url_for(endpoint, **values)
    return value if value.startswith(("http://", "https://")) else None


def _slots() -> threading.BoundedSemaphore:
    """This app's permits to run a query: `ILP_SPARQL_CONCURRENT` of them."""
    extensions = current_app.extensions
    if "ilp.sparql_slots" not in extensions:
        permits = int(current_app.config["ILP_SPARQL_CONCURRENT"])
        extensions.setdefault("ilp.sparql_slots", threading.BoundedSemaphore(permits))
    return extensions["ilp.sparql_slots"]


def _query_text() -> str | None:
    if request.method == "GET":
        return request.args.get("query")
    if request.mimetype == "application/sparql-query":
        return request.get_data(as_text=True)
    if request.mimetype == "application/sparql-update" or "update" in request.form:
        return "UPDATE"
    return request.form.get("query")


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    """Run a read-only SPARQL query, or show the query form."""
    text = _query_text()
    if text == "UPDATE":
        return _error("SPARQL Update is not allowed: this endpoint is read-only")
    if text is None or not text.strip():
        if request.method == "POST":
            return _error("Missing the query parameter")
        return render_template(
            "sparql.html",
            examples=EXAMPLES,
            query=next(iter(EXAMPLES.values())),  # an example to start from, not an empty box
            result=None,
            result_link=result_link,
        )
    if len(text.encode()) > MAX_QUERY_BYTES:
        return _error(f"The query is longer than {MAX_QUERY_BYTES} bytes", query=text)
    remote = current_app.config.get("ILP_SPARQL_ENDPOINT")
    # The build's own graph is loaded (once per build) before taking a slot; with a store
    # (ILP_SPARQL_ENDPOINT, graph/remote_store.py) the query goes there, under the same rules.
    store = None if remote else get_build().sparql_store
    slots = _slots()
    if not slots.acquire(blocking=False):
        response = _error(
            "Too many SPARQL queries are running; try again in a few seconds",
            429,
            "Too many SPARQL queries",
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    config = current_app.config
    timeout = float(config["ILP_SPARQL_TIMEOUT"])
    limits = ProcessLimits(
        memory_bytes=int(config["ILP_SPARQL_MEMORY_MB"]) << 20,
        cpu_seconds=int(timeout) + 1,
    )
    try:
        if store is None:
            result = run_remote(str(remote), text, RESULT_CAP, timeout)
        else:
            result = run_limited(store, text, RESULT_CAP, timeout, limits)
    except (SparqlError, RemoteStoreError) as error:
        # over a limit: 503; the store unreachable: 502; anything else is the query's fault: 400
        return _error(str(error), error.status, error.title, query=text)
    finally:
        slots.release()
    return _respond(result, text)


def _respond(result: QueryResult, text: str) -> Response:
    headers = {"X-Result-Truncated": "true"} if result.truncated else {}
    if result.kind == "graph":
        best = request.accept_mimetypes.best_match(GRAPH_TYPES, default="application/n-triples")
        if best == "text/html":
            return Response(
                render_template(
                    "sparql.html",
                    examples=EXAMPLES,
                    query=text,
                    result=result,
                    result_link=result_link,
                ),
                mimetype="text/html",
            )
        body = result.ntriples if best != "text/turtle" else _turtle(result.ntriples)
        return Response(body, mimetype=best, headers=headers)
    best = request.accept_mimetypes.best_match(
        RESULT_TYPES, default="application/sparql-results+json"
    )
    if best == "text/html":
        return Response(
            render_template(
                "sparql.html",
                examples=EXAMPLES,
                query=text,
                result=result,
                result_link=result_link,
            ),
            mimetype="text/html",
        )
    if best == "application/sparql-results+xml":
        return Response(results_xml(result), mimetype=best, headers=headers)
    if best == "text/csv":
        return Response(results_csv(result), mimetype="text/csv", headers=headers)
    import json

    return Response(
        json.dumps(result.to_json()), headers=headers, mimetype="application/sparql-results+json"
    )


def _turtle(ntriples: str) -> str:
    from rdflib import Graph

    return Graph().parse(data=ntriples, format="nt").serialize(format="turtle")


def results_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([row.get(name, {}).get("value", "") for name in result.variables])
    return buffer.getvalue()


def results_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        out.append(
            "<head>"
            + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables)
            + "</head>"
        )
        out.append("<results>")
        for row in result.rows:
            out.append("<result>")
            for name, term in row.items():
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _xml_term(term: dict) -> str:
    value = escape(term["value"])
    if term["type"] == "uri":
        return f"<uri>{value}</uri>"
    if term["type"] == "bnode":
        return f"<bnode>{value}</bnode>"
    attributes = ""
    if "xml:lang" in term:
        attributes = f" xml:lang={quoteattr(term['xml:lang'])}"
    elif "datatype" in term:
        attributes = f" datatype={quoteattr(term['datatype'])}"
    return f"<literal{attributes}>{value}</literal>"
