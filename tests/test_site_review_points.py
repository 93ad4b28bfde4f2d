"""The points of the site review (issue 20) that no other test held: a concept's passages as
BibTeX and RIS, a list in the answer card drawn as a list, a topic pack that opens with the
definition and the most central passage as a short excerpt, the README's screenshots, and the
corpus's concept sources resolved to works. HTML tests through Flask's test client."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from ingest.catalog import load_bibliography
from search.concept_view import SOURCE_PART, references_of
from tests.conftest import DATA, REPO, build_with_hashing, hashing_app
from tests.test_site_pages import html_of

CONCEPT = "tasking-and-co-ordination-group"


def client_over(instance: Path):
    """A test client for the app over another build (the hashing encoder, no answer cut-off)."""

    app = hashing_app(instance)
    return app.test_client()


def corpus_of(tmp_path_factory: pytest.TempPathFactory, catalog: str, files: dict[str, str]):
    """A corpus folder with these documents and the test corpus's concept scheme, built."""
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "catalog.toml").write_text(catalog, encoding="utf-8")
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    shutil.copyfile(DATA / "corpus" / "concepts.ttl", corpus / "concepts.ttl")
    return build_with_hashing(corpus, tmp_path_factory.mktemp("instance"))


# A concept's passages as BibTeX and RIS


def test_concept_page_exports_its_passages_as_bibtex_and_ris(client):
    html = html_of(client.get(f"/concepts/{CONCEPT}"))
    heading = re.search(r'<h2 id="passages-title">(\d+) passages', html)
    assert heading
    count = int(heading[1])
    permalinks = re.findall(r'<footer><a href="(/passages/[^"]+)">', html)
    assert count >= 1 and len(permalinks) == count
    assert f'href="/concepts/{CONCEPT}/passages.bib">BibTeX</a>' in html
    assert f'href="/concepts/{CONCEPT}/passages.ris">RIS</a>' in html

    bib = client.get(f"/concepts/{CONCEPT}/passages.bib")
    assert bib.mimetype == "application/x-bibtex"
    assert f"filename={CONCEPT}.bib" in bib.headers["Content-Disposition"]
    body = bib.get_data(as_text=True)
    assert body.count("@misc{") == count
    # One entry per passage, in the page's order.
    urls = re.findall(r"\\url\{http://localhost(/passages/[^}]+)\}", body)
    assert urls == permalinks

    ris = client.get(f"/concepts/{CONCEPT}/passages.ris")
    assert ris.mimetype == "application/x-research-info-systems"
    records = ris.get_data(as_text=True)
    assert records.count("TY  - GEN") == records.count("ER  - ") == count
    assert "TI  - Tasking Guide" in records


@pytest.mark.parametrize("extension", ["bib", "ris"])
def test_no_export_for_an_unknown_concept(client, extension):
    assert client.get(f"/concepts/no-such-concept/passages.{extension}").status_code == 404


# A list in the answer card

LIST_CATALOG = """
[[document]]
id = "cycle-notes"
title = "Cycle Notes"
kind = "training"
year = 2021
language = "en"
file = "cycle-notes.md"
"""
LIST_NOTES = """# Cycle Notes

## 1. The intelligence cycle

The intelligence cycle has four steps:

- collection of information from open and closed sources;
- evaluation of each source and item of information;
- analysis of the evaluated information by trained analysts;
- dissemination of the intelligence products to decision-makers.

## 2. Meetings

Tasking meetings take place every two weeks.
"""


@pytest.fixture(scope="module")
def list_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of one document whose answer to "the steps of the cycle" is a bullet list."""
    return corpus_of(tmp_path_factory, LIST_CATALOG, {"cycle-notes.md": LIST_NOTES})


def test_answer_card_draws_a_list_as_a_list(list_instance):
    client = client_over(list_instance)
    html = html_of(client.get("/search?q=What+are+the+steps+of+the+intelligence+cycle%3F"))
    card = html[html.index('<section class="answer') : html.index("</section>")]
    assert "<q>The intelligence cycle has four steps:</q>" in card
    items = re.search(r'<ul class="items">(.*?)</ul>', card, re.S)
    assert items, card
    assert re.findall(r"<li>(.*?)</li>", items[1]) == [
        "collection of information from open and closed sources;",
        "evaluation of each source and item of information;",
        "analysis of the evaluated information by trained analysts;",
        "dissemination of the intelligence products to decision-makers.",
    ]
    assert "•" not in card and "- collection" not in card
    # The copied citation joins the items once ("sources; evaluation", not "sources;; ...").
    citation = re.search(r'data-citation="([^"]+)"', card)
    assert citation
    copied = unescape(citation[1])
    assert "four steps: collection of information from open and closed sources; evaluation" in (
        copied
    )
    assert ";;" not in copied


# The topic pack: definition first, then the most central passage as a short excerpt

PACK_CATALOG = """
[[document]]
id = "advantages-report"
title = "Advantages Report"
kind = "research"
year = 2010
language = "en"
file = "advantages-report.md"

