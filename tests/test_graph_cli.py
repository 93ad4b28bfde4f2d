"""`ilp validate`, `ilp export`, `ilp concept`, `ilp sparql` over the mini build; stable URIs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from graph.linking.model import LinkSettings
from ilp_pipeline.run import run_build
from ingest.catalog import load_catalog
from tests.conftest import DATA
from tests.fakes import HashingEncoder
from webapp.cli import cli

CORPUS = DATA / "corpus"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_validate_passes_on_a_good_build(built_instance: Path):
    result = run("validate", "--instance", str(built_instance), "--corpus", str(CORPUS))
    assert result.exit_code == 0, result.output
    assert "0 problems" in result.output


def test_validate_reports_every_kind_of_problem(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    scheme = (corpus / "concepts.ttl").read_text()
    # A cycle (3-i model broader than policing models), a shared prefLabel, a concept with no
    # definition or source, and a stale entry in the unlinked list.
    scheme = scheme.replace(
        "skos:narrower ilpc:community-oriented-policing, ilpc:three-i-model .",
        "skos:narrower ilpc:community-oriented-policing, ilpc:three-i-model ;"
        " skos:broader ilpc:three-i-model .",
    )
    scheme += (
        "\nilpc:orphan a skos:Concept ; skos:inScheme "
        '<https://w3id.org/ilp-atlas/concepts> ; skos:prefLabel "3-i model"@en .\n'
    )
    (corpus / "concepts.ttl").write_text(scheme)
    (corpus / "unlinked-concepts.txt").write_text(
        "decision-making-structures\ntasking-and-co-ordination-group\n"
    )
    instance = tmp_path / "instance"
    run_build(
        load_catalog(corpus / "catalog.toml"),
        corpus / "concepts.ttl",
        instance,
        HashingEncoder(),
        link_settings=LinkSettings.label_only(),
    )
    result = run("validate", "--instance", str(instance), "--corpus", str(corpus))
    assert result.exit_code == 1
    for check in (
        "[no-cycles] policing-models",
        "[unique-preflabel]",
        "[reachable] orphan",
        "[shacl] https://w3id.org/ilp-atlas/concept/orphan",
        "[used] tasking-and-co-ordination-group: listed as unlinked",
    ):
        assert check in result.output, check


@pytest.mark.parametrize(
    ("fmt", "parser"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")]
)
def test_export_round_trips(built_instance: Path, tmp_path: Path, fmt: str, parser: str):
    target = tmp_path / f"graph.{fmt}"
    result = run("export", "--format", fmt, "-o", str(target), "--instance", str(built_instance))
    assert result.exit_code == 0, result.output
    exported = Graph().parse(target, format=parser)
    saved = Graph().parse(built_instance / "current" / "graph.nt", format="nt")
    assert not any(graph_diff(to_isomorphic(exported), to_isomorphic(saved))[1:])
    if fmt == "ttl":  # and pyoxigraph reads our Turtle to the same graph
        store = ox.Store()
        store.load(target.read_bytes(), format=ox.RdfFormat.TURTLE)
        via = Graph().parse(
            data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()),
            format="nt",
        )
        assert len(via) == len(saved)
        assert not any(graph_diff(to_isomorphic(via), to_isomorphic(saved))[1:])


def test_uris_are_stable_across_rebuilds(tmp_path: Path):
    graphs = []
    for attempt in ("first", "second"):
        instance = tmp_path / attempt
        run_build(
            load_catalog(CORPUS / "catalog.toml"),
            CORPUS / "concepts.ttl",
            instance,
            HashingEncoder(),
            link_settings=LinkSettings.label_only(),
        )
        graphs.append((instance / "current" / "graph.nt").read_text())
    assert graphs[0] == graphs[1]  # byte-identical: every URI derives from ids, not rows


def test_concept_command_prints_neighbours_and_passages(built_instance: Path):
    result = run("concept", "T&CG", "--instance", str(built_instance))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Tasking and co-ordination group")
    assert "Broader: Decision-making structures" in result.output
    assert "Tasking Guide (guidebook, 2017)" in result.output
    missing = run("concept", "no such thing", "--instance", str(built_instance))
    assert missing.exit_code == 1 and "No concept is called" in missing.output


def test_sparql_command(built_instance: Path):
    query = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?label WHERE { ?c skos:prefLabel ?label FILTER(lang(?label)='en') } "
        "ORDER BY ?label"
    )
    result = run("sparql", query, "--format", "json", "--instance", str(built_instance))
    assert result.exit_code == 0, result.output
    labels = [b["label"]["value"] for b in json.loads(result.output)["results"]["bindings"]]
    assert labels[0] == "3-i model"
    refused = run("sparql", "DELETE WHERE { ?s ?p ?o }", "--instance", str(built_instance))
    assert refused.exit_code == 1 and "read-only" in refused.output
