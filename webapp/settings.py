"""Configuration: the one place that reads the `ILP_*` environment variables.

`ILP_INSTANCE` (default `./instance`) names the instance folder, and `ILP_MODEL` a local
sentence-transformers folder to use instead of the shipped all-MiniLM-L6-v2. The CLI takes its
option defaults from `from_environment()`; `create_app(config)` starts from it and lets `config`
override any key.

The server's limits: `ILP_SPARQL_TIMEOUT` (seconds a SPARQL query may run, default 10),
`ILP_SPARQL_MEMORY_MB` (memory each query process may add, default 1024),
`ILP_SPARQL_CONCURRENT` (queries running at once, default 2; keep it below the server's threads
so that searches always find one free), `ILP_VERIFY_SECONDS` (how often the served build's
checksums are verified in the background, default 300; 0 never) and `ILP_SERVER_NAME` (the
host[:port] absolute URLs are built from, instead of the request's Host header).

`ILP_SPARQL_ENDPOINT` (default: none) is the SPARQL 1.1 query endpoint of a store the build's
graph was published into (`ilp publish --sparql-store`); when it is set, `/sparql` and
`ilp sparql` query that store instead of the build's own graph, with the same read-only rules
and limits (graph/remote_store.py).

`ILP_INDEX_URL` (default: `local`) is the index backend `ilp ingest` writes builds to when no
`--index` is given: `milvus:///path/index.db` (embedded milvus-lite) or `milvus://host:19530`
(search/index/backend.py). Readers follow each build's manifest, not this variable.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ilp_base.errors import AtlasError

DEFAULT_INSTANCE = "instance"
# name -> (default, smallest allowed): the server's limits, all numbers
LIMITS: dict[str, tuple[float, float]] = {
    "ILP_SPARQL_TIMEOUT": (10.0, 0.1),
    "ILP_SPARQL_MEMORY_MB": (1024, 16),
    "ILP_SPARQL_CONCURRENT": (2, 1),
    "ILP_VERIFY_SECONDS": (300.0, 0),
}


class SettingsError(AtlasError):
    """An `ILP_*` variable has a value the app cannot use."""

    title = "Bad setting"


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every `ILP_*` setting from the environment, defaults filled in.

    `ILP_INSTANCE` as an absolute path, `ILP_MODEL` and `ILP_SERVER_NAME` or None, and the
    numbers of `LIMITS`.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {
        "ILP_INSTANCE": str(Path(environ.get("ILP_INSTANCE") or DEFAULT_INSTANCE).resolve()),
        "ILP_MODEL": environ.get("ILP_MODEL") or None,
        "ILP_SERVER_NAME": environ.get("ILP_SERVER_NAME") or None,
        "ILP_SPARQL_ENDPOINT": (
            endpoint_url(environ["ILP_SPARQL_ENDPOINT"])
            if environ.get("ILP_SPARQL_ENDPOINT")
            else None
        ),
    }
    for name, (default, smallest) in LIMITS.items():
        values[name] = _number(name, environ.get(name), default, smallest)
    return values


def endpoint_url(text: str, name: str = "ILP_SPARQL_ENDPOINT") -> str:
    """An http(s) URL of a SPARQL endpoint; anything else is a `SettingsError`."""
    parts = urllib.parse.urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{name} must be an http or https URL, not {text!r}")
    return text.strip()


def _number(name: str, text: str | None, default: float, smallest: float) -> float:
    if not text:
        return default
    try:
        value = type(default)(text)
    except ValueError:
        value = None
    if value is None or not smallest <= value < float("inf"):
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise SettingsError(f"{name} must be {kind} of at least {smallest:g}, not {text!r}")
    return value


def instance_default() -> Path:
    """The instance folder when no `--instance` is given."""
    return Path(environ_value("ILP_INSTANCE") or DEFAULT_INSTANCE)


def model_default() -> Path | None:
    """The model folder when no `--model` is given (None: the shipped model)."""
    value = environ_value("ILP_MODEL")
    return Path(value) if value else None


def index_url_default() -> str | None:
    """The index backend URL when `ilp ingest` gets no `--index` (None: local files)."""
    return environ_value("ILP_INDEX_URL")


def environ_value(name: str) -> str | None:
    """One `ILP_*` variable, or None when it is unset or empty."""
    return os.environ.get(name) or None


def stay_offline() -> None:
    """Never contact the Hugging Face hub, whatever library asks (set before any model loads)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def one_native_thread_per_request() -> None:
    """One BLAS and OpenMP thread in every server thread.

    OpenMP reads `OMP_NUM_THREADS` when it loads, while `limit_threads` (called on the first
    request) only reaches the thread that calls it; idle OpenMP workers spinning on the other
    core slow every query. So `ilp serve` calls this before anything native is imported.
    """
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
