"""Page keys rest on the table of template globals: every global declares what it reads."""

from dateline import pipeline as site
from dateline.build import pagekeys
from dateline.render.pages import GLOBALS, PAGE, TERMS, TIMELINE, plan, template_globals


def test_every_template_global_declares_what_it_reads(make_site):
    root = make_site("""
-- content/sources/s.yaml --
title: S
-- content/events/a.md --
---
title: A
date: 2019-10-13
place: Somewhere
tags: [x]
sources: [s]
---
Body [@s].
""")
    timeline = site.check(root).timeline
    for page in plan(timeline):
        given = set(template_globals(timeline, page))
        assert given == set(GLOBALS), (page.path, sorted(given ^ set(GLOBALS)))
    assert set(GLOBALS.values()) <= {PAGE, TERMS, TIMELINE}


def test_the_keys_read_the_table():
    assert pagekeys.ON_TERMS == {name for name, on in GLOBALS.items() if on == TERMS}
    assert "timeline" in pagekeys.ON_TIMELINE and "url" in pagekeys.ON_PAGE
