"""What a SPARQL query may contain, decided on the parsed query, never on its text.

A query is read-only and local: SPARQL Update is refused, and so is SERVICE, which would make
the engine send requests to any address (server-side request forgery). Searching the text for
the word cannot be made safe: a comment ended by a carriage return, a prefixed name or a
variable all hide it. So the query is parsed by a real SPARQL grammar (rdflib's) and the parse
tree is searched for a SERVICE pattern.

Two parsers can disagree, and a query that reads one way to the checker and another way to the
engine (pyoxigraph) would slip through, so rdflib is given the text as pyoxigraph tokenizes it:

- a carriage return ends a comment, as in the SPARQL grammar and pyoxigraph (rdflib ends
  comments only at a line feed);
- `\\uXXXX` escapes are left alone: pyoxigraph expands them only inside strings and IRIs,
  after finding where those end (`\\u0053ERVICE` is a syntax error to it, and `"\\u005C"` a
  one-character string), while rdflib's `parseQuery` expands them everywhere first, so that
  `"\\u005C" SERVICE ... "` would read to it as one long string. Without that step rdflib
  refuses a string or IRI holding such an escape, as malformed: rare, and safe.

A query rdflib cannot parse is refused. The engine itself runs with no network
(graph/sandbox.py), in case the parsers still disagree somewhere.
"""

from __future__ import annotations

from typing import Any

from ilp_base.errors import AtlasError

SERVICE_PATTERN = "ServiceGraphPattern"  # rdflib's name for `SERVICE [SILENT] <iri> { ... }`


class SparqlError(AtlasError):
    """A query was refused (not read-only, federated, malformed) or failed to run."""

    status = 400
    title = "SPARQL error"


def check_query(text: str) -> None:
    """Refuse an empty, malformed, updating or federated query (SERVICE), from its parse tree."""
    if not text or not text.strip():
        raise SparqlError("The query is empty")
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import Query, UpdateUnit

    code = engine_text(text)
    try:
        parsed = Query.parse_string(code, parse_all=True)
    except ParseBaseException as error:
        if _parses(UpdateUnit, code):
            raise SparqlError(
                "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is not allowed: "
                "the graph is read-only"
            ) from None
        raise SparqlError(f"Malformed query: {error}") from None
    except RecursionError:
        raise SparqlError("Malformed query: it is nested too deeply") from None
    if contains_service(parsed):
        raise SparqlError("Federated queries (SERVICE) are not allowed")


def engine_text(text: str) -> str:
    """The query as the engine tokenizes it, for rdflib: a carriage return ends a comment."""
    return text.replace("\r", "\n")


def contains_service(parsed: Any) -> bool:
    """True when a SERVICE pattern occurs anywhere in an rdflib parse tree."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    pending = [parsed]
    while pending:  # iterative: a deeply nested query cannot exhaust the stack here
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name == SERVICE_PATTERN:
                return True
            pending.extend(dict.values(node))
        elif isinstance(node, ParseResults | list | tuple):
            pending.extend(node)
        elif isinstance(node, dict):
            pending.extend(node.values())
    return False


def load_parser() -> None:
    """Import rdflib's SPARQL grammar now (0.2 s), so that forked query processes need not."""
    import rdflib.plugins.sparql.parser  # noqa: F401


def _parses(grammar: Any, code: str) -> bool:
    from pyparsing import ParseBaseException

    try:
        grammar.parse_string(code, parse_all=True)
    except (ParseBaseException, RecursionError):
        return False
    return True
