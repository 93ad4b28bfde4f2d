"""How the `ilp` commands print their results as text (the `--json` forms print the data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from search.limits import LANGUAGE_NAMES, METHODS

if TYPE_CHECKING:  # only for annotations: `ilp --help` imports none of the indexes
    from search.concept_view import ConceptView
    from search.results import SearchResult


def print_search_result(result: SearchResult) -> None:
    """The answer sentences with their citations, then each passage with where it is from;
    or that no source answers well, or that no passage matched."""
    if not result.hits:
        click.echo("No passages found: try other words, another method or fewer filters.")
        return
    if result.no_good_answer:
        click.echo("No good answer in the sources: none of them answers this question well.")
        click.echo("The closest passages follow.\n")
    if result.answer:
        click.secho("Answer", bold=True)
        if result.partial:
            note = "Ответ может быть неполным. " if result.language == "ru" else ""
            click.echo(f"  ({note}Partial evidence: the sources may not state the whole answer.)")
        if result.sources_in_other_language:
            note = "Найденные источники на английском языке. " if result.language == "ru" else ""
            names = [LANGUAGE_NAMES.get(code, code) for code in result.answer_languages]
            click.echo(f"  ({note}The sources found are in {' and '.join(names)}.)")
        for sentence in result.answer:
            where = f" {sentence.document_id}#{sentence.anchor}" if sentence.anchor else ""
            click.echo(f"  {sentence.text}\n    [{sentence.citation}]{where}")
        click.echo()
    for rank, hit in enumerate(result.hits, start=1):
        click.secho(f"{rank}. {hit.document.title} ({hit.document.kind})", bold=True)
        where = " > ".join(hit.passage.heading_path)
        page = f", p. {hit.passage.page}" if hit.passage.page else ""
        click.echo(f"   {where}{page}  [{hit.passage.id}]")
        click.echo(f"   {hit.passage.text[:400]}{'...' if len(hit.passage.text) > 400 else ''}\n")


def print_concept(view: ConceptView) -> None:
    """A concept's labels, definition, neighbours, co-occurring concepts and passages."""
    found = view.concept
    click.secho(found.pref_label, bold=True)
    others = [f"{text}@{lang}" for lang, text in found.pref_labels.items() if lang != "en"]
    if found.alt_labels or others:
        click.echo("Also: " + ", ".join([*found.alt_labels, *others]))
    click.echo(f"{found.definition}\n  (source: {found.source})")
    for name, neighbours in (
        ("Broader", view.broader),
        ("Narrower", view.narrower),
        ("Related", view.related),
    ):
        if neighbours:
            click.echo(f"{name}: " + "; ".join(c.pref_label for c in neighbours))
    if view.cooccurring:
        click.echo(
            "Co-occurs with: "
            + "; ".join(f"{c.pref_label} ({n})" for c, n in view.cooccurring[:10])
        )
    click.echo(f"\n{view.passage_count} passages in {len(view.passages_by_document)} documents")
    for document, passages in view.passages_by_document:
        click.secho(f"\n{document.title} ({document.kind}, {document.year})", bold=True)
        for passage in passages:
            where = " > ".join(passage.heading_path[1:] or passage.heading_path)
            page = f", p. {passage.page}" if passage.page else ""
            click.echo(f"  - {where}{page}  [{passage.id}]")


def format_fit(report: dict) -> str:
    """The refitted linking model and its figures, as lines of text."""
    weights = ", ".join(f"{name} {value}" for name, value in report["weights"].items())
    fitted, held_out = report["in_sample"], report["cross_validated"]
    return "\n".join(
        [
            f"Linking model fitted on {fitted['n']} judgments: {weights}, bias {report['bias']}, "
            f"link_min {report['link_min']}",
            f"In-sample: precision {fitted['precision']:.3f}, recall {fitted['recall']:.3f}",
            f"Cross-validated by document ({held_out['splits']} splits x {held_out['folds']} "
            f"folds): precision {held_out['precision']:.3f} +- {held_out['precision_sd']:.3f}, "
            f"recall {held_out['recall']:.3f} +- {held_out['recall_sd']:.3f}",
        ]
    )


def format_eval_table(report: dict) -> str:
    """The retrieval evaluation as a Markdown table, per method and user group."""
    lines = [
        "| method | group | nDCG@10 | Recall@5 | Recall@10 | hit@5 | MRR | n | p50 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for method in METHODS:
        rows = [("all", report[method])] + sorted(report[method]["groups"].items())
        for group, m in rows:
            lines.append(
                f"| {method} | {group} | {m['ndcg@10']:.3f} | {m['recall@5']:.3f} | "
                f"{m['recall@10']:.3f} | {m['hit@5']:.3f} | {m['mrr']:.3f} | {m['n']} | "
                f"{m['latency_ms_p50']:.1f} |"
            )
    flags = report["no_good_answer"]
    lines.append("")
    lines.append(
        f"No good answer flagged on {flags['off_topic_flagged']:.0%} of "
        f"{flags['n_off_topic']} off-topic questions and {flags['on_topic_flagged']:.0%}"
        f" of {flags['n_on_topic']} answerable ones."
    )
    return "\n".join(lines)


def format_pages(pages: dict) -> str:
    """The printed-page evaluation of page questions (guidebook-questions.toml)."""
    return (
        f"Answer pages among the top 5 passages' printed pages ({pages['n']} questions): "
        f"Recall@5 {pages['recall@5']:.3f}, hit@5 {pages['hit@5']:.3f}"
    )


def format_answer_table(answers: dict) -> str:
    """The answer-card evaluation: the share of cards stating the facts, per user group."""
    lines = [
        "",
        "| answers | group | hold the facts | n |",
        "|---|---|---|---|",
        f"| cards | all | {answers['facts']:.3f} | {answers['n']} |",
    ]
    for group, share in answers["by_group"].items():
        lines.append(f"| cards | {group} | {share:.3f} | |")
    lines.append("")
    lines.append(
        f"Mean card length {answers['mean_words']:.1f} words; no card (no good answer) on "
        f"{answers['no_good_answer']:.0%} of these questions. Missed: "
        + (", ".join(answers["failed"]) or "none")
    )
    partial = answers.get("partial")
    if partial:
        lines.append(
            f"Marked partial: {partial['flagged']:.0%} of the cards given; of those, "
            f"{partial['missed_flagged']:.0%} miss their facts, against "
            f"{partial['missed_unflagged']:.0%} of the cards not marked."
        )
    return "\n".join(lines)
