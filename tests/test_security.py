"""Security: response headers, hostile parameters on every route, escaping of hostile content.

Over 300 lines: one place for every attack the site is tested against, most of it tables of
routes and hostile values.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from graph.linking.model import LinkSettings
from ilp_pipeline.run import run_build
from ingest.catalog import load_catalog
from tests.conftest import hashing_app
from tests.fakes import HashingEncoder
from webapp.security import SECURITY_HEADERS

# --- headers ----------------------------------------------------------------------------------

EXPECTED_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response) -> None:
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name
    policy = response.headers["Content-Security-Policy"]
    assert "http" not in policy and "*" not in policy and "unsafe" not in policy


def test_the_policy_names_no_external_source():
    """Read as a browser would: every directive allows only the app itself (or nothing), images
    may also be data: URIs, and nothing falls back to a default that allows more."""
    directives = {}
    for directive in SECURITY_HEADERS["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = set(sources)
    assert directives["default-src"] == {"'self'"}
    assert directives["script-src"] == directives["style-src"] == {"'self'"}
    assert directives["img-src"] == {"'self'", "data:"}
    for name in ("object-src", "base-uri", "frame-ancestors"):
        assert directives[name] == {"'none'"}, name
    allowed = {"'self'", "'none'", "data:"}
    assert all(sources <= allowed for sources in directives.values()), directives


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/search?q=tasking+meetings", 200),
        ("/search?q=tasking&k=abc", 400),
        ("/api/search?q=tasking", 200),
        ("/api/search", 400),
        ("/concepts/", 200),
        ("/concepts/tasking-and-co-ordination-group", 200),
        ("/concepts/no-such-concept", 404),
        ("/api/no-such-endpoint", 404),
        ("/no-such-page", 404),
        ("/static/style.css", 200),
        ("/static/no-such-file.css", 404),
    ],
)
def test_every_response_carries_the_security_headers(client, path: str, status: int):
    response = client.get(path)
    assert response.status_code == status
    assert_security_headers(response)


def test_service_unavailable_responses_carry_the_headers(tmp_path: Path):
    from webapp import create_app

    app = create_app(
        {"TESTING": True, "ILP_INSTANCE": str(tmp_path / "none"), "ENCODER": HashingEncoder()}
    )
    for path in ("/api/search?q=ilp", "/search?q=ilp"):
        response = app.test_client().get(path)
        assert response.status_code == 503
        assert_security_headers(response)


def test_unexpected_error_is_a_500_without_traceback_and_with_headers(built_instance: Path):
    from webapp import create_app

    app = create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,
            "ILP_INSTANCE": str(built_instance),
            "ENCODER": HashingEncoder(),
        }
    )

    def explode():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/api/explode", "api_explode", explode)
    app.add_url_rule("/explode", "explode", explode)
    client = app.test_client()
    api = client.get("/api/explode")
    assert api.status_code == 500 and api.get_json()["error"]["status"] == 500
    page = client.get("/explode")
    assert page.status_code == 500 and page.mimetype == "text/html"
    for response in (api, page):
        body = response.get_data(as_text=True)
        assert "Traceback" not in body and "secret internal detail" not in body
        assert_security_headers(response)


# --- what a response may tell: no Host echoed, no server path, headers on waitress's own errors


@pytest.mark.parametrize("path", ["/concepts", "/documents"])
def test_redirects_never_echo_the_host_header(client, path: str):
    response = client.get(path, headers={"Host": "attacker.example"})
    assert response.status_code == 308
    assert response.headers["Location"] == path + "/"
    assert all("attacker" not in value for _, value in response.headers.items())


def test_absolute_urls_come_from_the_configured_server_name(built_instance: Path):
    from webapp import create_app

    app = create_app(
        {
            "TESTING": True,
            "ILP_INSTANCE": str(built_instance),
            "ENCODER": HashingEncoder(),
            "ILP_SERVER_NAME": "atlas.example.org",
        }
    )
    response = app.test_client().get("/concepts", headers={"Host": "attacker.example"})
    assert response.headers["Location"] == "http://atlas.example.org/concepts/"


def test_no_build_503_names_no_server_path(tmp_path: Path):
    from webapp import create_app

    instance = tmp_path / "secret-place" / "instance"
    app = create_app({"TESTING": True, "ILP_INSTANCE": str(instance), "ENCODER": HashingEncoder()})
    client = app.test_client()
    api = client.get("/api/search?q=ilp")
    assert api.status_code == 503 and "ilp ingest" in api.get_json()["error"]["message"]
    for response in (api, client.get("/search?q=ilp")):
        body = response.get_data(as_text=True)
        assert "secret-place" not in body and str(tmp_path) not in body


def test_waitress_own_errors_carry_the_security_headers(built_instance: Path):
    """431 (headers over waitress's limit) is written by waitress, never by the app."""
    import socket
    import subprocess
    import sys
    import time

    from tests.conftest import REPO

    with socket.socket() as probe:  # a free port for `ilp serve`
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "serve", "--instance", str(built_instance)]
        + ["--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        with connection:
            big = "x" * 300_000  # waitress's max_request_header_size is 262,144 bytes
            reply = b""
            try:  # waitress answers and closes before it has read everything: a reset
                connection.sendall(f"GET / HTTP/1.1\r\nHost: a\r\nX-Big: {big}\r\n".encode())
                while chunk := connection.recv(65536):
                    reply += chunk
            except (ConnectionResetError, BrokenPipeError):
                reply += connection.recv(65536) if not reply else b""
    finally:
        server.terminate()
        server.wait(10)
    head = reply.split(b"\r\n\r\n", 1)[0].decode()
    status, *lines = head.split("\r\n")
    assert status.split()[1] == "431", head
    headers = dict(line.split(": ", 1) for line in lines)
    for name, value in EXPECTED_HEADERS.items():
        assert headers.get(name) == value, name


# --- hostile parameters -----------------------------------------------------------------------

LONG_Q = "policing " * 112  # 1,008 characters
# (query string, expected status): 200 means handled normally, 400 a clear refusal.
HOSTILE_SEARCHES = [
    ("q=tasking&k=99999999999999999999999999", 400),
    ("q=tasking&k=" + "9" * 5000, 400),
    ("q=tasking&k=-1", 400),
    ("q=tasking&k=0", 400),
    ("q=tasking&k=1.5", 400),
    ("q=tasking&k=1e3", 400),
    ("q=tasking&k=0x10", 400),
    ("q=tasking&k=abc", 400),
    ("q=tasking&k=%00", 400),
    ("q=tasking&k=%EF%BC%95", 400),  # a full-width digit 5: only ASCII digits are numbers
    ("q=tasking&k=1&k=abc", 200),  # the first of repeated values counts
    ("q=tasking&k=", 200),
    ("q=tasking&offset=-1", 400),
    ("q=tasking&offset=99999999", 400),
    ("q=tasking&offset=nan", 400),
    ("q=" + quote(LONG_Q), 400),
    ("q=" + "x" * 100_000, 400),
    ("q=tasking%00meetings", 400),
    ("q=%00", 400),
    ("q=%FF%FE%FD", 200),  # invalid UTF-8 is replaced, not an error
    ("q=%F0%9F%9A%93+polic%C3%ADa+%E8%AD%A6%E5%AF%9F+%D8%B4%D8%B1%D8%B7%D8%A9", 200),
    ("q=%E2%80%AE%E2%80%8Btasking%EF%BB%BF", 200),  # RTL override, zero-width, BOM
    ("q=" + quote('"NEAR(a b)" OR * AND NOT ^col:x'), 200),  # FTS5 syntax
    ("q=" + quote("' OR 1=1; DROP TABLE passages; --"), 200),
    ("q=tasking&q=meetings", 200),
    ("q=tasking&kind=novel", 400),
    ("q=tasking&kind=guidebook&kind=%3Cscript%3E", 400),
    ("q=tasking&" + "&".join(["kind=guidebook"] * 21), 400),
    ("q=tasking&" + "&".join(["kind=guidebook"] * 20), 200),
    ("q=tasking&kind=", 200),
    ("q=tasking&method=sql", 400),
    ("q=tasking&method=", 400),
    ("q=tasking&year=abc", 400),
    ("q=tasking&year=99999", 400),
    ("q=tasking&country=" + quote("<x>"), 400),
    ("q=tasking&concept=" + quote("../../etc"), 400),
    ("q=tasking&document=" + "a" * 500, 400),
    ("q=tasking&unknown=1", 200),
]


@pytest.mark.parametrize(
    ("query", "status"), HOSTILE_SEARCHES, ids=[f"{n}" for n in range(len(HOSTILE_SEARCHES))]
)
def test_api_search_refuses_bad_parameters_with_json(client, query: str, status: int):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    if status == 400:
        error = response.get_json()["error"]
        assert error["status"] == 400 and error["message"]
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "status"), HOSTILE_SEARCHES, ids=[f"{n}" for n in range(len(HOSTILE_SEARCHES))]
)
def test_search_page_refuses_bad_parameters_with_a_friendly_page(client, query: str, status: int):
    response = client.get(f"/search?{query}")
    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Traceback" not in html and 'File "' not in html
    if status == 400:
        assert "Bad request" in html  # the title errors.py gives a QueryError


