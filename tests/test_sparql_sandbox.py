"""The SPARQL sandbox: no query reaches the network, and none exhausts memory, CPU or the server.

Over 300 lines: every way in (the library, `ilp sparql`, the endpoint by GET and both POSTs)
is tried with every bypass against one loopback listener, and the resource limits are tested
with real heavy queries against a running server, sharing their helpers.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.sandbox import ProcessLimits, confine, forbid_network
from graph.sparql import SparqlError, SparqlLimitExceeded, SparqlTimeout, run_limited, run_query
from graph.sparql_syntax import check_query
from search.index.loaded import LoadedBuild
from tests.conftest import REPO
from webapp.sparql import EXAMPLES


class Listener:
    """A TCP server on loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"
        self.received: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.received.append(connection.recv(65536) or b"(connected)")
                except OSError:
                    self.received.append(b"(connected)")

    def assert_untouched(self) -> None:
        time.sleep(0.1)  # a connection made would have been accepted by now
        assert self.received == [], self.received[0][:300]

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.socket.close()


@pytest.fixture()
def listener():
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture(scope="module")
def store(built_instance: Path):
    build = LoadedBuild.open_current(built_instance)
    yield build.sparql_store
    build.close()


# Each makes an unconfined engine call URL (the listener): SERVICE hidden from a check of the
# query's text, or nested. A test below shows that each one really does.
THREATS = {
    "comment ended by CR": "SELECT * WHERE { #x\rSERVICE SILENT <URL> { ?s ?p ?o }\n}",
    "escaped IRI": "SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }".replace("://", "\\u003A//"),
    "escape ending a string": 'SELECT * WHERE { { BIND("a\\u005C" AS ?z) } UNION '
    '{ SERVICE <URL> { ?s ?p ?o } FILTER(?z != " } } #") } }',
    "prefixed IRI": "PREFIX x: <URL/> SELECT * WHERE { SERVICE x:y { ?s ?p ?o } }",
    "base IRI": "BASE <URL/> SELECT * WHERE { SERVICE <x> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <URL> { ?s ?p ?o } }",
    "lower case": "select * where { service silent <URL> { ?s ?p ?o } }",
    "no spaces": "SELECT*WHERE{SERVICE<URL>{?s ?p ?o}}",
    "tabs": "SELECT * WHERE {\tSERVICE\t<URL>\t{ ?s ?p ?o } }",
    "in OPTIONAL": "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE <URL> { ?s ?p ?o } } }",
    "in UNION": "SELECT * WHERE { { ?a ?b ?c } UNION { SERVICE <URL> { ?s ?p ?o } } }",
    "in a subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <URL> { ?s ?p ?o } } } }",
    "in FILTER EXISTS": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <URL> { ?s ?p ?o } } }",
    "in MINUS": "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <URL> { ?s ?p ?o } } }",
    "in GRAPH": "SELECT * WHERE { GRAPH ?g { SERVICE <URL> { ?s ?p ?o } } }",
    "in LATERAL": "SELECT * WHERE { ?s ?p ?o LATERAL { SERVICE <URL> { ?s ?p ?o } } }",
    "CONSTRUCT": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "ASK": "ASK { SERVICE <URL> { ?s ?p ?o } }",
    "DESCRIBE": "DESCRIBE ?s WHERE { SERVICE <URL> { ?s ?p ?o } }",
}
# Look like threats but are none to pyoxigraph (it expands \u escapes only inside strings and
# IRIs, and does not call an endpoint named by a variable): refused or run, they must not reach
# the listener either.
LOOKALIKES = {
    "CR escaped in a comment": "SELECT * WHERE { #x\\u000DSERVICE SILENT <URL> { ?s ?p ?o }\n}",
    "escaped keyword": "SELECT * WHERE { \\u0053ERVICE <URL> { ?s ?p ?o } }",
    "long escape": "SELECT * WHERE { \\U00000053\\U00000045RVICE <URL> { ?s ?p ?o } }",
    "variable endpoint": "SELECT * WHERE { BIND(<URL> AS ?u) SERVICE ?u { ?s ?p ?o } }",
    "endpoint from VALUES": "SELECT * WHERE { VALUES ?u { <URL> } SERVICE ?u { ?s ?p ?o } }",
}
ATTEMPTS = {**THREATS, **LOOKALIKES}


def with_url(query: str, listener: Listener) -> str:
    return query.replace("URL", listener.url)


@pytest.mark.parametrize("threat", THREATS, ids=list(THREATS))
def test_each_threat_is_real_for_an_unconfined_engine(threat: str, listener: Listener, store):
    """The control: without the check and the walls the engine connects, so the tests mean it."""
    applied, _ = _engine_in_a_child(
        store, with_url(THREATS[threat], listener), namespace=False, seccomp=False
    )
    assert applied == ()
    time.sleep(0.2)
    assert listener.received and listener.received[0].startswith(b"POST")


