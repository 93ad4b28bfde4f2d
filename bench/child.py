"""Measure in a fresh process: the benches open builds and time queries in a spawned child so
that each figure of memory is that build's alone.

Memory is read from /proc/self/status: `VmHWM` (peak resident), `RssAnon` (heap: FAISS indexes,
Python objects) apart from `RssFile` (pages of memory-mapped files, which the kernel can drop
and read again). Not `ru_maxrss`: Linux carries it over `exec`, so a spawned child would report
its parent's peak.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path


def memory_mb() -> dict[str, int]:
    """This process's peak and current resident memory, heap and file pages apart, in MB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
            fields[name] = round(int(value.split()[0]) / 1024)  # the kernel counts in kB
    return {
        "peak_rss_mb": fields["VmHWM"],
        "rss_mb": fields["VmRSS"],
        "rss_anon_mb": fields["RssAnon"],
        "rss_file_mb": fields["RssFile"],
    }


def in_child(target, *args):  # noqa: ANN001, ANN002, ANN202
    """Run `target(*args, connection)` in a fresh (spawned) process; return what it sends."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=target, args=(*args, sender))
    child.start()
    sender.close()
    try:
        result = receiver.recv()
    except EOFError as error:  # it died without answering: killed (out of memory?) or crashed
        child.join()
        raise RuntimeError(f"{target.__name__} exited with code {child.exitcode}") from error
    child.join()
    return result
