"""The overview on the fixture site: there without JavaScript, zoom by buttons and keys, a period
chosen by mouse drag or arrow keys that filters the list, kept in the URL, combined with filter.js."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dateline.render.overview import extent

from .browser_support import assert_url, run_axe

VISIBLE_IDS = "els => els.filter(e => e.checkVisibility()).map(e => e.id)"


def visible_events(page) -> list[str]:
    return page.eval_on_selector_all("li.event", VISIBLE_IDS)


def in_period(served, first: str, last: str, slugs=None) -> list[str]:
    """The events of the fixture that may fall between two days (both included), in list order."""
    a, b = dt.date.fromisoformat(first).toordinal(), dt.date.fromisoformat(last).toordinal() + 1
    events = served.timeline.events if slugs is None else [served.timeline.event(s) for s in slugs]
    return [e.slug for e in events if extent(e)[0] < b and extent(e)[1] > a]


def x_of(page, day: str) -> tuple[float, float]:
    """Where the middle of `day` is on the overview's SVG (with the whole axis in view), and a y inside it."""
    box = page.locator("#overview svg").bounding_box()
    start, end = (dt.date.fromisoformat(page.get_attribute("#overview", a)) for a in ("data-from", "data-to"))
    share = ((dt.date.fromisoformat(day) - start).days + 0.5) / ((end - start).days + 1)
    return box["x"] + share * box["width"], box["y"] + 10


def test_without_javascript_the_overview_is_drawn_and_its_marks_lead_into_the_list(browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served.root)
    figure = page.locator("#overview")
    assert figure.is_visible() and "19 events from 2020 to 15 June 2021" in figure.inner_text()
    hrefs = page.eval_on_selector_all("#overview svg a", "els => els.map(a => a.getAttribute('href'))")
    assert hrefs and all(page.locator(f"li.event[id='{h[1:]}']").count() == 1 for h in hrefs)
    page.locator("#overview .ov-bins a").last.click(force=True)
    assert_url(page, re.compile(".*" + re.escape(page.locator("#overview .ov-bins a").last.get_attribute("href"))))
    assert page.locator(".ov-tools").count() == 0 and len(visible_events(page)) == len(served.timeline.events)
    context.close()


def test_dragging_across_the_overview_chooses_a_period_that_filters_the_list(page, served):
    page.goto(served.root)
    page.mouse.move(*x_of(page, "2021-04-01"))
    page.mouse.down()
    page.mouse.move(*x_of(page, "2021-04-20"), steps=4)
    page.mouse.move(*x_of(page, "2021-04-30"), steps=4)
    page.mouse.up()
    assert page.watch.problems == []
    assert_url(page, served.root + "?from=2021-04-01&to=2021-04-30")
    wanted = in_period(served, "2021-04-01", "2021-04-30")
    assert visible_events(page) == wanted
    total = len(served.timeline.events)
    assert page.get_by_role("status").first.inner_text() == f"{len(wanted)} of {total} events shown"
    assert page.get_by_role("textbox", name="From", exact=True).input_value() == "2021-04-01"
    assert page.get_by_role("textbox", name="To", exact=True).input_value() == "2021-04-30"

    page.get_by_role("button", name="Whole period").click()
    assert_url(page, served.root)
    assert len(visible_events(page)) == total
    assert page.watch.problems == []


def test_the_arrow_keys_choose_and_move_a_period(page, served):
    page.goto(served.root + "?from=2021-04-09&to=2021-04-09")
    assert visible_events(page) == in_period(served, "2021-04-09", "2021-04-09")
    page.locator("#overview svg").focus()
    page.keyboard.press("+")          # a view of less than two months moves by the day
    page.keyboard.press("+")
    page.keyboard.press("+")
    page.keyboard.press("+")
    page.keyboard.press("ArrowRight")
    assert_url(page, served.root + "?from=2021-04-10&to=2021-04-10")
    page.keyboard.press("Shift+ArrowRight")
    assert_url(page, served.root + "?from=2021-04-10&to=2021-04-11")
    assert visible_events(page) == in_period(served, "2021-04-10", "2021-04-11")
    page.keyboard.press("Escape")
    assert_url(page, served.root)
    assert len(visible_events(page)) == len(served.timeline.events)


def test_zoom_and_pan_by_buttons_and_keys(page, served):
    page.goto(served.root)
    bar = page.locator("#overview .ov-bins a rect").last
    width = lambda: float(bar.get_attribute("width").rstrip("%"))  # noqa: E731
    x = lambda: float(bar.get_attribute("x").rstrip("%"))  # noqa: E731
    before = (x(), width())
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    assert width() == pytest.approx(before[1] * 4, rel=0.01)
    labels = page.eval_on_selector_all("#overview .ov-axis text", "els => els.map(e => e.textContent)")
    assert labels and "2020" not in labels
    zoomed = x()
    page.get_by_role("button", name="Earlier").click()
    assert x() > zoomed
    page.locator("#overview svg").focus()
    for _ in range(3):
        page.keyboard.press("-")
    assert (x(), width()) == pytest.approx(before, abs=0.01)
    assert page.watch.problems == []


