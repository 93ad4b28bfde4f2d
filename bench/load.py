"""`make bench` (load): many concurrent clients against `ilp serve` on loopback, for a bounded time.

Starts `ilp serve` (waitress) on a free port of 127.0.0.1 over the instance in `ILP_INSTANCE`
(default ./instance), waits until it answers and warms it up, then runs `--clients` threads
(default 20) for `--seconds` (default 60) asking the gold questions of corpus/eval/questions.toml
through /api/search and /search. Reports requests, errors and p50/p95/max latency per endpoint
as JSON (bench/results/load.json) and a Markdown table, then stops the server. Exit 1 when any
request failed. Only ever talks to 127.0.0.1, never through a proxy.

    .venv/bin/python -m bench.load --clients 20 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import ProxyHandler, build_opener

from bench.run import percentile
from bench.server import free_port, stop

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
LOOPBACK = "127.0.0.1"
ENDPOINTS = ("/api/search", "/search")
# No proxy, whatever the environment says: the load must stay on this machine.
_OPENER = build_opener(ProxyHandler({}))


@dataclass(frozen=True)
class Sample:
    """One request: which endpoint, how long it took, and the error if it failed."""

    endpoint: str
    seconds: float
    error: str | None = None


def require_loopback(base_url: str) -> str:
    """The URL without a trailing slash, or `ValueError` unless it is http://127.0.0.1:PORT."""
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname != LOOPBACK:
        raise ValueError(f"load tests only target http://{LOOPBACK}, not {base_url!r}")
    return base_url.rstrip("/")


def fetch(url: str, timeout: float) -> str | None:
    """GET `url` and read the body; None when it answered 200, else what went wrong."""
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            response.read()
            return None if response.status == 200 else f"HTTP {response.status}"
    except HTTPError as error:
        return f"HTTP {error.code}"
    except (URLError, OSError) as error:
        return type(error).__name__ + f": {error}"


def run_load(
    base_url: str,
    questions: list[str],
    clients: int = 20,
    seconds: float = 60.0,
    timeout: float = 30.0,
) -> dict:
    """Run `clients` threads for `seconds` over ENDPOINTS; return the summary per endpoint."""
    base_url = require_loopback(base_url)
    deadline = time.monotonic() + seconds

    def client(number: int) -> list[Sample]:
        samples: list[Sample] = []
        turn = number
        while time.monotonic() < deadline:
            endpoint = ENDPOINTS[turn % len(ENDPOINTS)]
            question = questions[(turn // len(ENDPOINTS)) % len(questions)]
            url = f"{base_url}{endpoint}?{urlencode({'q': question, 'k': 10})}"
            started = time.perf_counter()
            error = fetch(url, timeout)
            samples.append(Sample(endpoint, time.perf_counter() - started, error))
            turn += clients
        return samples

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(client, range(clients)))
    elapsed = time.monotonic() - started
    return summarise([sample for samples in results for sample in samples], clients, elapsed)


def summarise(samples: list[Sample], clients: int, elapsed: float) -> dict:
    """Requests, errors, throughput and p50/p95/max milliseconds, overall and per endpoint."""

    def figures(chosen: list[Sample]) -> dict:
        millis = [sample.seconds * 1000 for sample in chosen] or [0.0]
        errors = [sample.error for sample in chosen if sample.error]
        return {
            "requests": len(chosen),
            "errors": len(errors),
            "error_examples": sorted(set(errors))[:5],
            "per_second": round(len(chosen) / elapsed, 2) if elapsed else 0.0,
            "p50_ms": round(percentile(millis, 0.5), 1),
            "p95_ms": round(percentile(millis, 0.95), 1),
            "max_ms": round(max(millis), 1),
        }

    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "total": figures(samples),
        "endpoints": {
            endpoint: figures([s for s in samples if s.endpoint == endpoint])
            for endpoint in ENDPOINTS
        },
    }


def markdown_table(report: dict) -> str:
    """The per-endpoint figures as a Markdown table."""
    lines = [
        f"Load: {report['clients']} clients for {report['seconds']} s on {LOOPBACK}",
        "",
        "| endpoint | requests | errors | req/s | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [*report["endpoints"].items(), ("all", report["total"])]
    lines += [
        f"| {name} | {f['requests']} | {f['errors']} | {f['per_second']} | {f['p50_ms']} "
        f"| {f['p95_ms']} | {f['max_ms']} |"
        for name, f in rows
    ]
    return "\n".join(lines)


def load_questions(path: Path) -> list[str]:
    """The question texts of a gold questions file."""
    return [entry["question"] for entry in tomllib.loads(path.read_text())["question"]]


def wait_until_ready(base_url: str, process: subprocess.Popen, timeout: float) -> None:
    """Poll until the server answers a static file, then warm up each endpoint once."""
    deadline = time.monotonic() + timeout
    while fetch(f"{base_url}/static/style.css", timeout=2) is not None:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not answer within {timeout:.0f} s")
        time.sleep(0.2)
    for endpoint in ENDPOINTS:  # the first search loads the model; keep that out of the figures
        error = fetch(f"{base_url}{endpoint}?q=warm+up", timeout=max(1.0, timeout))
        if error:
            raise RuntimeError(f"warm-up request to {endpoint} failed: {error}")


@contextmanager
def serving(instance: Path, threads: int, startup_timeout: float = 180.0) -> Iterator[str]:
    """Run `ilp serve` on a free loopback port; yield its base URL; always stop it."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "webapp.cli",
        "serve",
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--instance",
        str(instance),
        "--threads",
        str(threads),
    ]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base_url = f"http://{LOOPBACK}:{port}"
            try:
                wait_until_ready(base_url, process, startup_timeout)
            except RuntimeError:
                log.seek(0)
                sys.stderr.write(log.read().decode(errors="replace")[-3000:])
                raise
            yield base_url
        finally:
            stop(process)


def main(argv: list[str] | None = None) -> int:
    """Start the server, load it, write bench/results/load.json, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to load (60)")
    parser.add_argument("--server-threads", type=int, default=4, help="waitress threads (4)")
    parser.add_argument(
        "--instance", type=Path, default=Path(os.environ.get("ILP_INSTANCE", "instance"))
    )
    parser.add_argument(
        "--questions", type=Path, default=REPO / "corpus" / "eval" / "questions.toml"
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "load.json")
    options = parser.parse_args(argv)
    if options.clients < 1 or not 0 < options.seconds <= 3600:
        parser.error("--clients must be at least 1 and --seconds between 0 and 3600")

    questions = load_questions(options.questions)
    with serving(options.instance.resolve(), options.server_threads) as base_url:
        report = run_load(base_url, questions, options.clients, options.seconds)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": sys.version.split()[0], "cpus": os.cpu_count()},
        "server_threads": options.server_threads,
        "questions": len(questions),
        "note": "questions repeat once all are asked; repeats hit the server's "
        "query-embedding cache, as popular questions would",
        **report,
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=2) + "\n")
    print(markdown_table(report))
    if report["total"]["errors"]:
        print(
            f"{report['total']['errors']} requests failed: {report['total']['error_examples']}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
