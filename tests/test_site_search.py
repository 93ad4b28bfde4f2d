"""The search page as its users meet it (issue 20): results before filters, skip links and
headings, countries by name and by passage, "did you mean", concept suggestions as you type,
lists in snippets, a highlight on every hit, copy-citation hooks and BibTeX/RIS exports.

Over 300 lines: the HTML tests of every point of the issue's search findings, in the issue's
order, so its acceptance reads in one file."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from ingest.country_mentions import countries_named, passage_countries
from ingest.models import DocumentMeta, Passage
from search.index.store import PassageStore
from search.results import AnswerSentence
from search.spelling import Speller
from tests.conftest import DATA, build_with_hashing, hashing_app
from webapp.answer_card import extracts
from webapp.snippets import passage_blocks

SEARCH = "/search?q=tasking+meetings+control+strategy"


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


# 1. Order and navigation


def test_results_come_before_the_filters_which_are_collapsible(client):
    html = html_of(client, SEARCH)
    results = html.index('id="results"')
    facets = html.index('<details class="facets"')
    first_checkbox = html.index('type="checkbox"')
    assert html.index('id="answer-title"') < results < facets < first_checkbox
    first_hit = html.index('class="hit"')
    assert first_hit < facets


def test_filters_open_when_one_is_chosen(client):
    assert '<details class="facets">' in html_of(client, SEARCH)
    chosen = html_of(client, SEARCH + "&kind=guidebook")
    assert '<details class="facets" open>' in chosen and "(1 chosen)" in chosen


def test_search_page_has_an_h1_and_skip_links(client):
    html = html_of(client, SEARCH)
    assert re.search(r"<h1[^>]*>Results for “tasking meetings control strategy”</h1>", html)
    skip_results = html.index('<a class="skip" href="#results">Skip to results</a>')
    skip_main = html.index('<a class="skip" href="#content">Skip to main content</a>')
    assert skip_results < skip_main < html.index('id="q"')
    assert "<h1" in html_of(client, "/search")
    assert 'href="#results"' not in html_of(client, "/search")  # no results to skip to


@pytest.mark.parametrize("url", ["/", "/search", SEARCH, "/concepts/"])
def test_top_bar_has_documents_and_sparql(client, url):
    html = html_of(client, url)
    nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    assert 'href="/documents/">Documents</a>' in nav and 'href="/sparql">SPARQL</a>' in nav


# 2. Countries by name, and by passage


def test_country_facet_shows_names_not_codes(client):
    html = html_of(client, "/search?q=police+tasking+intelligence")
    labels = re.findall(r'name="country" value="(\w+)"[^>]*>\s*([^<]+?)\s*<span', html)
    assert ("SE", "Sweden") in labels and ("RS", "Serbia") in labels
    assert all(code != name for code, name in labels)


def test_chosen_country_without_hits_still_shows_its_name(client):
    html = html_of(client, "/search?q=tasking&country=MD")
    assert re.search(r'name="country" value="MD" checked>\s*Moldova', html)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("The Swedish police adopted the model.", {"SE"}),
        ("Полиция Сербии и черногорская полиция; в Швеции", {"RS", "ME", "SE"}),
        ("Officers in Montenegro and the UK.", {"ME", "GB"}),
        ("французская и эстонская полиция, казахский опыт", {"FR", "EE", "KZ"}),  # adjectives
        ("We polish the report; a turkey; tell us.", set()),  # not PL, TR, US
        ("Police in New South Wales.", set()),
        ("The Russian translation of the Guidebook.", set()),  # a language, not a country
        ("Evans County (Georgia), Atlanta, Georgia and Georgia, USA", {"US"}),  # the US state
        ("Police reform in Georgia and Armenia; Georgia, USAID-funded", {"GE", "AM"}),
    ],
)
def test_countries_named_in_english_and_russian(text, codes):
    assert countries_named(text) == codes


def test_passage_countries_take_a_single_country_document_whole():
    generic = Passage("p1", "d", ("Title", "1. Tasking"), None, 0, 10, "Tasking meets weekly.")
    one = DocumentMeta(id="d", title="T", kind="research", path=Path("d.md"), countries=("RS",))
    many = DocumentMeta(
        id="d", title="T", kind="research", path=Path("d.md"), countries=("RS", "SE")
    )
    assert passage_countries(generic, one) == ("RS",)
    assert passage_countries(generic, many) == ()
    swedish = Passage("p2", "d", ("Title", "2. Sweden"), None, 0, 10, "Leadership groups meet.")
    assert passage_countries(swedish, many) == ("SE",)


CATALOG = """
[[document]]
id = "tasking-notes"
title = "Tasking Notes"
kind = "research"
year = 2019
countries = ["SE", "GB"]
language = "en"
file = "tasking-notes.md"
"""
NOTES = """# Tasking Notes

