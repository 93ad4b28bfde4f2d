"""Reliability: killed builds, damaged artifacts, and serving across a rebuild.

Over 300 lines: the build lifecycle's failure cases share their helpers (killing an ingest at a
chosen step, damaging an artifact, a server over a rebuilding instance).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from graph.linking.model import LinkSettings
from ilp_pipeline.run import run_build
from ingest.catalog import load_catalog
from search.index.build_folders import (
    IN_PROGRESS,
    BuildError,
    finish_build,
    in_progress,
    new_build_dir,
    read_manifest,
    resolve_current,
    write_manifest,
)
from search.index.loaded import LoadedBuild
from tests.conftest import hashing_app
from tests.fakes import HashingEncoder

REPO = Path(__file__).resolve().parents[1]
NEW_ONLY_WORD = "zanzibarite"  # appears only in the second build's corpus


def build(corpus: Path, instance: Path) -> str:
    """Build `corpus` into `instance` with the hashing encoder; return the build id."""
    report = run_build(
        load_catalog(corpus / "catalog.toml"),
        corpus / "concepts.ttl",
        instance,
        HashingEncoder(),
        link_settings=LinkSettings.label_only(),
    )
    return report.build_id


def add_new_only_passage(corpus: Path) -> None:
    """Append a paragraph that only a later build will contain."""
    notes = corpus / "field-notes.txt"
    notes.write_text(
        notes.read_text() + f"\n\nAnalysts in Tallinn mapped {NEW_ONLY_WORD} "
        "smuggling routes for the tasking meeting.\n"
    )


def make_app(instance: Path, encoder: HashingEncoder | None = None):
    """The app over `instance` with the hashing encoder (or `encoder`), as the site tests use."""
    return hashing_app(instance, ENCODER=encoder or HashingEncoder())


def reseal(build_dir: Path) -> None:
    """Rewrite the manifest to match the files as they are now (a build damaged at write time)."""
    manifest = read_manifest(build_dir)
    manifest.pop("files")
    write_manifest(build_dir, manifest)


# --- a killed ingest never touches the served build ------------------------------------------


@pytest.mark.slow
def test_killed_ingest_leaves_the_served_build_intact(mini_corpus: Path, tmp_path: Path):
    instance = tmp_path / "instance"
    served = build(mini_corpus, instance)
    command = [
        sys.executable,
        "-m",
        "webapp.cli",
        "ingest",
        str(mini_corpus),
        "--instance",
        str(instance),
    ]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while not list((instance / "builds").glob("*.partial")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the ingest never started a build"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL, "the build finished before it could be killed"

    leftovers = list((instance / "builds").glob("*.partial"))
    assert leftovers  # the killed run's folder is still there...
    loaded = LoadedBuild.open_current(instance)  # ...and the served build still verifies
    assert loaded.build_id == served
    loaded.close()

    finished = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, finished.stderr
    assert resolve_current(instance).name != served
    assert not list((instance / "builds").glob("*.partial"))  # the next run cleaned up
    LoadedBuild.open_current(instance).close()


def test_a_build_never_prunes_another_build_in_progress(mini_corpus: Path, tmp_path: Path):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    running = new_build_dir(instance)  # another ingest, still writing (its lock is held)
    abandoned = instance / "builds" / "20000101T000000Z-dead00.partial"
    abandoned.mkdir()  # a killed ingest's folder: nobody holds its lock
    (abandoned / IN_PROGRESS).touch()
    assert in_progress(running) and not in_progress(abandoned)
    build(mini_corpus, instance)
    assert running.is_dir() and not abandoned.exists()
    finished = finish_build(instance, running)  # the other ingest can still finish
    assert resolve_current(instance) == finished.resolve()
    assert not (finished / IN_PROGRESS).exists()


def test_pruning_keeps_the_three_newest_builds_even_within_one_second(
    mini_corpus: Path, tmp_path: Path
):
    instance = tmp_path / "instance"
    made = [build(mini_corpus, instance) for _ in range(5)]  # ids tie to the second
    kept = sorted(p.name for p in (instance / "builds").iterdir())
    assert kept == sorted(made[-3:])
    assert resolve_current(instance).name == made[-1]


# --- damaged artifacts are refused at load, and the web app answers 503 -----------------------


def truncate_faiss(build_dir: Path) -> None:
    path = build_dir / "passages.faiss"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def drop_fts_table(build_dir: Path) -> None:
    connection = sqlite3.connect(build_dir / "passages.sqlite")
    connection.execute("DROP TABLE passages_fts")
    connection.commit()
    connection.close()


def drop_keyword_postings(build_dir: Path) -> None:  # as a build from before they existed
    connection = sqlite3.connect(build_dir / "passages.sqlite")
    connection.execute("DROP TABLE keyword_postings")
    connection.commit()
    connection.close()


def garble_sqlite(build_dir: Path) -> None:
    (build_dir / "passages.sqlite").write_bytes(b"this is not a database" * 100)


def truncate_sentences(build_dir: Path) -> None:
    path = build_dir / "sentences.npy"
    path.write_bytes(path.read_bytes()[:40])


def truncate_document_vectors(build_dir: Path) -> None:
    path = build_dir / "documents.npz"
    path.write_bytes(path.read_bytes()[:60])


def shorten_document_vectors(build_dir: Path) -> None:  # a valid file for fewer passages
    path = build_dir / "documents.npz"
    with np.load(path) as stored:
        kept = {name: stored[name] for name in stored.files}
    np.savez(path, **{**kept, "passage_documents": kept["passage_documents"][:1]})


def narrow_document_vectors(build_dir: Path) -> None:  # vectors of another model's width
    path = build_dir / "documents.npz"
    with np.load(path) as stored:
        kept = {name: stored[name] for name in stored.files}
    np.savez(path, **{**kept, "vectors": kept["vectors"][:, :8]})


DAMAGE = {
    "truncated faiss": (truncate_faiss, "passages.faiss"),
    "missing sqlite table": (drop_fts_table, "lacks the table passages_fts"),
    "no keyword postings": (drop_keyword_postings, "lacks the table keyword_postings"),
    "not a database": (garble_sqlite, "passages.sqlite cannot be read"),
    "truncated sentence vectors": (truncate_sentences, "sentences.npy"),
    "truncated document vectors": (truncate_document_vectors, "documents.npz cannot be read"),
    "document vectors for other passages": (shorten_document_vectors, "do not match"),
    "document vectors of another width": (narrow_document_vectors, "do not match"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
@pytest.mark.parametrize("resealed", [False, True], ids=["manifest-mismatch", "resealed"])
def test_damaged_build_is_refused_with_a_clear_error(
    mini_corpus: Path, tmp_path: Path, damage: str, resealed: bool
):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    current = resolve_current(instance)
    spoil, message = DAMAGE[damage]
    spoil(current)
    if resealed:  # the manifest agrees with the damaged file: loading itself must notice
        reseal(current)
    else:
        message = "does not match the manifest"
    with pytest.raises(BuildError, match=message) as caught:
        LoadedBuild.open_current(instance)
    assert "ilp ingest" in str(caught.value)


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_web_app_answers_503_for_a_damaged_build(mini_corpus: Path, tmp_path: Path, damage: str):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    current = resolve_current(instance)
    spoil, message = DAMAGE[damage]
    spoil(current)
    reseal(current)
    client = make_app(instance).test_client()
    response = client.get("/api/search?q=tasking")
    assert response.status_code == 503
    assert response.is_json
    error = response.get_json()["error"]
    assert error["status"] == 503 and message in error["message"]
    assert "ilp ingest" in error["message"]
    page = client.get("/search?q=tasking")
    html = page.get_data(as_text=True)
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "ilp ingest" in html and "Traceback" not in html


def test_switch_to_a_damaged_build_is_refused_and_the_older_build_served(
    mini_corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    instance = tmp_path / "instance"
    old = build(mini_corpus, instance)
    client = make_app(instance).test_client()
    assert client.get("/api/search?q=tasking").status_code == 200
    add_new_only_passage(mini_corpus)
    new = build(mini_corpus, instance)
    drop_fts_table(resolve_current(instance))
    response = client.get(f"/api/search?q={NEW_ONLY_WORD}&method=keyword")
    assert response.status_code == 200  # from the old build, still good on disk
    assert all(NEW_ONLY_WORD not in hit["text"] for hit in response.get_json()["hits"])
    assert f"{new}: passages.sqlite does not match the manifest" in caplog.text
    assert f"Serving build {old}, the newest good build on disk, instead of {new}" in caplog.text


# --- serving goes on during a rebuild and moves to the new build without a restart ------------


def passage_ids(instance: Path) -> set[str]:
    """Every passage id of the current build."""
    loaded = LoadedBuild.open_current(instance)
    try:
        return {
            stored.passage.id
            for stored in loaded.store.passages(range(loaded.store.count())).values()
        }
    finally:
        loaded.close()


def test_app_moves_to_a_new_build_without_a_restart(mini_corpus: Path, tmp_path: Path):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    client = make_app(instance).test_client()
    before = client.get(f"/api/search?q={NEW_ONLY_WORD}+tasking&method=keyword").get_json()
    assert all(NEW_ONLY_WORD not in hit["text"] for hit in before["hits"])

    add_new_only_passage(mini_corpus)
    build(mini_corpus, instance)
    after = client.get(f"/api/search?q={NEW_ONLY_WORD}&method=keyword").get_json()
    assert after["hits"] and NEW_ONLY_WORD in after["hits"][0]["text"]
    assert {hit["passage_id"] for hit in after["hits"]} <= passage_ids(instance)
    html = client.get(f"/search?q={NEW_ONLY_WORD}").get_data(as_text=True)
    assert "smuggling routes" in html  # from the new passage, not from the query


class GatedEncoder(HashingEncoder):
    """The hashing encoder, but a query containing `gate_word` waits until `release` is set."""

    def __init__(self, gate_word: str) -> None:
        super().__init__()
        self.gate_word = gate_word
        self.waiting = threading.Event()
        self.release = threading.Event()

    def encode(self, texts, progress=None):
        if any(self.gate_word in text for text in texts):
            self.waiting.set()
            assert self.release.wait(30), "the test never released the request"
        return super().encode(texts, progress)


def test_request_in_flight_keeps_its_build_through_a_switch_and_prune(
    mini_corpus: Path, tmp_path: Path
):
    instance = tmp_path / "instance"
    old = build(mini_corpus, instance)
    old_ids = passage_ids(instance)
    encoder = GatedEncoder("inflight")
    app = make_app(instance, encoder)
    client = app.test_client()
    assert client.get("/api/search?q=tasking").status_code == 200  # opens the old build

    responses = []
    worker = threading.Thread(
        target=lambda: responses.append(
            app.test_client().get(f"/api/search?q=inflight+{NEW_ONLY_WORD}+tasking+meetings&k=20")
        )
    )
    worker.start()
    assert encoder.waiting.wait(30)  # the request holds its searcher, mid-search
    add_new_only_passage(mini_corpus)
    for round_ in range(4):  # a new build, then enough more that the old folder is pruned
        (mini_corpus / "field-notes.txt").write_text(
            (mini_corpus / "field-notes.txt").read_text() + f"\n\nRound {round_} notes.\n"
        )
        build(mini_corpus, instance)
    assert not (instance / "builds" / old).exists()
    encoder.release.set()
    worker.join(30)

    (response,) = responses
    assert response.status_code == 200
    hits = response.get_json()["hits"]
    assert hits and {hit["passage_id"] for hit in hits} <= old_ids  # only the old build
    assert all(NEW_ONLY_WORD not in hit["text"] for hit in hits)
    fresh = client.get(f"/api/search?q={NEW_ONLY_WORD}&method=keyword").get_json()
    assert NEW_ONLY_WORD in fresh["hits"][0]["text"]  # the next request uses the new build


# --- the load test's core runs against a real waitress server ---------------------------------


def test_load_runner_reports_latencies_without_errors(app):
    from waitress import wasyncore
    from waitress.server import create_server

    from bench.load import markdown_table, require_loopback, run_load

    sockets: dict = {}
    server = create_server(app, map=sockets, host="127.0.0.1", port=0, threads=4)
    stop = threading.Event()

    def serve() -> None:  # waitress's loop, stoppable: close the server in its own thread
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=sockets, count=1)
        server.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        base_url = f"http://127.0.0.1:{server.effective_port}"
        report = run_load(
            base_url, ["tasking meetings", "What is the 3-i model?"], clients=2, seconds=2.0
        )
    finally:
        stop.set()
        thread.join(10)
    assert report["total"]["errors"] == 0, report["total"]["error_examples"]
    for endpoint in ("/api/search", "/search"):
        figures = report["endpoints"][endpoint]
        assert figures["requests"] > 0 and figures["errors"] == 0
        assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    assert "| /api/search |" in markdown_table(report)
    with pytest.raises(ValueError, match="127.0.0.1"):
        require_loopback("http://example.org:5000")
