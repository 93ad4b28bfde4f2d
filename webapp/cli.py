"""The `ilp` command line: thin commands over the libraries, with clean errors and exit codes.

Heavy libraries (torch, FAISS, rdflib) are imported inside the commands so `ilp --help` is instant.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

EXIT_SOME_FAILED = 3  # `ilp ingest`: the build was made but some documents could not be read

instance_option = click.option(
    "--instance", type=click.Path(file_okay=False, path_type=Path), envvar="ILP_INSTANCE",
    default="instance", show_default=True, help="Instance folder (or set ILP_INSTANCE).")
model_option = click.option(
    "--model", type=click.Path(exists=True, file_okay=False, path_type=Path), envvar="ILP_MODEL",
    default=None, help="A local sentence-transformers folder (default: all-MiniLM-L6-v2).")


class LibraryFailure(click.ClickException):
    """A library error shown as a one-line message (exit code 1)."""


def _library_errors():
    from ingest.errors import AtlasError

    return AtlasError


def _encoder(model: Path | None, threads: int | None = None):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from search.encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder(model, threads=threads)


def _tqdm_progress(total: int, description: str):
    from tqdm import tqdm

    bar = tqdm(total=total, desc=description, unit="", leave=False, file=sys.stderr,
               disable=not sys.stderr.isatty())

    def advance(n: int) -> None:
        bar.update(n)
        if bar.n >= total:
            bar.close()

    return advance


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """ILP Atlas: search and trace knowledge about Intelligence-Led Policing."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@instance_option
@model_option
@click.option("--strict", is_flag=True, help="Fail the whole build if any document fails.")
@click.option("--if-changed", is_flag=True,
              help="Do nothing when the current build was made from this same corpus.")
def ingest(paths: tuple[Path, ...], instance: Path, model: Path | None, strict: bool,
           if_changed: bool) -> None:
    """Build the index from corpus/ (or from catalogs given as PATH...)."""
    from ingest.catalog import load_catalog
    from search.build import run_build

    try:
        sources = list(paths) or [Path("corpus")]
        metas, concepts = [], None
        for source in sources:
            catalog = source / "catalog.toml" if source.is_dir() else source
            metas.extend(load_catalog(catalog))
            if (catalog.parent / "concepts.ttl").is_file():
                concepts = concepts or catalog.parent / "concepts.ttl"
        concepts = concepts or Path("corpus") / "concepts.ttl"
        report = run_build(metas, concepts, instance, _encoder(model), progress=_tqdm_progress,
                           strict=strict, only_if_changed=if_changed)
    except _library_errors() as error:
        raise LibraryFailure(str(error)) from error
    if report.skipped:
        click.echo(f"Corpus unchanged since the current build in {instance}/; nothing to do.")
        return
    for failure in report.failures:
        click.echo(f"FAILED {failure.path}: {failure.reason}", err=True)
    click.echo(f"Build {report.build_id}: {report.documents} documents, {report.passages} "
               f"passages, {report.concept_links} concept links, {len(report.failures)} "
               f"failures; {report.embedded} texts embedded, {report.reused} reused from cache; "
               f"{report.seconds:.1f} s")
    if report.failures:
        sys.exit(EXIT_SOME_FAILED)


@cli.command()
@click.argument("query")
@instance_option
@model_option
@click.option("-k", "k", default=5, show_default=True, help="Number of passages.")
@click.option("--kind", "kinds", multiple=True, help="Only this kind of source (repeatable).")
@click.option("--method", default="hybrid", show_default=True,
              type=click.Choice(["hybrid", "keyword", "dense"]))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def search(query: str, instance: Path, model: Path | None, k: int, kinds: tuple[str, ...],
           method: str, as_json: bool) -> None:
    """Search the current build and print cited passages."""
    from search.encoder import QueryEmbedder
    from search.searcher import LoadedBuild, Searcher

    try:
        build = LoadedBuild.open_current(instance)
        searcher = Searcher(build, QueryEmbedder(_encoder(model, threads=1)))
        result = searcher.search(query, k=k, kinds=list(kinds), method=method)
    except _library_errors() as error:
        raise LibraryFailure(str(error)) from error
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if result.answer:
        click.secho("Answer", bold=True)
        for sentence in result.answer:
            click.echo(f"  {sentence.text}\n    [{sentence.citation}]")
        click.echo()
    for rank, hit in enumerate(result.hits, start=1):
        click.secho(f"{rank}. {hit.document.title} ({hit.document.kind})", bold=True)
        where = " > ".join(hit.passage.heading_path)
        page = f", p. {hit.passage.page}" if hit.passage.page else ""
        click.echo(f"   {where}{page}  [{hit.passage.id}]")
        click.echo(f"   {hit.passage.text[:400]}{'...' if len(hit.passage.text) > 400 else ''}\n")


@cli.command()
@instance_option
@model_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int, help="Waitress threads.")
def serve(instance: Path, model: Path | None, host: str, port: int, threads: int) -> None:
    """Serve the site and API with waitress."""
    from waitress import serve as waitress_serve

    from webapp import create_app

    os.environ["ILP_INSTANCE"] = str(instance.resolve())
    if model:
        os.environ["ILP_MODEL"] = str(model)
    app = create_app()
    click.echo(f"ILP Atlas on http://{host}:{port}/ (instance {instance.resolve()})")
    waitress_serve(app, host=host, port=port, threads=threads)


if __name__ == "__main__":
    cli()
