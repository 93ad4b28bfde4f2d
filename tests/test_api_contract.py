"""Machine interfaces: OpenAPI-validated JSON, the SPARQL protocol (SPARQLWrapper), graph dumps."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from jsonschema import Draft202012Validator
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic


@pytest.fixture(scope="module")
def spec(built_instance):
    from tests.fakes import HashingEncoder
    from webapp import create_app

    app = create_app(
        {"TESTING": True, "ILP_INSTANCE": str(built_instance), "ENCODER": HashingEncoder()}
    )
    return app.test_client().get("/api/openapi.json").get_json()


def validate(spec: dict, path: str, status: int, payload: dict) -> None:
    """Validate a response body against the OpenAPI schema of (path, status)."""
    operation = spec["paths"][path]["get"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    Draft202012Validator({**schema, "components": spec["components"]}).validate(payload)


def test_openapi_document_is_well_formed(spec):
    assert spec["openapi"].startswith("3.")
    for path, item in spec["paths"].items():
        assert path.startswith("/api/") and item["get"]["responses"]["200"]


def test_real_responses_match_the_openapi_document(client, spec):
    search = client.get("/api/search?q=tasking+meetings&k=3")
    validate(spec, "/api/search", 200, search.get_json())
    bad = client.get("/api/search?q=ilp&k=0")
    validate(spec, "/api/search", 400, bad.get_json())
    concepts = client.get("/api/concepts").get_json()
    validate(spec, "/api/concepts", 200, concepts)
    concept = client.get("/api/concepts/tasking-and-co-ordination-group").get_json()
    validate(spec, "/api/concepts/{concept_id}", 200, concept)
    validate(spec, "/api/concepts/{concept_id}", 404, client.get("/api/concepts/nope").get_json())
    documents = client.get("/api/documents").get_json()
    validate(spec, "/api/documents", 200, documents)
    document = client.get("/api/documents/tasking-guide").get_json()
    validate(spec, "/api/documents/{document_id}", 200, document)
    passage_id = document["passages"][0]["passage_id"]
    validate(
        spec,
        "/api/passages/{passage_id}",
        200,
        client.get(f"/api/passages/{passage_id}").get_json(),
    )


@pytest.fixture(scope="module")
def live_site(built_instance):
    """The app over the mini build, served by waitress on a free loopback port."""
    from waitress.server import create_server

    from tests.fakes import HashingEncoder
    from webapp import create_app

    app = create_app({"ILP_INSTANCE": str(built_instance), "ENCODER": HashingEncoder()})
    server = create_server(app, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


LABELS_QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?concept ?label WHERE { ?concept a skos:Concept ; skos:prefLabel ?label .
FILTER (lang(?label) = "en") } ORDER BY ?label"""


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("return_format", ["json", "xml", "csv"])
def test_sparql_protocol_with_sparqlwrapper(live_site, method, return_format):
    from SPARQLWrapper import CSV, GET, JSON, POST, XML, SPARQLWrapper

    client = SPARQLWrapper(live_site + "/sparql")
    client.setQuery(LABELS_QUERY)
    client.setMethod(GET if method == "GET" else POST)
    client.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV}[return_format])
    result = client.queryAndConvert()
    if return_format == "json":
        labels = [b["label"]["value"] for b in result["results"]["bindings"]]
    elif return_format == "xml":
        labels = [
            node.firstChild.firstChild.data
            for node in result.getElementsByTagName("binding")
            if node.getAttribute("name") == "label"
        ]
    else:
        labels = [
            line.split(",", 1)[1].strip('"') for line in result.decode().strip().splitlines()[1:]
        ]
    assert "3-i model" in labels and "Tasking and co-ordination group" in labels


def test_sparql_ask_and_construct(live_site):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(live_site + "/sparql")
    client.setQuery("ASK { ?s a <http://www.w3.org/2004/02/skos/core#Concept> }")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery(
        "CONSTRUCT { ?c ?p ?o } WHERE { ?c a "
        "<http://www.w3.org/2004/02/skos/core#Concept> ; ?p ?o }"
    )
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert len(graph) > 20


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "read-only"),
        ("DELETE WHERE { ?s ?p ?o }", "read-only"),
        ("LOAD <http://example.org/data.ttl>", "read-only"),
        ("CLEAR ALL", "read-only"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { ?s ?p", "Malformed query"),
    ],
)
def test_sparql_refuses_updates_federation_and_bad_syntax(client, query, message):
    for response in (
        client.get("/sparql", query_string={"query": query}),
        client.post("/sparql", data={"query": query}),
    ):
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_sparql_update_operation_is_refused(client):
    response = client.post(
        "/sparql",
        data="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        content_type="application/sparql-update",
    )
    assert response.status_code == 400 and "read-only" in response.get_data(as_text=True)


def test_sparql_form_page(client):
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Example queries" in page.get_data(as_text=True)


def same_graph(first: Graph, second: Graph) -> bool:
    """Isomorphic: no triple of either canonicalised graph is missing from the other."""
    _, only_first, only_second = graph_diff(to_isomorphic(first), to_isomorphic(second))
    return len(first) == len(second) and not only_first and not only_second


def test_graph_dumps_parse_in_rdflib_and_pyoxigraph(client, built_instance: Path):
    turtle = client.get("/graph.ttl")
    assert turtle.mimetype == "text/turtle"
    from_rdflib = Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
    store = ox.Store()
    store.load(turtle.get_data(), format=ox.RdfFormat.TURTLE)
    via_oxigraph = Graph().parse(
        data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt"
    )
    saved = Graph().parse(built_instance / "current" / "graph.nt", format="nt")
    assert same_graph(from_rdflib, saved) and same_graph(via_oxigraph, saved)
    jsonld = client.get("/graph.jsonld")
    assert same_graph(Graph().parse(data=jsonld.get_data(as_text=True), format="json-ld"), saved)
    json.loads(jsonld.get_data(as_text=True))
