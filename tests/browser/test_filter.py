"""Filter and search on the index, by clicking and typing as a reader does."""

from __future__ import annotations

import re

from dateline.render.facets import fold

from .browser_support import assert_url

VISIBLE_IDS = "els => els.filter(e => e.checkVisibility()).map(e => e.id)"


def visible_events(page) -> list[str]:
    return page.eval_on_selector_all("li.event", VISIBLE_IDS)


def term_events(served, kind: str, slug: str) -> list[str]:
    return list(next(t for t in served.timeline.taxonomies[kind] if t.slug == slug).events)


def test_without_javascript_the_whole_list_is_there_and_no_form(browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served.root)
    assert len(visible_events(page)) == len(served.timeline.events)
    assert not page.locator("#filters").is_visible()
    for kind in ("tags", "places", "actors"):     # the ways in without the script
        assert page.locator(f'nav a[href="{kind}/"]').is_visible()
    context.close()


def test_choosing_a_place_shows_only_its_events_and_the_url_keeps_it(page, served):
    page.goto(served.root)
    everything = len(served.timeline.events)
    status = page.get_by_role("status")
    assert status.inner_text() == f"{everything} events"
    page.get_by_label("Place").select_option("nordhavn")
    nordhavn = term_events(served, "places", "nordhavn")
    assert visible_events(page) == nordhavn
    assert status.inner_text() == (f"1 of {everything} events shown" if len(nordhavn) == 1
                                   else f"{len(nordhavn)} of {everything} events shown")
    assert_url(page, served.root + "?place=nordhavn")
    # Months and years left empty are hidden with their events.
    assert all(page.locator(f"[id='{slug}']").locator("xpath=ancestor::section[1]").is_visible() for slug in nordhavn)
    assert page.locator("section.month:visible").count() < page.locator("section.month").count()

    page.reload()
    assert page.get_by_label("Place").input_value() == "nordhavn"
    assert visible_events(page) == nordhavn

    page.get_by_role("button", name="Show all events").click()
    assert len(visible_events(page)) == everything
    assert_url(page, served.root)
    assert status.inner_text() == f"{everything} events"
    assert page.watch.problems == []


def test_typing_an_alias_finds_the_place_under_its_other_spelling(page, served):
    page.goto(served.root)
    page.get_by_label("Search").press_sequentially("Nordhafen")
    shown = visible_events(page)
    assert set(term_events(served, "places", "nordhavn")) <= set(shown)
    assert len(shown) < len(served.timeline.events)
    for slug in shown:  # each shown event names Nordhavn, the place whose other name was typed
        assert "nordhavn" in page.locator(f"[id='{slug}']").get_attribute("data-places")
    assert_url(page, served.root + "?q=Nordhafen")


def test_search_reads_source_names_and_combines_with_filters(page, served):
    page.goto(served.root)
    page.get_by_label("Search").fill("courier")
    citing = served.timeline.citing["courier-2021-04-12"]
    assert set(citing) <= set(visible_events(page))
    page.get_by_label("Tag").select_option("evacuations")
    evacuations = set(term_events(served, "tags", "evacuations"))
    shown = visible_events(page)
    assert shown and set(shown) == evacuations & {s for s in citing}
    assert_url(page, re.compile(re.escape(served.root) + r"\?q=courier&tag=evacuations$"))


def test_search_reads_the_titles_of_the_sources_an_event_cites(page, served):
    # "breaks its banks" is in the Valley Courier's headline only: filter.js finds it through the
    # citation's endnote number (data-n) and the endnote that number leads to.
    page.goto(served.root)
    page.get_by_label("Search").fill("breaks its banks")
    citing = set(served.timeline.citing["courier-2021-04-12"])
    assert citing and set(visible_events(page)) == citing


