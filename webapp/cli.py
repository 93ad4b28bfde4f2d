"""The `ilp` command line: thin commands over the libraries, with clean errors and exit codes.

Heavy libraries (torch, FAISS, rdflib) are imported inside the commands so `ilp --help` is instant.
Every command is wrapped in `reports_errors`: a library error becomes its message on one line and
the exit code its class names (ilp_base/errors.py), never a traceback. How results are printed
as text is in cli_text.py.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ilp_base.errors import AtlasError
from ilp_pipeline.baseline import QualityRegression
from search.limits import KINDS, METHODS
from webapp import settings
from webapp.cli_text import format_eval_table, format_fit, print_concept, print_search_result

if TYPE_CHECKING:
    from search.encoders.base import Encoder

EXIT_SOME_FAILED = 3  # `ilp ingest`: the build was made but some documents could not be read
BASELINE = Path("corpus/eval/baseline.json")
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

    return run  # type: ignore[return-value]


def _encoder(model: Path | None) -> Encoder:
    """The batch encoder for ingest (sentence-transformers on torch, default threads)."""
    settings.stay_offline()
    from search.encoders.sentence_transformer import SentenceTransformerEncoder

    return SentenceTransformerEncoder(model)


def _query_encoder(model: Path | None) -> Encoder:
    """The encoder for queries: one thread, torch-free when the model allows."""
    settings.stay_offline()
    from search.encoders.query import serving_query_encoder

    return serving_query_encoder(model)


def _tqdm_progress(total: int, description: str) -> Callable[[int], None]:
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """ILP Atlas: search and trace knowledge about Intelligence-Led Policing."""


@cli.command()
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
    help="Kind of documents given without a catalog or sidecar.",
)
@click.option("--title", default=None, help="Title of a document given without a catalog.")
@click.option("--organisation", default=None, help="Organisation or authors (same).")
@click.option("--year", type=int, default=None, help="Year of the source (same).")
@click.option("--country", "countries", multiple=True, help="ISO country code (repeatable).")
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
    organisation: str | None,
    year: int | None,
    countries: tuple[str, ...],
) -> None:
    """Build the index from corpus/, or from catalogs, folders or documents given as PATH...

    A document outside a catalog takes its metadata from a sidecar file (`NAME.toml`, with the
    keys of a catalog entry), then from the options, then from the file itself.
    """
    from ilp_pipeline.run import run_build
    from ingest.sources import collect

    sources = list(paths) or [Path("corpus")]
    defaults = {
        "kind": kind,
        "title": title,
        "organisation": organisation,
        "year": year,
        "countries": list(countries),
    }
    metas = collect(sources, defaults)
    report = run_build(
        metas,
        concepts or _scheme_beside(sources),
        instance,
        _encoder(model),
        progress=_tqdm_progress,
        strict=strict,
        only_if_changed=if_changed,
    )
    if report.skipped:
        click.echo(f"Corpus unchanged since the current build in {instance}/; nothing to do.")
        return
    for failure in report.failures:
        click.echo(f"FAILED {failure.path}: {failure.reason}", err=True)
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


@cli.command()
@click.argument("query")
@instance_option
@model_option
@click.option("-k", "k", default=5, show_default=True, help="Number of passages.")
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
    searcher = Searcher(build, QueryEmbedder(_query_encoder(model)))
    result = searcher.search(
        query, k=k, method=method, filters=Filters(kinds=kinds, languages=languages)
    )
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_search_result(result)


@cli.command()
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


@cli.command()
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
@click.option("--limit", default=1000, show_default=True, help="Most rows or triples returned.")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds before stopping.")
@reports_errors
def sparql(query: str, instance: Path, output_format: str, limit: int, timeout: float) -> None:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the build."""
    from graph.sparql import run_limited
    from search.index.loaded import LoadedBuild

    result = run_limited(LoadedBuild.open_current(instance).sparql_store, query, limit, timeout)
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


