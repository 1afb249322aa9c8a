"""`build.py import timelinejs FILE.json` and `build.py import sheet FILE.csv`.

Small inline files for each rule, TimelineJS's own example files (from the pinned npm package
the browser suite installs) for the real thing, and the round trip of Dateline's own export.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from browser.browser_support import install_npm_packages
from conftest import write_tree
from dateline import pipeline as site
from dateline.importers.entries import set_keys
from dateline.core.load import load_site

HEADER = ("Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,"
          "Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n")


def csv_row(**cells) -> str:
    """Return one CSV row of the template's columns, cells given by name (End_Year for 'End Year')."""
    names = HEADER.strip().split(",")
    values = [str(cells.get(n.replace(" ", "_"), "")) for n in names]
    return ",".join('"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v for v in values) + "\n"


def import_sheet(run_cli, tmp_path, rows: str, site_spec: str | None = None):
    """Write a CSV of the given rows, import it into a site; return (code, stdout, stderr, site folder)."""
    root = tmp_path / "site"
    if site_spec is not None:
        write_tree(root, site_spec)
    sheet = tmp_path / "timeline.csv"
    tmp_path.mkdir(parents=True, exist_ok=True)
    sheet.write_text(HEADER + rows, encoding="utf-8")
    code, out, err = run_cli("import", "sheet", sheet, "--site", root)
    return code, out, err, root


def import_json(run_cli, tmp_path, data, site_spec: str | None = None):
    root = tmp_path / "site"
    if site_spec is not None:
        write_tree(root, site_spec)
    path = tmp_path / "timeline.json"
    tmp_path.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    code, out, err = run_cli("import", "timelinejs", path, "--site", root)
    return code, out, err, root


def events(root: Path) -> dict:
    """Return the site's events, drafts included, by title, read through Dateline's own pipeline."""
    return {e.title: e for e in site.check(root, drafts=True).timeline.events}


def front(root: Path, title: str) -> dict:
    """Return an entry's front matter as Dateline's loader reads it (dates kept as text)."""
    entries = [e for e in load_site(root).events if e.data.get("title") == title]
    assert len(entries) == 1, [e.data.get("title") for e in load_site(root).events]
    return dict(entries[0].data)


# --- dates at the row's precision ------------------------------------------------------------

def test_each_row_becomes_a_draft_at_the_precision_it_gives(run_cli, tmp_path):
    rows = (csv_row(Year=1951, Headline="A year") + csv_row(Year=1943, Month=7, Headline="A month")
            + csv_row(Year=1948, Month=3, Day=14, Headline="A day")
            + csv_row(Year=2019, Month=10, Day=13, Time="3:45 PM", Headline="A moment")
            + csv_row(Year=1956, End_Year=1962, Headline="A span of years")
            + csv_row(Year=1815, Month=12, Day=10, End_Year=1852, End_Month=11, End_Day=27, End_Time="23:05",
                      Headline="A span of days"))
    code, out, err, root = import_sheet(run_cli, tmp_path, rows)
    assert code == 0, err
    assert len(out.splitlines()) == 6 and all(Path(p).is_file() for p in out.splitlines())
    found = {t: (e.date.edtf, e.date.precision, e.end.edtf if e.end else None, e.draft) for t, e in events(root).items()}
    assert found == {
        "A year": ("1951", "year", None, True),
        "A month": ("1943-07", "month", None, True),
        "A day": ("1948-03-14", "day", None, True),
        "A moment": ("2019-10-13T15:45", "minute", None, True),
        "A span of years": ("1956", "year", "1962", True),
        "A span of days": ("1815-12-10", "day", "1852-11-27T23:05", True),
    }
    assert (root / "content/events/1951-a-year.md").is_file()
    assert (root / "content/events/1943-07-a-month.md").is_file()


def test_a_year_before_the_common_era_is_refused_with_a_clear_message_and_nothing_is_written(run_cli, tmp_path):
    rows = csv_row(Year=-300, Headline="Euclid's <i>Optica</i>") + csv_row(Year=1021, Headline="Book of Optics")
    code, out, err, root = import_sheet(run_cli, tmp_path, rows)
    assert (code, out) == (1, "")
    sheet = tmp_path / "timeline.csv"
    assert err.splitlines() == [
        f"{sheet}: error: 1 of 2 slides is dated outside years 1 to 9999 of the common era (TimelineJS's "
        "cosmological scale, or years BC), which Dateline cannot show (remove those slides from the file to "
        "import the others)",
        f"{sheet}:2: error: row 2 (\"Euclid's Optica\"): the start year -300 is before the common era (Dateline "
        "dates events in years 1 to 9999 of the common era: leave this slide out of the file, or give it a year "
        "of the common era)",
        "2 errors; nothing was written",
    ]
    assert not root.exists()


def test_the_cosmological_scale_is_refused(run_cli, tmp_path):
    code, _, err, root = import_json(run_cli, tmp_path, {"scale": "cosmological", "events": [
        {"start_date": {"year": "1969"}, "text": {"headline": "Moon"}}]})
    assert code == 1
    assert "error: the 'cosmological' scale is not supported" in err
    assert not root.exists()


@pytest.mark.parametrize("cells, message", [
    (dict(Month=3, Headline="No year"), "row 2 ('No year'): the start date has no year (give it a year"),
    (dict(Year=2019, Day=3, Headline="Day, no month"), "the start date has a day but no month"),
    (dict(Year=2019, Month=2, Day=30, Headline="30 February"), "the start date: February 2019 has no day 30"),
    (dict(Year=2019, Month=13, Headline="Month 13"), "the start date: month 13 does not exist"),
    (dict(Year="MMXIX", Headline="Roman"), "the start year 'MMXIX' is not a number"),
    (dict(Year=2019, Month=5, Day=1, Time="25:00", Headline="Late"), "the Time '25:00' is not a time"),
    (dict(Year=2019, End_Year=2018, Headline="Backwards"), "the end (2018) is before the start (2019)"),
    (dict(Year=12000, Headline="Far"), "the start year 12000 is after 9999"),
])
def test_a_date_dateline_cannot_hold_names_its_row(run_cli, tmp_path, cells, message):
    code, _, err, root = import_sheet(run_cli, tmp_path, csv_row(**cells))
    assert code == 1 and message in err, err
    assert not (root / "content").exists()


def test_seconds_and_a_missing_minute_are_reported(run_cli, tmp_path):
    code, _, err, root = import_sheet(run_cli, tmp_path, csv_row(Year=2019, Month=10, Day=13, Time="05:30:15",
                                                                  Headline="Seconds"))
    assert code == 0
    assert "row 2 ('Seconds'): the start time's seconds were dropped: Dateline keeps times to the minute" in err
    code, _, err, root = import_json(run_cli, tmp_path / "j", {"events": [
        {"start_date": {"year": "2019", "month": "10", "day": "13", "hour": "5"}, "text": {"headline": "Hour"}}]})
    assert code == 0 and "has an hour but no minutes: written as 05:00" in err
    assert events(root)["Hour"].date.edtf == "2019-10-13T05:00"


# --- text, headline, group, media ----------------------------------------------------------------

def test_html_text_becomes_markdown_with_its_links(run_cli, tmp_path):
    text = ('<p>Take <a href="https://en.wikipedia.org/wiki/Ada_Lovelace">Ada <b>Lovelace</b></a>: see '
            '<a href="https://en.wikipedia.org/wiki/Reduction_(recursion_theory)">recursion</a>.</p>'
            '<ul><li>one</li><li>two</li></ul><blockquote>Quoted <cite>her</cite></blockquote>'
            '<p>Write to [@someone] or <a href="/relative/page">here</a> &lt;b&gt;not bold&lt;/b&gt; 2*3</p>'
            '<script>alert(1)</script><p><a href="javascript:alert(1)">click</a></p>')
    code, _, err, root = import_sheet(run_cli, tmp_path, csv_row(Year=1843, Headline="Ada", Text=text))
    assert code == 0, err
    body = (root / "content/events/1843-ada.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == (
        "Take [Ada **Lovelace**](https://en.wikipedia.org/wiki/Ada_Lovelace): see "
        "[recursion](https://en.wikipedia.org/wiki/Reduction_%28recursion_theory%29).\n\n"
        "- one\n- two\n\n> Quoted her\n\n"
        "Write to \\[@someone] or here &lt;b>not bold&lt;/b> 2\\*3\n\nclick\n")
    assert "the link '/relative/page' (on 'here') was dropped: only http(s) and mailto links are kept" in err
    assert "the link 'javascript:alert(1)' (on 'click') was dropped" in err
    assert "an embedded <script> was dropped" in err
    page = site.build(root, tmp_path / "out", drafts=True).files["events/1843-ada/index.html"].decode()
    assert '<a href="https://en.wikipedia.org/wiki/Ada_Lovelace">Ada <strong>Lovelace</strong></a>' in page
    assert "[@someone]" in page and "&lt;b&gt;not bold" in page and "alert" not in page


def test_the_headline_is_plain_text_and_yaml_never_changes_it(run_cli, tmp_path):
    titles = ["yes", "2019", "a: b", "#hash", "'quoted' \"twice\"", "---", "...", "- dash", "[list]", "Über ünïcödé",
              "null", "@at", "Euclid's <i>Optica</i>", "Tom &amp; Jerry"]
    rows = "".join(csv_row(Year=2000 + i, Headline=t) for i, t in enumerate(titles))
    code, _, err, root = import_sheet(run_cli, tmp_path, rows)
    assert code == 0, err
    expected = titles[:-2] + ["Euclid's Optica", "Tom & Jerry"]
    assert sorted(events(root)) == sorted(expected)
    assert "the headline is plain text: its HTML formatting was dropped" in err
    for i, title in enumerate(expected):
        assert front(root, title)["date"] == str(2000 + i)


def test_group_becomes_a_tag_and_what_has_no_field_stays_as_comments(run_cli, tmp_path):
    row = csv_row(Year=1943, Month=7, Display_Date="Summer 1943 # or so", Headline="ENIAC",
                  Text="The ENIAC programmers.", Media="https://www.youtube.com/watch?v=aPweFhhXFvY",
                  Media_Credit='<a href="https://www.youtube.com/channel/x">Computer History Museum</a>',
                  Media_Caption="Jean Bartik talks\nabout the ENIAC women", Media_Thumbnail="https://e.org/t.png",
                  Type="odd", Group="Computing", Background="#F45B69")
    code, _, err, root = import_sheet(run_cli, tmp_path, row)
    assert code == 0, err
    text = (root / "content/events/1943-07-eniac.md").read_text(encoding="utf-8")
    assert text == (
        "---\ntitle: ENIAC\ndate: 1943-07\ntags:\n- Computing\ndraft: true\n"
        "# Imported from TimelineJS (timeline.csv, row 2); Dateline has no field for these yet:\n"
        '# display_date: "Summer 1943 # or so"\n'
        '# media_url: "https://www.youtube.com/watch?v=aPweFhhXFvY"\n'
        '# media_credit: "[Computer History Museum](https://www.youtube.com/channel/x)"\n'
        '# media_caption: "Jean Bartik talks\\nabout the ENIAC women"\n'
        '# media_thumbnail: "https://e.org/t.png"\n'
        '# background_color: "#F45B69"\n'
        '# type: "odd"\n'
        "---\nThe ENIAC programmers.\n")
    assert front(root, "ENIAC") == {"title": "ENIAC", "date": "1943-07", "tags": ["Computing"], "draft": True}
    assert events(root)["ENIAC"].tags == ("Computing",)
    assert "1 keeps media, display dates or backgrounds as comments in its front matter" in err


# --- the title slide, eras, site.yaml ---------------------------------------------------------------

def test_the_title_slide_makes_a_new_site_yaml(run_cli, tmp_path):
    rows = (csv_row(Headline="Women in <b>Computing</b>", Text='<p class="lead">Some <a href="https://e.org">firsts</a>.</p>',
                    Type="title", Background="https://e.org/eniac.gif")
            + csv_row(Year=1815, Headline="Ada") + csv_row(Year=1939, End_Year=1945, Headline="War years", Type="era"))
    code, _, err, root = import_sheet(run_cli, tmp_path, rows)
    assert code == 0, err
    assert (root / "site.yaml").read_text(encoding="utf-8") == (
        "title: Women in Computing\ndescription: Some firsts.\n\n"
        "# Imported from TimelineJS (timeline.csv); Dateline has no field for these yet:\n"
        '# title_slide_background_url: "https://e.org/eniac.gif"\n'
        '# era: "War years", 1939 to 1945\n')
    config = site.check(root, drafts=True).timeline.config
    assert (config.title, config.description) == ("Women in Computing", "Some firsts.")
    assert list(events(root)) == ["Ada"]  # neither the title slide nor the era is an event
    assert "the site description is plain text: its link (https://e.org) was dropped" in err
    assert "1 era kept as comments at the end of site.yaml: Dateline has no eras yet" in err


def test_the_title_slide_sets_an_existing_site_yaml_title_keeping_every_other_line(run_cli, tmp_path):
    spec = """
    -- site.yaml --
    # my settings
    title: Old title   # the old one
    description: >
      An old description
      on two lines.
    base_url: /repo/
    language: en
    """
    code, _, err, root = import_json(run_cli, tmp_path, {
        "title": {"text": {"headline": "New: title", "text": "New description."}},
        "eras": [{"start_date": {"year": "600"}, "end_date": {"year": "650"}, "text": {"headline": "Early"}}],
        "events": [{"start_date": {"year": "602"}, "text": {"headline": "War"}}]}, spec)
    assert code == 0, err
    assert (root / "site.yaml").read_text(encoding="utf-8") == (
        "# my settings\ntitle: 'New: title'\ndescription: New description.\nbase_url: /repo/\nlanguage: en\n\n"
        "# Imported from TimelineJS (timeline.json); Dateline has no field for these yet:\n"
        '# era: "Early", 600 to 650\n')
    assert "site.yaml: info: title 'Old title' replaced by the title slide's 'New: title'" in err
    assert events(root)["War"].date.edtf == "0602"


def test_set_keys_adds_missing_keys_and_refuses_a_flow_mapping():
    assert set_keys("base_url: /\n", {"title": "T"}) == "base_url: /\ntitle: T\n"
    assert set_keys("", {"title": "yes"}) == "title: 'yes'\n"
    assert set_keys("{title: a}\n", {"title": "b"}) is None


def test_without_a_title_slide_a_new_site_is_named_after_the_file(run_cli, tmp_path):
    code, _, err, root = import_json(run_cli, tmp_path, {"events": [{"start_date": {"year": "1969"},
                                                                      "text": {"headline": "Moon"}}]})
    assert code == 0
    assert (root / "site.yaml").read_text(encoding="utf-8") == "title: timeline\n"
    assert "site.yaml: info: no title slide: the site's title is 'timeline', change it in site.yaml" in err


# --- never overwrite, never drop -----------------------------------------------------------------

def test_an_existing_entry_is_never_overwritten_and_nothing_is_written(run_cli, tmp_path):
    spec = "-- content/events/1951-a-year.md --\nmine\n"
    rows = csv_row(Year=1951, Headline="A year") + csv_row(Year=1952, Headline="Another")
    code, out, err, root = import_sheet(run_cli, tmp_path, rows, spec)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "content/events/1951-a-year.md: error: already exists: import never overwrites an entry (move the "
        "file away, or import into a new site with --site)",
        "1 error; nothing was written",
    ]
    assert (root / "content/events/1951-a-year.md").read_text() == "mine\n"
    assert not (root / "content/events/1952-another.md").exists()
    assert (root / "site.yaml").read_text() == "title: Test timeline\nbase_url: /\n"


