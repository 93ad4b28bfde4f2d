"""The graph in any SPARQL 1.1 store: publish a build's graph into it, and query it read-only.

An organisation that keeps its vocabularies in its own triple store (Oxigraph server, Apache
Jena Fuseki, GraphDB, Virtuoso) can hold the atlas's graph there too. Two standard protocols
are all this needs, so no store-specific code is written here:

- **Publishing** uses the SPARQL 1.1 Graph Store HTTP Protocol only (`PUT`, `GET` and `DELETE`
  of a named graph at `STORE_URL?graph=IRI`). Each build goes into a named graph of its own,
  `https://w3id.org/ilp-atlas/graph/build/<build id>`, written whole by one `PUT` (which
  replaces whatever that graph held: never a merge with stale triples). Only when it is in
  place is the *pointer graph* (`https://w3id.org/ilp-atlas/graph/current`) replaced, again by
  one `PUT`, to name the new graph as current. A reader that resolves the pointer therefore
  sees the whole old graph or the whole new one, never a half-loaded one, whatever the store's
  own transaction guarantees for a large `PUT`. The previous build's graph is kept (a reader
  may still be using it); older ones are deleted.
- **Querying** uses the SPARQL 1.1 Protocol: the query, checked read-only and local from its
  parse tree first (graph/sparql_syntax.py), is sent to the store's query endpoint with the
  current build's graph as its `default-graph-uri`, so the same queries work as on the local
  engine. Time limit, result cap and result size cap are enforced here, on our side of the
  connection; the store's own limits (for example `oxigraph serve --timeout-s`) are a second
  line.

The results come back as the same `QueryResult` as the local engine's, so every format the
site and the CLI offer works unchanged.

Over 300 lines: both protocols, their errors and the credentials they share are one concern
(talking to a store), and splitting them would scatter the request handling.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import BASE
from graph.sparql import (
    DEFAULT_LIMIT,
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    QueryResult,
    SparqlLimitExceeded,
    SparqlTimeout,
)
from graph.sparql_syntax import SparqlError, check_query
from ilp_base.errors import AtlasError

GRAPHS = BASE + "graph/"
POINTER = GRAPHS + "current"  # the pointer graph, and the subject of its triples
CURRENT = BASE + "ontology#currentGraph"  # pointer -> the graph readers use
RETAINED = BASE + "ontology#retainedGraph"  # pointer -> every build graph still in the store
NTRIPLES = "application/n-triples"
RESULTS_JSON = "application/sparql-results+json"
POINTER_SECONDS = 5.0  # how long a resolved pointer is reused before it is asked again
_CHUNK = 1 << 16

__all__ = [
    "PublishReport",
    "RemoteStoreError",
    "build_graph_iri",
    "current_graph",
    "publish_graph",
    "remote_concept_graph",
    "run_remote",
]


class RemoteStoreError(AtlasError):
    """The SPARQL store could not be reached or refused a request."""

    status = 502
    title = "SPARQL store unavailable"


@dataclass(frozen=True)
class PublishReport:
    """What `publish_graph` did: the graph now current, how many triples it holds, the graph it
    replaced as current (kept for readers still using it), and the graphs it deleted."""

    graph: str
    triples: int
    previous: str | None
    deleted: tuple[str, ...]


def build_graph_iri(build_id: str) -> str:
    """The named graph a build's triples are published into."""
    return GRAPHS + "build/" + urllib.parse.quote(build_id, safe="-_.")


def publish_graph(
    ntriples: Path, store_url: str, build_id: str, timeout: float = 600.0
) -> PublishReport:
    """Write a build's N-Triples graph into the store at `store_url` (its Graph Store Protocol
    endpoint, e.g. `http://localhost:7878/store` for `oxigraph serve`) and make it current."""
    ntriples = Path(ntriples)
    triples = _count_triples(ntriples)
    graph = build_graph_iri(build_id)
    pointer = _read_pointer(store_url, timeout)
    with ntriples.open("rb") as body:
        _request(
            "PUT",
            _graph_url(store_url, graph),
            timeout,
            body=body,
            headers={"Content-Type": NTRIPLES, "Content-Length": str(ntriples.stat().st_size)},
        )
    previous = pointer.current if pointer.current != graph else None
    keep = [graph] + ([previous] if previous else [])
    _request(
        "PUT",
        _graph_url(store_url, POINTER),
        timeout,
        body=_pointer_triples(graph, keep).encode("utf-8"),
        headers={"Content-Type": NTRIPLES},
    )
    deleted = tuple(sorted(set(pointer.retained) - set(keep)))
    for old in deleted:
        _request("DELETE", _graph_url(store_url, old), timeout, missing_ok=True)
    forget_pointers()
    return PublishReport(graph, triples, previous, deleted)


