"""Over HTTP: `ilp serve` (waitress) in a subprocess, cold start, /api/search latency, peak RSS."""

from __future__ import annotations

import json
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.ingest_speed import ILP, REPO, cli_environment
from bench.stats import summarise

COLD_START_QUERY = "How are intelligence products used in tasking?"  # not a gold question
COLD_START_LIMIT = 120.0  # seconds before giving up on a server that never answers


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """Stop a server process: terminate, then kill if it has not exited within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def search_url(base: str, query: str) -> str:
    """The /api/search URL for a query (k=10, hybrid, as the web page asks)."""
    return f"{base}/api/search?" + urllib.parse.urlencode({"q": query, "k": 10})


def fetch(url: str) -> float:
    """GET `url`, check it is a search result; return milliseconds taken."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        body = json.load(response)
    if "hits" not in body:
        raise RuntimeError(f"{url} answered without hits: {str(body)[:200]}")
    return (time.perf_counter() - started) * 1000


class Server:
    """One `ilp serve` process on a free loopback port; stopped on exit."""

    def __init__(self, instance: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # The server's log goes to a file, never to an unread pipe: under load waitress logs
        # queue-depth warnings, and once a pipe's 64 KiB buffer filled the server would block
        # in its logging call and every client would time out.
        self.log = tempfile.TemporaryFile()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [str(ILP), "serve", "--instance", str(instance), "--port", str(self.port)],
            cwd=REPO,
            env=cli_environment(),
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )

    def log_tail(self) -> str:
        """The end of what the server wrote to stderr."""
        self.log.seek(0)
        return self.log.read()[-2000:].decode("utf-8", errors="replace")

    def wait_first_answer(self) -> float:
        """Seconds from launch to the first answered /api/search."""
        while time.perf_counter() - self.started < COLD_START_LIMIT:
            if self.process.poll() is not None:
                raise RuntimeError(f"ilp serve exited: {self.log_tail()}")
            try:
                fetch(search_url(self.base, COLD_START_QUERY))
                return time.perf_counter() - self.started
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        raise RuntimeError(f"ilp serve gave no answer within {COLD_START_LIMIT} s")

    def peak_rss_mb(self) -> float:
        """The server's peak resident set size so far (VmHWM), in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kilobytes = next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")
        )
        return kilobytes / 1024

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc_info) -> None:
        stop(self.process)
        self.log.close()


def concurrent_latencies(base: str, questions: list[str], clients: int) -> dict:
    """p50/p95 of /api/search with `clients` concurrent clients sharing the questions."""
    urls = [search_url(base, question) for question in questions]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        timings = list(pool.map(fetch, urls))
    seconds = time.perf_counter() - started
    return dict(
        summarise(timings), clients=clients, requests_per_second=round(len(urls) / seconds, 1)
    )


def http_figures(instance: Path, questions: list[str], load_hook=None) -> dict:
    """Cold start, latency with 1 and 8 clients, and peak RSS, each on a freshly started server.

    A fresh server per client count keeps every question a query-embedding cache miss.
    """
    figures: dict = {"cold_start_seconds": [], "peak_rss_mb": []}
    for clients in (1, 8):
        with Server(instance) as server:
            figures["cold_start_seconds"].append(round(server.wait_first_answer(), 2))
            figures[f"clients_{clients}"] = concurrent_latencies(server.base, questions, clients)
            if clients == 8 and load_hook is not None:
                figures["load"] = load_hook(server.base)
            figures["peak_rss_mb"].append(round(server.peak_rss_mb(), 1))
    return figures