def test_two_slides_with_one_date_and_headline_get_two_entries(run_cli, tmp_path):
    rows = csv_row(Year=1913, Headline="Flickr", Text="One") + csv_row(Year=1913, Headline="Flickr", Text="Two")
    code, out, err, root = import_sheet(run_cli, tmp_path, rows)
    assert code == 0, err
    assert [Path(p).name for p in out.splitlines()] == ["1913-flickr.md", "1913-flickr-2.md"]
    timeline = site.check(root, drafts=True).timeline
    assert sorted((e.slug, e.body_md) for e in timeline.events) == [("1913-flickr", "One\n"), ("1913-flickr-2", "Two\n")]


def test_a_slide_without_a_headline_is_named_from_its_text(run_cli, tmp_path):
    code, _, err, root = import_sheet(run_cli, tmp_path, csv_row(Year=1990, Text="<p>Hubble is deployed</p>")
                                      + csv_row(Year=1991))
    assert code == 0, err
    assert sorted(events(root)) == ["Hubble is deployed", "Untitled (row 3)"]
    assert "row 2: the slide has no headline: its title is 'Hubble is deployed', change it in the entry" in err


def test_empty_rows_are_not_slides_and_unknown_columns_are_named(run_cli, tmp_path):
    sheet = tmp_path / "t.csv"
    sheet.write_text("Year,Headline,Mood\n1990,Hubble,happy\n,,\n\n1991,Next,\n", encoding="utf-8")
    code, out, err = run_cli("import", "sheet", sheet, "--site", tmp_path / "s")
    assert code == 0 and len(out.splitlines()) == 2
    assert f"{sheet}: info: the column 'Mood' is not one of TimelineJS's: it is not carried over" in err