@pytest.mark.parametrize(
    ("query", "status"), HOSTILE_SEARCHES, ids=[f"{n}" for n in range(len(HOSTILE_SEARCHES))]
)
def test_csv_export_refuses_bad_parameters(client, query: str, status: int):
    response = client.get(f"/search.csv?{query}")
    assert response.status_code == status
    assert "Traceback" not in response.get_data(as_text=True)


SPARQL_QUERIES = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "INSERT DATA { <a:b> <a:c> <a:d> }",
    "DROP ALL",
    "not sparql at all",
    "SELECT * WHERE { SERVICE <http://x/> {} }",
    "\x00",
    "SELECT * WHERE { ?s ?p ?o . FILTER(" + "(" * 2000 + ") }",
    "<script>alert(1)</script>",
    "",
]


@pytest.mark.parametrize("query", SPARQL_QUERIES, ids=range(len(SPARQL_QUERIES)))
def test_sparql_endpoint_refuses_hostile_queries_without_a_server_error(client, query: str):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    assert "Traceback" not in response.get_data(as_text=True)
    assert_security_headers(response)
    if response.mimetype == "text/html":
        assert_no_raw_markup(response.get_data(as_text=True))


def test_missing_q_is_a_400_on_the_api_and_an_empty_form_on_the_page(client):
    assert client.get("/api/search").status_code == 400
    assert client.get("/api/search?k=3").status_code == 400
    assert client.get("/search").status_code == 200


