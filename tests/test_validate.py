"""Validation builds the timeline: notes, accounts, order, warnings."""

from dateline.core.load import load_site
from dateline.core.timeline import validate

SOURCES = """
-- content/sources/a.yaml --
title: Source A
publisher: Pub A
published: 2019-10-13
-- content/sources/b.yaml --
title: Source B
published: 2019-10-11
"""


def timeline_of(make_site, spec):
    timeline, problems = validate(load_site(make_site(SOURCES + spec)))
    assert timeline is not None, [str(p) for p in problems]
    return timeline, problems


def test_notes_are_numbered_by_first_citation_then_listed_sources(make_site):
    tl, _ = timeline_of(make_site, """
-- content/events/e.md --
---
title: E
date: 2019-10-12
sources:
  - a
  - id: b
    quote: "the quote"
---
First [@b]. Then [@a, p 4]. Again [@b].
""")
    (event,) = tl.events
    # one note a source, however often it is cited; the places cited in it listed under it
    assert [(n.number, n.source.id, [(p.locator, p.quote, p.anchor) for p in n.pinpoints]) for n in event.notes] == [
        (1, "b", [("", "the quote", "note-1")]), (2, "a", [("p 4", "", "note-2")])]
    assert tl.citing == {"a": (event.slug,), "b": (event.slug,)}


def test_order_rule_precision_then_time_then_title(make_site):
    tl, _ = timeline_of(make_site, """
-- content/events/list.yaml --
- {title: b day, date: 2019-10-13, sources: [a]}
- {title: A day, date: 2019-10-13, sources: [a]}
- {title: month, date: 2019-10, sources: [a]}
- {title: year, date: "2019", sources: [a]}
- {title: timed, date: "2019-10-13T01:00Z", sources: [a]}
- {title: earlier, date: 2019-09-30, sources: [a]}
""")
    # what is known only to the month (year) follows its days (months): docs/writing.md
    assert [e.title for e in tl.events] == ["earlier", "A day", "b day", "timed", "month", "year"]


def test_accounts_point_at_notes_and_give_a_range(make_site):
    tl, _ = timeline_of(make_site, """
-- content/events/e.md --
---
title: E
date: 2019-10-12
sources: [a]
accounts:
  - {claim: "785 escaped", by: Officials, cite: "[@a]", value: 785, qualifier: at least}
  - {claim: "100 fled", by: Monitors, cite: "[@b, p. 3]", value: 100}
---
""")
    (event,) = tl.events
    assert [(a.by, a.notes, [c.anchor for c in a.cites]) for a in event.accounts] == [
        ("Officials", (1,), ["note-1"]), ("Monitors", (2,), ["note-2"])]
    (question,) = event.questions
    low, high = question.span()
    assert event.disputed and (low.value, high.value, high.qualifier) == (100, 785, "at least")


def test_relative_date_resolves_against_the_first_source_and_is_reported(make_site):
    tl, problems = timeline_of(make_site, """
-- content/events/e.md --
---
title: E
date: early Saturday morning
sources: [a]
---
-- content/events/f.md --
---
title: F
date: on Thursday
date_from: b
sources: [a]
---
""")
    assert [e.date.iso for e in tl.events] == ["2019-10-10", "2019-10-12"]
    assert any("read as 2019-10-12 against a (published 2019-10-13)" in p.message for p in problems)


def test_warnings_for_sourceless_events_and_uncited_sources(make_site):
    tl, problems = timeline_of(make_site, """
-- content/events/e.md --
---
title: E
date: 2019-10-20
sources: [a]
---
-- content/events/f.md --
---
title: F
date: 2019-10-01
---
""")
    messages = {(p.path, p.severity, p.message) for p in problems}
    assert ("content/events/f.md", "warning", "event 'F' cites no source") in messages
    assert ("content/sources/b.yaml", "warning", "no event cites source 'b'") in messages
    assert ("content/events/e.md", "warning", "event is dated 2019-10-20, after its sources were published") in messages


def test_drafts_are_left_out_unless_asked(make_site):
    root = make_site(SOURCES + "-- content/events/d.md --\n---\ntitle: D\ndate: 2019\ndraft: true\n---\n")
    assert validate(load_site(root))[0].events == ()
    assert [e.title for e in validate(load_site(root), drafts=True)[0].events] == ["D"]


def test_source_ids_may_hold_letters_digits_hyphens_and_underscores():
    from dateline.core.rules import is_source_id
    assert all(is_source_id(s) for s in ["bbc", "bbc_2019-10-13", "AFP2019", "a"])
    assert not any(is_source_id(s) for s in ["-bbc", "bbc.", "b b", "bbc/x", "é", "..", ""])
