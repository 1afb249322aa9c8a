"""Corrections and updates: an entry's `updated:`, `corrections:` and `status: developing` reach its
page, the corrections page, the corrections feed, JSON-LD, events.json and the main feed's dates."""

from __future__ import annotations

import json
import re

import feedparser
import jsonschema
import pytest

from dateline import pipeline as site
from dateline.render.jsonld import event_data

from conftest import REPO, write_tree

SITE = """
-- site.yaml --
title: Corrected timeline
base_url: https://example.org/tl/
language: en
-- content/sources/wire.yaml --
title: Dam breaks
publisher: Global Wire
published: 2019-10-13
-- content/events/dam.md --
---
title: Dam breaks
date: 2019-10-13
sources: [wire]
status: developing
updated: 2019-10-20
corrections:
  - date: 2019-10-15
    what: The dam is on the Blue river, not the Red river.
    why: The first report named the wrong river.
  - date: 2019-10-18
    what: The number of villages flooded is three, not four.
---
The dam broke [@wire].
-- content/events/rain.md --
---
title: Rain stops
date: 2019-10-14
sources: [wire]
---
It stopped [@wire].
"""
DAM = "events/2019-10-13-dam-breaks/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_tree(tmp_path_factory.mktemp("corrections"), SITE)
    result = site.build(root, write=False)
    return result.timeline, result.files


def test_corrections_are_read_newest_first_with_the_editors_dates(built):
    timeline, _ = built
    dam = timeline.event("2019-10-13-dam-breaks")
    assert [c.date.iso for c in dam.corrections] == ["2019-10-18", "2019-10-15"]
    assert dam.corrections[1].why == "The first report named the wrong river."
    assert dam.corrections[0].why == ""
    assert dam.updated.iso == "2019-10-20" and dam.modified.iso == "2019-10-20"
    assert dam.status == "developing"
    assert timeline.event("2019-10-14-rain-stops").modified is None


def test_the_event_page_shows_status_update_and_corrections(built):
    page = built[1][DAM + "index.html"].decode()
    assert '<span class="badge developing-badge">Developing story</span>' in page
    assert '<p class="updated">Updated <time datetime="2019-10-20">20 October 2019</time>' in page
    section = page[page.index('<section class="corrections"'):]
    # numbered from the oldest, so an anchor stays when a newer correction is added
    assert section.index('id="correction-2"') < section.index('id="correction-1"')
    assert "The first report named the wrong river." in section
    assert "corrections" not in built[1]["events/2019-10-14-rain-stops/index.html"].decode().split("<main")[1]\
        .split("</main>")[0].lower()


def test_the_corrections_page_lists_them_newest_first_with_links(built):
    page = built[1]["corrections/index.html"].decode()
    assert page.index("18 October 2019") < page.index("15 October 2019")
    assert f'href="../{DAM}#correction-2"' in page and f'href="../{DAM}#correction-1"' in page
    assert 'href="../corrections.xml"' in page  # the feed, discoverable from the page


def test_every_page_links_the_corrections_page_and_feed(built):
    index = built[1]["index.html"].decode()
    assert '<a href="corrections/">Corrections</a>' in index
    assert '<a href="corrections.xml" type="application/atom+xml">Corrections feed</a>' in index
    assert "https://example.org/tl/corrections/" in built[1]["sitemap.xml"].decode()


