"""Read-only SPARQL over a build's graph, with pyoxigraph as the query engine.

Only queries run (SELECT, ASK, CONSTRUCT, DESCRIBE): SPARQL Update (INSERT, DELETE, LOAD, CLEAR,
...) and federated queries (SERVICE) are refused before anything executes. `run_limited` runs a
query in a child process so that a time limit can really stop it.
"""

from __future__ import annotations

import multiprocessing
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ilp_base.errors import AtlasError

DEFAULT_LIMIT = 1000
DEFAULT_TIMEOUT = 10.0
_UPDATE_KEYWORDS = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.I,
)
_STRINGS_IRIS_COMMENTS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*"
)


class SparqlError(AtlasError):
    """A query was refused (not read-only, federated, malformed) or failed to run."""

    status = 400
    title = "SPARQL error"


class SparqlTimeout(SparqlError):
    """A query ran past its time limit and was stopped."""

    status = 503


@dataclass(frozen=True)
class QueryResult:
    """A query's result: variable bindings (SELECT), a boolean (ASK) or triples (CONSTRUCT)."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, dict]] = field(default_factory=list)  # SPARQL JSON term objects
    boolean: bool | None = None
    ntriples: str = ""
    truncated: bool = False

    def to_json(self) -> dict:
        """SPARQL 1.1 Query Results JSON (for SELECT and ASK)."""
        if self.kind == "ask":
            return {"head": {}, "boolean": self.boolean}
        return {"head": {"vars": self.variables}, "results": {"bindings": self.rows}}


def check_query(text: str) -> None:
    """Refuse updates and SERVICE before parsing; the engine reports syntax errors."""
    if not text or not text.strip():
        raise SparqlError("The query is empty")
    code = _STRINGS_IRIS_COMMENTS.sub(" ", text)
    if _UPDATE_KEYWORDS.match(code):
        raise SparqlError(
            "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is not allowed: "
            "the graph is read-only"
        )
    if re.search(r"\bSERVICE\b", code, re.I):
        raise SparqlError("Federated queries (SERVICE) are not allowed")


def load_store(graph_path: Path) -> ox.Store:
    """An in-memory pyoxigraph store holding a build's N-Triples graph."""
    store = ox.Store()
    store.bulk_load(path=str(graph_path), format=ox.RdfFormat.N_TRIPLES)
    return store


def run_query(store: ox.Store, text: str, limit: int = DEFAULT_LIMIT) -> QueryResult:
    """Run a read-only query in this process, keeping at most `limit` rows or triples."""
    check_query(text)
    try:
        result = store.query(text)
    except SyntaxError as error:
        raise SparqlError(f"Malformed query: {error}") from error
    try:
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows: list[dict[str, dict[str, str]]] = []
            truncated = False
            for solution in result:
                if len(rows) >= limit:
                    truncated = True
                    break
                rows.append(
                    {
                        name: term_json(solution[name])
                        for name in variables
                        if solution[name] is not None
                    }
                )
            return QueryResult("select", variables, rows, truncated=truncated)
        lines: list[str] = []
        truncated = False
        for triple in result:
            if len(lines) >= limit:
                truncated = True
                break
            lines.append(f"{triple.subject} {triple.predicate} {triple.object} .")
        return QueryResult(
            "graph", ntriples="\n".join(lines) + ("\n" if lines else ""), truncated=truncated
        )
    except OSError as error:
        raise SparqlError(f"The query failed: {error}") from error


def term_json(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict:
    """An RDF term in the SPARQL JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    value: dict = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        value["datatype"] = term.datatype.value
    return value


def _child(store: ox.Store, text: str, limit: int, connection) -> None:
    try:
        connection.send(("ok", run_query(store, text, limit)))
    except SparqlError as error:
        connection.send(("error", str(error)))
    finally:
        connection.close()


def run_limited(
    store: ox.Store, text: str, limit: int = DEFAULT_LIMIT, timeout: float = DEFAULT_TIMEOUT
) -> QueryResult:
    """Run a query in a forked child process, stopping it after `timeout` seconds."""
    check_query(text)  # refuse early without forking
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(store, text, limit, sender), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise SparqlTimeout(
                f"The query ran longer than {timeout:g} s and was stopped; "
                "add a LIMIT or make it more specific"
            )
        status, payload = receiver.recv()
    except EOFError as error:
        raise SparqlError("The query process ended without a result") from error
    finally:
        if process.is_alive():
            process.kill()
        process.join(1)
        receiver.close()
    if status == "error":
        raise SparqlError(payload)
    return payload