@pytest.mark.parametrize("kind, text, message", [
    ("sheet", "Title,Date\nx,2019\n", "error: no 'Year' column: this is not a TimelineJS sheet"),
    ("sheet", "", "error: the file is empty"),
    ("timelinejs", "{\"events\": [}", ":1:13: error: not valid JSON: Expecting value"),
    ("timelinejs", "[1, 2]", "error: not a TimelineJS timeline: expected an object with an \"events\" list"),
    ("timelinejs", "{\"events\": [3]}", ":1: error: slide 1: it is not an object"),
])
def test_a_file_that_is_not_a_timeline_is_refused(run_cli, tmp_path, kind, text, message):
    path = tmp_path / "in.txt"
    path.write_text(text, encoding="utf-8")
    code, _, err = run_cli("import", kind, path, "--site", tmp_path / "s")
    assert code == 1 and message in err, err
    assert not (tmp_path / "s").exists()


def test_a_missing_file_and_a_wrong_format_name(run_cli, tmp_path):
    code, _, err = run_cli("import", "sheet", tmp_path / "nope.csv", "--site", tmp_path / "s")
    assert code == 1 and f"{tmp_path / 'nope.csv'}: error: cannot read the file: No such file or directory" in err
    assert run_cli("import", "excel", tmp_path / "x.xlsx")[0] == 2