def current_graph(query_url: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """The named graph the pointer names as current, asked of the store's query endpoint
    (cached for `POINTER_SECONDS`); `RemoteStoreError` when nothing was published there."""
    now = time.monotonic()
    with _pointer_lock:
        cached = _pointer_cache.get(query_url)
        if cached and now - cached[1] < POINTER_SECONDS:
            return cached[0]
    query = f"SELECT ?g WHERE {{ GRAPH <{POINTER}> {{ <{POINTER}> <{CURRENT}> ?g }} }}"
    payload = _post_query(query_url, query, None, timeout, DEFAULT_MAX_BYTES, RESULTS_JSON)
    bindings = json.loads(payload[1])["results"]["bindings"]
    if not bindings:
        raise RemoteStoreError(
            f"No ILP Atlas graph has been published to {redact(query_url)}: run "
            "`ilp publish --sparql-store URL` first"
        )
    graph = bindings[0]["g"]["value"]
    with _pointer_lock:
        _pointer_cache[query_url] = (graph, now)
    return graph


def run_remote(
    query_url: str,
    text: str,
    limit: int = DEFAULT_LIMIT,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> QueryResult:
    """Run a read-only query on the store's SPARQL endpoint, over the current build's graph,
    keeping at most `limit` rows or triples (the same rules and result as `run_limited`)."""
    check_query(text)  # before anything leaves this process
    deadline = time.monotonic() + timeout
    graph = current_graph(query_url, timeout)
    content_type, body = _post_query(
        query_url,
        text,
        graph,
        max(0.1, deadline - time.monotonic()),
        max_bytes,
        f"{RESULTS_JSON}, {NTRIPLES};q=0.9",
        deadline,
    )
    if content_type.startswith(NTRIPLES) or content_type.startswith("text/plain"):
        return _graph_result(body.decode("utf-8"), limit)
    try:
        results = json.loads(body)
    except ValueError as error:
        raise RemoteStoreError(
            f"The SPARQL store sent a result that is not JSON: {error}"
        ) from error
    if "boolean" in results:
        return QueryResult("ask", boolean=bool(results["boolean"]))
    variables = list(results.get("head", {}).get("vars", []))
    rows = results.get("results", {}).get("bindings", [])
    return QueryResult("select", variables, rows[:limit], truncated=len(rows) > limit)


def remote_concept_graph(query_url: str, uri: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """A concept's own triples and the labels of what it points to (as
    `graph.rdf.concept_graph` takes them from the build), as N-Triples from the store."""
    if not uri.startswith(BASE) or any(character in uri for character in '<>"{}|\\^` '):
        raise RemoteStoreError(f"Not a concept of this atlas: {uri}")
    label = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    query = (
        f"CONSTRUCT {{ <{uri}> ?p ?o . ?o {label} ?label }} "
        f"WHERE {{ <{uri}> ?p ?o . OPTIONAL {{ FILTER(isIRI(?o)) ?o {label} ?label }} }}"
    )
    return run_remote(query_url, query, limit=100_000, timeout=timeout).ntriples


# --- the protocols -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pointer:
    current: str | None
    retained: tuple[str, ...]


_pointer_cache: dict[str, tuple[str, float]] = {}
_pointer_lock = threading.Lock()


def forget_pointers() -> None:
    """Drop the cached pointers (after a publish in this process, and in tests)."""
    with _pointer_lock:
        _pointer_cache.clear()


def _open(request: urllib.request.Request, timeout: float):  # noqa: ANN202 - a response
    """Send a request; credentials in the URL (`http://user:password@host/...`) are taken out
    of it and given to the server when it asks for them (HTTP Basic or Digest: Virtuoso's
    `/sparql-graph-crud-auth` asks for Digest)."""
    parts = urllib.parse.urlsplit(request.full_url)
    if parts.username is None:
        return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    request.full_url = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(
        None,
        f"{parts.scheme}://{netloc}/",
        urllib.parse.unquote(parts.username),
        urllib.parse.unquote(parts.password or ""),
    )
    opener = urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(passwords),
        urllib.request.HTTPDigestAuthHandler(passwords),
    )
    return opener.open(request, timeout=timeout)


def redact(url: str) -> str:
    """A URL as it may be shown: without the password it may hold."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname or ''}" + (
        f":{parts.port}" if parts.port else ""
    )
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def _graph_url(store_url: str, graph: str) -> str:
    separator = "&" if "?" in store_url else "?"
    return f"{store_url}{separator}{urllib.parse.urlencode({'graph': graph})}"


def _pointer_triples(current: str, retained: list[str]) -> str:
    lines = [f"<{POINTER}> <{CURRENT}> <{current}> ."]
    lines += [f"<{POINTER}> <{RETAINED}> <{graph}> ." for graph in retained]
    return "\n".join(lines) + "\n"


def _read_pointer(store_url: str, timeout: float) -> _Pointer:
    body = _request(
        "GET", _graph_url(store_url, POINTER), timeout, headers={"Accept": NTRIPLES},
        missing_ok=True,
    )  # fmt: skip
    if not body:
        return _Pointer(None, ())
    current = None
    retained = []
    for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        if quad.predicate.value == CURRENT:
            current = quad.object.value
        elif quad.predicate.value == RETAINED:
            retained.append(quad.object.value)
    return _Pointer(current, tuple(retained))


def _count_triples(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for _ in ox.parse(handle, format=ox.RdfFormat.N_TRIPLES))
    except (OSError, SyntaxError) as error:
        raise RemoteStoreError(f"Cannot read the graph at {path}: {error}") from error


def _request(
    method: str,
    url: str,
    timeout: float,
    body=None,  # noqa: ANN001 - bytes or a binary file
    headers: dict[str, str] | None = None,
    missing_ok: bool = False,
) -> bytes:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _open(request, timeout) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        if missing_ok and error.code == 404:
            return b""
        detail = error.read(2000).decode("utf-8", "replace").strip()
        raise RemoteStoreError(
            f"The SPARQL store refused {method} {redact(url)}: HTTP {error.code} {detail}"
        ) from error
    except (urllib.error.URLError, OSError) as error:
        raise RemoteStoreError(
            f"Cannot reach the SPARQL store at {redact(url)}: {error}"
        ) from error


def _post_query(
    query_url: str,
    text: str,
    graph: str | None,
    timeout: float,
    max_bytes: int,
    accept: str,
    deadline: float | None = None,
) -> tuple[str, bytes]:
    """POST a query (SPARQL 1.1 Protocol, form-encoded); the response's type and body, read
    up to `max_bytes` and before `deadline`."""
    fields = [("query", text)] + ([("default-graph-uri", graph)] if graph else [])
    request = urllib.request.Request(
        query_url,
        data=urllib.parse.urlencode(fields).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    )
    deadline = deadline or time.monotonic() + timeout
    try:
        with _open(request, timeout) as response:
            content_type = response.headers.get("Content-Type", "")
            chunks = []
            size = 0
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise SparqlLimitExceeded(
                        f"The result is larger than {max_bytes >> 20} MiB and was stopped; "
                        "add a LIMIT or make the query more specific"
                    )
                if time.monotonic() > deadline:
                    raise _timed_out(timeout)
                chunks.append(chunk)
            return content_type, b"".join(chunks)
    except urllib.error.HTTPError as error:
        detail = error.read(2000).decode("utf-8", "replace").strip()
        if error.code == 400:  # the store's parser or evaluator refused the query
            raise SparqlError(f"The SPARQL store refused the query: {detail}") from error
        raise RemoteStoreError(
            f"The SPARQL store at {redact(query_url)} answered HTTP {error.code}: {detail}"
        ) from error
    except TimeoutError as error:
        raise _timed_out(timeout) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timed_out(timeout) from error
        raise RemoteStoreError(
            f"Cannot reach the SPARQL store at {redact(query_url)}: {error}"
        ) from error


def _timed_out(timeout: float) -> SparqlTimeout:
    return SparqlTimeout(
        f"The query ran longer than {timeout:g} s and was stopped; "
        "add a LIMIT or make it more specific"
    )


def _graph_result(ntriples: str, limit: int) -> QueryResult:
    lines = [line for line in ntriples.splitlines() if line.strip()]
    kept = lines[:limit]
    return QueryResult(
        "graph",
        ntriples="\n".join(kept) + ("\n" if kept else ""),
        truncated=len(lines) > limit,
    )
