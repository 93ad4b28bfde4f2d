"""Search latency while heavy SPARQL queries run: p50/p95 idle and under load, over HTTP.

Starts `ilp serve` on a free loopback port over the instance in `ILP_INSTANCE` (default
./instance), asks `--samples` gold questions one after another through /api/search (idle), then
starts `--clients` threads (default 4) that post heavy SPARQL queries back to back (cartesian
products with ORDER BY or GROUP_CONCAT, which grew a query process to 4.9 GB before it had a
memory cap) and asks as many questions again. Reports search p50/p95/max for both phases, the
SPARQL statuses (503: stopped at a limit, 429: too many at once), the most query processes
alive at once and their largest resident memory, as JSON (bench/results/sparql_load.json) and
a Markdown table.

    .venv/bin/python -m bench.sparql_load --samples 150 --clients 4
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote, urlencode
from urllib.request import Request

from bench.load import _OPENER, RESULTS, load_questions, serving
from bench.stats import percentile

REPO = Path(__file__).resolve().parents[1]
PRODUCT = "?a ?p ?o . ?b ?q ?r"
HEAVY = {  # the first two grow in memory until stopped, the last runs in constant memory
    "order": f"SELECT ?a ?b WHERE {{ {PRODUCT} }} ORDER BY ?o ?r",
    "concat": f"SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE {{ {PRODUCT} }}",
    "count": f"SELECT (COUNT(*) AS ?n) WHERE {{ {PRODUCT} . ?c ?s ?t }}",
}


def search_latencies(base_url: str, questions: list[str], tag: str) -> list[float]:
    """Milliseconds per /api/search request, one after another (`tag` keeps each one fresh)."""
    latencies = []
    for number, question in enumerate(questions):
        url = f"{base_url}/api/search?q={quote(f'{question} {tag}{number}')}"
        started = time.perf_counter()
        with _OPENER.open(url, timeout=60) as response:
            response.read()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def children(parent: int) -> list[tuple[int, int]]:
    """(pid, resident memory in kB) of each live child process of `parent`."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(parent):
            rss = int(fields.get("VmRSS", "0 kB").split()[0])
            found.append((int(status.parent.name), rss))
    return found


def figures(latencies: list[float]) -> dict:
    """p50, p95 and max in milliseconds."""
    return {
        "requests": len(latencies),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "max_ms": round(max(latencies), 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Measure, write bench/results/sparql_load.json, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=150, help="searches per phase (150)")
    parser.add_argument("--clients", type=int, default=4, help="heavy SPARQL clients (4)")
    parser.add_argument(
        "--instance", type=Path, default=Path(os.environ.get("ILP_INSTANCE", "instance"))
    )
    parser.add_argument(
        "--heavy", nargs="+", choices=list(HEAVY), default=list(HEAVY), help="queries to send"
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "sparql_load.json")
    options = parser.parse_args(argv)
    questions = load_questions(REPO / "corpus" / "eval" / "questions.toml")
    asked = [questions[n % len(questions)] for n in range(options.samples)]
    stop = threading.Event()
    statuses: Counter[int] = Counter()
    peak = {"children": 0, "child_rss_kb": 0}

    with serving(options.instance.resolve(), threads=4) as base_url:
        search_latencies(base_url, asked[:10], "warm")
        idle = search_latencies(base_url, asked, "idle")
        (server_pid, _), *_ = children(os.getpid())  # `ilp serve`, our only child

        def hammer(number: int) -> None:
            while not stop.is_set():
                query = HEAVY[options.heavy[number % len(options.heavy)]]
                body = urlencode({"query": query}).encode()
                try:
                    with _OPENER.open(Request(f"{base_url}/sparql", data=body), timeout=60) as r:
                        statuses[r.status] += 1
                except HTTPError as error:
                    statuses[error.code] += 1
                    if error.code == 429:
                        time.sleep(0.25)

        def watch() -> None:
            while not stop.is_set():
                rss = [kilobytes for _, kilobytes in children(server_pid)]
                peak["children"] = max(peak["children"], len(rss))
                peak["child_rss_kb"] = max([peak["child_rss_kb"], *rss])
                time.sleep(0.05)

        threads = [threading.Thread(target=hammer, args=(n,)) for n in range(options.clients)]
        threads.append(threading.Thread(target=watch))
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        loaded = search_latencies(base_url, asked, "load")
        stop.set()
        for thread in threads:
            thread.join(90)

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": sys.version.split()[0], "cpus": os.cpu_count()},
        "search_idle": figures(idle),
        "search_under_sparql": figures(loaded),
        "sparql_clients": options.clients,
        "sparql_queries": options.heavy,
        "sparql_statuses": dict(sorted(statuses.items())),
        "most_query_processes_at_once": peak["children"],
        "largest_query_process_rss_mib": round(peak["child_rss_kb"] / 1024),
    }
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=2) + "\n")
    print("| phase | requests | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
    for phase in ("search_idle", "search_under_sparql"):
        row = report[phase]
        print(
            f"| {phase} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} |"
        )
    print(json.dumps({key: report[key] for key in list(report)[4:]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
