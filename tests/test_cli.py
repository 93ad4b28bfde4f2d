"""The `ilp` CLI: clean errors and exit codes (real model where a command embeds)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from webapp.cli import EXIT_SOME_FAILED, cli


def test_search_without_a_build_is_a_clean_error(tmp_path: Path):
    result = CliRunner().invoke(cli, ["search", "ilp", "--instance", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "run `ilp ingest` first" in result.output
    assert "Traceback" not in result.output


def test_ingest_with_a_bad_catalog_is_a_clean_error(tmp_path: Path):
    catalog = tmp_path / "catalog.toml"
    catalog.write_text("[[document]\n")
    result = CliRunner().invoke(cli, ["ingest", str(catalog), "--instance", str(tmp_path / "i")])
    assert result.exit_code == 1 and "not valid TOML" in result.output


def test_instance_from_environment(tmp_path: Path):
    result = CliRunner().invoke(
        cli, ["search", "ilp"], env={"ILP_INSTANCE": str(tmp_path / "from-env")}
    )
    assert result.exit_code == 1 and "from-env" in result.output


@pytest.mark.slow
def test_ingest_reports_failures_with_a_distinct_exit_code(mini_corpus: Path, tmp_path: Path):
    (mini_corpus / "empty.md").write_bytes(b"")
    with (mini_corpus / "catalog.toml").open("a") as catalog:
        catalog.write(
            '\n[[document]]\nid = "empty"\ntitle = "Empty"\nkind = "research"\nfile = "empty.md"\n'
        )
    instance = tmp_path / "instance"
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(mini_corpus), "--instance", str(instance)])
    assert result.exit_code == EXIT_SOME_FAILED, result.output
    assert "empty.md: the file is empty" in result.output
    assert "3 documents" in result.output
    searched = runner.invoke(
        cli,
        ["search", "community policing trust", "--json", "-k", "2", "--instance", str(instance)],
    )
    assert searched.exit_code == 0, searched.output
    assert json.loads(searched.output)["hits"][0]["document"]["id"] == "models-study"
    other_language = runner.invoke(
        cli,
        [
            "search",
            "community policing trust",
            "--json",
            "--language",
            "ru",
            "--instance",
            str(instance),
        ],
    )
    assert json.loads(other_language.output)["hits"] == []
    as_text = runner.invoke(
        cli, ["search", "community policing trust", "--language", "ru", "--instance", str(instance)]
    )
    assert as_text.output.startswith("No passages found")
    off_topic = runner.invoke(
        cli, ["search", "recipe for apple pie", "--method", "dense", "--instance", str(instance)]
    )
    assert off_topic.output.startswith("No good answer in the sources")
    assert "1. " in off_topic.output  # the closest passages still follow
    strict = runner.invoke(
        cli, ["ingest", str(mini_corpus), "--strict", "--instance", str(instance)]
    )
    assert strict.exit_code == 1 and "a strict build allows none" in strict.output


@pytest.mark.slow
def test_ingest_a_loose_document_with_options(tmp_path: Path):
    from tests.conftest import DATA

    document = tmp_path / "own-copy.md"
    document.write_text((DATA / "corpus" / "models-study.md").read_text())
    instance = tmp_path / "instance"
    result = CliRunner().invoke(
        cli,
        [
            "ingest",
            str(document),
            "--kind",
            "guidebook",
            "--year",
            "2016",
            "--country",
            "GB",
            "--concepts",
            str(DATA / "corpus" / "concepts.ttl"),
            "--instance",
            str(instance),
        ],
    )
    assert result.exit_code == 0, result.output
    searched = CliRunner().invoke(
        cli, ["search", "3-i model", "--json", "-k", "1", "--instance", str(instance)]
    )
    document_json = json.loads(searched.output)["hits"][0]["document"]
    assert document_json == {
        "id": "own-copy",
        "title": "Models Study",
        "kind": "guidebook",
        "year": 2016,
    }


def test_eval_fit_needs_links(tmp_path: Path):
    result = CliRunner().invoke(cli, ["eval", "--fit", "--instance", str(tmp_path)])
    assert result.exit_code == 2 and "--fit needs --links" in result.output


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", "  (Partial evidence: the sources may not state the whole answer.)"),
        ("ru", "  (Ответ может быть неполным. Partial evidence: the sources may not state the"),
    ],
)
def test_the_text_output_says_when_the_evidence_is_partial(language: str, note: str):
    from ingest.models import DocumentMeta, Passage
    from search.results import AnswerSentence, Hit, SearchResult
    from webapp.cli.text import print_search_result

    text = "The group meets every week."
    passage = Passage("guide-1", "guide", ("Tasking",), "3", 0, len(text), text)
    hit = Hit(passage, DocumentMeta("guide", "Guide", "guidebook", Path("guide.md")), 1.0, [])
    answer = [AnswerSentence(text, "guide-1", "Guide, Tasking, p. 3", 1.0)]
    result = SearchResult("q", "hybrid", [hit], answer, partial=True, language=language)

    @click.command()
    def show() -> None:
        print_search_result(result)

    output = CliRunner().invoke(show).output
    assert note in output.splitlines()[1]
    assert ("Ответ" in output) == (language == "ru")
