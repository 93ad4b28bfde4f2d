"""Read-only SPARQL over a build's graph, with pyoxigraph as the query engine.

Only queries run (SELECT, ASK, CONSTRUCT, DESCRIBE): SPARQL Update and federated queries
(SERVICE) are refused from the parsed query (graph/sparql_syntax.py). `run_limited` runs a query
in a forked child process confined by the kernel (graph/sandbox.py: no network, capped memory
and CPU time, lowest priority), so that a time limit can really stop it and no query can reach
out of the machine or starve the server.
"""

from __future__ import annotations

import faulthandler
import math
import multiprocessing
import os
import pickle
import signal
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.sandbox import ProcessLimits, confine
from graph.sparql_syntax import SparqlError, check_query, load_parser

DEFAULT_LIMIT = 1000
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 16 << 20  # the largest result a child may send back (pickled)
__all__ = [
    "QueryResult",
    "SparqlError",
    "SparqlLimitExceeded",
    "SparqlTimeout",
    "check_query",
    "load_store",
    "run_limited",
    "run_query",
]


class SparqlLimitExceeded(SparqlError):
    """A query needed more memory, CPU time or result size than it may have, and was stopped."""

    status = 503
    title = "SPARQL query stopped"


class SparqlTimeout(SparqlLimitExceeded):
    """A query ran past its time limit and was stopped."""


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


def load_store(graph_path: Path) -> ox.Store:
    """An in-memory pyoxigraph store holding a build's N-Triples graph."""
    store = ox.Store()
    store.bulk_load(path=str(graph_path), format=ox.RdfFormat.N_TRIPLES)
    return store


def run_query(store: ox.Store, text: str, limit: int = DEFAULT_LIMIT) -> QueryResult:
    """Run a read-only query in this process, keeping at most `limit` rows or triples.

    Only the parse check guards this path: the web app and `ilp sparql` use `run_limited`,
    which adds the confined child process.
    """
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


def run_limited(
    store: ox.Store,
    text: str,
    limit: int = DEFAULT_LIMIT,
    timeout: float = DEFAULT_TIMEOUT,
    limits: ProcessLimits | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> QueryResult:
    """Run a query in a forked, confined child process, stopping it after `timeout` seconds.

    `limits` caps the child's memory and CPU time (by default 1 GiB more than it inherits and
    the timeout plus a second); `max_bytes` caps the result it sends back.
    """
    if not text or not text.strip():
        raise SparqlError("The query is empty")
    limits = limits or ProcessLimits(cpu_seconds=math.ceil(timeout) + 1)
    load_parser()  # once here rather than in every child
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(store, text, limit, limits, max_bytes, sender), daemon=True
    )
    process.start()
    sender.close()
    message: bytes | None = None
    timed_out = False
    try:
        if receiver.poll(timeout):
            message = receiver.recv_bytes(max_bytes + 4096)
        else:
            timed_out = True
    except EOFError:  # the child ended without a word: see how, below
        pass
    except OSError as error:  # longer than `max_bytes` (the child checks it too)
        raise _too_large(max_bytes) from error
    finally:
        if process.is_alive():
            process.kill()
        process.join(1)
        receiver.close()
    if timed_out:
        raise SparqlTimeout(
            f"The query ran longer than {timeout:g} s and was stopped; "
            "add a LIMIT or make it more specific"
        )
    if message is None:
        raise _ended(process.exitcode, limits)
    status, payload = pickle.loads(message)
    if status == "error":
        raise payload
    return payload


def _child(
    store: ox.Store, text: str, limit: int, limits: ProcessLimits, max_bytes: int, connection
) -> None:
    """Confine this process, run the query, send back the result or the error."""
    try:
        _quiet_stderr()  # an engine that runs out of memory prints a backtrace: not in our log
        confine(limits)
        outcome: tuple = ("ok", run_query(store, text, limit))
    except SparqlError as error:
        outcome = ("error", error)
    except MemoryError:
        outcome = ("error", _memory_error(limits))
    except BaseException as error:  # noqa: BLE001 - pyoxigraph's PanicException is a BaseException
        outcome = ("error", SparqlError(f"The query failed: {type(error).__name__}: {error}"))
    try:
        message = pickle.dumps(outcome)
    except MemoryError:
        message = pickle.dumps(("error", _memory_error(limits)))
    if len(message) > max_bytes:
        message = pickle.dumps(("error", _too_large(max_bytes)))
    try:
        connection.send_bytes(message)
    finally:
        connection.close()


def _quiet_stderr() -> None:
    faulthandler.disable()  # it writes to its own copy of stderr (pytest enables it)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)


def _memory_error(limits: ProcessLimits) -> SparqlLimitExceeded:
    return SparqlLimitExceeded(
        f"The query needed more than {limits.memory_bytes >> 20} MB of memory and was stopped; "
        "add a LIMIT, avoid unconstrained joins, or make it more specific"
    )


def _too_large(max_bytes: int) -> SparqlLimitExceeded:
    return SparqlLimitExceeded(
        f"The result is larger than {max_bytes >> 20} MB; add a LIMIT or select fewer or "
        "shorter values"
    )


def _ended(exit_code: int | None, limits: ProcessLimits) -> SparqlError:
    """The error for a child that ended without sending anything."""
    if exit_code in (-signal.SIGABRT, -signal.SIGKILL):
        # A failed allocation aborts the engine (Rust), or the kernel's OOM killer struck.
        return _memory_error(limits)
    if exit_code == -signal.SIGXCPU:
        return SparqlTimeout(
            f"The query used more than {limits.cpu_seconds} s of CPU time and was stopped; "
            "add a LIMIT or make it more specific"
        )
    return SparqlError(f"The query process ended without a result (exit code {exit_code})")
