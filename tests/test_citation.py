"""Citations and graph metadata name the true authors: a team summary is never the original."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDFS

from graph.namespaces import ILP, document_uri, work_uri
from graph.rdf import add_document
from ingest.models import DocumentMeta, Passage, SourceWork
from search.citation import FORMATS, bibtex, csl_json, plain_text, ris

GUIDEBOOK = SourceWork(
    "S01",
    "OSCE Guidebook Intelligence-Led Policing",
    ("OSCE Secretariat TNTD/SPMU",),
    2017,
    "43-50",
    "https://polis.osce.org/osce-guidebook-intelligenceled-policing",
)
SUMMARY = DocumentMeta(
    id="tasking",
    title="Tasking and co-ordination",
    kind="guidebook",
    path=Path("tasking.html"),
    authors=("ILP Atlas team",),
    publisher="ILP Atlas",
    year=2017,
    licence="CC BY 4.0",
    role="summary",
    summary_of=(GUIDEBOOK,),
)
ORIGINAL = DocumentMeta(
    id="osce-guidebook",
    title="OSCE Guidebook Intelligence-Led Policing",
    kind="guidebook",
    path=Path("guidebook.pdf"),
    authors=("OSCE",),
    publisher="OSCE",
    year=2017,
    licence="All rights reserved.",
)
PASSAGE = Passage("p1", "tasking", ("Tasking", "Meetings"), "44", 0, 10, "Some text.")
URL = "https://atlas.example/passages/p1"
NOTE = (
    "Summary of: OSCE Guidebook Intelligence-Led Policing (OSCE Secretariat TNTD/SPMU, 2017), "
    "pp. 43-50"
)


def test_a_summary_is_cited_as_the_teams_text_with_what_it_summarises():
    text = plain_text(SUMMARY, PASSAGE, URL)
    assert text.startswith("ILP Atlas team (n.d.). Tasking and co-ordination, Meetings, p. 44.")
    assert NOTE in text and text.endswith(URL)
    entry = bibtex(SUMMARY, PASSAGE, URL)
    assert "author = {{ILP Atlas team}}" in entry and "year =" not in entry
    assert "Summary of: OSCE Guidebook" in entry
    record = ris(SUMMARY, PASSAGE, URL)
    assert "AU  - ILP Atlas team" in record and f"N1  - {NOTE}" in record
    assert "PY  -" not in record
    [item] = json.loads(csl_json(SUMMARY, PASSAGE, URL))
    assert item["author"] == [{"literal": "ILP Atlas team"}] and item["note"] == NOTE
    assert "issued" not in item


@pytest.mark.parametrize("style", sorted(FORMATS))
def test_no_format_credits_a_summary_to_the_summarised_authors(style: str):
    cited = FORMATS[style](SUMMARY, PASSAGE, URL)
    author_part = cited.split("Summary of")[0]
    assert "OSCE" not in author_part.replace("Tasking", "")


def test_an_original_is_cited_to_its_own_authors_and_year():
    text = plain_text(ORIGINAL, PASSAGE, URL)
    assert text.startswith(
        "OSCE (2017). OSCE Guidebook Intelligence-Led Policing, Meetings, p. 44."
    )
    assert "Summary of" not in text and "ILP Atlas" not in text
    assert "year = {2017}" in bibtex(ORIGINAL, PASSAGE, URL)
    [item] = json.loads(csl_json(ORIGINAL, PASSAGE, URL))
    assert item["issued"] == {"date-parts": [[2017]]} and "note" not in item


def test_the_graph_separates_the_summary_from_the_work_it_summarises():
    graph = Graph()
    add_document(graph, SUMMARY)
    document, work = document_uri("tasking"), work_uri("S01")
    creators = {
        graph.value(agent, RDFS.label) for agent in graph.objects(document, DCTERMS.creator)
    }
    assert creators == {Literal("ILP Atlas team")}
    assert (document, ILP.summaryOf, work) in graph
    assert (document, DCTERMS.license, Literal("CC BY 4.0")) in graph
    work_creators = {
        graph.value(agent, RDFS.label) for agent in graph.objects(work, DCTERMS.creator)
    }
    assert work_creators == {Literal("OSCE Secretariat TNTD/SPMU")}
    assert graph.value(work, DCTERMS.title) == Literal(GUIDEBOOK.title)
