"""The site in a real browser (Debian's chromium driven by playwright): the three users' paths.

Screenshots of each page are saved in tests/screenshots/. Without chromium these tests skip,
except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "tests" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing; .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(corpus_instance: Path, encoder):
    """The app served by waitress on a free loopback port, in a thread."""
    from waitress.server import create_server

    from webapp import create_app

    app = create_app({"ILP_INSTANCE": str(corpus_instance), "ENCODER": encoder})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_policy_maker_asks_and_follows_a_citation(page, site):
    page.goto(site + "/")
    shot(page, "home")
    page.get_by_label("Ask a question or name a concept").fill(
        "How often do tasking and co-ordination meetings take place?"
    )
    page.get_by_role("button", name="Search").click()
    answer = page.locator("section.answer")
    assert answer.get_by_role("heading", name="Answer from the sources").is_visible()
    citation = answer.locator("cite a").first
    assert "Tasking" in citation.inner_text()
    shot(page, "search")
    # The citation opens the document reader at the answer sentence itself.
    href = citation.get_attribute("href")
    assert href and "#" in href
    citation.click()
    assert "/documents/" in page.url
    sentence = page.locator(f"#{href.split('#', 1)[1]}")
    assert sentence.is_visible() and sentence.inner_text()
    page.go_back()
    answer.locator("cite a", has_text="cite").first.click()
    assert "/passages/" in page.url
    assert page.get_by_role("heading", name="Cite this passage").is_visible()
    assert "@misc{" in page.locator("pre.citation").nth(1).inner_text()
    shot(page, "passage")
    page.get_by_role(
        "link", name="Tasking, Terms of Reference and the control strategy"
    ).first.click()
    assert "/documents/tasking-and-control-strategy" in page.url
    assert page.get_by_role("navigation", name="Sections").is_visible()
    shot(page, "document")


def test_academic_opens_a_concept_and_trainer_its_topic_pack(page, site):
    page.goto(site + "/concepts/")
    page.get_by_role("link", name="Tasking and Co-ordination Group").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tasking and Co-ordination Group"
    assert page.locator("figure.neighbourhood svg").is_visible()
    assert page.get_by_role("heading", name="passages that discuss it").is_visible()
    shot(page, "concept")
    page.get_by_role("link", name="Topic pack for trainers").click()
    assert page.get_by_role("heading", name="Examples and good practice by country").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()  # the print stylesheet hides navigation
    shot(page, "pack")


def test_search_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/search?q=What+is+the+3-i+model%3F")
    assert page.locator("section.answer cite").count() >= 1
    page.get_by_role("link", name="Next →").click()
    assert "offset=10" in page.url
    context.close()
