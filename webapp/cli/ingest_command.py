"""`ilp ingest`: a build from a corpus, catalogs, folders or single documents."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ingest.models import MAX_FILE_BYTES
from search.limits import KINDS
from webapp.cli.common import (
    EXIT_SOME_FAILED,
    batch_encoder,
    instance_option,
    model_option,
    multilingual_encoder,
    reports_errors,
    tqdm_progress,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@instance_option
@model_option
@click.option(
    "--concepts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Concept scheme (default: concepts.ttl beside the first "
    "catalog, else corpus/concepts.ttl).",
)
@click.option("--strict", is_flag=True, help="Fail the whole build if any document fails.")
@click.option(
    "--if-changed",
    is_flag=True,
    help="Do nothing when the current build was made from this same corpus.",
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="Kind of the documents given without a catalog (overrides sidecar and file).",
)
@click.option("--title", default=None, help="Title of a document given without a catalog (same).")
@click.option("--author", "authors", multiple=True, help="An author (repeatable; same).")
@click.option("--publisher", default=None, help="Publisher or issuing body (same).")
@click.option("--year", type=int, default=None, help="Year of publication (same).")
@click.option("--licence", default=None, help='Licence, e.g. "CC BY 4.0" (same).')
@click.option("--language", default=None, help="Language code, e.g. en or ru (same).")
@click.option("--country", "countries", multiple=True, help="ISO country code (repeatable).")
@click.option(
    "--max-file-mb",
    type=click.IntRange(1, 4096),
    default=MAX_FILE_BYTES // 2**20,
    show_default=True,
    help="Refuse documents larger than this many MiB (each is reported; the rest is built).",
)
@click.option(
    "--password",
    default=None,
    help="Password that opens encrypted PDFs (never stored). PDFs with an empty password "
    "open without it.",
)
@click.option(
    "--index",
    "index_url",
    default=None,
    metavar="URL",
    help="Index backend: `local` (FAISS and FTS5 files, the default), `milvus:///PATH.db` "
    "(embedded milvus-lite) or `milvus://HOST:19530` (a Milvus server); default $ILP_INDEX_URL.",
)
@reports_errors
def ingest(
    paths: tuple[Path, ...],
    instance: Path,
    model: Path | None,
    concepts: Path | None,
    strict: bool,
    if_changed: bool,
    kind: str | None,
    title: str | None,
    authors: tuple[str, ...],
    publisher: str | None,
    year: int | None,
    licence: str | None,
    language: str | None,
    countries: tuple[str, ...],
    max_file_mb: int,
    password: str | None,
    index_url: str | None,
) -> None:
    """Build the index from corpus/, or from catalogs, folders or documents given as PATH...

    A document outside a catalog takes its metadata from the options, then from a sidecar file
    (`NAME.toml`, with the keys of a catalog entry), then from the file itself (PDF metadata,
    title page, copyright notice), then from its file name.
    """
    from ilp_pipeline.run import run_build
    from ilp_pipeline.steps import Failure
    from ingest.sources import collect_documents
    from webapp.settings import index_url_default

    sources = list(paths) or [Path("corpus")]
    overrides = {
        "kind": kind,
        "title": title,
        "authors": list(authors),
        "publisher": publisher,
        "year": year,
        "licence": licence,
        "language": language,
        "countries": list(countries),
    }
    found = collect_documents(sources, overrides, password)
    for warning in found.renamed:
        click.echo(f"WARNING {warning}", err=True)
    report = run_build(
        found.metas,
        concepts or _scheme_beside(sources),
        instance,
        batch_encoder(model),
        progress=tqdm_progress,
        strict=strict,
        only_if_changed=if_changed,
        max_file_bytes=max_file_mb * 2**20,
        skipped=[Failure(item.path, item.reason) for item in found.skipped],
        multilingual=multilingual_encoder(),
        index_url=index_url or index_url_default(),
    )
    if report.skipped:
        click.echo(f"Corpus unchanged since the current build in {instance}/; nothing to do.")
        return
    for failure in report.failures:
        click.echo(f"FAILED {failure.path}: {failure.reason}", err=True)
    for document_id, kept in report.text_kept:
        click.echo(
            f"Text kept of {document_id}: {kept.share:.1%} of the body words "
            f"({kept.kept_words:,} of {kept.body_words:,})"
        )
    click.echo(
        f"Build {report.build_id}: {report.documents} documents, {report.passages} "
        f"passages, {report.concept_links} concept links, {len(report.failures)} "
        f"failures; {report.embedded} texts embedded, {report.reused} reused from cache; "
        f"{report.seconds:.1f} s"
    )
    if report.failures:
        sys.exit(EXIT_SOME_FAILED)


def _scheme_beside(sources: list[Path]) -> Path:
    for source in sources:
        folder = source if source.is_dir() else source.parent
        if (folder / "catalog.toml").is_file() and (folder / "concepts.ttl").is_file():
            return folder / "concepts.ttl"
    return Path("corpus") / "concepts.ttl"
