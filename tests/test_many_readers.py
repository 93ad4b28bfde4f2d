"""Many readers: server processes over one instance keep answering while it is rebuilt under them.

Two waitress processes (each its own app, with the hashing encoder, so search runs too) and one
`ilp serve --workers 2` (gunicorn: a master and two workers, each with its own app and the real
query encoder, which the pages asked here never use) serve one instance. A thread per server
keeps requesting pages over fresh connections while a changed corpus is built into the same
instance, three times as `ilp ingest` would be run (so the first build, which every process has
open, is pruned under them); at each stage of each build the building thread asks every server
too, so requests during the rebuild do not depend on timing. Every response must be a 200, and
afterwards every process (each gunicorn worker too, checked by the build folders it holds open)
must serve the newest build. Last, the responses gunicorn writes itself carry the security
headers, as waitress's do (tests/test_security.py).

Over 300 lines: one scenario, with the helpers that start, poll and stop both kinds of server.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.linking.model import LinkSettings
from ilp_pipeline.run import run_build
from ilp_pipeline.steps import ProgressFactory, no_progress
from ingest.catalog import load_catalog
from search.index.build_folders import KEEP_BUILDS
from tests.conftest import DATA, REPO
from tests.fakes import HashingEncoder

pytestmark = [
    pytest.mark.skipif(
        not Path("/proc/self/fd").is_dir(), reason="reads which builds a process holds in /proc"
    ),
    pytest.mark.slow,  # the gunicorn workers load the real query model
]

NEW_DOCUMENT = "night-shift-notes"
WAITRESS_SERVER = """
import sys
from waitress import serve
from search.searcher import SearchConfig
from tests.fakes import HashingEncoder
from webapp import create_app

app = create_app({
    "ILP_INSTANCE": sys.argv[1],
    "ENCODER": HashingEncoder(),
    "SEARCH_CONFIG": SearchConfig(no_answer_below=0.0),
})
serve(app, host="127.0.0.1", port=int(sys.argv[2]), threads=2)
"""
LISTING = "/api/documents"  # lists the documents: the new one shows the new build
# The gunicorn workers embed queries with the real model, which the hashing build refuses.
WAITRESS_PAGES = (LISTING, "/documents/", "/api/search?q=tasking+meetings")
GUNICORN_PAGES = (LISTING, "/documents/", "/api/concepts")
STARTUP_SECONDS = 120  # a generous deadline: two cores shared with other jobs


@dataclass(frozen=True)
class Server:
    """A server process on a port, and the pages to ask it for."""

    name: str
    process: subprocess.Popen
    port: int
    paths: tuple[str, ...]
    log: Path

    def reader_pids(self) -> list[int]:
        """The processes that answer requests: the gunicorn workers, or the server itself."""
        children = child_pids(self.process.pid)
        return children or [self.process.pid]


@dataclass(frozen=True)
class Response:
    """One request a poller made: when it started, and what came back."""

    server: str
    path: str
    started: float
    status: int | None  # None: no HTTP response at all
    detail: str
    document_ids: frozenset[str]


def build(corpus: Path, instance: Path, progress: ProgressFactory = no_progress) -> str:
    """Build `corpus` into `instance` with the hashing encoder; return the build id."""
    report = run_build(
        load_catalog(corpus / "catalog.toml"),
        corpus / "concepts.ttl",
        instance,
        HashingEncoder(),
        progress=progress,
        link_settings=LinkSettings.label_only(),
    )
    assert report.build_id is not None, report.failures
    return report.build_id


def add_document(corpus: Path) -> None:
    """A fourth document in the catalog, which only the rebuild will have."""
    (corpus / f"{NEW_DOCUMENT}.txt").write_text(
        "Night shift notes.\n\nThe night shift analysts briefed the tasking meeting on "
        "burglary patterns before the morning patrols.\n",
        encoding="utf-8",
    )
    with (corpus / "catalog.toml").open("a", encoding="utf-8") as catalog:
        catalog.write(
            f'\n[[document]]\nid = "{NEW_DOCUMENT}"\ntitle = "Night Shift Notes"\n'
            'kind = "good-practice"\npublisher = "Test Police"\nyear = 2021\n'
            f'countries = ["SE"]\nlanguage = "en"\nfile = "{NEW_DOCUMENT}.txt"\n'
        )


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def child_pids(parent: int) -> list[int]:
    """The live children of a process, from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")"
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                children.append(int(stat.parent.name))
    return sorted(children)


def builds_held(pid: int) -> set[str]:
    """The build folders whose files a process has open or mapped."""
    paths = []
    with contextlib.suppress(OSError):
        for descriptor in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                paths.append(os.readlink(descriptor))
    with contextlib.suppress(OSError):
        paths += [line.split(maxsplit=5)[-1] for line in Path(f"/proc/{pid}/maps").open()]
    held = set()
    for path in paths:
        parts = Path(path).parts
        if "builds" in parts[:-1]:
            held.add(parts[parts.index("builds") + 1])
    return held