@pytest.mark.parametrize("path", ["/", "/concepts/"])
@pytest.mark.parametrize("query", ["q=%00", "k=-5", "x=" + "y" * 5000, "q=<script>"])
def test_pages_without_parameters_ignore_junk(client, path: str, query: str):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)


HOSTILE_IDS = [
    "no-such-id",
    "<script>alert(1)</script>",
    "\x00",
    "x" * 5000,
    "ünïcødé-概念",
    "'; DROP TABLE passages; --",
    "..",
    "%2e%2e",
    "a b",
    '"><img src=x onerror=alert(1)>',
]


def rule_urls(app, values: list[str]) -> list[str]:
    """A URL of every GET route for each hostile value put into its path arguments."""
    urls = set()
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for value in values if rule.arguments else [""]:
            arguments = {}
            for name in rule.arguments:
                converter = rule._converters[name]
                items = getattr(converter, "items", None)  # any(...): take a valid choice
                arguments[name] = sorted(items)[0] if items else value
            urls.add(adapter.build(rule.endpoint, arguments))
    return sorted(urls)


def test_every_route_answers_hostile_ids_without_a_server_error(app):
    client = app.test_client()
    failures = []
    for url in rule_urls(app, HOSTILE_IDS):
        response = client.get(url)
        body = response.get_data(as_text=True)
        if response.status_code >= 500 or "Traceback" in body:
            failures.append((url[:80], response.status_code))
        assert_security_headers(response)
        if response.mimetype == "text/html":  # JSON may carry markup as data; HTML never
            assert_no_raw_markup(body)
    assert not failures


