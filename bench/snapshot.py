"""Record what the atlas answers, to show that a refactoring changed no behaviour.

    python -m bench.snapshot record DIR     # with a built instance (make index)
    python -m bench.snapshot compare A B    # exit 1 and name every difference

A snapshot holds `ilp eval --json`, `ilp eval --links [--fit] --json`, `ilp export` in every
format and the `/api/search` response for every gold question (from `ilp serve`, over HTTP),
plus a few other API responses. It drives only the public CLI and HTTP interfaces, so the same
script runs on the code before and after a change. Latency figures (`latency_ms_*`) are the
only fields left out of the comparison: they are timings, not behaviour.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.server import free_port, stop

REPO = Path(__file__).resolve().parent.parent
ILP = REPO / ".venv" / "bin" / "ilp"
TIMINGS = ("latency_ms_p50", "latency_ms_p95", "latency_ms_mean")


def _ilp(*args: str) -> str:
    environment = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run(
        [str(ILP), *args], check=True, capture_output=True, text=True, cwd=REPO, env=environment
    ).stdout


def _without_timings(value: object) -> object:
    if isinstance(value, dict):
        return {key: _without_timings(item) for key, item in value.items() if key not in TIMINGS}
    if isinstance(value, list):
        return [_without_timings(item) for item in value]
    return value


def _api_paths() -> list[str]:
    questions = tomllib.loads((REPO / "corpus/eval/questions.toml").read_text("utf-8"))
    paths = [
        f"/api/search?{urllib.parse.urlencode({'q': q['question']})}" for q in questions["question"]
    ]
    paths += [
        "/api/search?q=tasking&kind=good-practice&k=20",
        "/api/search?q=analysis&method=keyword",
        "/api/search?q=analysis&method=dense",
        "/api/concepts",
        "/api/documents",
        "/api/openapi.json",
        "/api/search?q=",
        "/api/search?q=x&k=0",
        "/api/concepts/no-such-concept",
    ]
    return paths


def _serve_and_fetch(paths: list[str]) -> dict[str, object]:
    port = free_port()
    environment = dict(os.environ, HF_HUB_OFFLINE="1")
    server = subprocess.Popen(
        [str(ILP), "serve", "--port", str(port)],
        cwd=REPO,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/api/openapi.json", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        responses = {}
        for path in paths:
            try:
                with urllib.request.urlopen(base + path, timeout=60) as response:
                    responses[path] = {
                        "status": response.status,
                        "body": json.loads(response.read()),
                    }
            except urllib.error.HTTPError as error:
                responses[path] = {"status": error.code, "body": json.loads(error.read())}
        return responses
    finally:
        stop(server)


def record(folder: Path) -> None:
    """Write a snapshot of the current build's behaviour into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    outputs = {
        "eval.json": _without_timings(json.loads(_ilp("eval", "--json"))),
        "links.json": json.loads(_ilp("eval", "--links", "--json")),
        "fit.json": json.loads(_ilp("eval", "--links", "--fit", "--json")),
        "api.json": _serve_and_fetch(_api_paths()),
    }
    for name, value in outputs.items():
        (folder / name).write_text(
            json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
    for output_format in ("ttl", "nt"):
        (folder / f"graph.{output_format}").write_text(
            _ilp("export", "--format", output_format), encoding="utf-8"
        )
    # rdflib writes JSON-LD nodes in set order, which changes from run to run: sort them.
    nodes = json.loads(_ilp("export", "--format", "jsonld"))
    nodes.sort(key=lambda node: json.dumps(node, sort_keys=True))
    (folder / "graph.jsonld").write_text(
        json.dumps(nodes, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print(f"Snapshot written to {folder}")


def compare(first: Path, second: Path) -> int:
    """Print every file that differs between two snapshots; 0 when they are identical."""
    names = sorted({p.name for p in first.iterdir()} | {p.name for p in second.iterdir()})
    different = []
    for name in names:
        a, b = first / name, second / name
        if not (a.is_file() and b.is_file()) or a.read_bytes() != b.read_bytes():
            different.append(name)
    if different:
        print("Different: " + ", ".join(different))
        if "api.json" in different and (first / "api.json").is_file():
            before = json.loads((first / "api.json").read_text("utf-8"))
            after = json.loads((second / "api.json").read_text("utf-8"))
            for path in sorted(set(before) | set(after)):
                if before.get(path) != after.get(path):
                    print(f"  {path}")
        return 1
    print(f"Identical: {', '.join(names)}")
    return 0


def main(arguments: list[str]) -> int:
    if len(arguments) == 2 and arguments[0] == "record":
        record(Path(arguments[1]))
        return 0
    if len(arguments) == 3 and arguments[0] == "compare":
        return compare(Path(arguments[1]), Path(arguments[2]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
