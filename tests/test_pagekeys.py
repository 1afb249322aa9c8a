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
    from dateline.render.citing import Citing

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


def test_the_bibliographys_citing_events_are_hashed_by_what_it_shows_of_them(make_site):
    """cited_by's key is its sources' lists of slugs and each citing event's `Citing` once, in one
    piece: an edit to a text or a summary leaves it; any field the bibliography shows changes it."""
    from dataclasses import replace

    from dateline.core.dates import parse_date
    from dateline.render.citing import Citing, cited_by

    root = make_site("""
-- content/sources/s.yaml --
title: S
-- content/sources/t.yaml --
title: T
-- content/events/a.md --
---
title: A
date: 2019-10-13
sources: [s, t]
---
Body [@s] [@t].
-- content/events/b.md --
---
title: B
date: 2019-10-14
sources: [s]
---
Body [@s].
""")
    timeline = site.check(root).timeline
    a, b = timeline.events
    h = lambda t: pagekeys.value_digest({"cited_by": cited_by(t)})  # noqa: E731
    same = h(timeline)
    out = []
    pagekeys.feed(cited_by(timeline), out)
    assert len(out) == 1 and out[0].count(b"'A'") == 1  # a cites two sources: its fields once

    def with_event(event, slug=None):
        return replace(timeline, by_slug={**timeline.by_slug, slug or event.slug: event})
    assert h(with_event(replace(a, body_md="Other words [@s] [@t].", summary_md="Other.", line=9))) == same
    changed = {"slug": replace(a, slug="a2"), "title": replace(a, title="A2"), "lang": replace(a, lang="fr"),
               "date": replace(a, date=replace(a.date, approximate=True)), "end": replace(b, end=parse_date("2019-10-15"))}
    assert set(changed) == set(Citing._fields)  # every field the bibliography shows
    for field, event in changed.items():
        assert h(with_event(event, (a if event.title != "B" else b).slug)) != same, field
    fewer = replace(timeline, citing={sid: slugs[:1] for sid, slugs in timeline.citing.items()})
    assert h(fewer) != same


def test_a_list_of_plain_values_is_one_part_and_still_told_apart():
    # the exports' key hashes the names of 10,000 pages: one repr, not a part each
    out = []
    pagekeys.feed(["index.html", "a/index.html", 3, None], out)
    assert out == [b"P['index.html', 'a/index.html', 3, None]"]
    h = pagekeys.value_digest
    lists = [["a", "b"], ["a, 'b"], ["a", "b", None], [1, 2], ["1", "2"], [], [[]], [["a"], "b"], [True], [1]]
    assert len({h(v) for v in lists}) == len(lists)


def test_a_term_is_hashed_by_every_field_its_events_joined():
    # A term of a long timeline lists thousands of slugs: joined in one part, not repr'd (a
    # tag's page and every kind's page hash them), yet told apart by each field and each slug.
    from dataclasses import replace

    from dateline.core.model import Term
    h = pagekeys.value_digest
    term = Term("war", "War", ("Conflict",), ("2019-10-09-a", "2019-10-10-b"))
    assert h(term) == h(Term("war", "War", ("Conflict",), ("2019-10-09-a", "2019-10-10-b")))
    others = [replace(term, slug="wars"), replace(term, name="Wars"), replace(term, aliases=()),
              replace(term, events=("2019-10-09-a",)), replace(term, events=("2019-10-10-b", "2019-10-09-a")),
              replace(term, events=("2019-10-09-a-2019-10-10-b",)), replace(term, events=())]
    assert len({h(term), *map(h, others)}) == len(others) + 1
    out = []
    pagekeys.feed([term, term], out)
    assert len(out) == 4 and all(part.startswith(b"T('war', 'War'") for part in out[1:3])  # [, T..., T..., ]
