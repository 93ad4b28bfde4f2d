"""Damage while serving: a build's files changed under a running app are never served.

The app checks the served build's files on each request (stat) and in the background
(checksums); on damage it serves the newest good build on disk, or answers 503. JSON responses
never hold NaN or Infinity, whatever the data.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from search.index import keeper
from search.index.build_folders import resolve_current
from tests.test_reliability import (
    NEW_ONLY_WORD,
    add_new_only_passage,
    build,
    drop_fts_table,
    drop_keyword_postings,
    make_app,
    reseal,
)


def flip_bytes(path: Path, keep_times: bool = False) -> None:
    """Invert 64 bytes in the middle of a file, in place (a mapped file sees the change)."""
    stat = path.stat()
    with path.open("r+b") as handle:
        handle.seek(stat.st_size // 2)
        chunk = handle.read(64)
        handle.seek(stat.st_size // 2)
        handle.write(bytes(byte ^ 0xFF for byte in chunk))
    if keep_times:  # mtime and size as before: only ctime (or the checksum) tells
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def search(client, query: str = "tasking meetings"):
    return client.get(f"/api/search?q={query}&method=keyword")


def strict_json(text: str):
    """Parse as JSON proper: NaN and Infinity are not JSON."""

    def refuse(name: str):
        raise AssertionError(f"the response holds {name}, which is not JSON")

    return json.loads(text, parse_constant=refuse)


def assert_503_naming(response, message: str, tmp_path: Path) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    error = strict_json(response.get_data(as_text=True))["error"]
    assert message in error["message"] and "ilp ingest" in error["message"]
    assert str(tmp_path) not in error["message"]


@pytest.mark.parametrize("keep_times", [False, True], ids=["written", "times-restored"])
def test_flipped_bytes_in_the_mapped_vectors_are_never_served(
    mini_corpus: Path, tmp_path: Path, keep_times: bool
):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    client = make_app(instance).test_client()
    assert client.get("/api/search?q=tasking+meetings").status_code == 200
    flip_bytes(resolve_current(instance) / "sentences.npy", keep_times)
    response = client.get("/api/search?q=tasking+meetings")
    assert_503_naming(response, "sentences.npy does not match the manifest", tmp_path)
    assert client.get("/search?q=tasking").status_code == 503  # every page, not only the API


def test_damage_switches_to_the_newest_good_build_and_logs_it(
    mini_corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    instance = tmp_path / "instance"
    oldest = build(mini_corpus, instance)
    add_new_only_passage(mini_corpus)
    middle = build(mini_corpus, instance)
    newest = build(mini_corpus, instance)
    client = make_app(instance).test_client()
    assert NEW_ONLY_WORD in search(client, NEW_ONLY_WORD).get_json()["hits"][0]["text"]

    flip_bytes(instance / "builds" / newest / "sentences.npy")
    response = search(client, NEW_ONLY_WORD)  # from the middle build: same corpus
    assert response.status_code == 200
    assert NEW_ONLY_WORD in response.get_json()["hits"][0]["text"]
    assert f"Serving build {middle}, the newest good build on disk, instead of {newest}" in (
        caplog.text
    )

    drop_fts_table(instance / "builds" / middle)  # the fallback is damaged too: the oldest
    response = search(client, NEW_ONLY_WORD)
    assert response.status_code == 200
    assert all(NEW_ONLY_WORD not in hit["text"] for hit in response.get_json()["hits"])
    assert f"Serving build {oldest}" in caplog.text

    repaired = build(mini_corpus, instance)  # a new ingest: served again at once
    assert resolve_current(instance).name == repaired
    assert NEW_ONLY_WORD in search(client, NEW_ONLY_WORD).get_json()["hits"][0]["text"]


def test_a_table_dropped_while_serving_is_a_503_not_a_500(mini_corpus: Path, tmp_path: Path):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    client = make_app(instance).test_client()
    assert search(client).status_code == 200
    drop_keyword_postings(resolve_current(instance))  # read by every keyword search
    assert_503_naming(search(client), "passages.sqlite does not match the manifest", tmp_path)


def test_a_read_error_mid_request_is_a_503_and_the_next_request_falls_back(
    mini_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    add_new_only_passage(mini_corpus)
    build(mini_corpus, instance)
    client = make_app(instance).test_client()
    assert search(client, NEW_ONLY_WORD).status_code == 200
    monkeypatch.setattr(keeper, "signature", lambda build: "unchanged")  # blind the stat check
    client = make_app(instance).test_client()
    assert search(client, NEW_ONLY_WORD).status_code == 200
    drop_keyword_postings(resolve_current(instance))
    response = search(client, NEW_ONLY_WORD)  # SQLite itself reports the missing table
    assert response.status_code == 503
    assert "could not be read" in strict_json(response.get_data(as_text=True))["error"]["message"]
    response = search(client, NEW_ONLY_WORD)  # verified, found damaged, the older build served
    assert response.status_code == 200
    assert all(NEW_ONLY_WORD not in hit["text"] for hit in response.get_json()["hits"])


def test_background_verification_catches_damage_the_metadata_hides(
    mini_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    monkeypatch.setattr(keeper, "signature", lambda build: "unchanged")  # a disk's own rot
    app = make_app(instance)
    app.config["ILP_VERIFY_SECONDS"] = 0.01
    client = app.test_client()
    assert search(client).status_code == 200
    flip_bytes(resolve_current(instance) / "passages.faiss")  # read at load: answers unchanged
    time.sleep(0.05)
    search(client)  # the verification is due: it starts in the background
    app.extensions["ilp"].builds.wait_for_verification(30)
    assert_503_naming(search(client), "passages.faiss does not match the manifest", tmp_path)


def test_current_naming_a_deleted_build_falls_back(mini_corpus: Path, tmp_path: Path):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    add_new_only_passage(mini_corpus)
    build(mini_corpus, instance)
    shutil.rmtree(resolve_current(instance))
    response = search(make_app(instance).test_client(), NEW_ONLY_WORD)
    assert response.status_code == 200
    assert all(NEW_ONLY_WORD not in hit["text"] for hit in response.get_json()["hits"])


# --- JSON never holds NaN or Infinity ---------------------------------------------------------


def test_non_finite_numbers_are_written_as_null(built_instance: Path):
    app = make_app(built_instance)
    app.add_url_rule(
        "/api/numbers",
        "numbers",
        lambda: {"evidence": float("-inf"), "scores": [float("nan"), 0.5], "top": float("inf")},
    )
    response = app.test_client().get("/api/numbers")
    assert response.status_code == 200
    data = strict_json(response.get_data(as_text=True))
    assert data == {"evidence": None, "scores": [None, 0.5], "top": None}


def test_a_sealed_build_with_nan_vectors_still_answers_valid_json(
    mini_corpus: Path, tmp_path: Path
):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    current = resolve_current(instance)
    vectors = np.load(current / "sentences.npy")
    vectors[:] = np.nan
    np.save(current / "sentences.npy", vectors)
    reseal(current)  # the manifest agrees: the checks pass, the numbers are still NaN
    response = make_app(instance).test_client().get("/api/search?q=tasking+meetings")
    assert response.status_code == 200
    strict_json(response.get_data(as_text=True))
