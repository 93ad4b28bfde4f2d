"""What every `ilp` command shares: the options, error reporting, encoders and progress bars.

Every command is wrapped in `reports_errors`: a library error becomes its message on one line and
the exit code its class names (ilp_base/errors.py), never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ilp_base.errors import AtlasError
from webapp import settings

if TYPE_CHECKING:
    from search.encoders.base import Encoder

EXIT_SOME_FAILED = 3  # `ilp ingest`: the build was made but some documents could not be read
Command = TypeVar("Command", bound=Callable[..., Any])

instance_option = click.option(
    "--instance",
    type=click.Path(file_okay=False, path_type=Path),
    default=settings.instance_default,
    show_default=settings.DEFAULT_INSTANCE,
    help="Instance folder (or set ILP_INSTANCE).",
)
model_option = click.option(
    "--model",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=settings.model_default,
    help="A local sentence-transformers folder (or set ILP_MODEL; default: all-MiniLM-L6-v2).",
)


class LibraryFailure(click.ClickException):
    """A library error shown as a one-line message, with the exit code its class names."""

    def __init__(self, error: AtlasError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]  # click declares a class default


def reports_errors(command: Command) -> Command:
    """Turn the library errors a command raises into a clean message and exit code."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except AtlasError as error:
            raise LibraryFailure(error) from error
        except OSError as error:  # a full disk, a folder without permission: one line, no trace
            where = f"{error.filename}: " if error.filename else ""
            raise click.ClickException(f"{where}{error.strerror or error}") from error

    return run  # type: ignore[return-value]


def batch_encoder(model: Path | None) -> Encoder:
    """The batch encoder for ingest (sentence-transformers on torch, default threads)."""
    settings.stay_offline()
    from search.encoders.sentence_transformer import SentenceTransformerEncoder

    return SentenceTransformerEncoder(model)


def multilingual_encoder() -> Encoder:
    """The multilingual encoder (USE v3, NumPy, one thread): ingest builds the second index
    with it, and queries in other languages than English are embedded by it."""
    from search.encoders.multilingual import MultilingualEncoder

    return MultilingualEncoder()


def query_encoder(model: Path | None) -> Encoder:
    """The encoder for queries: one thread, torch-free when the model allows."""
    settings.stay_offline()
    from search.encoders.query import serving_query_encoder

    return serving_query_encoder(model)


def tqdm_progress(total: int, description: str) -> Callable[[int], None]:
    from tqdm import tqdm

    bar = tqdm(
        total=total,
        desc=description,
        unit="",
        leave=False,
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
    )

    def advance(n: int) -> None:
        bar.update(n)
        if bar.n >= total:
            bar.close()

    return advance
