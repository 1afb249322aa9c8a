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


def test_a_value_hash_tells_apart_what_a_plain_join_would_not(make_site):
    root = make_site("""
-- content/events/a.md --
---
title: A
date: 2019-10-13
---
Body.
-- content/events/b.md --
---
title: B
date: 2019-10-14
---
Body.
""")
    a, b = site.check(root).timeline.events
    h = pagekeys.value_digest
    differ = [[12, 3], [1, 23], ["ab"], ["a", "b"], ("a", ["b"]), [["a"], "b"], {"a": "b"}, {"ab": ""},
              [a, b], [b, a], [a], {"x": a, "y": None}, {"x": None, "y": a}, "", None, 0, "0", [], {}, [[]]]
    hashes = [h(v) for v in differ]
    assert len(set(hashes)) == len(hashes)
    assert h([a, b]) == h([a, b]) and h({"x": [1, "2", a]}) == h({"x": [1, "2", a]})
    # an event counts by its hash: a list of events and the same events one by one inside a list differ
    assert h([a, b]) != h([a, [b]])


def test_a_chronology_is_hashed_by_its_events(make_site):
    """A term page's groups (years, headings) follow from its events: their hashes in one piece
    stand for the whole, and the same events give the same key however they were grouped."""
    from dateline.render.groups import group_events

    root = make_site("""
-- content/events/a.md --
---
title: A
date: 2019-10
---
Body.
-- content/events/b.md --
---
title: B
date: 2019-10-14
---
Body.
-- content/events/c.md --
---
title: C
date: 2020-01-02
---
Body.
""")
    events = site.check(root).timeline.events
    h = pagekeys.value_digest
    assert h(group_events(events)) == h(group_events(iter(events)))
    assert h(group_events(events)) != h(group_events(events[:2])) != h(group_events(events[1:]))
    assert h(group_events(events)) != h(list(group_events(events)))  # a plain list is hashed item by item
    out = []
    pagekeys.feed({"groups": group_events(events)}, out)
    assert len(out) == 5  # {, 'groups', G, the events, }


def test_a_named_tuple_of_plain_values_and_dates_is_hashed_in_one_piece_yet_by_every_field():
    # The bibliography lists thousands of these: one part each, not a call per field.
    from dataclasses import replace

    from dateline.core.dates import parse_date
    from dateline.render.pages import Citing

    day = parse_date("2019-10-12")
    citing = Citing("a", day, None, "Title", "")
    out = []
    pagekeys.feed(citing, out)
    assert len(out) == 1
    variants = [citing, citing._replace(slug="b"), citing._replace(title="Title "), citing._replace(lang="fr"),
                citing._replace(end=day), citing._replace(date=replace(day, approximate=True)),
                citing._replace(date=parse_date("2019-10"))]
    assert len({pagekeys.value_digest([v]) for v in variants}) == len(variants)
    assert pagekeys.value_digest([citing]) != pagekeys.value_digest([tuple(citing)])  # not the plain tuple's