def test_the_corrections_feed_parses_and_lists_them_newest_first(built):
    feed = feedparser.parse(built[1]["corrections.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.updated == "2019-10-18T00:00:00Z"  # the newest correction: never the build's clock
    assert [e.updated for e in feed.entries] == ["2019-10-18T00:00:00Z", "2019-10-15T00:00:00Z"]
    assert [e.link for e in feed.entries] == [f"https://example.org/tl/{DAM}#correction-2",
                                              f"https://example.org/tl/{DAM}#correction-1"]
    assert len({e.id for e in feed.entries}) == 2
    assert feed.entries[0].title == "Corrected: Dam breaks"
    assert "The first report named the wrong river." in feed.entries[1].content[0].value


def test_an_empty_corrections_feed_is_valid(tmp_path):
    root = write_tree(tmp_path, re.sub(r"-- content/events/dam.md --.*?(?=-- content/events/rain)", "", SITE, flags=re.S))
    files = site.build(root, write=False).files
    feed = feedparser.parse(files["corrections.xml"])
    assert not feed.bozo and feed.entries == []
    assert feed.feed.updated == "2019-10-14T00:00:00Z"  # the newest date in the content
    assert "No entry has been corrected." in files["corrections/index.html"].decode()


def test_the_main_feed_dates_an_entry_by_its_latest_change(built):
    feed = feedparser.parse(built[1]["feed.xml"])
    by_title = {e.title: e.updated for e in feed.entries}
    assert by_title == {"Dam breaks": "2019-10-20T00:00:00Z", "Rain stops": "2019-10-14T00:00:00Z"}
    assert feed.entries[0].title == "Dam breaks"
    assert feed.feed.updated == "2019-10-20T00:00:00Z"


def test_json_ld_carries_date_modified_and_corrections(built):
    timeline, files = built
    page = files[DAM + "index.html"].decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S)[1])
    assert data == event_data(timeline, timeline.event("2019-10-13-dam-breaks"))
    changes = data["mainEntityOfPage"]
    assert changes["@type"] == "WebPage" and changes["@id"] == data["url"]
    assert changes["dateModified"] == "2019-10-20"
    assert changes["correction"][1] == {"@type": "CorrectionComment", "datePublished": "2019-10-15",
                                        "text": "The dam is on the Blue river, not the Red river. "
                                                "The first report named the wrong river."}
    assert "mainEntityOfPage" not in event_data(timeline, timeline.event("2019-10-14-rain-stops"))


def test_events_json_carries_the_record_of_change_and_fits_the_schema(built):
    data = json.loads(built[1]["events.json"])
    dam = next(e for e in data["events"] if e["title"] == "Dam breaks")
    assert dam["status"] == "developing" and dam["updated"]["iso"] == "2019-10-20"
    assert [c["date"]["iso"] for c in dam["corrections"]] == ["2019-10-18", "2019-10-15"]
    schema = json.loads((REPO / "docs" / "events.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


def test_a_correction_alone_dates_the_entry(tmp_path):
    root = write_tree(tmp_path, SITE.replace("updated: 2019-10-20\n", ""))
    timeline = site.build(root, write=False).timeline
    assert timeline.event("2019-10-13-dam-breaks").modified.iso == "2019-10-18"


@pytest.mark.parametrize("front, message", [
    ("updated: 2019-10\n", "'updated' must give the day of the change, not only 2019-10"),
    ("updated: yesterday\n", "'updated': 'yesterday' is relative and there is no date to read it against"),
    ("status: ongoing\n", "unknown status 'ongoing'"),
    ("corrections: fixed a typo\n", "'corrections' must be a list of changes"),
    ("corrections:\n  - fixed a typo\n", "each correction must be a mapping with date:, what: and why:"),
    ("corrections:\n  - what: x\n", "a correction needs the date it was made"),
    ("corrections:\n  - date: 2019-10-15\n", "missing 'what' in a correction: say what was changed"),
    ("corrections:\n  - date: 2019-10-15\n    what: x\n    reason: y\n", "unknown key 'reason' in a correction"),
    ("updated: 2019-10-14\ncorrections:\n  - date: 2019-10-15\n    what: x\n",
     "this correction (2019-10-15) is later than 'updated' (2019-10-14)"),
])
def test_mistakes_in_the_record_of_change_are_reported(tmp_path, front, message):
    spec = SITE.split("-- content/events/dam.md --")[0] + f"""-- content/events/x.md --
---
title: X
date: 2019-10-13
{front}---
Body.
"""
    root = write_tree(tmp_path, spec)
    problems = site.run(root, None, None, False).problems
    errors = [p for p in problems if p.severity == "error"]
    assert [p.message for p in errors] == [message]
    assert errors[0].path == "content/events/x.md" and errors[0].line > 1
