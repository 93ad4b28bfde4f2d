"""Build folders: the manifest, the atomic switch of `current`, and verified loading.

Layout of an instance folder:
    builds/<build_id>/   graph.nt, passages.sqlite, passages.faiss, sentences.npy,
                         documents.npz, concepts.ttl, manifest.json; and, when the build has
                         the multilingual index (manifest "multilingual"), multilingual.faiss,
                         multilingual-sentences.npy, multilingual-words.npz
    current              symlink to the build being served (replaced atomically)
    cache/               embeddings shared across builds

A build in progress lives in `builds/<build_id>.partial/` and holds an advisory lock (flock) on
its `.in-progress` file until it is finished. Pruning removes only partial folders whose lock is
free, i.e. whose process has died (a killed process loses its locks), so two ingests running at
once never delete each other's work.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, overload
from uuid import uuid4

from ilp_base.errors import AtlasError

MANIFEST = "manifest.json"
# 2: passages record their page breaks; 3: authorship and licence; 4: Russian words indexed by
# their stems, and the multilingual index; 5: the countries each passage concerns
# (passage_countries); 6: each passage's kind (text, or figure: captions and figure text);
# 7: the documents' vectors (documents.npz, search/index/document_vectors.py)
FORMAT_VERSION = 7
ARTIFACTS = (
    "graph.nt",
    "passages.sqlite",
    "passages.faiss",
    "sentences.npy",
    "documents.npz",
    "concepts.ttl",
)
# search/index/multilingual.py: present when the manifest names a multilingual model
MULTILINGUAL_ARTIFACTS = (
    "multilingual.faiss",
    "multilingual-sentences.npy",
    "multilingual-words.npz",
)
KEEP_BUILDS = 3
IN_PROGRESS = ".in-progress"
_held_locks: dict[Path, int] = {}  # partial build folder -> fd holding its lock


class BuildError(AtlasError):
    """A build is missing, incomplete or does not match its manifest."""

    status = 503
    title = "Search index unavailable"


def builds_dir(instance: Path) -> Path:
    """Where build folders live."""
    return instance / "builds"


def current_link(instance: Path) -> Path:
    """The symlink naming the served build."""
    return instance / "current"


def new_build_dir(instance: Path) -> Path:
    """A fresh, empty, uniquely named folder for a build in progress."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{stamp}-{uuid4().hex[:6]}"
    for abandoned in [p for p in _held_locks if not p.exists()]:  # failed runs removed theirs
        os.close(_held_locks.pop(abandoned))
    # Lock first, under a name pruning ignores, then rename: no one sees an unlocked partial.
    staging = builds_dir(instance) / f".{name}.creating"
    staging.mkdir(parents=True)
    descriptor = os.open(staging / IN_PROGRESS, os.O_CREAT | os.O_RDWR, 0o644)
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    path = builds_dir(instance) / f"{name}.partial"
    os.replace(staging, path)
    _held_locks[path] = descriptor
    return path


def in_progress(partial: Path) -> bool:
    """True while a live process still holds the lock of this partial build folder."""
    try:
        descriptor = os.open(partial / IN_PROGRESS, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)  # also releases the probe's own lock
    return False


def _release(partial: Path) -> None:
    descriptor = _held_locks.pop(partial, None)
    if descriptor is not None:
        os.close(descriptor)
    (partial / IN_PROGRESS).unlink(missing_ok=True)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def artifact_names(manifest: dict) -> tuple[str, ...]:
    """The files a build with this manifest must have: the multilingual index's too when the
    manifest names a multilingual model."""
    return ARTIFACTS + (MULTILINGUAL_ARTIFACTS if manifest.get("multilingual") else ())


def write_manifest(build: Path, manifest: dict) -> dict:
    """Record hashes and sizes of every artifact, then write manifest.json (last, on purpose)."""
    manifest = dict(
        manifest,
        format=FORMAT_VERSION,
        files={
            name: {"sha256": file_sha256(build / name), "bytes": (build / name).stat().st_size}
            for name in artifact_names(manifest)
        },
    )
    temporary = build / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(temporary, build / MANIFEST)
    return manifest