@cli.command()
@instance_option
@click.option(
    "--format",
    "output_format",
    default="ttl",
    show_default=True,
    type=click.Choice(["ttl", "jsonld", "nt"]),
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


@cli.command(name="eval")
@instance_option
@model_option
@click.option(
    "--questions",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("corpus/eval/questions.toml"),
    show_default=True,
)
@click.option(
    "--links",
    "links_path",
    is_flag=False,
    flag_value="corpus/eval/links.toml",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Evaluate concept linking instead (on corpus/eval/links.toml).",
)
@click.option(
    "--fit",
    is_flag=True,
    help="With --links: refit the linking model on the judgments and cross-validate "
    "it by document (prints weights to put in graph/linking/model.py "
    "LinkSettings).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--baseline",
    "baseline_path",
    is_flag=False,
    flag_value=str(BASELINE),
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Compare with the recorded figures (default file {BASELINE}); exit "
    f"{QualityRegression.exit_code} when one fell by more than the file's "
    "tolerance.",
)
@click.option(
    "--record-baseline",
    is_flag=True,
    help="Write these figures into the baseline file (after a deliberate change).",
)
@reports_errors
def evaluate(
    instance: Path,
    model: Path | None,
    questions: Path,
    links_path: Path | None,
    fit: bool,
    as_json: bool,
    baseline_path: Path | None,
    record_baseline: bool,
) -> None:
    """Measure retrieval (nDCG@10, Recall@5/10, MRR) or concept linking on the gold sets."""
    from search.index.loaded import LoadedBuild

    if fit and not links_path:
        raise click.UsageError("--fit needs --links")
    section = "fit" if fit else "links" if links_path else "retrieval"
    build = LoadedBuild.open_current(instance)
    if links_path:
        from graph.linking.evaluation import load_judgments
        from ilp_pipeline.linking import evaluate_build_links, fit_build_links

        judgments = load_judgments(links_path)
        if fit:
            report = fit_build_links(build, judgments, _query_encoder(model))
        else:
            report = evaluate_build_links(build, judgments)
    else:
        from search.encoders.query import QueryEmbedder
        from search.evaluation import evaluate as run_evaluation
        from search.evaluation import load_questions
        from search.searcher import Searcher

        searcher = Searcher(build, QueryEmbedder(_query_encoder(model)))
        report = run_evaluation(searcher, load_questions(questions))
    if record_baseline:
        from ilp_pipeline.baseline import record

        record(baseline_path or BASELINE, report, section)
        click.echo(f"Recorded the {section} figures in {baseline_path or BASELINE}", err=True)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    elif fit:
        click.echo(format_fit(report))
    elif links_path:
        click.echo(
            f"Concept linking on {report['n']} judgments: precision "
            f"{report['precision']:.3f}, recall {report['recall']:.3f}"
        )
    else:
        click.echo(format_eval_table(report))
    if baseline_path and not record_baseline:
        from ilp_pipeline.baseline import check, load_baseline

        for comparison in check(report, load_baseline(baseline_path), section):
            click.echo(str(comparison), err=True)


@cli.command()
@instance_option
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default="corpus",
    show_default=True,
    help="Corpus folder (for unlinked-concepts.txt).",
)
@reports_errors
def validate(instance: Path, corpus: Path) -> None:
    """Check the build's graph (SHACL) and the concept scheme; exit 1 on any problem."""
    from graph.rdf import load_graph
    from graph.validate import read_unlinked_list
    from graph.validate import validate as run_checks
    from search.index.loaded import LoadedBuild

    build = LoadedBuild.open_current(instance)
    report = run_checks(
        load_graph(build.path / "graph.nt"),
        build.scheme,
        build.store.linked_concepts(),
        read_unlinked_list(corpus / "unlinked-concepts.txt"),
    )
    for problem in report.problems:
        click.echo(f"FAIL [{problem.check}] {problem.focus}: {problem.message}")
    click.echo(
        f"{len(report.checks)} checks ({', '.join(report.checks)}) on build "
        f"{build.build_id}: {len(report.problems)} problems"
    )
    if not report.ok:
        sys.exit(1)


@cli.command()
@instance_option
@model_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int, help="Waitress threads.")
def serve(instance: Path, model: Path | None, host: str, port: int, threads: int) -> None:
    """Serve the site and API with waitress."""
    settings.one_native_thread_per_request()  # before anything native loads
    from waitress import serve as waitress_serve

    from webapp import create_app

    app = create_app(
        {"ILP_INSTANCE": str(instance.resolve()), "ILP_MODEL": str(model) if model else None}
    )
    click.echo(f"ILP Atlas on http://{host}:{port}/ (instance {instance.resolve()})")
    waitress_serve(app, host=host, port=port, threads=threads)


if __name__ == "__main__":
    cli()
