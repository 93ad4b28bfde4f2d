"""The build a server answers from: checked while it is served, replaced when it is damaged.

`LoadedBuild` verifies a build when it opens it; `BuildKeeper` goes on checking while serving,
because the sentence vectors are memory-mapped (a byte changed on disk changes the answers) and
SQLite reads its file on every query:

- on every request, each file's inode, size, mtime and ctime (a few `stat` calls; ctime
  changes on any write and cannot be set back); when one changed, the checksums are verified
  again, against the manifest the build was loaded with, before the request goes on;
- every `verify_every` seconds, all checksums, in a background thread at the lowest priority,
  for damage that leaves the metadata alone (the disk itself);
- when a request hit a read error (`suspect`).

A damaged build is dropped and the newest good build on disk is served instead: the one
`current` names, else the older ones `prune_builds` keeps, newest first; the switch is logged.
When none is good, each request gets the damage as a `BuildError` (503). When `current` moves,
the next request opens the new build. Requests in flight keep the build they started with.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

from search.index.build_folders import (
    ARTIFACTS,
    MANIFEST,
    MULTILINGUAL_ARTIFACTS,
    BuildError,
    complete_builds,
    current_link,
    resolve_current,
    verify_files,
)
from search.index.loaded import LoadedBuild

log = logging.getLogger(__name__)
Signature = tuple[tuple[int, int, int, int], ...] | None  # per file: inode, size, mtime, ctime


def signature(build: Path) -> Signature:
    """What `stat` says of a build's files; None when a required one is missing (a missing
    multilingual file counts as zeros: the manifest says whether the build must have it)."""
    stats = []
    for name in (*ARTIFACTS, MANIFEST, *MULTILINGUAL_ARTIFACTS):
        try:
            stat = (build / name).stat()
        except OSError:
            if name in MULTILINGUAL_ARTIFACTS:
                stats.append((0, 0, 0, 0))
                continue
            return None
        stats.append((stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))
    return tuple(stats)


class BuildKeeper:
    """Hands out the build to serve; verifies it and falls back to an older good one."""

    def __init__(self, instance: Path, verify_every: float = 300.0) -> None:
        self.instance = instance
        self.verify_every = verify_every  # seconds between background verifications; 0: never
        self._lock = threading.Lock()
        self._served: LoadedBuild | None = None
        self._served_signature: Signature = None
        self._target: Path | None = None  # where `current` pointed at the last choice
        self._damaged: dict[Path, tuple[Signature, str]] = {}  # build -> (its stat, the damage)
        self._suspect: Path | None = None
        self._verified_at = time.monotonic()
        self._verifier: threading.Thread | None = None

    def get(self) -> LoadedBuild:
        """The build to serve now (`BuildError` when no build on disk is good)."""
        target = self._current_target()
        with self._lock:
            if self._stale(target):
                self._choose(target)
            served = self._served
            assert served is not None  # _choose either sets it or raises
            self._verify_in_background_when_due()
            return served

    def suspect(self, build: LoadedBuild, reason: str) -> None:
        """A request could not read `build`: verify it before the next request uses it."""
        log.warning("Reading build %s failed (%s); verifying it", build.path.name, reason)
        with self._lock:
            self._suspect = build.path

    def wait_for_verification(self, timeout: float | None = None) -> None:
        """Wait until a background verification in progress has finished (tests, benchmarks)."""
        verifier = self._verifier
        if verifier is not None:
            verifier.join(timeout)

    def _current_target(self) -> Path:
        target = resolve_current(self.instance, required=False)
        if target is not None:
            return target
        link = current_link(self.instance)
        if link.is_symlink():  # `current` names a folder that is gone: damage, not "no build"
            return link.resolve()
        # The folder's name only: an absolute path tells a visitor about the server.
        raise BuildError(
            f"No build in the instance folder {self.instance.name}/; run `ilp ingest` first"
        )

    def _stale(self, target: Path) -> bool:
        """True when the served build must be chosen again before this request."""
        served = self._served
        if served is None or target != self._target or self._suspect == served.path:
            return True
        if signature(served.path) != self._served_signature:
            return True
        if served.path != target:  # on a fallback: was the damaged build replaced meanwhile?
            known = self._damaged.get(target)
            return known is None or known[0] != signature(target)
        return False

    def _choose(self, target: Path) -> None:
        """Serve the first good build of `target` and then the others on disk, newest first."""
        self._target = target
        candidates = [target, *(path for path in complete_builds(self.instance) if path != target)]
        for path in candidates:
            if self._keep_served(path) or self._open(path):
                if self._served is not None and self._served.path != target:
                    log.warning(
                        "Serving build %s, the newest good build on disk, instead of %s",
                        self._served.path.name,
                        target.name,
                    )
                return
        self._served = None
        reason = self._damaged.get(target, (None, f"{target.name}: the build is missing"))[1]
        log.error("No good build to serve: %s", reason)
        raise BuildError(f"{reason} (no other build on disk is usable either)")

    def _keep_served(self, path: Path) -> bool:
        """True when `path` is the served build and its files still match its checksums."""
        served = self._served
        if served is None or served.path != path:
            return False
        stat = signature(path)
        if stat == self._served_signature and self._suspect != path:
            return True
        try:
            verify_files(path, served.manifest)
        except BuildError as error:
            self._record_damage(path, stat, error)
            return False
        self._accept(served, stat)
        return True

    def _open(self, path: Path) -> bool:
        """Open and verify `path`, and serve it; False when it is damaged."""
        stat = signature(path)
        known = self._damaged.get(path)
        if known is not None and known[0] == stat:
            return False  # damaged, and unchanged since
        try:
            build = LoadedBuild(path)
        except BuildError as error:
            self._record_damage(path, stat, error)
            return False
        self._accept(build, stat)
        return True

    def _accept(self, build: LoadedBuild, stat: Signature) -> None:
        self._served, self._served_signature = build, stat
        self._damaged.pop(build.path, None)
        if self._suspect == build.path:
            self._suspect = None
        self._verified_at = time.monotonic()

    def _record_damage(self, path: Path, stat: Signature, error: BuildError) -> None:
        if self._damaged.get(path, (None, ""))[1] != str(error):
            log.error("Build %s is damaged: %s", path.name, error)
        self._damaged[path] = (stat, str(error))

    def _verify_in_background_when_due(self) -> None:
        """Start a background verification of the served build when one is due (lock held)."""
        due = time.monotonic() - self._verified_at >= self.verify_every
        if not self.verify_every or not due or self._served is None:
            return
        if self._verifier is not None and self._verifier.is_alive():
            return
        self._verifier = threading.Thread(
            target=self._verify, args=(self._served,), name="ilp-verify-build", daemon=True
        )
        self._verifier.start()

    def _verify(self, build: LoadedBuild) -> None:
        _lowest_priority_for_this_thread()
        try:
            verify_files(build.path, build.manifest)
        except BuildError as error:
            log.error("Background verification: %s", error)
            with self._lock:
                self._suspect = build.path
        finally:
            with self._lock:
                self._verified_at = time.monotonic()


def _lowest_priority_for_this_thread() -> None:
    """Hashing a large build must not slow the searches (on Linux, nice applies per thread)."""
    if sys.platform.startswith("linux"):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