def finish_build(instance: Path, partial: Path) -> Path:
    """Give a completed build its final name and make it current, atomically."""
    final = partial.with_suffix("")
    _release(partial)
    os.replace(partial, final)
    link = current_link(instance)
    temporary = instance / f".current-{uuid4().hex[:8]}"
    os.symlink(Path("builds") / final.name, temporary)
    os.replace(temporary, link)  # rename(2) over the old link: readers see old or new, never none
    prune_builds(instance)
    return final


def prune_builds(instance: Path, keep: int = KEEP_BUILDS) -> None:
    """Delete all but the newest `keep` completed builds and any abandoned partial builds."""
    served = resolve_current(instance, required=False)
    folders = sorted(
        p for p in builds_dir(instance).iterdir() if p.is_dir() and not p.name.startswith(".")
    )
    # Oldest first by when the manifest was written: ids alone tie within one second.
    complete = sorted((p for p in folders if p.suffix != ".partial"), key=_finished_at)
    abandoned = [p for p in folders if p.suffix == ".partial" and not in_progress(p)]
    for path in complete[:-keep] + abandoned:
        if served is None or path.resolve() != served.resolve():
            shutil.rmtree(path, ignore_errors=True)


def _finished_at(build: Path) -> tuple[int, str]:
    try:
        return (build / MANIFEST).stat().st_mtime_ns, build.name
    except OSError:  # no manifest: an incomplete build, pruned first
        return 0, build.name


@overload
def resolve_current(instance: Path, required: Literal[True] = True) -> Path: ...
@overload
def resolve_current(instance: Path, required: bool) -> Path | None: ...
def resolve_current(instance: Path, required: bool = True) -> Path | None:
    """The folder of the served build; `BuildError` (or None) when there is none."""
    link = current_link(instance)
    if link.is_symlink() or link.is_dir():
        target = link.resolve()
        if target.is_dir():
            return target
    if required:
        raise BuildError(f"No build in {instance}/; run `ilp ingest` first")
    return None


def read_manifest(build: Path) -> dict:
    """Parse a build's manifest."""
    path = build / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BuildError(f"{build.name}: no {MANIFEST}; the build is incomplete") from error
    except json.JSONDecodeError as error:
        raise BuildError(f"{build.name}: {MANIFEST} is not valid JSON ({error})") from error


def verify_build(build: Path) -> dict:
    """Check every artifact against the manifest (presence, size, SHA-256); return the manifest."""
    manifest = read_manifest(build)
    if manifest.get("format") != FORMAT_VERSION:
        raise BuildError(
            f"{build.name}: build format {manifest.get('format')!r} is not "
            f"{FORMAT_VERSION}; run `ilp ingest` to rebuild"
        )
    verify_files(build, manifest)
    return manifest


def verify_files(build: Path, manifest: dict) -> None:
    """Check every artifact's presence, size and SHA-256 against `manifest` (`BuildError`).

    The server calls it again while serving, with the manifest it loaded the build with, so a
    manifest rewritten on disk cannot hide a damaged file (search/index/keeper.py).
    """
    for name in artifact_names(manifest):
        expected = manifest.get("files", {}).get(name)
        path = build / name
        if expected is None or not path.is_file():
            raise BuildError(f"{build.name}: {name} is missing; run `ilp ingest` to rebuild")
        if path.stat().st_size != expected["bytes"] or file_sha256(path) != expected["sha256"]:
            raise BuildError(
                f"{build.name}: {name} does not match the manifest "
                "(changed or damaged); run `ilp ingest` to rebuild"
            )


def complete_builds(instance: Path) -> list[Path]:
    """Every finished build folder, newest first (the server's fallbacks when one is damaged)."""
    folder = builds_dir(instance)
    if not folder.is_dir():
        return []
    finished = [
        path
        for path in folder.iterdir()
        if path.is_dir() and not path.name.startswith(".") and path.suffix != ".partial"
    ]
    return sorted(finished, key=_finished_at, reverse=True)
