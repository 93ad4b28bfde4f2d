"""The graph in a real SPARQL 1.1 store: `ilp publish` and queries on the store's endpoint,
against the Oxigraph server the `oxigraph` package ships (`oxigraph serve`), started here.

Skips when the package is absent, except under CI=true, where that is a failure.

Over 300 lines: one real server and every way the graph reaches it or is read from it
(publishing, the CLI, the site, credentials).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.remote_store import (
    POINTER,
    RemoteStoreError,
    build_graph_iri,
    current_graph,
    forget_pointers,
    publish_graph,
    run_remote,
)
from graph.sparql import SparqlLimitExceeded, load_store, run_query
from graph.sparql_syntax import SparqlError
from search.index.loaded import LoadedBuild
from webapp.cli import cli

SKOS_CONCEPT = "<http://www.w3.org/2004/02/skos/core#Concept>"


def _oxigraph_binary() -> str:
    beside_python = Path(sys.executable).parent / "oxigraph"
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("the Oxigraph server (`pip install oxigraph`) is missing under CI=true")
    pytest.skip("the Oxigraph server (the `oxigraph` package) is not installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A running `oxigraph serve`: its query and Graph Store Protocol URLs."""

    def __init__(self, base: str) -> None:
        self.query = f"{base}/query"
        self.store = f"{base}/store"

    def has_graph(self, graph: str) -> bool:
        try:
            with urllib.request.urlopen(f"{self.store}?graph={graph}", timeout=10):
                return True
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return False
            raise


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh Oxigraph server on a free local port, its data in a temporary folder."""
    binary = _oxigraph_binary()
    port = _free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None:
                    pytest.fail(f"oxigraph serve exited: {process.stderr.read().decode()}")
                time.sleep(0.05)
        else:
            pytest.fail("oxigraph serve did not start")
        forget_pointers()
        yield Server(base)
    finally:
        process.terminate()
        process.wait(10)
        forget_pointers()


@pytest.fixture()
def graph_file(built_instance: Path) -> Path:
    return LoadedBuild.open_current(built_instance).path / "graph.nt"


QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    f"SELECT ?c ?label WHERE {{ ?c a {SKOS_CONCEPT} ; "
    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?c ?label",
    f"ASK {{ ?c a {SKOS_CONCEPT} }}",
    "ASK { ?s <urn:no:such> ?o }",
]


def test_a_published_graph_answers_as_the_local_one(server: Server, graph_file: Path):
    report = publish_graph(graph_file, server.store, "build-1")
    local = load_store(graph_file)
    assert report.graph == build_graph_iri("build-1") and report.previous is None
    assert report.triples == len(local)
    for query in QUERIES:
        remote, here = run_remote(server.query, query), run_query(local, query)
        assert (remote.kind, remote.variables, remote.boolean) == (
            here.kind,
            here.variables,
            here.boolean,
        ), query
        assert remote.rows == here.rows, query
    construct = f"CONSTRUCT {{ ?c a {SKOS_CONCEPT} }} WHERE {{ ?c a {SKOS_CONCEPT} }}"
    remote = run_remote(server.query, construct)
    assert remote.kind == "graph"
    assert set(remote.ntriples.splitlines()) == set(
        run_query(local, construct).ntriples.splitlines()
    )


def test_republishing_replaces_the_graph_and_keeps_one_previous(
    server: Server, graph_file: Path, tmp_path: Path
):
    publish_graph(graph_file, server.store, "build-1")
    lines = graph_file.read_text("utf-8").splitlines()
    dropped = next(line for line in lines if "skos/core#Concept>" in line)
    smaller = tmp_path / "smaller.nt"
    kept = [line for line in lines if line != dropped] + ["<urn:x:new> <urn:x:is> <urn:x:here> ."]
    smaller.write_text("\n".join(kept) + "\n", "utf-8")

    second = publish_graph(smaller, server.store, "build-2")
    assert second.previous == build_graph_iri("build-1") and second.deleted == ()
    count = run_remote(server.query, QUERIES[0]).rows[0]["n"]["value"]
    assert int(count) == len(kept) == second.triples  # the new graph only: never a merge
    subject, predicate, rest = dropped.split(" ", 2)
    assert (
        run_remote(server.query, f"ASK {{ {subject} {predicate} {rest.rstrip(' .')} }}").boolean
        is False
    )
    assert run_remote(server.query, "ASK { <urn:x:new> <urn:x:is> <urn:x:here> }").boolean

    third = publish_graph(graph_file, server.store, "build-3")
    assert third.previous == build_graph_iri("build-2")
    assert third.deleted == (build_graph_iri("build-1"),)
    assert not server.has_graph(build_graph_iri("build-1"))
    assert server.has_graph(build_graph_iri("build-2"))  # readers may still be on it
    assert current_graph(server.query) == build_graph_iri("build-3")


def test_a_graph_that_fails_to_load_never_becomes_current(
    server: Server, graph_file: Path, tmp_path: Path
):
    publish_graph(graph_file, server.store, "build-1")
    broken = tmp_path / "broken.nt"
    broken.write_text("<urn:a> <urn:b> .\n", "utf-8")
    with pytest.raises(RemoteStoreError, match="Cannot read the graph"):
        publish_graph(broken, server.store, "build-2")
    forget_pointers()
    assert current_graph(server.query) == build_graph_iri("build-1")
    assert not server.has_graph(build_graph_iri("build-2"))


def test_the_read_only_rules_hold_in_front_of_the_store(server: Server, graph_file: Path):
    publish_graph(graph_file, server.store, "build-1")
    before = run_remote(server.query, QUERIES[0]).rows
    for refused in (
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DROP ALL",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    ):
        with pytest.raises(SparqlError):
            run_remote(server.query, refused)
    with pytest.raises(SparqlError, match="Malformed"):
        run_remote(server.query, "SELECT * WHERE { ?s ?p }")
    assert run_remote(server.query, QUERIES[0]).rows == before
    # Only the atlas's graph is visible: not the pointer graph, nor any other of the store.
    assert run_remote(server.query, f"ASK {{ GRAPH ?g {{ <{POINTER}> ?p ?o }} }}").boolean is False


def test_results_are_capped_on_our_side(server: Server, graph_file: Path):
    publish_graph(graph_file, server.store, "build-1")
    capped = run_remote(server.query, "SELECT * WHERE { ?s ?p ?o }", limit=5)
    assert len(capped.rows) == 5 and capped.truncated
    triples = run_remote(server.query, "CONSTRUCT WHERE { ?s ?p ?o }", limit=3)
    assert len(triples.ntriples.splitlines()) == 3 and triples.truncated
    with pytest.raises(SparqlLimitExceeded, match="larger than"):
        run_remote(server.query, "SELECT * WHERE { ?s ?p ?o }", max_bytes=1 << 10)


def test_a_store_without_our_graph_or_not_running_is_a_clear_error(server: Server):
    with pytest.raises(RemoteStoreError, match="No ILP Atlas graph has been published"):
        run_remote(server.query, QUERIES[0])
    closed = f"http://127.0.0.1:{_free_port()}/query"
    with pytest.raises(RemoteStoreError, match="Cannot reach the SPARQL store"):
        run_remote(closed, QUERIES[0])


def test_ilp_publish_and_ilp_sparql_with_an_endpoint(server: Server, built_instance: Path):
    runner = CliRunner()
    published = runner.invoke(
        cli, ["publish", "--instance", str(built_instance), "--sparql-store", server.store]
    )
    assert published.exit_code == 0, published.output
    build_id = LoadedBuild.open_current(built_instance).build_id
    assert f"as <{build_graph_iri(build_id)}>" in published.output
    asked = runner.invoke(
        cli, ["sparql", "--endpoint", server.query, f"ASK {{ ?c a {SKOS_CONCEPT} }}"]
    )
    assert asked.exit_code == 0 and asked.output.strip() == "true", asked.output
    refused = runner.invoke(
        cli, ["sparql", "--endpoint", server.query, "CLEAR ALL"], env={"ILP_SPARQL_ENDPOINT": ""}
    )
    assert refused.exit_code != 0 and "read-only" in refused.output
    bad = runner.invoke(
        cli, ["publish", "--instance", str(built_instance), "--sparql-store", "ftp://x/store"]
    )
    assert bad.exit_code != 0 and "http or https URL" in bad.output


def test_credentials_in_the_url_are_sent_when_asked_and_never_shown():
    """A store behind HTTP authentication (Virtuoso's /sparql-graph-crud-auth, a secured
    GraphDB or Fuseki): the user and password in the URL answer the server's challenge."""
    import base64
    import http.server
    import threading

    expected = "Basic " + base64.b64encode(b"atlas:s3cret word").decode()
    seen: list[str] = []

    class Store(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server interface
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="store"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            seen.append(body)
            answer = (
                {"head": {"vars": ["g"]},
                 "results": {"bindings": [{"g": {"type": "uri", "value": "urn:x:g"}}]}}
                if "currentGraph" in urllib.parse.unquote_plus(body)
                else {"head": {}, "boolean": True}
            )  # fmt: skip
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # noqa: ANN002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Store)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        forget_pointers()
        url = f"http://atlas:s3cret%20word@127.0.0.1:{port}/sparql"
        assert run_remote(url, "ASK { ?s ?p ?o }").boolean is True
        assert "default-graph-uri=urn%3Ax%3Ag" in seen[-1]  # the published graph, nothing else
        forget_pointers()
        with pytest.raises(RemoteStoreError) as refused:
            run_remote(f"http://atlas:wrong@127.0.0.1:{port}/sparql", "ASK { ?s ?p ?o }")
        assert "wrong" not in str(refused.value) and "atlas:***@" in str(refused.value)
    finally:
        server.shutdown()
        forget_pointers()


def test_the_site_queries_the_store_when_ilp_sparql_endpoint_is_set(
    server: Server, built_instance: Path, tmp_path: Path
):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from graph.rdf import concept_graph
    from tests.conftest import hashing_app

    build = LoadedBuild.open_current(built_instance)
    lines = (build.path / "graph.nt").read_text("utf-8").splitlines()
    marked = tmp_path / "marked.nt"  # the published graph differs from the build's by one triple
    marked.write_text("\n".join([*lines, "<urn:x:only> <urn:x:in> <urn:x:store> ."]) + "\n")
    publish_graph(marked, server.store, build.build_id)

    def client(endpoint: str):
        app = hashing_app(built_instance, ILP_SPARQL_ENDPOINT=endpoint)
        return app.test_client()

    site = client(server.query)
    asked = site.get("/sparql", query_string={"query": "ASK { <urn:x:only> ?p ?o }"})
    assert asked.status_code == 200 and asked.get_json()["boolean"] is True
    refused = site.post("/sparql", data={"update": "DROP ALL"})
    assert refused.status_code == 400
    concept = next(iter(build.scheme.concepts.values()))
    served = site.get(f"/concepts/{concept.id}.ttl")
    assert served.status_code == 200
    here = concept_graph(build.scheme.graph, concept.uri)
    assert isomorphic(Graph().parse(data=served.get_data(as_text=True), format="turtle"), here)

    down = client(f"http://127.0.0.1:{_free_port()}/query")
    failed = down.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert failed.status_code == 502
    assert "Cannot reach the SPARQL store" in failed.get_json()["error"]["message"]
