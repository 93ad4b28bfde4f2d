"""Concept scheme loading, label linking and the RDF graph of a build."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rdflib import RDF, XSD, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, SKOS

from graph.concepts import ConceptSchemeError, load_scheme
from graph.linking.labels import ConceptLink, LabelLinker, is_abbreviation
from graph.linking.model import LinkSettings, SemanticEvidence, _lead, _z_scores, link_passages
from graph.namespaces import ILP, concept_uri, country_uri, document_uri, passage_uri
from graph.rdf import build_graph, load_graph, save_triples
from ingest.catalog import load_catalog
from ingest.models import Passage
from ingest.reader import read_document
from ingest.splitter import split_passages
from tests.conftest import DATA, REPO

SCHEME = load_scheme(DATA / "corpus" / "concepts.ttl")


def passage(text: str) -> Passage:
    return Passage("doc-1", "doc", ("1. One",), "3", 0, len(text), text)


def test_scheme_loads_labels_and_neighbours():
    concept = SCHEME.get("tasking-and-co-ordination-group")
    assert concept.pref_label == "Tasking and co-ordination group"
    assert concept.pref_labels["ru"] == "Группа по постановке задач и координации"
    assert set(concept.alt_labels) == {"T&CG", "TCG"}
    assert concept.broader == ("decision-making-structures",)
    assert [c.id for c in SCHEME.find("t&cg")] == ["tasking-and-co-ordination-group"]
    assert {c.id for c in SCHEME.top_concepts()} == {
        "decision-making-structures",
        "policing-models",
    }


def test_shipped_scheme_has_enough_concepts():
    scheme = load_scheme(REPO / "corpus" / "concepts.ttl")
    assert len(scheme.concepts) >= 30
    assert all(c.pref_label and c.definition for c in scheme.concepts.values())


def test_malformed_scheme_is_a_clear_error(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle .")
    with pytest.raises(ConceptSchemeError, match="not valid Turtle"):
        load_scheme(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The T&CG met on Monday.", "tasking-and-co-ordination-group"),
        ("Tasking and Co-ordination Groups met.", "tasking-and-co-ordination-group"),
        ("the tasking and coordination group decided", "tasking-and-co-ordination-group"),
        ("Community policing needs trust.", "community-oriented-policing"),
        ("Ratcliffe's three i model", "three-i-model"),
    ],
)
def test_linker_matches_case_plural_hyphen_and_abbreviation_variants(text: str, expected: str):
    assert expected in {link.concept_id for link in LabelLinker(SCHEME).link(passage(text))}


@pytest.mark.parametrize("text", ["a cop walked by", "the tcg is lower case", "T&CGX"])
def test_abbreviations_match_case_sensitively_and_whole(text: str):
    assert LabelLinker(SCHEME).link(passage(text)) == []


def test_abbreviation_detection():
    assert is_abbreviation("T&CG") and is_abbreviation("NIM") and is_abbreviation("ПДОДИ")
    assert not is_abbreviation("community policing")


def _mini_build():
    corpus = DATA / "corpus"
    metas = load_catalog(corpus / "catalog.toml")
    passages = [p for m in metas for p in split_passages(read_document(m))]
    links = link_passages(passages, SCHEME)
    return metas, passages, links, build_graph(metas, passages, links, SCHEME, run_id="test")


def test_graph_has_documents_passages_countries_and_links():
    metas, passages, links, graph = _mini_build()
    doc = document_uri("tasking-guide")
    assert (doc, DCTERMS.title, Literal("Tasking Guide", lang="en")) in graph
    assert (doc, DCTERMS.spatial, country_uri("RS")) in graph
    first = passage_uri(passages[0].id)
    assert (first, RDF.type, ILP.Passage) in graph
    assert (first, DCTERMS.isPartOf, doc) in graph
    assert (first, ILP.text, Literal(passages[0].text)) in graph
    assert (first, ILP.mentions, concept_uri("tasking-and-co-ordination-group")) in graph
    link = next(graph.subjects(ILP.passage, first))
    assert graph.value(link, ILP.method) == Literal("label-match")
    assert graph.value(link, PROV.wasGeneratedBy) is not None
    assert (concept_uri("three-i-model"), SKOS.broader, concept_uri("policing-models")) in graph
    assert len(links) >= 3


def test_graph_is_deterministic_and_round_trips(tmp_path: Path):
    *_, first = _mini_build()
    *_, second = _mini_build()
    assert isomorphic(first, second)
    save_triples(first, tmp_path / "graph.nt")
    save_triples(second, tmp_path / "again.nt")
    assert (tmp_path / "graph.nt").read_bytes() == (tmp_path / "again.nt").read_bytes()
    assert isomorphic(load_graph(tmp_path / "graph.nt"), first)


def test_ntriples_writer_matches_rdflib_on_awkward_literals(tmp_path: Path):
    """Ingest writes N-Triples itself (no rdflib store); the lines must be rdflib's own."""
    *_, graph = _mini_build()
    subject = passage_uri("awkward")
    for literal in [
        Literal('quote " backslash \\ tab\tend'),
        Literal("two\nlines\r\n"),
        Literal("Группа по постановке задач", lang="ru"),
        Literal("emoji 🙂"),
        Literal("0.5", datatype=XSD.double),
        Literal("2017", datatype=XSD.gYear),
    ]:
        graph.add((subject, ILP.text, literal))
    save_triples(graph, tmp_path / "ours.nt")
    theirs = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    assert (tmp_path / "ours.nt").read_text(encoding="utf-8").splitlines() == sorted(
        line for line in theirs.splitlines() if line.strip()
    )
    assert isomorphic(load_graph(tmp_path / "ours.nt"), graph)


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_lead_is_the_margin_over_the_best_other_concept():
    values = np.array([[0.9, 0.5, 0.2], [0.3, 0.3, 0.1]])
    assert np.allclose(_lead(values), [[0.4, -0.4, -0.7], [0.0, 0.0, -0.2]])