def test_zoomed_in_close_enough_every_event_has_its_own_mark(page, served):
    page.goto(served.root + "?from=2021-04-09&to=2021-04-13")
    figure = page.locator("#overview")
    assert "fine" not in figure.get_attribute("class") and page.locator("#overview .ov-detail a").first.is_hidden()
    # The build writes the detail layer's shapes alone, in the list's order; the script links each
    # to its event: the place where each was drawn lies within the days of the event it links to.
    start = dt.date.fromisoformat(figure.get_attribute("data-from")).toordinal()
    stop = dt.date.fromisoformat(figure.get_attribute("data-to")).toordinal() + 1
    drawn = page.eval_on_selector_all("#overview .ov-detail a", """marks => marks.map(a => {
        const shape = a.lastElementChild;
        return [a.getAttribute("href").slice(1), parseFloat(shape.getAttribute(shape.tagName === "rect" ? "x" : "cx"))];
    })""")
    by_slug = {e.slug: e for e in served.timeline.events}
    assert len(drawn) == len(by_slug)
    for slug, x in drawn:
        first, after = extent(by_slug[slug])
        assert first - 0.05 <= start + x / 100 * (stop - start) <= after + 0.05, slug
    for _ in range(4):
        page.get_by_role("button", name="Zoom in").click()
    assert "fine" in figure.get_attribute("class") and page.locator("#overview .ov-bins").is_hidden()
    marks = page.locator("#overview .ov-detail a")
    assert marks.count() == len(served.timeline.events)
    assert page.get_by_text("known to the day").is_visible()
    # The script gives each mark its event's date and headline, from the list, for a title.
    for i in range(marks.count()):
        event = by_slug[marks.nth(i).get_attribute("href")[1:]]
        title = marks.nth(i).locator("title").text_content()
        assert title.endswith(": " + event.title + (" (disputed)" if event.disputed else "")), title
        assert str(event.date.year) in title.split(":")[0]
    target = next(e.slug for e in served.timeline.events if e.date.iso == "2021-04-10")
    page.locator(f"#overview .ov-detail a[href='#{target}']").click()
    assert_url(page, re.compile(".*" + re.escape("?from=2021-04-09&to=2021-04-13#" + target)))
    assert page.watch.problems == []


@pytest.mark.parametrize("change", ["no data", "marks out of order"])
def test_a_detail_layer_that_does_not_match_the_list_is_left_out_not_misdrawn(page, served, change):
    """A site's own templates may list other events, or in another order: no closer view then, and
    the rest of the script (zoom, period) still works."""
    def rewrite(route):
        html = route.fetch().text()
        if change == "no data":
            html = html.replace('data-marks="', 'data-other="')
        else:
            marks = re.search(r'data-marks="([^"]*)"', html)[1]
            html = html.replace(marks, " ".join(reversed(marks.split(" "))))
        route.fulfill(body=html, content_type="text/html")
    page.route(served.root + "?from=2021-04-09&to=2021-04-13", rewrite)
    page.goto(served.root + "?from=2021-04-09&to=2021-04-13")
    for _ in range(4):
        page.get_by_role("button", name="Zoom in").click()
    assert page.locator("#overview .ov-detail a").count() == 0
    assert "fine" not in (page.locator("#overview").get_attribute("class") or "")
    assert visible_events(page) == in_period(served, "2021-04-09", "2021-04-13")
    assert page.watch.problems == []


def test_a_shared_period_combines_with_the_filters_and_survives_them(page, served):
    page.goto(served.root + "?from=2021-04-01&to=2021-04-30")
    page.get_by_label("Place").select_option("nordhavn")
    nordhavn = next(t for t in served.timeline.taxonomies["places"] if t.slug == "nordhavn").events
    assert visible_events(page) == in_period(served, "2021-04-01", "2021-04-30", nordhavn)
    assert_url(page, served.root + "?from=2021-04-01&to=2021-04-30&place=nordhavn")
    page.get_by_role("button", name="Show all events").click()
    assert_url(page, served.root)
    assert len(visible_events(page)) == len(served.timeline.events)


def test_on_a_term_page_the_period_filters_without_filter_js(page, served):
    page.goto(served.root + served.pages["place"] + "?from=2021-04-11&to=2021-04-11")
    slugs = next(t for t in served.timeline.taxonomies["places"] if t.slug == "nordhavn").events
    wanted = in_period(served, "2021-04-11", "2021-04-11", slugs)
    assert visible_events(page) == wanted
    assert page.locator(".ov-status").inner_text() == f"{len(wanted)} of {len(slugs)} events in the period"
    assert page.watch.problems == []


def test_axe_finds_nothing_with_a_period_chosen(page, served, node_modules):
    page.goto(served.root + "?from=2021-04-09&to=2021-04-13")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.locator("#overview svg").focus()
        assert run_axe(page, node_modules) == [], scheme
