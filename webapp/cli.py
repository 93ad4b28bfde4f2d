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


def _encoder(model: Path | None):
    """The batch encoder for ingest (sentence-transformers on torch, default threads)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from search.encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder(model)


def _query_encoder(model: Path | None):
    """The encoder for queries: one thread, torch-free when the model allows."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from search.encoder import serving_query_encoder

    return serving_query_encoder(model)


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
@click.option("--concepts", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Concept scheme (default: concepts.ttl beside the first "
              "catalog, else corpus/concepts.ttl).")
@click.option("--strict", is_flag=True, help="Fail the whole build if any document fails.")
@click.option("--if-changed", is_flag=True,
              help="Do nothing when the current build was made from this same corpus.")
@click.option("--kind", type=click.Choice(["guidebook", "research", "good-practice", "training"]),
              default=None, help="Kind of documents given without a catalog or sidecar.")
@click.option("--title", default=None, help="Title of a document given without a catalog.")
@click.option("--organisation", default=None, help="Organisation or authors (same).")
@click.option("--year", type=int, default=None, help="Year of the source (same).")
@click.option("--country", "countries", multiple=True, help="ISO country code (repeatable).")
def ingest(paths: tuple[Path, ...], instance: Path, model: Path | None, concepts: Path | None,
           strict: bool, if_changed: bool, kind: str | None, title: str | None,
           organisation: str | None, year: int | None, countries: tuple[str, ...]) -> None:
    """Build the index from corpus/, or from catalogs, folders or documents given as PATH...

    A document outside a catalog takes its metadata from a sidecar file (`NAME.toml`, with the
    keys of a catalog entry), then from the options, then from the file itself.
    """
    from ingest.sources import collect
    from search.build import run_build

    sources = list(paths) or [Path("corpus")]
    defaults = {"kind": kind, "title": title, "organisation": organisation, "year": year,
                "countries": list(countries)}
    try:
        metas = collect(sources, defaults)
        concepts = concepts or _scheme_beside(sources)
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
@click.option("--kind", "kinds", multiple=True, help="Only this kind of source (repeatable).")
@click.option("--language", "languages", multiple=True,
              help="Only sources in this language, e.g. en (repeatable).")
@click.option("--method", default="hybrid", show_default=True,
              type=click.Choice(["hybrid", "keyword", "dense"]))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def search(query: str, instance: Path, model: Path | None, k: int, kinds: tuple[str, ...],
           languages: tuple[str, ...], method: str, as_json: bool) -> None:
    """Search the current build and print cited passages."""
    from search.encoder import QueryEmbedder
    from search.loaded import LoadedBuild
    from search.searcher import Filters, Searcher

    try:
        build = LoadedBuild.open_current(instance)
        searcher = Searcher(build, QueryEmbedder(_query_encoder(model)))
        result = searcher.search(query, k=k, method=method,
                                 filters=Filters(kinds=kinds, languages=languages))
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
@click.argument("label", required=False)
@instance_option
@click.option("--list", "list_all", is_flag=True, help="List every concept with its id.")
def concept(label: str | None, instance: Path, list_all: bool) -> None:
    """Show a concept (by label, abbreviation or id): neighbours and passages by document."""
    from search.concept_view import concept_view, find_concept
    from search.loaded import LoadedBuild

    try:
        build = LoadedBuild.open_current(instance)
        if list_all or not label:
            for item in sorted(build.scheme.concepts.values(), key=lambda c: c.pref_label):
                click.echo(f"{item.id}\t{item.pref_label}")
            return
        view = concept_view(build, find_concept(build, label))
    except _library_errors() as error:
        raise LibraryFailure(str(error)) from error
    found = view.concept
    click.secho(found.pref_label, bold=True)
    others = [f"{text}@{lang}" for lang, text in found.pref_labels.items() if lang != "en"]
    if found.alt_labels or others:
        click.echo("Also: " + ", ".join([*found.alt_labels, *others]))
    click.echo(f"{found.definition}\n  (source: {found.source})")
    for name, neighbours in (("Broader", view.broader), ("Narrower", view.narrower),
                             ("Related", view.related)):
        if neighbours:
            click.echo(f"{name}: " + "; ".join(c.pref_label for c in neighbours))
    if view.cooccurring:
        click.echo("Co-occurs with: " + "; ".join(f"{c.pref_label} ({n})"
                                                   for c, n in view.cooccurring[:10]))
    click.echo(f"\n{view.passage_count} passages in {len(view.passages_by_document)} documents")
    for document, passages in view.passages_by_document:
        click.secho(f"\n{document.title} ({document.kind}, {document.year})", bold=True)
        for passage in passages:
            where = " > ".join(passage.heading_path[1:] or passage.heading_path)
            page = f", p. {passage.page}" if passage.page else ""
            click.echo(f"  - {where}{page}  [{passage.id}]")


@cli.command()
@click.argument("query")
@instance_option
@click.option("--format", "output_format", default="table", show_default=True,
              type=click.Choice(["table", "json", "csv"]), help="How to print SELECT results.")
@click.option("--limit", default=1000, show_default=True, help="Most rows or triples returned.")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds before stopping.")
def sparql(query: str, instance: Path, output_format: str, limit: int, timeout: float) -> None:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the build."""
    from graph.sparql import run_limited
    from search.loaded import LoadedBuild

    try:
        build = LoadedBuild.open_current(instance)
        result = run_limited(build.sparql_store, query, limit, timeout)
    except _library_errors() as error:
        raise LibraryFailure(str(error)) from error
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
@click.option("--format", "output_format", default="ttl", show_default=True,
              type=click.Choice(["ttl", "jsonld", "nt"]))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
def export(instance: Path, output_format: str, output: Path | None) -> None:
    """Write the whole graph as Turtle, JSON-LD or N-Triples."""
    from search.loaded import LoadedBuild

    try:
        data = LoadedBuild.open_current(instance).graph_dump(output_format)
    except _library_errors() as error:
        raise LibraryFailure(str(error)) from error
    if output:
        output.write_bytes(data)
        click.echo(f"Wrote {len(data):,} bytes to {output}", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


@cli.command(name="eval")
@instance_option
@model_option
@click.option("--questions", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("corpus/eval/questions.toml"), show_default=True)
@click.option("--links", "links_path", is_flag=False, flag_value="corpus/eval/links.toml",
              default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Evaluate concept linking instead (on corpus/eval/links.toml).")
@click.option("--fit", is_flag=True,
              help="With --links: refit the linking model on the judgments and cross-validate "
                   "it by document (prints weights to put in graph/linker.py LinkSettings).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(instance: Path, model: Path | None, questions: Path, links_path: Path | None,
             fit: bool, as_json: bool) -> None:
    """Measure retrieval (nDCG@10, Recall@5/10, MRR) or concept linking on the gold sets."""
    from search.loaded import LoadedBuild

    if fit and not links_path:
        raise click.UsageError("--fit needs --links")
    try:
        build = LoadedBuild.open_current(instance)
        if links_path:
            from search.link_evaluation import evaluate_links, load_judgments

            judgments = load_judgments(links_path)
            if fit:
                from search.link_model import fit_link_model, judged_pairs

                report = fit_link_model(judged_pairs(build, judgments, _query_encoder(model)))
            else:
                report = evaluate_links(build, judgments)
        else:
            from search.encoder import QueryEmbedder
            from search.evaluation import evaluate as run_evaluation
            from search.evaluation import load_questions
            from search.searcher import Searcher

            searcher = Searcher(build, QueryEmbedder(_query_encoder(model)))
            report = run_evaluation(searcher, load_questions(questions))
    except _library_errors() as error:
        raise LibraryFailure(str(error)) from error
    if as_json:
        click.echo(json.dumps(report, indent=2))
    elif fit:
        click.echo(format_fit(report))
    elif links_path:
        click.echo(f"Concept linking on {report['n']} judgments: precision "
                   f"{report['precision']:.3f}, recall {report['recall']:.3f}")
    else:
        click.echo(format_eval_table(report))


def format_fit(report: dict) -> str:
    """The refitted linking model and its figures, as lines of text."""
    weights = ", ".join(f"{name} {value}" for name, value in report["weights"].items())
    fitted, held_out = report["in_sample"], report["cross_validated"]
    return "\n".join([
        f"Linking model fitted on {fitted['n']} judgments: {weights}, bias {report['bias']}, "
        f"link_min {report['link_min']}",
        f"In-sample: precision {fitted['precision']:.3f}, recall {fitted['recall']:.3f}",
        f"Cross-validated by document ({held_out['splits']} splits x {held_out['folds']} "
        f"folds): precision {held_out['precision']:.3f} +- {held_out['precision_sd']:.3f}, "
        f"recall {held_out['recall']:.3f} +- {held_out['recall_sd']:.3f}"])


def format_eval_table(report: dict) -> str:
    """The retrieval evaluation as a Markdown table, per method and user group."""
    lines = ["| method | group | nDCG@10 | Recall@5 | Recall@10 | MRR | n | p50 ms |",
             "|---|---|---|---|---|---|---|---|"]
    for method in ("keyword", "dense", "hybrid"):
        rows = [("all", report[method])] + sorted(report[method]["groups"].items())
        for group, m in rows:
            lines.append(f"| {method} | {group} | {m['ndcg@10']:.3f} | {m['recall@5']:.3f} | "
                         f"{m['recall@10']:.3f} | {m['mrr']:.3f} | {m['n']} | "
                         f"{m['latency_ms_p50']:.1f} |")
    flags = report["no_good_answer"]
    lines.append("")
    lines.append(f"No good answer flagged on {flags['off_topic_flagged']:.0%} of "
                 f"{flags['n_off_topic']} off-topic questions and {flags['on_topic_flagged']:.0%}"
                 f" of {flags['n_on_topic']} answerable ones.")
    return "\n".join(lines)


@cli.command()
@instance_option
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default="corpus",
              show_default=True, help="Corpus folder (for unlinked-concepts.txt).")
def validate(instance: Path, corpus: Path) -> None:
    """Check the build's graph (SHACL) and the concept scheme; exit 1 on any problem."""
    from graph.builder import load_graph
    from graph.validate import read_unlinked_list
    from graph.validate import validate as run_checks
    from search.loaded import LoadedBuild

    try:
        build = LoadedBuild.open_current(instance)
        report = run_checks(load_graph(build.path / "graph.nt"), build.scheme,
                            build.store.linked_concepts(),
                            read_unlinked_list(corpus / "unlinked-concepts.txt"))
    except _library_errors() as error:
        raise LibraryFailure(str(error)) from error
    for problem in report.problems:
        click.echo(f"FAIL [{problem.check}] {problem.focus}: {problem.message}")
    click.echo(f"{len(report.checks)} checks ({', '.join(report.checks)}) on build "
               f"{build.build_id}: {len(report.problems)} problems")
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
    # One BLAS and OpenMP thread per request, in every waitress thread: OpenMP reads this when
    # it loads, while `limit_threads` (called on the first request) only reaches the thread
    # that calls it. Idle OpenMP workers spinning on the other core slow every query.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
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
