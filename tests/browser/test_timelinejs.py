"""The TimelineJS export (timeline.json) loads in TimelineJS itself and shows every event."""

from __future__ import annotations

import html


def test_timeline_json_shows_every_event_in_timelinejs(page, served):
    assert (served.folder / "timeline.json").is_file(), "the build wrote no timeline.json"
    page.goto(served.origin + "/timelinejs/", wait_until="load")
    page.wait_for_function("window.timelineReady === true")
    titles = sorted(e.title for e in served.timeline.events)
    markers = page.eval_on_selector_all(".tl-timemarker .tl-headline", "els => els.map(e => e.textContent.trim())")
    assert sorted(html.unescape(m) for m in markers) == titles
    slides = page.locator(".tl-slide:not(.tl-slide-titleslide)").count()
    assert slides == len(titles)
    assert page.watch.problems == []
