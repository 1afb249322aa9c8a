"""Every page kind loads with no console error or failed request, passes axe-core in light and
dark mode, and fits 390 px and 1280 px wide screens with no horizontal scrolling."""

from __future__ import annotations

import pytest

from .browser_support import describe, run_axe, save_screenshot

KINDS = ["index", "event", "sources", "tags-index", "tag", "place", "actor", "404", "corrections"]
BACKGROUND = {"light": "rgb(253, 253, 251)", "dark": "rgb(22, 22, 24)"}


@pytest.mark.parametrize("kind", KINDS)
def test_page_loads_cleanly_and_axe_finds_nothing(page, served, node_modules, kind):
    url = served.root + served.pages[kind]
    if kind == "404":
        page.watch.expected_404 = url
    response = page.goto(url, wait_until="load")
    assert response.status == (404 if kind == "404" else 200)
    assert page.locator("main h1").count() == 1
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        # The stylesheet loaded and follows the system setting.
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == BACKGROUND[scheme]
        violations = run_axe(page, node_modules)
        assert violations == [], f"{kind} ({scheme}):\n{describe(violations)}"
    assert page.watch.problems == []


@pytest.mark.parametrize("kind", ["index", "event", "sources"])
def test_a_minified_page_reads_the_same_loads_cleanly_and_axe_finds_nothing(page, served, node_modules, kind):
    """The fixture built again with minify_html (served under /min/): no quotes or spaces a browser needs lost."""
    page.goto(served.root + served.pages[kind], wait_until="load")
    plain = page.evaluate("document.body.innerText")
    page.goto(f"{served.origin}/min/{served.pages[kind]}", wait_until="load")
    assert page.evaluate("document.body.innerText") == plain
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == BACKGROUND["light"]
    violations = run_axe(page, node_modules)
    assert violations == [], f"{kind} (minified):\n{describe(violations)}"
    assert page.watch.problems == []


@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_kind_fits_the_screen(browser, served, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    overflowing = {}
    try:
        for kind in KINDS:
            page.goto(served.root + served.pages[kind], wait_until="load")
            scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
            if scroll > inner:
                overflowing[kind] = (scroll, inner)
            save_screenshot(page, f"{kind}-{width}")
        page.emulate_media(color_scheme="dark")
        for kind in ("index", "event"):
            page.goto(served.root + served.pages[kind], wait_until="load")
            save_screenshot(page, f"{kind}-{width}-dark")
    finally:
        context.close()
    assert overflowing == {}, f"wider than the {width} px screen (scrollWidth, innerWidth): {overflowing}"