@pytest.mark.parametrize("threat", THREATS, ids=list(THREATS))
def test_the_parsed_query_refuses_every_threat(threat: str):
    with pytest.raises(SparqlError, match="SERVICE|Malformed"):
        check_query(THREATS[threat].replace("URL", "http://127.0.0.1:9/sparql"))


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=list(ATTEMPTS))
def test_no_way_in_reaches_the_network(
    attempt: str, listener: Listener, store, app, built_instance
):
    query = with_url(ATTEMPTS[attempt], listener)
    refused = attempt in THREATS  # a lookalike may be refused too, or run harmlessly
    for run in (run_query, run_limited):  # in this process, and in the query child
        try:
            run(store, query)
            assert not refused, "a threat ran"
        except SparqlError as error:
            assert "SERVICE" in str(error) or "Malformed" in str(error), error
    cli = CliRunner().invoke(
        _cli(), ["sparql", query, "--instance", str(built_instance), "--timeout", "5"]
    )
    assert cli.exit_code in ((1,) if refused else (0, 1)), cli.output
    client = app.test_client()
    for response in (
        client.get("/sparql", query_string={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", data=query.encode(), content_type="application/sparql-query"),
    ):
        assert response.status_code in ((400,) if refused else (200, 400)), response.data[:300]
    listener.assert_untouched()


def _cli():
    from webapp.cli import cli

    return cli


def test_a_dataset_clause_fetches_nothing(listener: Listener, store):
    query = with_url("SELECT * FROM <URL> FROM NAMED <URL/g> WHERE { ?s ?p ?o } LIMIT 3", listener)
    assert run_limited(store, query).kind == "select"
    listener.assert_untouched()


def _engine_in_a_child(store, query: str, namespace: bool, seccomp: bool):
    """Run `query` straight in the engine (no check) in a forked child with the given walls."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child() -> None:
        applied = forbid_network(namespace, seccomp)
        try:
            list(store.query(query))
            sender.send((applied, None))
        except Exception as error:  # noqa: BLE001 - report whatever the engine raised
            sender.send((applied, f"{type(error).__name__}: {error}"))

    process = context.Process(target=child, daemon=True)
    process.start()
    assert receiver.poll(20), "the engine never answered"
    outcome = receiver.recv()
    process.join(5)
    return outcome


@pytest.mark.parametrize("wall", ["network namespace", "seccomp"])
def test_each_kernel_wall_alone_keeps_the_engine_off_the_network(
    wall: str, listener: Listener, store
):
    query = with_url("SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }", listener)
    applied, error = _engine_in_a_child(
        store, query, namespace=wall == "network namespace", seccomp=wall == "seccomp"
    )
    if wall not in applied:
        pytest.skip(f"this kernel does not allow a {wall} here")
    assert error is not None and ("unreachable" in error or "denied" in error), error
    listener.assert_untouched()


GOOD_QUERIES = [
    'SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "police service")) } LIMIT 3',
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3 # SERVICE <http://127.0.0.1:9/>",
    "PREFIX service: <https://example.org/> SELECT ?s WHERE { ?s service:SERVICE ?o } LIMIT 3",
    "SELECT ?s WHERE {\r\n  ?s ?p ?o\r\n} LIMIT 3",
    *EXAMPLES.values(),
]


@pytest.mark.parametrize("query", GOOD_QUERIES, ids=range(len(GOOD_QUERIES)))
def test_queries_that_only_mention_service_still_run(query: str, store):
    assert run_limited(store, query).kind == "select"


# --- memory, CPU time, result size ------------------------------------------------------------

PRODUCT = "?a ?p ?o . ?b ?q ?r . ?c ?s ?t"  # the mini graph's triples cubed: 7 million rows
HEAVY_IN_MEMORY = {
    "ORDER BY": f"SELECT ?a ?b ?c WHERE {{ {PRODUCT} }} ORDER BY ?o ?r ?t",
    "GROUP_CONCAT": f"SELECT (GROUP_CONCAT(STR(?t)) AS ?all) WHERE {{ {PRODUCT} }}",
}
SLOW = f"SELECT (COUNT(*) AS ?n) WHERE {{ {PRODUCT} . ?d ?u ?v }}"  # minutes, in constant memory


@pytest.mark.parametrize("query", HEAVY_IN_MEMORY.values(), ids=list(HEAVY_IN_MEMORY))
def test_a_query_over_its_memory_cap_gets_503_and_the_server_goes_on(query: str, built_instance):
    from tests.test_reliability import make_app

    app = make_app(built_instance)
    app.config.update(ILP_SPARQL_MEMORY_MB=64, ILP_SPARQL_TIMEOUT=30)
    client = app.test_client()
    started = time.monotonic()
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert "more than 64 MB of memory" in error["message"] and error["status"] == 503
    assert time.monotonic() - started < 20  # stopped at the cap, not at the time limit
    assert client.get("/sparql", query_string={"query": GOOD_QUERIES[0]}).status_code == 200


def test_a_query_over_its_cpu_time_is_stopped(store):
    started = time.monotonic()
    with pytest.raises(SparqlTimeout, match="1 s of CPU time"):
        run_limited(store, SLOW, timeout=30, limits=ProcessLimits(cpu_seconds=1))
    assert time.monotonic() - started < 15


def test_a_result_over_its_size_cap_is_refused(store):
    query = "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?a ?p ?o . ?b ?q ?r }"
    with pytest.raises(SparqlLimitExceeded, match="larger than 1 MB"):
        run_limited(store, query, max_bytes=1 << 20)


def test_confine_lowers_priority_and_caps_memory_and_cpu():
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child() -> None:
        before = int(open("/proc/self/statm").read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        applied = confine(ProcessLimits(memory_bytes=64 << 20, cpu_seconds=3))
        sender.send(
            (
                before,
                resource.getrlimit(resource.RLIMIT_AS),
                resource.getrlimit(resource.RLIMIT_CPU),
                os.getpriority(os.PRIO_PROCESS, 0),
                applied,
            )
        )

    process = context.Process(target=child)
    process.start()
    before, memory, cpu, niceness, applied = receiver.recv()
    process.join(5)
    assert 0 < memory[0] - before <= (64 << 20) + (1 << 20)
    assert cpu == (3, 4) and niceness == 19
    assert applied  # at least one wall: seccomp needs no privilege


# --- concurrency: at most N queries at once, and search keeps its latency ----------------------


def test_queries_beyond_the_limit_get_429_with_retry_after(built_instance):
    from tests.test_reliability import make_app

    app = make_app(built_instance)
    app.config.update(ILP_SPARQL_CONCURRENT=1, ILP_SPARQL_TIMEOUT=3)

    def run_heavy() -> None:  # until it wins the slot from the cheap queries below
        while app.test_client().post("/sparql", data={"query": SLOW}).status_code == 429:
            time.sleep(0.01)

    heavy = threading.Thread(target=run_heavy, daemon=True)
    heavy.start()
    client = app.test_client()
    # Cheap queries win the one slot until `heavy` holds it; on a busy machine the heavy thread
    # may take a while to win it, so the wait is generous (it ends at the first 429).
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        response = client.get("/sparql", query_string={"query": GOOD_QUERIES[1]})
        if response.status_code == 429:
            break
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert response.get_json()["error"]["title"] == "Too many SPARQL queries"
    heavy.join(10)
    assert client.get("/sparql", query_string={"query": GOOD_QUERIES[1]}).status_code == 200


SERVER = """
import sys
from waitress import create_server
from search.searcher import SearchConfig
from tests.fakes import HashingEncoder
from webapp import create_app

app = create_app({"ILP_INSTANCE": sys.argv[1], "ENCODER": HashingEncoder(),
                  "SEARCH_CONFIG": SearchConfig(no_answer_below=0.0), "ILP_SPARQL_TIMEOUT": 6})
server = create_server(app, host="127.0.0.1", port=0, threads=4)
print(server.effective_port, flush=True)
server.run()
"""
SEARCHES = ["tasking meetings", "the 3-i model", "community policing", "threat assessment"]


def search_latencies(base: str, samples: int) -> list[float]:
    """Seconds per `/api/search` request, one after another."""
    latencies = []
    for number in range(samples):
        query = urllib.parse.quote(SEARCHES[number % len(SEARCHES)])
        started = time.perf_counter()
        with urllib.request.urlopen(f"{base}/api/search?q={query}", timeout=30) as response:
            assert response.status == 200
            response.read()
        latencies.append(time.perf_counter() - started)
    return latencies


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def niceness_of_children(parent: int) -> list[int]:
    """The nice value of each live child process of `parent` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:  # fields after the name: state, ppid, ..., nice at 16
            found.append(int(fields[16]))
    return found


def test_search_keeps_its_latency_while_heavy_sparql_runs(built_instance):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", HF_HUB_OFFLINE="1")
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(built_instance)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    stop = threading.Event()
    answers: list[int] = []

    def hammer() -> None:  # one client sending heavy queries back to back
        while not stop.is_set():
            request = urllib.request.Request(
                f"{base}/sparql", data=urllib.parse.urlencode({"query": SLOW}).encode()
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    answers.append(response.status)
            except urllib.error.HTTPError as error:
                answers.append(error.code)
                if error.code == 429:
                    time.sleep(0.25)

    try:
        assert server.stdout is not None
        base = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        search_latencies(base, 20)  # warm up: the build, the caches
        idle = search_latencies(base, 120)
        clients = [threading.Thread(target=hammer, daemon=True) for _ in range(4)]
        for client in clients:
            client.start()
        time.sleep(1.0)
        children = niceness_of_children(server.pid)
        loaded = search_latencies(base, 120)
        assert children and all(nice == 19 for nice in children), children
        assert len(niceness_of_children(server.pid)) <= 2  # never more than the permitted 2
    finally:
        stop.set()
        server.terminate()
        server.wait(10)
    # Relative, on a noisy shared machine: generous (3x, and a floor under the idle figure) but
    # far below the seconds searches waited when SPARQL held every thread and core.
    bound = 3 * max(p95(idle), 0.010)
    print(f"search p95 idle {p95(idle) * 1000:.1f} ms, under SPARQL {p95(loaded) * 1000:.1f} ms")
    assert p95(loaded) <= bound, (p95(idle), p95(loaded))
    assert 429 in answers  # four clients, two permits