@pytest.mark.parametrize(
    "path",
    [
        "/concepts/no-such-concept",
        "/concepts/%3Cscript%3E",
        "/concepts/%00",
        "/concepts/" + "x" * 5000,
    ],
)
def test_unknown_concept_is_404_and_escaped(client, path: str):
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<script>" not in html and "Traceback" not in html


def test_static_files_cannot_escape_their_folder(client):
    for path in (
        "/static/../__init__.py",
        "/static/%2e%2e/__init__.py",
        "/static/..%2f__init__.py",
        "/static//etc/passwd",
    ):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 404, path
        assert "create_app" not in response.get_data(as_text=True)


# --- hostile content in the corpus is shown escaped -------------------------------------------

ATTACKS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"]
HOSTILE_HTML = """<!DOCTYPE html>
<html lang="en"><head><title>Hostile</title>
<script>alert("head script")</script></head>
<body onload="alert('body')"><main>
<h1>Hostile Guide</h1>
<h2>1. Tasking meetings &lt;script&gt;alert("heading")&lt;/script&gt;</h2>
<p onclick="alert('click')">Tasking meetings decide priorities. The text shows
&lt;script&gt;alert("passage")&lt;/script&gt; as words, and &lt;img src=x onerror=alert(2)&gt;
too, and &quot;&gt;&lt;svg onload=alert(3)&gt; and a link
<a href="javascript:alert('link')" onmouseover="alert('hover')">javascript:alert(4)</a>.</p>
<p>Analysts present the assessment at the tasking meetings.<script>alert("inline")</script>
<img src="x" onerror="alert('img')"> <iframe src="javascript:alert('frame')"></iframe></p>
</main></body></html>
"""
HOSTILE_MARKDOWN = """---
title: Hostile notes
---
# Hostile Notes

## 1. Raw HTML in Markdown <img src=x onerror=alert(6)>

Tasking meetings in the notes. <script>alert("markdown")</script> A [link](javascript:alert(5))
and <a href="javascript:alert(7)" onclick="alert(8)">an anchor</a> about tasking meetings.
"""
HOSTILE_CONCEPTS = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ilpc: <https://w3id.org/ilp-atlas/concept/> .

<https://w3id.org/ilp-atlas/concepts> a skos:ConceptScheme ;
    dcterms:title "Hostile scheme"@en ; skos:hasTopConcept ilpc:hostile-meetings .

ilpc:hostile-meetings a skos:Concept ; skos:inScheme <https://w3id.org/ilp-atlas/concepts> ;
    skos:prefLabel "Meetings <script>alert(9)</script>"@en ;
    skos:altLabel "tasking meetings"@en, "\\"><img src=x onerror=alert(10)>"@en ;
    skos:definition "A definition with <script>alert(11)</script> and javascript:alert(12)."@en ;
    dcterms:source "<img src=x onerror=alert(13)>" ;
    skos:topConceptOf <https://w3id.org/ilp-atlas/concepts> .
"""
HOSTILE_CATALOG = """
[[document]]
id = "hostile-guide"
title = "Guide <script>alert('title')</script>"
kind = "guidebook"
organisation = "<img src=x onerror=alert('org')>"
year = 2020
countries = ["RS"]
source_urls = ["javascript:alert('source')"]
summary = "\\"><script>alert('summary')</script>"
file = "hostile.html"