# --- check lists them as needing a source ----------------------------------------------------------

def test_imported_entries_are_drafts_that_check_lists_as_needing_a_source(run_cli, tmp_path):
    code, _, _, root = import_sheet(run_cli, tmp_path, csv_row(Year=1951, Headline="A year"), "")
    assert code == 0
    code, _, err = run_cli("check", "--site", root)
    assert code == 0
    assert ("content/events/1951-a-year.md:2: info: draft 'A year' cites no source yet (add sources: "
            "[source-id] before removing draft: true)") in err
    assert "cites no source (add sources: [source-id])" in run_cli("check", "--drafts", "--site", root)[2]
    assert run_cli("build", "--site", root)[0] == 0
    assert not (root / "output/events/1951-a-year").exists()  # a draft is not published


# --- JSON: unique ids, qualified dates, the round trip ---------------------------------------------

def test_json_unique_ids_become_slugs_and_display_dates_keep_their_qualifiers(run_cli, tmp_path):
    code, _, err, root = import_json(run_cli, tmp_path, {"events": [
        {"unique_id": "wistia", "start_date": {"year": "1928"}, "text": {"headline": "Wistia"}},
        {"unique_id": "Not A Slug", "start_date": {"year": "1929"}, "text": {"headline": "Odd id"}},
        {"start_date": {"year": "1950", "display_date": "c. 1950"}, "text": {"headline": "Circa"}},
        {"start_date": {"year": "2019", "month": "10", "display_date": "October 2019?"},
         "end_date": {"year": "2019", "month": "11", "display_date": "c. November 2019?"},
         "text": {"headline": "Unsure"}},
        {"start_date": {"year": "2019", "month": "10", "day": "13", "hour": "5", "minute": "30",
                        "display_date": "13 October 2019, 05:30 UTC+03:00"}, "text": {"headline": "Zoned"}},
        {"start_date": {"year": 2019, "month": 10, "day": 13, "hour": 9, "minute": 0,
                        "display_date": "13 October 2019, 09:00 UTC"}, "text": {"headline": "UTC"},
         "autolink": False, "shiny": True},
    ]})
    assert code == 0, err
    found = {t: (e.slug, e.date.edtf, e.end.edtf if e.end else None) for t, e in events(root).items()}
    assert found == {"Wistia": ("wistia", "1928", None), "Odd id": ("1929-odd-id", "1929", None),
                     "Circa": ("1950-circa", "1950~", None), "Unsure": ("2019-10-unsure", "2019-10?", "2019-11%"),
                     "Zoned": ("2019-10-13-zoned", "2019-10-13T05:30+03:00", None),
                     "UTC": ("2019-10-13-utc", "2019-10-13T09:00Z", None)}
    assert '# unique_id: "Not A Slug"' in (root / "content/events/1929-odd-id.md").read_text(encoding="utf-8")
    assert "slide 6 ('UTC'): the key 'shiny' is not carried over" in err