def get(port: int, path: str) -> tuple[int | None, str, bytes]:
    """GET over a fresh connection: (status, why, body); status None when nothing came back."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
            return response.status, "", response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()[:300].decode(errors="replace"), b""
    except OSError as error:
        return None, repr(error), b""


def wait_until(condition: Callable[[], bool], what: str, servers: list[Server]) -> None:
    """Wait for `condition`, failing with the servers' logs after a generous deadline."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not condition():
        for server in servers:
            if server.process.poll() is not None:
                pytest.fail(f"{server.name} exited:\n{server.log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            logs = "\n".join(f"{s.name}:\n{s.log.read_text()[-2000:]}" for s in servers)
            pytest.fail(f"Timed out waiting until {what}\n{logs}")
        time.sleep(0.2)


@contextlib.contextmanager
def started(name: str, command: list[str], port: int, paths: tuple[str, ...], logs: Path):
    """A server process, stopped (SIGTERM, then SIGKILL) however the test ends."""
    log = logs / f"{name}.log"
    environment = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=REPO, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            yield Server(name, process, port, paths, log)
        finally:
            process.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def request(server: Server, path: str) -> Response:
    """One request, with the document ids it listed."""
    started_at = time.monotonic()
    status, detail, body = get(server.port, path)
    ids: frozenset[str] = frozenset()
    if status == 200 and path == LISTING:
        ids = frozenset(d["id"] for d in json.loads(body)["documents"])
    return Response(server.name, path, started_at, status, detail, ids)


def serve_workers(instance: Path, port: int) -> list[str]:
    """`ilp serve --workers 2` over `instance` on `port`."""
    serve = [sys.executable, "-m", "webapp.cli", "serve", "--instance", str(instance)]
    return serve + ["--port", str(port), "--workers", "2", "--threads", "2"]


def poll(server: Server, responses: list[Response], stop: threading.Event) -> None:
    """Request the server's pages one after another until `stop` is set."""
    while not stop.is_set():
        responses.extend(request(server, path) for path in server.paths)
        time.sleep(0.02)


def asking_every_server(running: list[Server], responses: list[Response]) -> ProgressFactory:
    """A build progress callback that lists the documents of every server at each stage."""

    def stage(total: int, description: str) -> Callable[[int], None]:
        responses.extend(request(server, LISTING) for server in running)
        return lambda done: None

    return stage


@pytest.fixture()
def servers(tmp_path: Path) -> Iterator[tuple[Path, list[Server]]]:
    """An instance with one build, and three server processes reading it."""
    instance = tmp_path / "instance"
    build(DATA / "corpus", instance)
    logs = tmp_path / "logs"
    logs.mkdir()
    with contextlib.ExitStack() as stack:
        running = []
        for name in ("waitress-a", "waitress-b"):
            port = free_port()
            command = [sys.executable, "-c", WAITRESS_SERVER, str(instance), str(port)]
            server = started(name, command, port, WAITRESS_PAGES, logs)
            running.append(stack.enter_context(server))
        port = free_port()
        workers = started("gunicorn", serve_workers(instance, port), port, GUNICORN_PAGES, logs)
        running.append(stack.enter_context(workers))
        wait_until(
            lambda: all(get(s.port, LISTING)[0] == 200 for s in running),
            "every server answers",
            running,
        )
        yield instance, running


def test_servers_keep_answering_through_a_rebuild_and_all_serve_the_new_build(
    servers: tuple[Path, list[Server]], tmp_path: Path
):
    instance, running = servers
    old_build = os.readlink(instance / "current").split("/")[-1]
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "corpus", corpus)
    add_document(corpus)

    responses: list[Response] = []
    stop = threading.Event()
    pollers = [threading.Thread(target=poll, args=(s, responses, stop)) for s in running]
    for poller in pollers:
        poller.start()
    try:
        # Both gunicorn workers too: each has opened the first build before the rebuild.
        wait_until(
            lambda: all(old_build in builds_held(p) for s in running for p in s.reader_pids()),
            "every reader process holds the first build",
            running,
        )
        rebuild_started = time.monotonic()
        for _ in range(KEEP_BUILDS):
            new_build = build(corpus, instance, asking_every_server(running, responses))
        rebuilt_at = time.monotonic()
        wait_until(
            lambda: all(new_build in builds_held(p) for s in running for p in s.reader_pids()),
            "every reader process holds the new build",
            running,
        )
        wait_until(
            lambda: all(
                any(
                    r.server == s.name and r.path == LISTING and r.started > rebuilt_at
                    for r in responses
                )
                for s in running
            ),
            "every server listed the documents after the rebuild",
            running,
        )
    finally:
        stop.set()
        for poller in pollers:
            poller.join(120)

    failed = [r for r in responses if r.status != 200]
    assert not failed, failed[:5]
    for server in running:
        during = [r for r in responses if r.server == server.name and r.started < rebuilt_at]
        assert any(r.started > rebuild_started for r in during), f"{server.name}: none during"
        listings = [r for r in responses if r.server == server.name and r.path == LISTING]
        before = [r for r in listings if r.started < rebuild_started]
        assert before and all(NEW_DOCUMENT not in r.document_ids for r in before), server.name
        after = [r for r in listings if r.started > rebuilt_at]
        assert after and all(NEW_DOCUMENT in r.document_ids for r in after), server.name
    assert not (instance / "builds" / old_build).exists()  # pruned while it was served


def test_gunicorn_own_errors_carry_the_security_headers(built_instance: Path, tmp_path: Path):
    """431 (a header over gunicorn's limit) is written by gunicorn, never by the app."""
    from webapp.security import SECURITY_HEADERS

    port = free_port()
    with started("gunicorn", serve_workers(built_instance, port), port, (), tmp_path) as server:
        wait_until(lambda: get(port, "/static/missing")[0] == 404, "the server answers", [server])
        with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
            big = "x" * 10_000  # gunicorn's limit_request_field_size is 8,190 bytes
            connection.sendall(f"GET / HTTP/1.1\r\nHost: a\r\nX-Big: {big}\r\n\r\n".encode())
            reply = b""
            while chunk := connection.recv(65536):
                reply += chunk
    head = reply.split(b"\r\n\r\n", 1)[0].decode()
    status, *lines = head.split("\r\n")
    assert status.split()[1] == "431", head
    headers = dict(line.split(": ", 1) for line in lines)
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name
