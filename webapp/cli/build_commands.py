"""`ilp ingest`, `ilp eval` and `ilp validate`: making a build and measuring it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ilp_pipeline.baseline import QualityRegression
from search.limits import KINDS
from webapp.cli.common import (
    EXIT_SOME_FAILED,
    batch_encoder,
    instance_option,
    model_option,
    query_encoder,
    reports_errors,
    tqdm_progress,
)
from webapp.cli.text import format_answer_table, format_eval_table, format_fit

BASELINE = Path("corpus/eval/baseline.json")
FACTS = Path("corpus/eval/answer-facts.toml")


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
        batch_encoder(model),
        progress=tqdm_progress,
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


@click.command(name="eval")
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
@click.option(
    "--answers",
    is_flag=True,
    help="Also measure the answer cards: the share of questions whose card states the facts "
    "in --facts (on guidebook-questions.toml, the answer cards only).",
)
@click.option(
    "--facts",
    "facts_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=FACTS,
    show_default=True,
    help="The facts each answer must state (for --answers).",
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
    answers: bool,
    facts_path: Path,
    as_json: bool,
    baseline_path: Path | None,
    record_baseline: bool,
) -> None:
    """Measure retrieval (nDCG@10, Recall@5/10, MRR) or concept linking on the gold sets."""
    from search.index.loaded import LoadedBuild

    if fit and not links_path:
        raise click.UsageError("--fit needs --links")
    if answers and links_path:
        raise click.UsageError("--answers measures the search's answer cards, not --links")
    section = "fit" if fit else "links" if links_path else "retrieval"
    build = LoadedBuild.open_current(instance)
    if links_path:
        from graph.linking.evaluation import load_judgments
        from ilp_pipeline.linking import evaluate_build_links, fit_build_links

        judgments = load_judgments(links_path)
        if fit:
            report = fit_build_links(build, judgments, query_encoder(model))
        else:
            report = evaluate_build_links(build, judgments)
    else:
        from search.encoders.query import QueryEmbedder
        from search.evaluation import answer_report, load_questions
        from search.evaluation import evaluate as run_evaluation
        from search.searcher import Searcher

        searcher = Searcher(build, QueryEmbedder(query_encoder(model)))
        if answers:
            report = answer_report(searcher, questions, facts_path)
            section = "answers" if "hybrid" in report else "guidebook_answers"
            if record_baseline and "pages" in report:
                from ilp_pipeline.baseline import record

                record(baseline_path or BASELINE, report, "guidebook_pages")
        else:
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
        if "hybrid" in report:
            click.echo(format_eval_table(report))
        if "answers" in report:
            click.echo(format_answer_table(report["answers"]))
    if baseline_path and not record_baseline:
        from ilp_pipeline.baseline import check, load_baseline

        for comparison in check(report, load_baseline(baseline_path), section):
            click.echo(str(comparison), err=True)


@click.command()
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
