"""The site as its users meet it (issue 20): the document reader, SPARQL, concept and topic pack
pages, through Flask's test client over real builds of the test corpus."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from search.concept_view import concept_view, naming_sentences
from search.index.loaded import LoadedBuild
from webapp.reader import table_of_contents
from webapp.svg import WIDTH, layout

# Chromium's Accept header for a page (werkzeug's `best` picks the signed-exchange type from it).
BROWSER_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
    "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# The document reader


def test_reader_contents_carry_no_list_numbers_of_their_own(client):
    html = html_of(client.get("/documents/tasking-guide"))
    toc = html[
        html.index('<nav class="toc"') : html.index("</nav>", html.index('<nav class="toc"'))
    ]
    assert '<ol class="toc-list">' in toc
    assert '<a href="#tasking-guide-' in toc and "1. Tasking and co-ordination meetings</a>" in toc
    assert "Tasking Guide</a>" not in toc  # the document's own title is not a chapter
    css = client.get("/static/style.css").get_data(as_text=True)
    assert re.search(r"\.toc-list, \.toc-list ol \{ list-style: none;", css)


def test_table_of_contents_keeps_pdf_chapters_and_drops_a_repeated_title():
    contents = table_of_contents(
        "Guidebook",
        [
            ("p1", ["8. Policing models"]),
            ("p2", ["8. Policing models", "8.1 Contemporary policing models"]),
            ("p3", ["8. Policing models", "8.1 Contemporary policing models"]),
            ("p4", ["Guidebook", "9. Implementing ILP"]),
        ],
    )
    assert [(c.title, c.anchor) for c in contents] == [
        ("8. Policing models", "p1"),
        ("9. Implementing ILP", "p4"),
    ]
    assert [(s.title, s.anchor) for s in contents[0].children] == [
        ("8.1 Contemporary policing models", "p2")
    ]


def test_reader_text_wraps_long_words_on_a_phone(client):
    css = client.get("/static/style.css").get_data(as_text=True)
    assert re.search(r"\.passages,[^{]*\{ overflow-wrap: anywhere; \}", css)
    assert ".reader > *" in css  # grid columns may shrink below a long word's width


# SPARQL


def test_sparql_form_starts_with_an_example_query(client):
    html = html_of(client.get("/sparql"))
    editor = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert editor and "SELECT" in unescape(editor[1]) and "skos:prefLabel" in unescape(editor[1])


def test_malformed_query_from_a_browser_comes_back_in_the_form_with_the_error(client):
    query = 'SELECT ?x WHERE { ?x ?y "<b>oops</b>'
    response = client.post("/sparql", data={"query": query}, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and "did not run" in html
    editor = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert editor and unescape(editor[1]) == query
    assert "<b>oops" not in html  # escaped, in the editor and in the message


@pytest.mark.parametrize(
    "accept", [None, "*/*", "application/json", "application/sparql-results+json"]
)
def test_malformed_query_from_a_program_is_still_json(client, accept):
    headers = {"Accept": accept} if accept else {}
    response = client.post("/sparql", data={"query": "SELECT ?x WHERE {"}, headers=headers)
    assert response.status_code == 400 and response.is_json
    assert response.get_json()["error"]["title"] == "SPARQL error"


def test_sparql_results_have_their_own_table_and_link_uris(client):
    query = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?concept ?label WHERE { ?concept skos:prefLabel ?label } ORDER BY ?label"
    )
    response = client.post("/sparql", data={"query": query}, headers={"Accept": BROWSER_ACCEPT})
    html = html_of(response)
    assert '<table class="sparql-results">' in html and 'class="results"' not in html
    assert (
        '<a href="/concepts/tasking-and-co-ordination-group">'
        "https://w3id.org/ilp-atlas/concept/tasking-and-co-ordination-group</a>"
    ) in html
    assert 'lang="ru"' in html  # a literal keeps its language


# Concepts


def test_concepts_index_filters_by_any_label_and_counts_passages(client):
    html = html_of(client.get("/concepts/?q=tcg"))
    assert 'name="q"' in html and 'value="tcg"' in html
    assert "1 concept with a label containing" in html
    az = html[html.index('id="az-title"') : html.index('id="tree-title"')]
    assert "Tasking and co-ordination group" in az and "3-i model" not in az
    assert re.search(r"\d+ passages?</span>", az)
    everything = html_of(client.get("/concepts/"))
    assert "3-i model" in everything


def test_concepts_filter_escapes_its_input(client):
    html = html_of(client.get("/concepts/?q=%3Cscript%3Ealert(1)%3C/script%3E"))
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_az_entries_do_not_split_across_columns(client):
    css = client.get("/static/style.css").get_data(as_text=True)
    assert re.search(r"\.az li \{ break-inside: avoid; \}", css)


def test_concept_page_shows_alt_label_languages(client):
    html = html_of(client.get("/concepts/tasking-and-co-ordination-group"))
    assert '<td>alternative</td><td>en</td><td lang="en">T&amp;CG</td>' in html


def test_concept_snippet_is_the_sentence_that_names_it(built_instance: Path):
    build = LoadedBuild.open_current(built_instance)
    try:
        concept = build.scheme.get("tasking-and-co-ordination-group")
        assert concept is not None
        view = concept_view(build, concept)
        passages = [p for _, ps in view.passages_by_document for p in ps]
        assert passages
        for passage in passages:
            snippet = view.snippets[passage.id]
            assert snippet in passage.text
            assert any(label.casefold() in snippet.casefold() for label in concept.labels)
    finally:
        build.close()


def test_snippet_skips_sentences_that_do_not_name_the_concept():
    from ingest.sentences import Sentence

    text = "Meetings vary. Every week the TCG sets priorities. Then units act."
    sentences = [
        Sentence(0, 0, "Meetings vary.", 0, 14),
        Sentence(1, 0, "Every week the TCG sets priorities.", 15, 50),
        Sentence(2, 0, "Then units act.", 51, 66),
    ]
    assert naming_sentences(text, sentences, ("TCG",)) == (
        "Every week the TCG sets priorities. Then units act."  # a short sentence takes the next
    )
    assert (
        naming_sentences(text, sentences, ("nowhere",))
        == "Meetings vary. Every week the TCG sets priorities."
    )


def test_concept_page_shows_snippets_not_passage_starts(client, built_instance: Path):
    html = html_of(client.get("/concepts/tasking-and-co-ordination-group"))
    build = LoadedBuild.open_current(built_instance)
    try:
        concept = build.scheme.get("tasking-and-co-ordination-group")
        assert concept is not None
        view = concept_view(build, concept)
    finally:
        build.close()
    quotes = re.findall(r"<blockquote>\s*<p>(.*?)</p>", html, re.S)
    assert quotes and {unescape(q) for q in quotes} <= set(view.snippets.values())


def test_graph_labels_are_whole_and_inside_the_drawing():
    long_label = "Operational / tactical tasking and co-ordination meeting"
    nodes = layout(
        [
            (f"c{n}", long_label, relation)
            for n, relation in enumerate(["broader"] * 3 + ["related"] * 5)
        ]
    )
    for node in nodes:
        assert " ".join(node.lines) == long_label
        half = max(len(line) for line in node.lines) * 7.0 / 2
        assert half <= node.label_x <= WIDTH - half


def test_concept_graph_is_not_an_image_with_links_inside(client):
    html = html_of(client.get("/concepts/tasking-and-co-ordination-group"))
    svg = html[html.index("<svg") : html.index(">", html.index("<svg"))]
    assert 'role="img"' not in svg and 'role="group"' in svg
    assert "<tspan" in html


# Topic pack


def test_pack_ranks_key_passages_by_centrality(built_instance: Path):
    from webapp.topic_pack import pack_items

    build = LoadedBuild.open_current(built_instance)
    try:
        concept = build.scheme.get("tasking-and-co-ordination-group")
        assert concept is not None
        view = concept_view(build, concept)
    finally:
        build.close()
    key_passages, examples = pack_items(view)
    scores = [view.centrality[p.id] for _, p in key_passages]
    assert scores == sorted(scores, reverse=True)
    shown = [p.id for _, p in key_passages] + [p.id for ps in examples.values() for _, p in ps]
    assert len(shown) == len(set(shown))  # no passage twice


@pytest.mark.parametrize("concept_id", ["tasking-and-co-ordination-group", "three-i-model"])
def test_pack_has_an_example_from_every_country_with_one(client, built_instance: Path, concept_id):
    from graph.countries import country_name

    build = LoadedBuild.open_current(built_instance)
    try:
        concept = build.scheme.get(concept_id)
        assert concept is not None
        view = concept_view(build, concept)
    finally:
        build.close()
    expected = {code for codes in view.countries.values() for code in codes}
    expected |= {
        code
        for document, _ in view.passages_by_document
        if document.kind == "good-practice"
        for code in document.countries
    }
    assert expected  # the test corpus has country examples for these concepts
    html = html_of(client.get(f"/concepts/{concept_id}/pack"))
    examples = html[html.index('id="examples-title"') : html.index('id="sources-title"')]
    assert {name for name in re.findall(r"<h3>(.*?)</h3>", examples)} == {
        country_name(code) for code in expected
    }


def test_pack_items_are_short_with_read_more_links_and_optional_in_print(client):
    html = html_of(client.get("/concepts/tasking-and-co-ordination-group/pack"))
    items = re.findall(r'<blockquote class="pack-item">(.*?)</blockquote>', html, re.S)
    assert items
    for item in items:
        assert re.search(
            r'<a class="read-more" href="http://localhost/passages/[^"]+">Read more', item
        )
        assert re.search(r'<input type="checkbox" name="include" value="[^"]+" checked>', item)
    css = client.get("/static/style.css").get_data(as_text=True)
    assert '.pack-item:has(input[name="include"]:not(:checked)) { display: none; }' in css
    assert '.pack a.read-more::after { content: " " attr(href);' in css