## 1. Tasking in general

Tasking and co-ordination meetings decide which problems get police resources. The group
reviews the intelligence assessment and assigns work to patrol teams and analysts.

## 2. A national example

The Swedish police run regional operational leadership groups that take the tasking decisions
every two weeks, with analysts presenting the assessment.
"""


@pytest.fixture(scope="module")
def country_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of one document that names two countries but speaks of Sweden in one passage."""
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "catalog.toml").write_text(CATALOG)
    (corpus / "tasking-notes.md").write_text(NOTES)
    shutil.copyfile(DATA / "corpus" / "concepts.ttl", corpus / "concepts.ttl")
    return build_with_hashing(corpus, tmp_path_factory.mktemp("instance"))


def test_country_filter_keeps_the_passages_that_concern_the_country(country_instance):
    store = PassageStore(country_instance / "current" / "passages.sqlite")
    try:
        rows = store.row_ids_where(countries=["se"])
        assert rows is not None
        texts = [stored.passage.text for stored in store.passages(rows).values()]
        assert len(texts) == 1 and "Swedish police" in texts[0]
        assert store.row_ids_where(countries=["GB"]) == set()  # named by the catalog only
        every = store.row_ids_where(documents=["tasking-notes"])
        assert every is not None and len(every) == 2
        assert store.facet_counts(every)["country"] == {"SE": 1}
    finally:
        store.close()


def test_country_filter_on_the_page(country_instance):

    app = hashing_app(country_instance)
    html = html_of(app.test_client(), "/search?q=tasking+meetings&country=SE")
    assert "Passages 1–1 of 1" in html and "Swedish police" in html
    assert "Tasking and co-ordination meetings decide" not in html


# 3. Spelling suggestions and concept suggestions


def test_speller_corrects_words_from_the_corpus_and_labels():
    speller = Speller.from_texts(
        ["Intelligence-led policing needs analysts.", "The analysts grade sources."],
        ["Tasking and co-ordination group", "3-i model"],
    )
    assert speller.suggest("analsyts grade sorces") == "analysts grade sources"
    assert speller.suggest("Taskng and co-ordnation group") == "Tasking and co-ordination group"
    assert speller.suggest("analysts grade sources") is None  # nothing unknown
    assert speller.suggest("NIM xyzzyq") is None  # nothing near


def test_speller_leaves_other_forms_of_corpus_words_alone():
    """A word the corpus uses in another form is spelt right: "resist" beside "resistance" is
    not "rests", "reforms" beside "reform" is not a misspelling, nor is a Russian inflection."""
    speller = Speller.from_texts(
        [
            "Resistance is expected when a reform challenges the order. Reforms take time.",
            "Officers rest.",
            "Реформа полиции идет медленно.",
        ]
    )
    assert speller.suggest("Why do commanders resist these reforms?") is None
    assert speller.suggest("Почему реформами недовольны?") is None
    assert speller.suggest("Why do commanders resist these refroms?") == (
        "Why do commanders resist these reforms?"
    )


def test_speller_leaves_words_of_the_language_alone():
    """A real English or Russian word the corpus never uses is not "corrected" to a corpus word
    one or two letters away ("shrinking" is not "thinking", "roll" is not "role", "подготовил" is
    not "подготовка"); a misspelling in either language still is."""
    speller = Speller.from_texts(
        [
            "Budgets keep thinking about the role of analysts.",
            "Подготовка аналитиков и руководство службой.",
        ]
    )
    assert speller.suggest("Our budget keeps shrinking: can we roll it out?") is None
    assert speller.suggest("Кто подготовил руководство?") is None
    assert speller.suggest("Budgets keep thinkng") == "Budgets keep thinking"
    assert speller.suggest("Подготвка аналитиков") == "Подготовка аналитиков"


def test_did_you_mean_when_a_query_finds_little(client):
    html = html_of(client, "/search?q=taskng+metings&method=keyword&kind=guidebook")
    match = re.search(r'Did you mean <a href="([^"]+)">([^<]+)</a>', html)
    assert match and match.group(2) == "tasking meetings"
    url = unescape(match.group(1))
    assert "q=tasking+meetings" in url and "kind=guidebook" in url and "method" not in url
    assert "Passages 1–" in html_of(client, url + "&method=keyword")
    # A suggested question keeps its own question mark; the sentence adds none after it.
    asked = html_of(client, "/search?q=taskng+metings%3F&method=keyword&kind=guidebook")
    assert re.search(r'Did you mean <a href="[^"]+">tasking meetings\?</a></p>', asked)


