"""The accessibility gate: axe-core on every page type at a desktop and a phone width, keyboard-only
journeys for the three user groups, and full-page screenshots of every page type.

axe-core comes from the npm registry, pinned in tests/a11y/package-lock.json and installed by
`make install` (`npm ci --prefix tests/a11y`); the test injects the local axe.min.js into each
page, never a CDN. Without chromium or axe-core these tests skip, except under CI=true, where
either missing is a failure. Screenshots go to tests/screenshots/<page>-<width>.png; the README
shows a few of them.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import REPO
from tests.test_browser import browser, site  # noqa: F401 - the shared browser and server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AXE = REPO / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
SCREENSHOTS = REPO / "tests" / "screenshots"
WIDTHS = (1280, 390)
BLOCKING = ("serious", "critical")
QUESTION = "How often do tasking and co-ordination meetings take place?"
# Every page type; "{passage}" is filled with a real passage id of the build.
PAGES = {
    "home": "/",
    "search": "/search?q=How+often+do+tasking+and+co-ordination+meetings+take+place%3F",
    "search-no-answer": "/search?q=recipe+for+a+chocolate+cake",
    "concepts": "/concepts/",
    "concept": "/concepts/tasking-and-co-ordination",
    "pack": "/concepts/tasking-and-co-ordination/pack",
    "documents": "/documents/",
    "document": "/documents/tasking-and-control-strategy",
    "passage": "/passages/{passage}",
    "sparql": "/sparql",
    "error": "/concepts/no-such-concept",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing; `make install` runs `npm ci --prefix tests/a11y`")
        pytest.skip("axe-core is not installed; run `make install`")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def passage_id(site) -> str:  # noqa: F811 - the fixture imported above
    import json
    from urllib.request import urlopen

    with urlopen(f"{site}/api/search?q=tasking+and+co-ordination+meetings&k=1") as response:
        return json.load(response)["hits"][0]["passage_id"]


def open_page(browser, width: int, javascript: bool = True):  # noqa: F811
    # The site's Content-Security-Policy (script-src 'self') would refuse the injected axe-core;
    # the test bypasses it for its own script only, the pages' policy stays as served.
    context = browser.new_context(
        viewport={"width": width, "height": 900}, bypass_csp=True, java_script_enabled=javascript
    )
    return context, context.new_page()


def axe_violations(page, axe_source: str) -> list[dict]:
    """axe-core's violations for the page as it stands (WCAG 2.x A/AA and best practice)."""
    page.add_script_tag(content=axe_source)
    assert page.evaluate("axe.version") == AXE_VERSION
    return page.evaluate("async () => (await axe.run(document)).violations")


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_passes_axe_and_fits_the_width(
    browser,  # noqa: F811
    site,  # noqa: F811
    axe_source,
    passage_id,
    name: str,
    width: int,
):
    context, page = open_page(browser, width)
    response = page.goto(site + PAGES[name].format(passage=passage_id))
    assert response is not None
    assert response.status == (404 if name == "error" else 200)
    save_screenshot(page.screenshot(full_page=True), f"{name}-{width}")
    violations = axe_violations(page, axe_source)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    # Nothing makes the page wider than the window (no sideways scrolling on a phone).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def save_screenshot(png: bytes, name: str) -> None:
    """A full-page screenshot as a 64-colour PNG: text pages lose nothing visible and the files
    the README shows stay small (about a third of the size)."""
    import io

    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    palette = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(SCREENSHOTS / f"{name}.png", optimize=True)


def tab_to(page, condition: str, limit: int = 60) -> int:
    """Press Tab until the focused element satisfies `condition` (a JS expression over `el`);
    the number of presses it took (0 when it has the focus already, as an autofocus box does)."""
    for presses in range(limit + 1):
        if presses:
            page.keyboard.press("Tab")
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return !!({condition}); }})()"
        ):
            return presses
    raise AssertionError(f"{limit} Tab presses never reached an element where {condition}")


def test_policy_maker_reaches_and_follows_a_citation_by_keyboard(browser, site):  # noqa: F811
    context, page = open_page(browser, 1280)
    page.goto(site + "/")
    tab_to(page, "el.matches('input[name=q]')", limit=10)
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?**")
    tab_to(page, "el.matches('section.answer cite a') && el.closest('section.answer')")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/documents/**")
    assert "#" in href and href.split("#", 1)[0] in page.url
    assert page.locator(f"#{href.split('#', 1)[1]}").inner_text()
    context.close()


def test_academic_reaches_a_concept_and_its_turtle_by_keyboard(browser, site):  # noqa: F811
    context, page = open_page(browser, 1280)
    page.goto(site + "/concepts/")
    tab_to(page, "el.id === 'concept-filter'", limit=15)
    page.keyboard.type("co-ordination group")
    page.keyboard.press("Enter")
    page.wait_for_url("**/concepts/?q=**")
    tab_to(page, "el.textContent.trim() === 'Tasking and Co-ordination Group'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/concepts/tasking-and-co-ordination-group")
    assert page.get_by_role("heading", level=1).inner_text() == "Tasking and Co-ordination Group"
    tab_to(page, "el.textContent.trim() === 'Turtle'")
    href = page.evaluate("document.activeElement.href")
    turtle = page.request.get(href)
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "skos:prefLabel" in turtle.text() and "Tasking and Co-ordination Group" in turtle.text()
    context.close()


def test_trainer_reaches_a_topic_pack_and_chooses_print_items_by_keyboard(
    browser,  # noqa: F811
    site,  # noqa: F811
):
    context, page = open_page(browser, 1280)
    page.goto(site + "/concepts/tasking-and-co-ordination")
    tab_to(page, "el.textContent.trim() === 'Topic pack for trainers'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/pack")
    items = page.locator("blockquote.pack-item")
    assert items.count() >= 3
    tab_to(page, "el.matches('input[name=include]')")
    first = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space")  # leave the first item off the handout
    assert not page.locator(f"input[value='{first}']").is_checked()
    page.emulate_media(media="print")
    left_off = page.locator("blockquote.pack-item", has=page.locator(f"input[value='{first}']"))
    assert not left_off.is_visible()
    assert items.nth(1).is_visible()
    # On paper each item shows the address of the whole passage.
    printed = page.evaluate(
        "getComputedStyle(document.querySelectorAll('blockquote.pack-item a.read-more')[1],"
        " '::after').content"
    )
    assert "/passages/" in printed and "http" in printed
    context.close()


def test_reader_on_a_phone_wraps_a_long_url_and_numbers_no_contents(browser, site):  # noqa: F811
    context, page = open_page(browser, 390)
    page.goto(site + "/documents/tasking-and-control-strategy")
    # Chapter headings keep their own numbers ("4. Tasking ..."); the list adds none.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('nav.toc li')).listStyleType")
        == "none"
    )
    url = "https://polis.osce.org/" + "intelligence-led-policing-guidebook-" * 6 + "2017.pdf"
    page.evaluate("url => document.querySelector('section.passage p').append(' ' + url)", url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_sparql_form_keeps_a_malformed_query_in_a_real_browser(browser, site):  # noqa: F811
    context, page = open_page(browser, 1280, javascript=False)
    page.goto(site + "/sparql")
    editor = page.get_by_label("Query", exact=True)
    assert "SELECT" in editor.input_value()  # starts with an example, not empty
    broken = "SELECT ?concept WHERE { ?concept a <oops"
    editor.fill(broken)
    page.get_by_role("button", name="Run query").click()
    assert page.get_by_role("alert").is_visible()
    assert "did not run" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Query", exact=True).input_value() == broken
    context.close()
