"""The order of events: within a month, the events known only to the month come after its days,
under a heading that says the day is not given; within a year, the events known only to the
year come after its months. One rule (Event.sort_key, render/groups.py) for every page and export."""

from __future__ import annotations

import csv
import io
import json
import re

import icalendar

from dateline import pipeline as site
from dateline.core.dates import parse_date
from dateline.core.model import Event
from dateline.render import pages as render


def event(date: str, title: str = "x") -> Event:
    return Event(slug=f"{date}-{title}", title=title, date=parse_date(date), end=None, body_md="",
                 summary_md="", notes=(), cite_map=())


def test_the_sort_key_puts_a_month_after_its_days_and_a_year_after_its_months():
    dates = ["2019", "2019-10", "2019-10-13T05:30Z", "2019-10-13", "2019-10-06", "2019-03", "2019-03-01",
             "2020-01", "2018-12-31", "2019-10-13T02:30Z"]
    ordered = [e.date.text or e.date.iso for e in sorted(map(event, dates), key=Event.sort_key)]
    assert [parse_date(d).iso for d in dates] == dates  # the keys below are what was written
    assert ordered == ["2018-12-31", "2019-03-01", "2019-03", "2019-10-06", "2019-10-13", "2019-10-13T02:30Z",
                       "2019-10-13T05:30Z", "2019-10", "2019", "2020-01"]


def test_the_sort_key_breaks_ties_by_title_then_slug():
    a, b = event("2019-10", "Beta"), event("2019-10", "alpha")
    assert sorted([a, b], key=Event.sort_key) == [b, a]


def test_qualified_dates_keep_their_precision_in_the_order():
    ordered = sorted([event("2019-10~"), event("2019-10-31?"), event("2019~")], key=Event.sort_key)
    assert [e.date.edtf for e in ordered] == ["2019-10-31?", "2019-10~", "2019~"]


SITE = """
-- content/events/a.md --
---
title: Known to the year
date: 2019
tags: [t]
---
Text.
-- content/events/b.md --
---
title: Known to the month
date: 2019-10
tags: [t]
---
Text.
-- content/events/c.md --
---
title: Ninth of October
date: 2019-10-09
tags: [t]
---
Text.
-- content/events/d.md --
---
title: Sixth of October
date: 2019-10-06
tags: [t]
---
Text.
-- content/events/e.md --
---
title: In March
date: 2019-03
tags: [t]
---
Text.
-- content/events/f.md --
---
title: Next year
date: 2020-01-01
tags: [t]
---
Text.
"""
ORDER = ["In March", "Sixth of October", "Ninth of October", "Known to the month", "Known to the year", "Next year"]


def headings(html: str) -> list[str]:
    """Return the text of the year and month headings and the event titles, in page order."""
    found = re.findall(r'<h2 id="y[^"]*">([^<]*)</h2>|<h3 id="m[^"]*">([^<]*)</h3>|class="event-title"[^>]*><a [^>]*>([^<]*)<',
                       html)
    return ["".join(parts) for parts in found]


def build(make_site, tmp_path, spec=SITE, name="site"):
    out = tmp_path / f"{name}-out"
    site.build(make_site(spec, name), out)
    return out


def test_the_home_page_lists_vague_dates_after_the_precise_ones_under_their_own_heading(make_site, tmp_path):
    home = (build(make_site, tmp_path) / "index.html").read_text(encoding="utf-8")
    assert headings(home) == [
        "2019", "March 2019, day not given", "In March",
        "October 2019", "Sixth of October", "Ninth of October",
        "October 2019, day not given", "Known to the month",
        "2019, month not given", "Known to the year",
        "2020", "January 2020", "Next year"]
    assert '<h3 id="m2019-10-0">' in home and '<h3 id="m2019-0">' in home  # no two headings share an id


def test_the_headings_are_in_the_site_language(make_site, tmp_path):
    spec = SITE + "-- site.yaml --\ntitle: Essai\nbase_url: /\nlanguage: fr\n"
    home = (build(make_site, tmp_path, spec) / "index.html").read_text(encoding="utf-8")
    assert [h for h in headings(home) if h[:1].isdigit() or h[:1].islower()] == [
        "2019", "mars 2019, jour non précisé", "octobre 2019", "octobre 2019, jour non précisé",
        "2019, mois non précisé", "2020", "janvier 2020"]


def test_every_page_and_export_follows_the_same_order(make_site, tmp_path):
    out = build(make_site, tmp_path)
    term = (out / "tags" / "t" / "index.html").read_text(encoding="utf-8")
    assert [h for h in headings(term) if h in ORDER] == ORDER
    data = json.loads((out / "events.json").read_text(encoding="utf-8"))
    assert [e["title"] for e in data["events"]] == ORDER
    title = {e["slug"]: e["title"] for e in data["events"]}
    assert [title[slug] for slug in data["taxonomies"]["tags"][0]["events"]] == ORDER
    rows = list(csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8"))))
    assert [row["title"] for row in rows] == ORDER
    slides = json.loads((out / "timeline.json").read_text(encoding="utf-8"))["events"]
    assert [s["text"]["headline"] for s in slides] == ORDER
    calendar = icalendar.Calendar.from_ical((out / "events.ics").read_bytes())
    assert [str(v["SUMMARY"]) for v in calendar.walk("VEVENT")] == ORDER
    # Previous and next walk the same order: each event page links to its neighbours.
    slugs = [e["slug"] for e in data["events"]]
    for before, after in zip(slugs, slugs[1:]):
        page = (out / "events" / before / "index.html").read_text(encoding="utf-8")
        assert f'<a href="../../events/{after}/" rel="next">' in page


def test_year_pages_follow_the_same_order(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr(render, "INDEX_SPLIT", 2)
    year = (build(make_site, tmp_path) / "years" / "2019" / "index.html").read_text(encoding="utf-8")
    assert headings(year) == [
        "2019", "March 2019, day not given", "In March", "October 2019", "Sixth of October", "Ninth of October",
        "October 2019, day not given", "Known to the month", "2019, month not given", "Known to the year"]