ROUND_TRIP = """
-- site.yaml --
title: Round & trip
description: Dates of every kind.
base_url: https://example.org/tl/
-- content/sources/s.yaml --
title: A source
publisher: Agency
url: https://news.example.com/s
-- content/events/a.md --
---
title: A year, about
date: 1950~
sources: [s]
---
Said [@s].
-- content/events/b.yaml --
- title: A span of months, perhaps
  date: 2019-10?
  end: 2019-12%
  sources: [s]
  body: Said [@s].
- title: "A moment: zoned"
  date: "2019-10-13T05:30+03:00"
  end: "2019-10-13T07:00+03:00"
  sources: [s]
  body: Said [@s].
- title: A day with its own slug
  date: "2019-10-14"
  slug: own-slug
  tags: [ignored]
  sources: [s]
  body: Said [@s].
"""


def _same_events(original: Path, imported: Path) -> None:
    def key(folder):
        data = json.loads((folder / "events.json").read_text(encoding="utf-8"))["events"]
        return [(e["slug"], e["title"], e["date"]["edtf"], e["end"] and e["end"]["edtf"]) for e in data]
    assert key(imported) == key(original)


@pytest.mark.parametrize("which", ["fixture", "inline"])
def test_the_round_trip_of_dateline_own_timeline_json_gives_the_same_events_and_dates(run_cli, tmp_path, which):
    from conftest import copy_fixture_site

    source = copy_fixture_site(tmp_path / "orig") if which == "fixture" else write_tree(tmp_path / "orig", ROUND_TRIP)
    assert run_cli("build", "--site", source, "--output", tmp_path / "built", "--no-cache")[0] == 0
    code, out, err = run_cli("import", "timelinejs", tmp_path / "built/timeline.json", "--site", tmp_path / "again")
    assert code == 0, err
    assert run_cli("build", "--drafts", "--site", tmp_path / "again", "--output", tmp_path / "rebuilt")[0] == 0
    _same_events(tmp_path / "built", tmp_path / "rebuilt")
    config = site.check(tmp_path / "again", drafts=True).timeline.config
    original = site.check(source).timeline.config
    assert (config.title, config.description) == (original.title, original.description)


