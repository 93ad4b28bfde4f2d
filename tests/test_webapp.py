"""The Flask app: pages, the search API, parameter validation and escaping."""

from __future__ import annotations

import re

import pytest


def test_home_page_has_search_box_and_examples(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="q"' in html and "What is the 3-i model?" in html


def test_search_page_shows_cited_hits(client):
    page = client.get("/search?q=tasking+meetings+control+strategy")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Tasking Guide" in html and "guidebook" in html
    assert "1. Tasking and co-ordination meetings" in html
    assert "Answer from the sources" in html


def test_empty_search_page_shows_just_the_form(client):
    page = client.get("/search")
    assert page.status_code == 200 and "passages for" not in page.get_data(as_text=True)


def test_a_search_without_passages_says_so(client):
    """No "Passages 0–0 of 0" heading: a search that finds nothing says so, and a page past
    the last result says how many there are and links back to the first page (not to the
    previous offset, as far past the end)."""
    none = client.get("/search?q=tasking&country=MD").get_data(as_text=True)
    assert "No passages for “tasking”" in none and "No passage matches" in none
    assert "0–0" not in none
    past = client.get("/search?q=tasking&offset=900").get_data(as_text=True)
    assert "No more passages for “tasking”" in past and "No passage matches" not in past
    assert 'rel="prev"' not in past  # offset 890 would be past the end too
    assert re.search(r"past the last of the \d+ passages found", past)
    assert 'href="/search?q=tasking&amp;k=10&amp;offset=0">Back to the first page' in past


def test_api_search_returns_the_fixed_shape(client):
    response = client.get("/api/search?q=community+policing+trust&k=2")
    assert response.status_code == 200
    payload = response.get_json()
    assert payload["query"] == "community policing trust"
    assert len(payload["hits"]) == 2
    hit = payload["hits"][0]
    assert hit["document"]["id"] == "models-study"
    assert hit["heading_path"] == ["Models Study", "2. Community policing"]
    assert hit["page"] is None
    assert "kind" in payload["facets"]


def test_api_kind_filter(client):
    payload = client.get("/api/search?q=tasking&kind=good-practice").get_json()
    assert payload["hits"] and {h["document"]["kind"] for h in payload["hits"]} == {"good-practice"}


def test_api_language_filter_and_facet(client):
    english = client.get("/api/search?q=tasking&language=en").get_json()
    assert english["hits"] and set(english["facets"]["language"]) == {"en"}
    assert client.get("/api/search?q=tasking&language=ru").get_json()["hits"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Missing parameter q"),
        ("?q=", "empty"),
        ("?q=%20%20", "empty"),
        ("?q=ilp&k=0", "between 1"),
        ("?q=ilp&k=abc", "whole number"),
        ("?q=ilp&k=1000", "between 1"),
        ("?q=ilp&kind=novel", "Unknown kind"),
        ("?q=ilp&language=english!", "language 'english!' is not valid"),
        ("?q=" + "x" * 1001, "longer than"),
    ],
)
def test_api_bad_parameters_give_400_json(client, query: str, message: str):
    response = client.get(f"/api/search{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert message in error["message"] and error["status"] == 400


def test_html_bad_parameter_gives_friendly_page(client):
    response = client.get("/search?q=ilp&k=abc")
    assert response.status_code == 400
    assert "whole number" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_hostile_query_is_escaped(client):
    attack = '<script>alert("x")</script>'
    html = client.get("/search", query_string={"q": attack}).get_data(as_text=True)
    assert attack not in html and "&lt;script&gt;" in html


def test_concept_pages(client):
    page = client.get("/concepts/tasking-and-co-ordination-group")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Tasking and co-ordination group" in html
    assert "A meeting of managers that assigns resources to priorities." in html
    assert "Tasking Guide" in html  # a linked passage, grouped under its document
    assert "Decision-making structures" in html  # broader concept
    index = client.get("/concepts/").get_data(as_text=True)
    assert "3-i model" in index


def test_unknown_concept_and_page_are_404(client):
    assert client.get("/concepts/no-such-concept").status_code == 404
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404


def test_no_build_gives_503_with_instructions(tmp_path):
    from tests.fakes import HashingEncoder
    from webapp import create_app

    app = create_app(
        {"TESTING": True, "ILP_INSTANCE": str(tmp_path / "none"), "ENCODER": HashingEncoder()}
    )
    response = app.test_client().get("/api/search?q=ilp")
    assert response.status_code == 503
    assert "ilp ingest" in response.get_json()["error"]["message"]


def test_weak_evidence_shows_no_good_answer(built_instance):
    from search.searcher import SearchConfig
    from tests.fakes import HashingEncoder
    from webapp import create_app

    app = create_app(
        {
            "TESTING": True,
            "ILP_INSTANCE": str(built_instance),
            "ENCODER": HashingEncoder(),
            "SEARCH_CONFIG": SearchConfig(no_answer_below=2.0),
        }
    )
    client = app.test_client()
    html = client.get("/search?q=tasking+meetings").get_data(as_text=True)
    assert "No good answer in the sources" in html and "Answer from the sources" not in html
    payload = client.get("/api/search?q=tasking+meetings").get_json()
    assert payload["no_good_answer"] is True and payload["answer"] == []
    assert payload["hits"]  # the closest passages are still listed


def test_passage_page_and_api_say_why_each_concept_is_linked(client):
    document = client.get("/api/documents/tasking-guide").get_json()
    first = document["passages"][0]["passage_id"]
    payload = client.get(f"/api/passages/{first}").get_json()
    links = {link["id"]: link for link in payload["links"]}
    tcg = links["tasking-and-co-ordination-group"]
    # The fast tests link by label only (the hashing encoder's vectors carry no meaning).
    assert tcg["method"] == "label-match" and 0 < tcg["score"] <= 1
    assert tcg["matched"].lower().startswith("tasking and co-ordination group")
    assert [c["id"] for c in payload["concepts"]] == [link["id"] for link in payload["links"]]
    html = client.get(f"/passages/{first}").get_data(as_text=True)
    assert "Why it is linked" in html
    assert f"names it (“{tcg['matched']}”)" in html
    assert f"{tcg['score'] * 100:.0f}%" in html


def test_document_pages_name_authors_licence_and_what_a_summary_summarises(client):
    html = client.get("/documents/tasking-guide").get_data(as_text=True)
    assert "Summary by Test Atlas team" in html and "<cite>Handbook of Test Policing</cite>" in html
    assert "(Test Ministry, 2015), pp. 10-12" in html
    assert "Licence: CC BY 4.0" in html and "(from the catalog)" in html
    original = client.get("/documents/field-notes").get_data(as_text=True)
    assert "Summary by" not in original and "Test Police" in original
    assert "Licence: not stated by the document" in original
    listing = client.get("/documents/").get_data(as_text=True)
    assert "A. Researcher, B. Researcher" in listing
    passage_id = client.get("/api/documents/tasking-guide").get_json()["passages"][0]["passage_id"]
    passage = client.get(f"/passages/{passage_id}").get_data(as_text=True)
    assert "Summary by Test Atlas team" in passage and "Licence: CC BY 4.0" in passage


def test_no_page_makes_a_site_wide_licence_claim(client):
    for url in ("/", "/documents/", "/documents/field-notes", "/concepts/"):
        html = client.get(url).get_data(as_text=True)
        assert "own words (CC BY" not in html, url


def test_api_documents_carry_authorship(client):
    summary = client.get("/api/documents/tasking-guide").get_json()
    assert (summary["role"], summary["authors"], summary["licence"]) == (
        "summary",
        ["Test Atlas team"],
        "CC BY 4.0",
    )
    assert summary["summary_of"][0]["title"] == "Handbook of Test Policing"
    assert summary["provenance"]["authors"] == "catalog"
    original = client.get("/api/documents/field-notes").get_json()
    assert (original["role"], original["publisher"], original["licence"]) == (
        "original",
        "Test Police",
        "",
    )
