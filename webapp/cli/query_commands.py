"""`ilp search`, `ilp concept`, `ilp sparql`, `ilp export` and `ilp serve`: using a build."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graph.rdf import EXPORT_FORMATS
from graph.sparql import DEFAULT_LIMIT
from search.limits import KINDS, MAX_K, METHODS
from webapp import settings
from webapp.cli.common import (
    instance_option,
    model_option,
    multilingual_encoder,
    query_encoder,
    reports_errors,
)
from webapp.cli.text import print_concept, print_search_result

# `ilp serve --workers`: each worker holds its own encoders and open build (0.45-0.6 GiB).
MAX_WORKERS = 64


@click.command()
@click.argument("query")
@instance_option
@model_option
@click.option(
    "-k",
    "k",
    default=5,
    show_default=True,
    type=click.IntRange(1, MAX_K),
    help="Number of passages.",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(KINDS),
    help="Only this kind of source (repeatable).",
)
@click.option(
    "--language",
    "languages",
    multiple=True,
    help="Only sources in this language, e.g. en (repeatable).",
)
@click.option("--method", default=METHODS[0], show_default=True, type=click.Choice(METHODS))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@reports_errors
def search(
    query: str,
    instance: Path,
    model: Path | None,
    k: int,
    kinds: tuple[str, ...],
    languages: tuple[str, ...],
    method: str,
    as_json: bool,
) -> None:
    """Search the current build and print cited passages."""
    from search.encoders.query import QueryEmbedder
    from search.index.loaded import LoadedBuild
    from search.searcher import Filters, Searcher

    build = LoadedBuild.open_current(instance)
    searcher = Searcher(
        build,
        QueryEmbedder(query_encoder(model)),
        embed_multilingual=QueryEmbedder(multilingual_encoder()),
    )
    result = searcher.search(
        query, k=k, method=method, filters=Filters(kinds=kinds, languages=languages)
    )
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_search_result(result)


@click.command()
@click.argument("label", required=False)
@instance_option
@click.option("--list", "list_all", is_flag=True, help="List every concept with its id.")
@reports_errors
def concept(label: str | None, instance: Path, list_all: bool) -> None:
    """Show a concept (by label, abbreviation or id): neighbours and passages by document."""
    from search.concept_view import concept_view, find_concept
    from search.index.loaded import LoadedBuild

    build = LoadedBuild.open_current(instance)
    if list_all or not label:
        for item in sorted(build.scheme.concepts.values(), key=lambda c: c.pref_label):
            click.echo(f"{item.id}\t{item.pref_label}")
        return
    print_concept(concept_view(build, find_concept(build, label)))


@click.command()
@click.argument("query")
@instance_option
@click.option(
    "--format",
    "output_format",
    default="table",
    show_default=True,
    type=click.Choice(["table", "json", "csv"]),
    help="How to print SELECT results.",
)
@click.option(
    "--limit", default=DEFAULT_LIMIT, show_default=True, help="Most rows or triples returned."
)
@click.option("--timeout", default=30.0, show_default=True, help="Seconds before stopping.")
@click.option(
    "--endpoint",
    envvar="ILP_SPARQL_ENDPOINT",
    default=None,
    help="Query this SPARQL store's endpoint (where `ilp publish` wrote the graph) instead of "
    "the build's graph (or set ILP_SPARQL_ENDPOINT).",
)
@reports_errors
def sparql(
    query: str,
    instance: Path,
    output_format: str,
    limit: int,
    timeout: float,
    endpoint: str | None,
) -> None:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the build."""
    if endpoint:
        from graph.remote_store import run_remote
        from webapp.settings import endpoint_url

        result = run_remote(endpoint_url(endpoint, "--endpoint"), query, limit, timeout)
    else:
        from graph.sparql import run_limited
        from search.index.loaded import LoadedBuild

        store = LoadedBuild.open_current(instance).sparql_store
        result = run_limited(store, query, limit, timeout)
    if result.kind == "ask":
        click.echo("true" if result.boolean else "false")
    elif result.kind == "graph":
        click.echo(result.ntriples, nl=False)
    elif output_format == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        separator = "," if output_format == "csv" else "\t"
        click.echo(separator.join(result.variables))
        for row in result.rows:
            cells = [row.get(name, {}).get("value", "") for name in result.variables]
            if output_format == "csv":
                cells = ['"' + cell.replace('"', '""') + '"' for cell in cells]
            click.echo(separator.join(cells))
    if result.truncated:
        click.echo(f"(stopped at {limit} results; use --limit to see more)", err=True)


@click.command()
@instance_option
@click.option(
    "--format",
    "output_format",
    default="ttl",
    show_default=True,
    type=click.Choice(list(EXPORT_FORMATS)),
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@reports_errors
def export(instance: Path, output_format: str, output: Path | None) -> None:
    """Write the whole graph as Turtle, JSON-LD or N-Triples."""
    from search.index.loaded import LoadedBuild

    data = LoadedBuild.open_current(instance).graph_dump(output_format)
    if output:
        output.write_bytes(data)
        click.echo(f"Wrote {len(data):,} bytes to {output}", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


@click.command()
@instance_option
@model_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Request threads (of each worker process).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, MAX_WORKERS),
    help="Worker processes behind the one port: 1 is waitress in this process; more are "
    "gunicorn workers, each with its own encoders and open build.",
)
@reports_errors
def serve(
    instance: Path, model: Path | None, host: str, port: int, threads: int, workers: int
) -> None:
    """Serve the site and API with waitress, or with gunicorn workers (`--workers N`)."""
    settings.one_native_thread_per_request()  # before anything native loads (workers inherit it)
    app_config = {
        "ILP_INSTANCE": str(instance.resolve()),
        "ILP_MODEL": str(model) if model else None,
    }
    processes = f", {workers} worker processes" if workers > 1 else ""
    where = f"http://{host}:{port}/ (instance {instance.resolve()}{processes})"
    if workers > 1:
        from webapp.workers_server import serve_workers

        click.echo(f"ILP Atlas on {where}")
        serve_workers(app_config, host, port, workers, threads)
        return
    from waitress import serve as waitress_serve

    from webapp import create_app

    app = create_app(app_config)
    click.echo(f"ILP Atlas on {where}")
    waitress_serve(app, host=host, port=port, threads=threads)
