"""The search page in a real browser (Debian's chromium driven by playwright), issue 20: the
passages come before the filters in Tab order and on a 390 px phone, the skip link lands on the
results, and the copy-citation button copies. Served from the mini build (hashing encoder).

Without chromium these tests skip, except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from search.searcher import SearchConfig
from tests.fakes import HashingEncoder
from tests.test_browser import browser  # noqa: F401 (the browser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SEARCH = "/search?q=tasking+meetings+control+strategy"
FACET = "details.facets"


@pytest.fixture(scope="module")
def site(built_instance: Path):
    """The app over the mini build, served by waitress on a free loopback port, in a thread."""
    from waitress.server import create_server

    from webapp import create_app

    app = create_app(
        {
            "ILP_INSTANCE": str(built_instance),
            "ENCODER": HashingEncoder(),
            "SEARCH_CONFIG": SearchConfig(no_answer_below=0.0),
        }
    )
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def new_page(browser, width: int, **options):  # noqa: F811 (the fixture, passed in)
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    return context, context.new_page()


def focused(page) -> dict:
    """What has the keyboard focus: its tag, classes and whether it is in the filters."""
    return page.evaluate(
        """() => { const e = document.activeElement;
            return {tag: e.tagName, id: e.id, text: (e.textContent || '').trim().slice(0, 80),
                    inFacets: !!e.closest('details.facets'), inResults: !!e.closest('#results'),
                    hitTitle: !!e.closest('article.hit h3')}; }"""
    )


def test_tab_reaches_the_first_result_before_any_filter(browser, site):  # noqa: F811
    context, page = new_page(browser, 1280)
    page.goto(site + SEARCH)
    page.locator("#q").focus()
    for presses in range(1, 60):
        page.keyboard.press("Tab")
        now = focused(page)
        assert not now["inFacets"], f"a filter took the focus after {presses} Tab presses"
        if now["hitTitle"]:
            break
    else:
        pytest.fail("Tab never reached the first result")
    assert presses <= 20
    context.close()


def test_skip_link_goes_to_the_results(browser, site):  # noqa: F811
    context, page = new_page(browser, 1280)
    page.goto(site + SEARCH)
    # Start the Tab sequence at the top of the page (the search box has the autofocus).
    page.evaluate(
        """() => { document.body.tabIndex = -1; document.body.focus();
                   document.body.removeAttribute('tabindex'); }"""
    )
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to results"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "results"
    # Then the list's formats (CSV, BibTeX, RIS, JSON) and the first passage.
    presses = 0
    while not focused(page)["hitTitle"] and presses < 6:
        page.keyboard.press("Tab")
        presses += 1
        assert focused(page)["inResults"]
    assert focused(page)["hitTitle"]
    context.close()


def test_on_a_phone_the_passages_follow_the_answer_and_the_filters_come_last(browser, site):  # noqa: F811
    context, page = new_page(browser, 390)
    page.goto(site + SEARCH)
    answer = page.locator("section.answer").bounding_box()
    first_hit = page.locator("article.hit").first.bounding_box()
    last_hit = page.locator("article.hit").last.bounding_box()
    facets = page.locator(FACET).bounding_box()
    assert answer and first_hit and last_hit and facets
    gap = first_hit["y"] - (answer["y"] + answer["height"])
    # Only the list's heading (two or three lines at this width) and its formats in between.
    assert 0 <= gap < 300
    assert facets["y"] >= last_hit["y"] + last_hit["height"]
    assert not page.locator(f"{FACET} fieldset").first.is_visible()  # collapsed until opened
    page.locator(f"{FACET} summary").click()
    assert page.locator(f"{FACET} fieldset").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    context.close()


def test_copy_citation_button_copies_the_citation(browser, site):  # noqa: F811
    from playwright.sync_api import expect

    context, page = new_page(browser, 1280, permissions=["clipboard-read", "clipboard-write"])
    page.goto(site + SEARCH)
    hit = page.locator("article.hit").first
    hit.get_by_role("button", name="Copy citation").click()
    expect(hit.locator(".copy-status")).to_have_text("Copied")  # once the promise settles
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == hit.locator("[data-citation]").get_attribute("data-citation")
    assert "/passages/" in copied
    context.close()


def test_without_javascript_there_is_no_dead_button(browser, site):  # noqa: F811
    context, page = new_page(browser, 1280, java_script_enabled=False)
    page.goto(site + SEARCH)
    assert page.get_by_role("button", name="Copy citation").count() == 0
    assert page.get_by_role("link", name="Cite this passage").first.is_visible()
    context.close()
