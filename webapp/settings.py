"""Configuration: the one place that reads the `ILP_*` environment variables.

`ILP_INSTANCE` (default `./instance`) names the instance folder, and `ILP_MODEL` a local
sentence-transformers folder to use instead of the shipped all-MiniLM-L6-v2. The CLI takes its
option defaults from `from_environment()`; `create_app(config)` starts from it and lets `config`
override any key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DEFAULT_INSTANCE = "instance"


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """`ILP_INSTANCE` (an absolute path) and `ILP_MODEL` (or None) from the environment."""
    environ = os.environ if environ is None else environ
    return {
        "ILP_INSTANCE": str(Path(environ.get("ILP_INSTANCE") or DEFAULT_INSTANCE).resolve()),
        "ILP_MODEL": environ.get("ILP_MODEL") or None,
    }


def instance_default() -> Path:
    """The instance folder when no `--instance` is given."""
    return Path(environ_value("ILP_INSTANCE") or DEFAULT_INSTANCE)


def model_default() -> Path | None:
    """The model folder when no `--model` is given (None: the shipped model)."""
    value = environ_value("ILP_MODEL")
    return Path(value) if value else None


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
