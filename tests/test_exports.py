"""Every export is read back by a parser that is not ours: feedparser and ElementTree for Atom,
icalendar for the calendar, jsonschema for events.json, citeproc-py and the CSL schema for
sources.json, the csv module for events.csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import citeproc
import feedparser
import icalendar
import jsonschema
import pytest
from citeproc.source.json import CiteProcJSON

from conftest import write_tree
from dateline import pipeline as site
from dateline.render import text as public
from dateline.render.feeds import atom, fold
from dateline.render.accounts import ACCOUNT_COLUMNS
from dateline.render.formats import FORMATS
from dateline.core.model import Source
from export_site import INJECTION, build, spec

REPO = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/tl/"
TALKS = "events/2019-10-13-talks-in-geneva-switzerland-fail/"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The export site built once with an absolute base_url."""
    root = tmp_path_factory.mktemp("exports")
    return build(lambda spec, name: write_tree(root / name, spec))


def test_same_content_gives_same_bytes(files, make_site):
    again = build(make_site, name="again")
    exports = (*(f.path for f in FORMATS), "sitemap.xml", "robots.txt")
    assert len(exports) == 10
    assert {p: again[p] for p in exports} == {p: files[p] for p in exports}


# --- Atom ---------------------------------------------------------------------------------

def test_feed_parses_and_carries_what_atom_requires(files):
    feed = feedparser.parse(files["feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Test timeline"
    assert feed.feed.id == BASE
    assert feed.feed.author == "The Test Desk"
    assert feed.feed.updated == "2019-11-01T00:00:00Z"  # newest date in the content: the report's month
    assert len(feed.entries) == 6
    talks = next(e for e in feed.entries if e.title == 'Talks in "Geneva, Switzerland" fail')
    assert talks.link == BASE + TALKS
    assert talks.id == BASE + TALKS
    assert talks.updated == "2019-10-20T00:00:00Z"  # the wire story's `accessed`
    assert talks.summary.startswith("The talks failed, “again”")
    assert [t.term for t in talks.tags] == ["diplomacy", "talks"]
    html = talks.content[0].value
    assert f'href="{BASE}{TALKS}#note-1"' in html  # note numbers lead to the page's notes
    assert "Talks collapse in Geneva" in html


def test_feed_has_each_required_element_once(files):
    root = ET.fromstring(files["feed.xml"])
    assert root.tag == ATOM + "feed"
    for tag in ("id", "title", "updated"):
        assert len(root.findall(ATOM + tag)) == 1, tag
    assert root.find(f"{ATOM}author/{ATOM}name").text == "The Test Desk"
    self_link = [l for l in root.findall(ATOM + "link") if l.get("rel") == "self"]
    assert self_link[0].get("href") == BASE + "feed.xml"
    entries = root.findall(ATOM + "entry")
    for entry in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert len(entry.findall(ATOM + tag)) == 1, tag
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", entry.find(ATOM + "updated").text)
        assert entry.find(ATOM + "link").get("href").startswith(BASE + "events/")
    titles = [e.find(ATOM + "title").text for e in entries]
    # the most recently changed first (the report of November), then the latest in the timeline's
    # order (October alone after its days); titles are text
    assert titles == ["A wet autumn", "River floods the valley", 'Talks in "Geneva, Switzerland" fail',
                      INJECTION, "Warning issued", "Dam built"]


def test_feed_keeps_the_most_recently_changed_entries(make_site):
    timeline = site.check(make_site(spec())).timeline
    feed = feedparser.parse(atom(timeline, limit=2))
    assert [e.title for e in feed.entries] == ["A wet autumn", "River floods the valley"]
    assert feed.feed.updated == "2019-11-01T00:00:00Z"


def test_feed_without_a_host_uses_paths_and_name_based_ids(make_site):
    files = build(make_site, base_url="/repo/")
    feed = feedparser.parse(files["feed.xml"], response_headers={
        "content-location": "https://x.test/repo/feed.xml", "content-type": "application/atom+xml"})
    assert not feed.bozo
    assert feed.feed.id.startswith("urn:uuid:")
    entry = next(e for e in feed.entries if e.title == "Dam built")
    assert entry.id.startswith("urn:uuid:") and entry.id != feed.feed.id
    assert entry.link == "https://x.test/repo/events/2018-dam-built/"  # resolved against the feed's address
    assert "sitemap.xml" not in files  # sitemaps.org requires absolute URLs
    assert files["robots.txt"] == b"User-agent: *\nDisallow:\n"


# --- iCalendar ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def calendar(files):
    cal = icalendar.Calendar.from_ical(files["events.ics"])
    return cal, {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_calendar_header(calendar):
    cal, events = calendar
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//Dateline//")
    assert len(events) == 6
    uids = [str(e["UID"]) for e in events.values()]
    assert len(set(uids)) == 6


def test_calendar_day_span_and_moment(calendar):
    _, events = calendar
    talks = events['Talks in "Geneva, Switzerland" fail']
    assert talks["DTSTART"].dt == dt.date(2019, 10, 13) and talks["DTEND"].dt == dt.date(2019, 10, 14)
    assert not isinstance(talks["DTSTART"].dt, dt.datetime)
    assert str(talks["LOCATION"]) == "Geneva, Switzerland"
    assert str(talks["URL"]) == BASE + TALKS
    assert talks["DTSTAMP"].dt == dt.datetime(2019, 10, 20, tzinfo=dt.timezone.utc)
    assert "Café owners" not in str(talks["DESCRIPTION"])  # the summary, not the body
    assert "The talks failed, “again”, after a night of argument.\n\nA second paragraph" in str(talks["DESCRIPTION"])
    assert [str(c) for c in talks["CATEGORIES"].cats] == ["diplomacy", "talks"]
    flood = events["River floods the valley"]
    assert (flood["DTSTART"].dt, flood["DTEND"].dt) == (dt.date(2019, 10, 9), dt.date(2019, 10, 14))
    warning = events["Warning issued"]
    assert warning["DTSTART"].dt == dt.datetime(2019, 10, 13, 2, 30, tzinfo=dt.timezone.utc)
    assert str(events[INJECTION]["SUMMARY"]) == INJECTION


def test_calendar_month_and_year_are_all_day_spans_that_say_so(calendar):
    _, events = calendar
    autumn = events["A wet autumn"]
    assert (autumn["DTSTART"].dt, autumn["DTEND"].dt) == (dt.date(2019, 10, 1), dt.date(2019, 11, 1))
    assert str(autumn["DESCRIPTION"]).startswith("c. October 2019 (date known only to the month)")
    dam = events["Dam built"]
    assert (dam["DTSTART"].dt, dam["DTEND"].dt) == (dt.date(2018, 1, 1), dt.date(2019, 1, 1))
    assert "(date known only to the year)" in str(dam["DESCRIPTION"])


def test_calendar_lines_are_crlf_and_folded_at_75_octets(files):
    raw = files["events.ics"]
    assert raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)  # no bare LF anywhere
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long ones were folded
    for line in lines:
        line.decode("utf-8")  # never cut inside a character


@pytest.mark.parametrize("text", ["a" * 200, "é" * 100, "x" + "€" * 60 + "😀" * 30])
def test_fold_keeps_characters_whole_and_unfolds_to_the_original(text):
    folded = fold("DESCRIPTION:" + text)
    physical = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in physical)
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + text


# --- TimelineJS ---------------------------------------------------------------------------

def test_timelinejs_dates_at_their_precision(files):
    data = json.loads(files["timeline.json"])
    assert data["title"]["text"]["headline"] == "Test timeline"
    slides = {s["unique_id"]: s for s in data["events"]}
    assert len(slides) == 6
    assert slides["2018-dam-built"]["start_date"] == {"year": "2018"}
    assert slides["2019-10-a-wet-autumn"]["start_date"] == {"year": "2019", "month": "10", "display_date": "c. October 2019"}
    flood = slides["2019-10-09-river-floods-the-valley"]
    assert flood["start_date"] == {"year": "2019", "month": "10", "day": "9"}
    assert flood["end_date"] == {"year": "2019", "month": "10", "day": "13"}
    warning = slides["2019-10-13-warning-issued"]["start_date"]
    assert (warning["hour"], warning["minute"]) == ("5", "30")
    assert warning["display_date"] == "13 October 2019, 05:30 UTC+03:00"


def test_timelinejs_text_is_html_with_sources_and_escaped_headlines(files):
    slides = {s["unique_id"]: s for s in json.loads(files["timeline.json"])["events"]}
    talks = slides["2019-10-13-talks-in-geneva-switzerland-fail"]["text"]
    assert talks["headline"] == "Talks in &quot;Geneva, Switzerland&quot; fail"
    assert 'Global Wire, <a href="https://news.example.com/talks?id=1&amp;lang=en"><cite>Talks collapse in Geneva</cite></a>' in talks["text"]
    assert f'<a href="{BASE}{TALKS}">' in talks["text"]
    injected = next(s for s in slides.values() if s["start_date"].get("day") == "14")
    assert "<script" not in injected["text"]["headline"] and "&lt;/script&gt;" in injected["text"]["headline"]


# --- events.json --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def schema():
    schema = json.loads((REPO / "docs" / "events.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_events_json_matches_its_schema(files, schema):
    data = json.loads(files["events.json"])
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    talks = next(e for e in data["events"] if e["url"] == BASE + TALKS)
    assert talks["date"] == {"iso": "2019-10-13", "edtf": "2019-10-13", "precision": "day", "approximate": False,
                             "uncertain": False, "display": "13 October 2019"}
    assert talks["notes"] == [{"number": 1, "source": "wire", "anchor": "note-1", "places": [
        {"anchor": "note-1", "locator": "", "quote": "the talks collapsed", "quote_verified": False,
         "link": "https://news.example.com/talks?id=1&lang=en#:~:text=the%20talks%20collapsed"}]}]
    autumn = next(e for e in data["events"] if e["slug"] == "2019-10-a-wet-autumn")
    assert autumn["date"]["precision"] == "month" and autumn["date"]["approximate"] is True
    wire = next(s for s in data["sources"] if s["id"] == "wire")
    assert wire["cited_by"] == [TALKS.split("/")[1]] and wire["csl_type"] == "article-newspaper"
    assert [t["name"] for t in data["taxonomies"]["tags"]] == ["diplomacy", "floods", "talks"]


def test_schema_rejects_what_the_format_does_not_allow(files, schema):
    validator = jsonschema.Draft202012Validator(schema)
    data = json.loads(files["events.json"])
    del data["events"][0]["date"]["precision"]
    data["events"][1]["date"]["precision"] = "week"
    data["sources"][0]["surprise"] = 1
    assert len(list(validator.iter_errors(data))) == 3


def test_accounts_are_exported(make_site, schema):
    root = make_site("""
        -- content/sources/a.yaml --
        title: A
        -- content/sources/b.yaml --
        title: B
        -- content/events/count.md --
        ---
        title: How many
        date: 2019-10-11
        sources: [a, b]
        accounts:
          - {about: How many fled?, claim: 100 fled, by: Group A, cite: "[@a, p. 2]", value: 100, counts: people}
          - {about: How many fled?, claim: Nearly 800, by: Group B, cite: "[@b]", value: 800, qualifier: almost,
             quote: nearly 800}
          - {about: Who fled?, claim: Families, by: Group B, cite: "[@b]"}
        ---
        Figures differ [@a, p. 2] [@b].
        """)
    files = site.build(root, write=False).files
    data = json.loads(files["events.json"])
    jsonschema.Draft202012Validator(schema).validate(data)
    event = data["events"][0]
    assert event["disputed"] is True
    assert event["accounts"][:2] == [
        {"about": "How many fled?", "claim": "100 fled", "by": "Group A", "quote": "", "quote_verified": None,
         "cites": [{"source": "a", "locator": "p. 2", "note": 1, "anchor": "note-1"}],
         "figure": {"value": 100, "high": None, "qualifier": "", "counts": "people", "text": "100"},
         "disputes": False},
        {"about": "How many fled?", "claim": "Nearly 800", "by": "Group B", "quote": "nearly 800",
         "quote_verified": False,
         "cites": [{"source": "b", "locator": "", "note": 2, "anchor": "note-2"}],
         "figure": {"value": 800, "high": None, "qualifier": "almost", "counts": "", "text": "almost 800"},
         "disputes": False}]
    assert [(q["about"], q["disputed"], q["accounts"]) for q in event["questions"]] == [
        ("How many fled?", True, 2), ("Who fled?", False, 1)]
    assert [event["questions"][0]["range"][end]["text"] for end in ("low", "high")] == ["100", "almost 800"]
    assert event["notes"][0] == {"number": 1, "source": "a", "anchor": "note-1", "places": [
        {"anchor": "note-1", "locator": "p. 2", "quote": "", "quote_verified": None, "link": ""}]}
    rows = list(csv.reader(io.StringIO(files["accounts.csv"].decode())))
    assert rows[0] == list(ACCOUNT_COLUMNS)
    assert rows[1:3] == [
        ["2019-10-11-how-many", "How many fled?", "true", "100 fled", "Group A", "[@a, p. 2]", "", "100", "",
         "", "people", "100", "false", "/events/2019-10-11-how-many/"],
        ["2019-10-11-how-many", "How many fled?", "true", "Nearly 800", "Group B", "[@b]", "nearly 800", "800", "",
         "almost", "", "almost 800", "false", "/events/2019-10-11-how-many/"]]


# --- sources.json (CSL-JSON) --------------------------------------------------------------

def _csl_schema_words(name: str, start: str) -> set[str]:
    """Read the quoted names of one definition of the CSL schema that citeproc-py ships."""
    text = (Path(citeproc.__file__).parent / "data" / "schema" / "schemas" / "styles" / name).read_text()
    block = text[text.index(start):]
    block = block[:block.index("}")]
    return set(re.findall(r'"([A-Za-z_-]+)"', block))


def test_csl_json_uses_csl_types_and_variables(files):
    items = json.loads(files["sources.json"])
    types = _csl_schema_words("csl-types.rnc", "item-types =")
    variables = _csl_schema_words("csl-variables.rnc", "variables.dates =") | \
        _csl_schema_words("csl-variables.rnc", "variables.names =") | \
        _csl_schema_words("csl-variables.rnc", "variables.strings =") | \
        _csl_schema_words("csl-variables.rnc", "variables.titles =")
    assert "article-newspaper" in types and "container-title" in variables  # the schema was read
    for item in items:
        assert item["type"] in types
        assert set(item) - {"id", "type"} <= variables, item
    wire = next(i for i in items if i["id"] == "wire")
    assert wire["author"] == [{"family": "Doe", "given": "Jane"}, {"literal": "Reuters staff"}]
    assert wire["issued"] == {"date-parts": [[2019, 10, 13]]}
    assert wire["accessed"] == {"date-parts": [[2019, 10, 20]]}
    report = next(i for i in items if i["id"] == "report")
    assert (report["type"], report["publisher"], report["issued"]) == ("report", "River Agency", {"date-parts": [[2019, 11]]})
    assert next(i for i in items if i["id"] == "statement")["type"] == "document"


def test_csl_json_renders_with_citeproc(files):
    source = CiteProcJSON(json.loads(files["sources.json"]))
    style = citeproc.CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = citeproc.CitationStylesBibliography(style, source, citeproc.formatter.plain)
    for key in ("wire", "report"):
        bibliography.register(citeproc.Citation([citeproc.CitationItem(key)]))
    entries = [str(item) for item in bibliography.bibliography()]
    wire = next(e for e in entries if "Talks collapse" in e)
    assert "Doe, J." in wire and "(2019)" in wire and "Global Wire" in wire
    assert "https://news.example.com/talks?id=1&lang=en" in wire
    report = next(e for e in entries if "river levels" in e)
    assert "River Agency" in report


@pytest.mark.parametrize("written, csl", [
    ("article", "article-newspaper"), ("Report", "report"), ("statement", "document"),
    ("article-magazine", "article-magazine"), ("press release", "document"), ("zine", "document"), ("", "document")])
def test_csl_type(written, csl):
    assert public.csl_type(Source(id="x", title="X", type=written)) == csl


# --- events.csv ---------------------------------------------------------------------------

def test_csv_round_trips_commas_quotes_and_newlines(files):
    raw = files["events.csv"]
    assert raw.startswith(b"date,end,precision,")
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"").replace(b"\n\nA second", b"")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    events = json.loads(files["events.json"])["events"]
    assert [r["title"] for r in rows] == [e["title"] for e in events]
    talks = next(r for r in rows if r["url"] == BASE + TALKS)
    assert talks["title"] == 'Talks in "Geneva, Switzerland" fail'
    assert talks["place"] == "Geneva, Switzerland"
    assert talks["actors"] == "Party A; Party B, the other one"
    assert talks["summary"] == "The talks failed, “again”, after a night of argument.\n\nA second paragraph, with a comma."
    assert (talks["date"], talks["end"], talks["precision"], talks["sources"]) == ("2019-10-13", "", "day", "wire")
    flood = next(r for r in rows if r["title"] == "River floods the valley")
    assert (flood["date"], flood["end"], flood["sources"]) == ("2019-10-09", "2019-10-13", "statement; report")
    autumn = next(r for r in rows if r["title"] == "A wet autumn")
    assert (autumn["date"], autumn["precision"], autumn["approximate"]) == ("2019-10", "month", "true")
    assert next(r for r in rows if r["title"] == INJECTION)


# --- sitemap.xml and robots.txt -----------------------------------------------------------

def test_sitemap_lists_every_page_by_absolute_url(files):
    root = ET.fromstring(files["sitemap.xml"])
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in root]
    pages = [p for p in files if p.endswith(".html") and p != "404.html"]
    assert len(locs) == len(pages)
    assert BASE in locs and BASE + TALKS in locs and BASE + "sources/" in locs
    assert all(loc.startswith(BASE) for loc in locs)
    assert not any("404" in loc for loc in locs)
    for loc in locs:
        rel = loc[len(BASE):]
        assert (rel + "index.html" if rel == "" or rel.endswith("/") else rel) in files


def test_robots_names_the_sitemap(files):
    assert files["robots.txt"].decode().splitlines() == [
        "User-agent: *", "Disallow:", "", f"Sitemap: {BASE}sitemap.xml"]


def test_cname_gives_the_host_when_base_url_is_a_path(make_site):
    root = make_site("""
        -- site.yaml --
        title: T
        base_url: /
        cname: timeline.example.net
        -- content/events/a.md --
        ---
        title: A
        date: 2019
        ---
        A.
        """)
    files = site.build(root, write=False).files
    assert b"<loc>https://timeline.example.net/events/2019-a/</loc>" in files["sitemap.xml"]
    assert feedparser.parse(files["feed.xml"]).feed.id == "https://timeline.example.net/"


def test_exports_speak_the_site_language(make_site):
    root = make_site("""
        -- site.yaml --
        title: Chronologie
        base_url: https://example.org/
        language: fr
        -- content/events/pluie.md --
        ---
        title: Un automne pluvieux
        date: 2019-10~
        ---
        Il a plu.
        """)
    files = site.build(root, write=False).files
    slide = json.loads(files["timeline.json"])["events"][0]
    assert slide["start_date"]["display_date"] == "vers octobre 2019"
    assert json.loads(files["events.json"])["events"][0]["date"]["display"] == "vers octobre 2019"
    (event,) = icalendar.Calendar.from_ical(files["events.ics"]).walk("VEVENT")
    assert str(event["DESCRIPTION"]).startswith("vers octobre 2019 (date connue seulement au mois près)")
    assert '<p class="more"><a href="https://example.org/events/2019-10-un-automne-pluvieux/">L&#x27;entrée complète' in slide["text"]["text"]


def test_the_days_of_change_kept_for_a_timeline_are_never_another_timelines(make_site):
    # Both feeds read each event's day of change; one pass is kept for the timeline last asked
    # about (by identity, weakly held), so a newer timeline in the same process gets its own days.
    first = site.check(make_site(spec())).timeline
    assert public.changed_days(first) is public.changed_days(first)  # one pass for both feeds
    assert public.timeline_changed(first) == dt.date(2019, 11, 1)
    later = "-- content/events/late.md --\n---\ntitle: Later\ndate: 2020-03-04\nsources: [statement]\n---\nA later event.\n"
    second = site.check(make_site(spec() + later, name="later")).timeline
    assert public.timeline_changed(second) == dt.date(2020, 3, 4)
    assert feedparser.parse(atom(second)).feed.updated == "2020-03-04T00:00:00Z"
    assert public.timeline_changed(first) == dt.date(2019, 11, 1)


def test_each_events_day_of_change_is_the_newest_of_its_own_its_editors_and_its_sources(make_site):
    # changed_days reads each source's days once for all its citing events: the same days as
    # an event's dates, its `updated` and corrections, and every cited source's published and
    # accessed dates, each event on its own.
    from dateline.core.dates import parse_date

    timeline = site.check(make_site(spec() + """
-- content/sources/old.yaml --
title: Old
published: 2001-05-06
-- content/sources/undated.yaml --
title: Undated
-- content/events/early.md --
---
title: Early
date: 1999
sources: [old, undated]
---
Early [@old] [@undated].
-- content/events/later.md --
---
title: Later
date: 1998-02-03
updated: 2003-04-05
sources: [undated]
---
Later [@undated].
""")).timeline

    def reference(event):
        days = [event.date.first_day()] + ([event.end.first_day()] if event.end else [])
        if event.modified:
            days.append(event.modified.first_day())
        days += [d.first_day() for n in event.notes for d in (n.source.published, n.source.accessed) if d]
        return max(days)
    assert public.changed_days(timeline) == [reference(e) for e in timeline.events]
    by_slug = dict(zip((e.slug for e in timeline.events), public.changed_days(timeline)))
    assert by_slug["1999-early"] == dt.date(2001, 5, 6) and by_slug["1998-02-03-later"] == dt.date(2003, 4, 5)
    assert public.last_changed(timeline.by_slug["1999-early"]) == parse_date("2001-05-06").first_day()


def test_each_summary_is_converted_once_for_all_exports_and_let_go_after(make_site, monkeypatch):
    # events.json, the calendar, the CSV file and the feed all show each summary as plain text:
    # one conversion each, kept while the exports are made (a cache of 65,536 thrashed at
    # 100,000 events, each export pushing out what the next one asked for), let go after; the
    # pages' bounded cache is left alone.
    timeline = site.check(make_site(spec())).timeline
    from dateline.render import formats
    public._plain.cache_clear()
    converted = []
    real = public.render_markdown
    monkeypatch.setattr(public, "render_markdown", lambda text, *a: converted.append(text) or real(text, *a))
    formats.render_exports(timeline)
    summaries = {(e.summary_md, timeline.config.allow_html) for e in timeline.events}
    assert len(converted) == len(summaries)
    assert public._EACH is None and public._plain.cache_info().currsize == 0


def test_a_term_in_events_json_is_what_the_json_encoder_would_write():
    # events.json writes each term's slugs as they are (they need no escape), its other fields encoded
    from dateline.core.model import Term
    from dateline.render import exports
    for term in (Term("a-b", 'Nâme "quoted" \\ back', ("x\\y", "é", "\u2028"), ("2019-10-09-a", "undated-x1234")),
                 Term("e", "E", (), ())):
        assert exports._term_data(term) == exports._encode(
            {"slug": term.slug, "name": term.name, "aliases": list(term.aliases), "events": list(term.events)})