[[document]]
id = "hostile-notes"
title = "Notes \\"><img src=x onerror=alert('notes')>"
kind = "research"
year = 2021
file = "hostile.md"
"""


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory):
    """The app over a build of documents full of markup, event handlers and javascript: links."""

    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "hostile.html").write_text(HOSTILE_HTML)
    (corpus / "hostile.md").write_text(HOSTILE_MARKDOWN)
    (corpus / "concepts.ttl").write_text(HOSTILE_CONCEPTS)
    (corpus / "catalog.toml").write_text(HOSTILE_CATALOG)
    run_build(
        load_catalog(corpus / "catalog.toml"),
        corpus / "concepts.ttl",
        root / "instance",
        HashingEncoder(),
        link_settings=LinkSettings.label_only(),
    )
    app = hashing_app(root / "instance")
    return app.test_client()


class ActiveMarkup(HTMLParser):
    """Collects what in a page could run script: event handlers, javascript: URLs, elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "object", "embed", "base"):
            self.found.append(f"<{tag}>")
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            url = "".join((value or "").split()).lower()
            if name in ("href", "src", "action", "formaction") and url.startswith(
                ("javascript:", "data:text/html")
            ):
                self.found.append(f"<{tag} {name}={value}>")
            if tag == "img" and name == "src" and value == "x":
                self.found.append("<img src=x>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert" in data:
            self.found.append(f"<script>{data[:40]}")


def assert_no_raw_markup(html: str) -> None:
    """No element, attribute or URL in the page that came from hostile input and could run."""
    parser = ActiveMarkup()
    parser.feed(html)
    parser.close()
    assert not parser.found
    assert "<script>alert" not in html and "<img src=x" not in html


def test_hostile_documents_were_indexed_as_text(hostile_client):
    payload = hostile_client.get("/api/search?q=tasking+meetings&k=20").get_json()
    texts = " ".join(hit["text"] for hit in payload["hits"])
    assert '<script>alert("passage")</script>' in texts  # stored as words, to be escaped
    assert '<script>alert("markdown")</script>' in texts
    assert 'alert("head script")' not in texts  # real <script> elements are dropped on reading


@pytest.mark.parametrize("attack", ATTACKS)
def test_hostile_query_is_escaped_on_the_search_page(hostile_client, attack: str):
    response = hostile_client.get("/search", query_string={"q": f"tasking meetings {attack}"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    if "<" in attack:
        assert attack not in html
    assert_no_raw_markup(html)


def test_hostile_content_is_escaped_on_the_search_page(hostile_client):
    html = hostile_client.get("/search?q=tasking+meetings+analysts&k=20").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in html  # the passage text is there, escaped
    assert "Guide &lt;script&gt;" in html  # and the document title
    assert_no_raw_markup(html)


@pytest.mark.parametrize(
    "path",
    [
        "/concepts/",
        "/concepts/hostile-meetings",
        "/",
        "/documents/",
        "/documents/hostile-guide",
        "/documents/hostile-notes",
        "/concepts/hostile-meetings/pack",
    ],
)
def test_hostile_content_is_escaped_on_every_page(hostile_client, path: str):
    response = hostile_client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_no_raw_markup(html)
    if path == "/concepts/hostile-meetings":
        assert "Meetings &lt;script&gt;alert(9)&lt;/script&gt;" in html


def test_passage_pages_escape_hostile_content(hostile_client):
    hits = hostile_client.get("/api/search?q=tasking+meetings&k=20").get_json()["hits"]
    for hit in hits:
        response = hostile_client.get(f"/passages/{hit['passage_id']}")
        assert response.status_code == 200
        assert_no_raw_markup(response.get_data(as_text=True))


@pytest.mark.parametrize("attack", ATTACKS)
def test_api_returns_hostile_text_as_json_data(hostile_client, attack: str):
    response = hostile_client.get("/api/search", query_string={"q": f"tasking {attack}"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_json()["query"] == " ".join(f"tasking {attack}".split())


def test_the_markup_check_catches_live_markup():
    for live in (
        '<a href=" javascript:alert(1)">x</a>',
        '<p onclick="alert(1)">x</p>',
        "<script>alert(1)</script>",
        '<img src="x">',
        "<iframe></iframe>",
    ):
        with pytest.raises(AssertionError):
            assert_no_raw_markup(f"<html><body>{live}</body></html>")
    assert_no_raw_markup('<input value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;">')