def test_z_scores_standardise_each_concept_and_leave_constant_ones_at_zero():
    values = np.array([[1.0, 5.0], [3.0, 5.0]])
    assert np.allclose(_z_scores(values), [[-1.0, 0.0], [1.0, 0.0]])


def test_the_linking_model_links_what_a_passage_is_about_and_records_why():
    """Six passages, three concepts along three axes; passage i is about concept i % 3, and
    passage 0 also names concept 1 in passing (a label match that must not carry it)."""
    concepts = ["alpha", "beta", "gamma"]
    axes = np.eye(4, dtype=np.float32)[:3]
    noise = np.array([0, 0, 0, 1], dtype=np.float32)
    sentence_rows, owners = [], []
    for index in range(6):
        topic = axes[index % 3]
        for weight in (1.0, 0.8):  # two sentences per passage, both on its topic
            sentence_rows.append(weight * topic + 0.3 * noise)
            owners.append(index)
    sentences = _unit_rows(np.array(sentence_rows))
    passage_vectors = _unit_rows(np.array([axes[i % 3] + 0.3 * noise for i in range(6)]))
    evidence = SemanticEvidence(
        passage_vectors, sentences, np.array(owners), _unit_rows(axes + 0.1 * noise), concepts
    )
    passages = [Passage(f"p{i}", "doc", (), None, 0, 6, f"text {i}") for i in range(6)]
    label_links = [[] for _ in passages]
    label_links[0] = [ConceptLink("p0", "beta", "label-match", 1.0, "Beta")]
    links = link_passages(passages, SCHEME, evidence, LinkSettings(), label_links)
    linked = {(link.passage_id, link.concept_id): link for link in links}
    assert set(linked) == {(f"p{i}", concepts[i % 3]) for i in range(6)}
    assert all(link.method == "semantic" and 0.6 <= link.score <= 1.0 for link in links)
    # With the label and the meaning both present the link is labelled as such.
    label_links[1] = [ConceptLink("p1", "beta", "label-match", 1.0, "Beta")]
    links = link_passages(passages, SCHEME, evidence, LinkSettings(), label_links)
    beta = next(link for link in links if (link.passage_id, link.concept_id) == ("p1", "beta"))
    assert beta.method == "label-match+semantic" and beta.matched == "Beta"
    # Label-only settings ignore the vectors.
    only = link_passages(passages, SCHEME, evidence, LinkSettings.label_only(), label_links)
    assert {(link.passage_id, link.concept_id) for link in only} == {("p0", "beta"), ("p1", "beta")}
