"""Above render.INDEX_SPLIT events the home page lists the years, and each year has its page."""

from __future__ import annotations

import re

from dateline import pipeline as site
from dateline.render import pages as render

SITE = """
-- content/events/a.md --
---
title: First of 2018
date: 2018-05-01
---
Text.
-- content/events/b.md --
---
title: Second of 2019
date: 2019-10-13
---
Text.
-- content/events/c.md --
---
title: First of 2019
date: 2019-10-12
---
Text.
"""


def test_a_long_timeline_gets_a_page_a_year(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr(render, "INDEX_SPLIT", 2)
    site.build(make_site(SITE), tmp_path / "out")  # every link checked, as in any build
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="years/2018/"' in home and 'href="years/2019/"' in home
    assert "3 events" in home
    # the count alone after each year, as archive lists write it; the list's heading, which names
    # it, says what it counts
    year_list = re.search(r'<h2[^>]*>[^<]*</h2>\s*<ul class="year-list"[^>]*>.*?</ul>', home, re.S).group()
    assert year_list.startswith('<h2 id="by-year">Events in each year</h2>\n'
                                '<ul class="year-list" aria-labelledby="by-year">')
    assert '2018/">2018</a> (1)</li>' in year_list and '2019/">2019</a> (2)</li>' in year_list
    listed = re.sub(r'<figure class="overview".*?</figure>', "", home, flags=re.S)
    assert "First of 2018" not in listed  # the events are on the year pages
    assert 'href="years/2018/#2018-05-01-first-of-2018"' in home  # where the overview's marks lead
    year = (tmp_path / "out" / "years" / "2019" / "index.html").read_text(encoding="utf-8")
    assert year.index("First of 2019") < year.index("Second of 2019")
    assert "First of 2018" not in year and 'href="../../events/2019-10-13-second-of-2019/"' in year


def test_a_short_timeline_keeps_every_event_on_the_home_page(make_site, tmp_path):
    site.build(make_site(SITE), tmp_path / "out")
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "First of 2018" in home and "Second of 2019" in home
    assert not (tmp_path / "out" / "years").exists()


def test_a_term_with_a_long_chronology_gets_a_page_a_year(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr(render, "INDEX_SPLIT", 2)
    root = make_site(SITE.replace("date: 2018-05-01\n", "date: 2018-05-01\ntags: [long, short]\n")
                     .replace("date: 2019-10-13\n", "date: 2019-10-13\ntags: [long]\n")
                     .replace("date: 2019-10-12\n", "date: 2019-10-12\ntags: [long]\n"))
    site.build(root, tmp_path / "out")  # every link checked, as in any build
    out = tmp_path / "out" / "tags"
    term = (out / "long" / "index.html").read_text(encoding="utf-8")
    assert "3 events" in term and '<a href="../../tags/long/2018/">2018</a> (1)</li>' in term
    assert '<a href="../../tags/long/2019/">2019</a> (2)</li>' in term
    listed = re.sub(r'<figure class="overview".*?</figure>', "", term, flags=re.S)
    assert "First of 2018" not in listed  # the events are on the year pages
    assert 'href="../../tags/long/2018/#2018-05-01-first-of-2018"' in term  # where the overview's marks lead
    year = (out / "long" / "2019" / "index.html").read_text(encoding="utf-8")
    assert "<title>long · 2019 · Tags" in year and "<h1>long: 2019</h1>" in year
    assert '· <a href="../../../tags/long/">long</a></p>' in year and '<p class="count">2 events</p>' in year
    assert year.index("First of 2019") < year.index("Second of 2019") and "First of 2018" not in year
    assert 'href="#2019-10-13-second-of-2019"' in year  # its overview leads into its own list
    short = (out / "short" / "index.html").read_text(encoding="utf-8")
    assert "First of 2018" in short and not (out / "short" / "2018").exists()


def test_a_term_s_year_page_keeps_its_key_when_another_year_of_the_term_changes(make_site, monkeypatch):
    from dateline.build.pagekeys import Keys

    monkeypatch.setattr(render, "INDEX_SPLIT", 2)
    tagged = (SITE.replace("date: 2018-05-01\n", "date: 2018-05-01\ntags: [long]\n")
              .replace("date: 2019-10-13\n", "date: 2019-10-13\ntags: [long]\n")
              .replace("date: 2019-10-12\n", "date: 2019-10-12\ntags: [long]\n"))
    more = tagged + "-- content/events/d.md --\n---\ntitle: Second of 2018\ndate: 2018-06-01\ntags: [long]\n---\nText.\n"
    keys = []
    for name, spec in (("before", tagged), ("after", more)):
        root = make_site(spec, name=name)
        timeline = site.check(root).timeline
        made = Keys(render.make_env(root), timeline, "code")
        keys.append({p.path: made.page(p.path, p.template, p.context) for p in render.plan(timeline)
                     if p.path.startswith("tags/long/")})
    before, after = keys
    assert set(before) == {"tags/long/index.html", "tags/long/2018/index.html", "tags/long/2019/index.html"}
    assert None not in before.values()
    assert before["tags/long/index.html"] != after["tags/long/index.html"]
    assert before["tags/long/2018/index.html"] != after["tags/long/2018/index.html"]
    assert before["tags/long/2019/index.html"] == after["tags/long/2019/index.html"]  # not drawn again