[[document]]
id = "tcg-manual"
title = "TCG Manual"
kind = "guidebook"
year = 2020
language = "en"
file = "tcg-manual.md"
"""
ADVANTAGES = """# Advantages Report

## 1. Advantages of intelligence-led policing

Intelligence-led policing has many advantages for a police service. It makes better use of
scarce resources. It focuses officers on the offenders who cause most harm. It gives managers
a shared picture of crime. In some forces a TCG also meets.
"""
MANUAL = """# TCG Manual

## 1. The tasking and co-ordination group

Every force needs a forum where priorities become work. Managers from each unit attend. The
tasking and co-ordination group reviews the intelligence assessment and assigns resources to
the priorities it sets. Its decisions are recorded and reviewed at the next meeting. Analysts
present the assessment and answer questions from the managers.
"""


@pytest.fixture(scope="module")
def pack_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two documents that name the TCG: an older report on advantages that mentions it in
    passing, and a newer manual whose section is about it (named in its third sentence)."""
    return corpus_of(
        tmp_path_factory,
        PACK_CATALOG,
        {"advantages-report.md": ADVANTAGES, "tcg-manual.md": MANUAL},
    )


def test_pack_opens_with_the_definition_then_the_most_central_passage_as_an_excerpt(
    pack_instance,
):
    html = html_of(client_over(pack_instance).get(f"/concepts/{CONCEPT}/pack"))
    definition = html.index('id="definition-title"')
    key = html.index('id="key-title"')
    assert definition < key < html.index('id="examples-title"')
    assert "A meeting of managers that assigns resources to priorities." in html[definition:key]
    key_section = html[key : html.index('id="examples-title"')]
    excerpts = re.findall(
        r'<blockquote class="pack-item">\s*<p>(.*?)</p>\s*<footer>(.*?)</footer>', key_section, re.S
    )
    # The manual's passage, whose heading names the concept, before the older report's passing
    # mention (by date, by document id or in catalog order the report came first).
    assert [footer.split(",")[0].strip() for _, footer in excerpts] == [
        "TCG Manual",
        "Advantages Report",
    ]
    first = unescape(excerpts[0][0])
    # The sentence that names the concept, not the passage's opening; shorter than the passage.
    assert first.startswith("The tasking and co-ordination group reviews the intelligence")
    assert "Every force needs a forum" not in first
    assert len(first) < len(" ".join(MANUAL.split("\n\n", 2)[2].split()))


# The README's screenshots


def test_readme_shows_screenshots_that_the_browser_tests_take():
    from tests.test_accessibility import PAGES, WIDTHS

    taken = {f"{page}-{width}.png" for page in PAGES for width in WIDTHS}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]+\]\(tests/screenshots/([^)]+)\)", readme)
    assert len(shown) >= 4
    assert set(shown) <= taken  # each is one the accessibility test refreshes
    for name in shown:
        image = REPO / "tests" / "screenshots" / name
        assert image.is_file() and image.read_bytes().startswith(b"\x89PNG"), name
    widths = {name.rsplit("-", 1)[1] for name in shown}
    assert widths == {f"{width}.png" for width in WIDTHS}  # the desktop and the phone


# The corpus's concept sources ("Source: S21")


def test_every_concept_source_of_the_corpus_names_a_work():
    from rdflib import Graph
    from rdflib.namespace import DCTERMS

    works = load_bibliography(REPO / "corpus" / "sources.toml")
    graph = Graph().parse(REPO / "corpus" / "concepts.ttl")
    unresolved = set()
    for value in graph.objects(None, DCTERMS.source):
        for reference in references_of(str(value), works):
            if SOURCE_PART.match(reference.text):  # still a bare key: no work found
                unresolved.add(reference.text)
    assert not unresolved, sorted(unresolved)
    # A group key stands for each work of its group.
    group = [reference.text for reference in references_of("S01 p.80; S50", works)]
    assert (
        len(group) == 5
        and "Inquiry into the gathering and use of criminal intelligence" in (group[2])
    )
