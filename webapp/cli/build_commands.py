"""`ilp eval` and `ilp validate`: measuring a build (`ilp ingest` is in ingest_command.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ilp_pipeline.baseline import QualityRegression
from search.limits import LANGUAGE_NAMES
from webapp.cli.common import (
    instance_option,
    model_option,
    multilingual_encoder,
    query_encoder,
    reports_errors,
)
from webapp.cli.text import format_answer_table, format_eval_table, format_fit, format_pages

BASELINE = Path("corpus/eval/baseline.json")
FACTS = Path("corpus/eval/answer-facts.toml")


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
@click.option(
    "--languages/--english-only",
    default=True,
    show_default=True,
    help="Also measure the questions in other languages beside --questions "
    "(questions-ru.toml, with answer-facts-ru.toml), reported under 'languages'.",
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
    languages: bool,
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
        from search.evaluation import (
            answer_report,
            is_page_questions,
            load_page_questions,
            load_questions,
            page_recall,
        )
        from search.evaluation import evaluate as run_evaluation
        from search.searcher import Searcher

        searcher = Searcher(
            build,
            QueryEmbedder(query_encoder(model)),
            embed_multilingual=QueryEmbedder(multilingual_encoder()),
        )
        if answers:
            report = answer_report(searcher, questions, facts_path)
            section = "answers" if "hybrid" in report else "guidebook_answers"
            if record_baseline and "pages" in report:
                from ilp_pipeline.baseline import record

                record(baseline_path or BASELINE, report, "guidebook_pages")
        elif is_page_questions(questions):  # guidebook-questions.toml: pages, not passages
            report = {"pages": page_recall(searcher, load_page_questions(questions), k=5)}
            section = "guidebook_pages"
        else:
            report = run_evaluation(searcher, load_questions(questions))
        if languages and section in ("retrieval", "answers"):
            from search.evaluation import facts_for, language_sets

            for code, path in language_sets(questions).items():
                report.setdefault("languages", {})[code] = (
                    answer_report(searcher, path, facts_for(facts_path, code))
                    if answers
                    else run_evaluation(searcher, load_questions(path))
                )
    sections = [section] + [f"{section}_{code}" for code in report.get("languages", {})]
    if record_baseline:
        from ilp_pipeline.baseline import record

        for name in sections:
            record(baseline_path or BASELINE, report, name)
            click.echo(f"Recorded the {name} figures in {baseline_path or BASELINE}", err=True)
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
        for code, part in [("en", report), *report.get("languages", {}).items()]:
            if "languages" in report:
                click.secho(f"\nQuestions in {code} ({LANGUAGE_NAMES.get(code, code)})", bold=True)
            if "hybrid" in part:
                click.echo(format_eval_table(part))
            if "pages" in part:
                click.echo(format_pages(part["pages"]))
            if "answers" in part:
                click.echo(format_answer_table(part["answers"]))
    if baseline_path and not record_baseline:
        from ilp_pipeline.baseline import check, load_baseline

        recorded = load_baseline(baseline_path)
        for name in sections:
            if name == section or name in recorded:  # a language not recorded yet is skipped
                for comparison in check(report, recorded, name):
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


@click.command()
@instance_option
@click.option(
    "--sparql-store",
    "store_url",
    required=True,
    help="The store's SPARQL 1.1 Graph Store Protocol endpoint, e.g. "
    "http://localhost:7878/store (oxigraph serve), http://host:3030/ds/data (Fuseki).",
)
@click.option("--timeout", default=600.0, show_default=True, help="Seconds per request.")
@reports_errors
def publish(instance: Path, store_url: str, timeout: float) -> None:
    """Write the current build's graph into a SPARQL store, replacing the one published before.

    The graph goes into a named graph of its own; then a pointer graph is switched to it, so
    readers see the old graph or the new one, never a mix. The previous build's graph is kept
    for readers still using it, older ones are deleted.
    """
    from graph.remote_store import publish_graph
    from search.index.loaded import LoadedBuild
    from webapp.settings import endpoint_url

    build = LoadedBuild.open_current(instance)
    report = publish_graph(
        build.path / "graph.nt", endpoint_url(store_url, "--sparql-store"), build.build_id, timeout
    )
    click.echo(f"Published {report.triples} triples of build {build.build_id} as <{report.graph}>")
    if report.previous:
        click.echo(f"Replaced <{report.previous}> as current (kept for readers still using it)")
    for graph in report.deleted:
        click.echo(f"Deleted <{graph}>")