# --- TimelineJS's own example files ------------------------------------------------------------------

@pytest.fixture(scope="module")
def timelinejs_src() -> Path:
    """The src/ folder of the pinned @knight-lab/timelinejs package (installed as the browser suite does)."""
    folder = install_npm_packages()
    if folder is None:
        message = "npm is not installed (apt-get install -y nodejs npm)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must install it (.ci/run)", pytrace=False)
        pytest.skip(message)
    return folder / "@knight-lab" / "timelinejs" / "src"


EXAMPLES = [("sheet", "template/my-own-timeline.csv"), ("sheet", "js/core/__tests__/women_in_computing.csv"),
            ("timelinejs", "template/all-media-types.json"), ("timelinejs", "template/eras.json")]
COSMOLOGICAL = ["template/cosmo.json", "template/cosmo-mixed.json"]


def test_every_example_file_of_the_package_is_tested(timelinejs_src):
    shipped = {p.relative_to(timelinejs_src).as_posix() for p in timelinejs_src.glob("template/*.json")}
    assert shipped == {path for kind, path in EXAMPLES if path.endswith(".json")} | set(COSMOLOGICAL)


def _expected_precision(parts: dict) -> str:
    if str(parts.get("hour") or "").strip():
        return "minute"
    return "day" if str(parts.get("day") or "").strip() else "month" if str(parts.get("month") or "").strip() else "year"