def test_a_shared_link_opens_the_same_view(page, served):
    page.goto(served.root + "?q=" + "BREACH" + "&actor=velmar-river-authority")
    assert page.get_by_label("Search").input_value() == "BREACH"
    assert page.get_by_label("Actor").input_value() == "velmar-river-authority"
    authority = set(term_events(served, "actors", "velmar-river-authority"))
    shown = visible_events(page)
    assert shown
    assert set(shown) <= authority
    # Every event of the authority whose title says "breach" is among them.
    titled = {e.slug for e in served.timeline.events if "breach" in e.title.lower() and e.slug in authority}
    assert titled and titled <= set(shown)
    assert page.get_by_role("status").inner_text().endswith(f"of {len(served.timeline.events)} events shown")


def test_a_search_that_matches_nothing_says_so(page, served):
    page.goto(served.root + "?q=zzzz&tag=no-such-tag")
    assert page.get_by_label("Tag").input_value() == ""      # an unknown choice is dropped, not obeyed
    assert visible_events(page) == []
    assert page.get_by_role("status").inner_text() == f"No event matches; {len(served.timeline.events)} events in all"


def test_filter_by_year(page, served):
    page.goto(served.origin + "/years/")
    assert page.get_by_label("Year").count() == 1
    page.get_by_label("Year").select_option("2019")
    titles = page.eval_on_selector_all("li.event", "els => els.filter(e => e.checkVisibility())"
                                       ".map(e => e.querySelector('.event-title').textContent)")
    assert titles == ["Second flood", "Dam opens"]
    assert_url(page, re.compile(r".*/years/\?year=2019"))
    page.get_by_label("Search").fill("flood")
    assert page.get_by_role("status").inner_text() == "1 of 4 events shown"


def test_fold_matches_the_script(page, served):
    """filter.js and dateline/facets.py must fold text the same way, or typed accents miss."""
    page.goto(served.root)
    page.get_by_label("Search").fill("NÓRDHÁFÉN")
    assert set(term_events(served, "places", "nordhavn")) <= set(visible_events(page))
    assert fold("NÓRDHÁFÉN") == "nordhafen"


def test_nothing_to_show_all_until_a_filter_hides_something(page, served):
    page.goto(served.root)
    show_all = page.get_by_role("button", name="Show all events")
    assert page.locator("#filters-box").evaluate("d => d.open")      # open on a wide screen
    assert not show_all.is_visible()
    page.get_by_label("Search").fill("levee")
    assert show_all.is_visible()
    page.get_by_label("Search").fill("")
    assert not show_all.is_visible()
    page.get_by_label("Tag").select_option(index=1)
    show_all.click()
    assert not show_all.is_visible() and page.get_by_label("Search").evaluate("e => e === document.activeElement")
    assert page.watch.problems == []


def test_on_a_phone_the_filters_wait_folded_and_the_first_event_is_in_view(browser, served):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(served.root)
    summary = page.locator("#filters-box > summary")
    assert summary.is_visible() and not page.get_by_label("Search").is_visible()
    first = page.locator("li.event").first.bounding_box()
    assert first["y"] + 40 < 844, first                 # its date and title above the fold
    summary.click()                                       # asked for: the whole form unfolds
    assert page.get_by_label("Search").is_visible() and page.get_by_label("Place").is_visible()
    # A shared view that filters arrives unfolded, so the reader sees why events are missing.
    page.goto(served.root + "?place=nordhavn")
    assert page.get_by_label("Place").is_visible() and page.get_by_label("Place").input_value() == "nordhavn"
    summary.press("Enter")                                # and folds again from the keyboard
    assert not page.get_by_label("Place").is_visible()
    context.close()


def test_counts_are_written_as_the_build_writes_them(page, tmp_path):
    """1,000 events: the count the build wrote and the one filter.js writes agree ("1,000")."""
    import functools
    import http.server
    import sys
    import threading
    from pathlib import Path

    from dateline import pipeline

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import gensite

    root = gensite.generate(tmp_path / "site", 1000)
    pipeline.build(root, tmp_path / "www")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        assert page.locator("#event-count").text_content() == "1,000 events"
        page.locator("#filter-tag").select_option(index=1)
        assert re.fullmatch(r"\d{1,3} of 1,000 events shown", page.locator("#event-count").text_content())
    finally:
        server.shutdown()
        server.server_close()