def test_no_suggestion_when_the_query_finds_enough(client):
    assert "Did you mean" not in html_of(client, SEARCH)


def test_search_box_suggests_concept_labels_as_you_type(client):
    for url in ("/", "/search", SEARCH):
        html = html_of(client, url)
        assert 'list="concept-labels"' in html and '<datalist id="concept-labels">' in html
        assert '<option value="3-i model">' in html


# 4. Lists and highlights


def test_bullet_lines_become_a_list_in_the_snippet(client):
    html = html_of(client, "/search?q=community+policing+neighbourhood+officers")
    assert (
        "<ul><li>First point about neighbourhood officers.</li>"
        "<li>Second point about local forums.</li></ul>"
    ) in html
    assert "• First point" not in html


def test_numbered_lines_become_an_ordered_list():
    [intro, listed] = passage_blocks("Steps:\n\n1) collect\n2) evaluate\ncarefully", None)
    assert intro.kind == "p" and listed.kind == "ol"
    assert ["".join(run.text for run in item) for item in listed.items] == [
        "collect",
        "evaluate\ncarefully",
    ]


def test_every_hit_has_a_highlight(client):
    html = html_of(client, "/search?q=tasking&k=5")
    hits = html.split('<article class="hit"')[1:]
    assert hits and all("<mark>" in hit for hit in hits)


def test_a_missing_best_sentence_highlights_the_sentence_nearest_the_query():
    text = "Managers meet weekly. Data protection rules limit how long records are kept."
    [block] = passage_blocks(text, None, "data protection")
    marked = [run.text for run in block.items[0] if run.marked]
    assert marked == ["Data protection rules limit how long records are kept."]
    [block] = passage_blocks(text, "A sentence that is not there.", "")
    assert [run.text for run in block.items[0] if run.marked] == ["Managers meet weekly."]


def test_answer_card_draws_numbered_items_as_an_ordered_list():
    def line(text: str, kind: str) -> AnswerSentence:
        return AnswerSentence(text, "p1", "Doc, p. 3", 0.9, kind, "3", "p1-s0", "doc")

    lead = line("The cycle has three steps:", "sentence")
    numbered = extracts([lead, line("1) collection", "item"), line("2) analysis", "item")])
    bulleted = extracts([lead, line("• collection", "item"), line("• analysis", "item")])
    assert numbered[0].numbered and not bulleted[0].numbered
    assert numbered[0].item_texts == ["collection", "analysis"]


# 5. Citations


def test_hits_and_answers_carry_citations_to_copy(client):
    html = html_of(client, SEARCH)
    citations = re.findall(r'data-citation="([^"]+)"', html)
    assert len(citations) >= 2
    assert any("Tasking Guide" in c and "/passages/" in c for c in citations)
    assert '<script src="/static/copy-citation.js" defer></script>' in html
    script = client.get("/static/copy-citation.js")
    assert script.status_code == 200 and b"data-citation" in script.data


def test_search_page_links_to_bibtex_and_ris(client):
    html = html_of(client, SEARCH + "&country=RS")
    assert re.search(r'href="/search\.bib\?q=tasking[^"]*country=RS[^"]*">BibTeX</a>', html)
    assert re.search(r'href="/search\.ris\?q=tasking[^"]*country=RS[^"]*">RIS</a>', html)


def test_result_list_as_bibtex(client):
    hits = client.get("/api/search?q=tasking&k=3").get_json()["hits"]
    response = client.get("/search.bib?q=tasking&k=3")
    assert response.status_code == 200 and response.mimetype == "application/x-bibtex"
    assert "ilp-atlas-search.bib" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.count("@misc{") == len(hits) == 3
    for hit in hits:
        assert f"/passages/{hit['passage_id']}" in body


def test_result_list_as_ris(client):
    response = client.get("/search.ris?q=tasking&k=2&kind=research")
    assert response.mimetype == "application/x-research-info-systems"
    body = response.get_data(as_text=True)
    assert body.count("TY  - GEN") == body.count("ER  - ") == 2
    assert "TI  - Models Study" in body


@pytest.mark.parametrize("extension", ["bib", "ris"])
def test_exports_need_a_query(client, extension):
    assert client.get(f"/search.{extension}").status_code == 400


# Escaping


def test_search_page_escapes_the_query_everywhere(client):
    html = html_of(client, "/search?q=%3Cscript%3Ealert(1)%3C/script%3E+taskng&method=keyword")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