def _slides(kind: str, path: Path) -> list[tuple[str, dict]]:
    """Return (headline, start date parts) of each slide, read here independently of the importer."""
    import csv

    if kind == "timelinejs":
        return [(s["text"]["headline"], s["start_date"]) for s in json.loads(path.read_text(encoding="utf-8"))["events"]]
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    return [(r["Headline"], {"year": r["Year"], "month": r["Month"], "day": r["Day"], "hour": r["Time"]})
            for r in rows if r["Type"] not in ("title", "era")]


@pytest.mark.parametrize("kind, name", EXAMPLES)
def test_each_example_imports_one_entry_a_slide_at_its_precision_and_builds(run_cli, tmp_path, timelinejs_src,
                                                                           kind, name):
    path = timelinejs_src / name
    code, out, err = run_cli("import", kind, path, "--site", tmp_path / "site")
    assert code == 0, err
    slides = _slides(kind, path)
    assert len(out.splitlines()) == len(slides)
    timeline = site.check(tmp_path / "site", drafts=True).timeline
    assert sorted((e.date.year, e.date.precision) for e in timeline.events) == \
        sorted((int(parts["year"]), _expected_precision(parts)) for _, parts in slides)
    assert all(e.draft and not e.notes for e in timeline.events)
    assert run_cli("build", "--drafts", "--site", tmp_path / "site")[0] == 0
    assert (tmp_path / "site/output/index.html").is_file()


@pytest.mark.parametrize("name", COSMOLOGICAL)
def test_the_cosmological_examples_are_refused_with_a_clear_message(run_cli, tmp_path, timelinejs_src, name):
    code, out, err = run_cli("import", "timelinejs", timelinejs_src / name, "--site", tmp_path / "site")
    assert (code, out) == (1, "")
    assert "slides are dated outside years 1 to 9999 of the common era (TimelineJS's cosmological scale" in err
    assert "slide 1 ('The Big Bang'): the start year -13800000000 is before the common era" in err
    assert not (tmp_path / "site").exists()

