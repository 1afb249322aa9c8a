"""The pages that list events (pagekeys.LISTS) show nothing of an event's body: an edit to a body
redraws the event's page, not its year's and terms' (pagekeys.UNLISTED)."""

from __future__ import annotations

import re
from pathlib import Path

from dateline import pipeline as site
from dateline.build import pagekeys
from dateline.core.model import Event
from dateline.render import pages as render

from conftest import copy_fixture_site
from test_incremental import age, cached_build, clean_tree, edit, tree

REPO = Path(__file__).resolve().parent.parent


def _bodies_changed(root: Path) -> None:
    """Change every entry's body (a citation given twice included) and the line it starts on, and nothing else."""
    for path in sorted((root / "content" / "events").iterdir()):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            cites = re.findall(r"\[@[^\]]+\]", text.split("\n---\n", 1)[1])
            text = text.rstrip("\n") + "\n\nA sentence only the body holds, QQQ." + (f" Again {cites[0]}." if cites else "") + "\n"
        else:  # a file of several entries: each starts a line further down
            text = "# every entry one line down\n" + text
        path.write_text(text, encoding="utf-8")


def test_every_page_of_a_list_is_the_same_whatever_the_bodies_say(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "INDEX_SPLIT", 3)  # a page a year, for the timeline and for each term
    before, after = copy_fixture_site(tmp_path / "before"), copy_fixture_site(tmp_path / "after")
    _bodies_changed(after)
    old, new = site.check(before).timeline, site.check(after).timeline
    assert not site.check(after).errors
    changed = {f for e, f in ((e, f) for e in new.events for f in pagekeys.UNLISTED)
               if getattr(e, f) != getattr(old.by_slug[e.slug], f)}
    assert changed == set(pagekeys.UNLISTED)  # each field the lists leave out did change here
    assert all(pagekeys.listed_digest(e) == pagekeys.listed_digest(old.by_slug[e.slug]) for e in new.events)
    lists = {p.path for p in render.plan(new) if p.template in pagekeys.LISTS}
    assert {p.template for p in render.plan(new) if p.path in lists} == pagekeys.LISTS  # both kinds are here
    drawn_before, drawn_after = render.render_site(old, before), render.render_site(new, after)
    assert [p for p in sorted(lists) if drawn_before[p] != drawn_after[p]] == []
    assert any(b"QQQ" in drawn_after[p] for p in drawn_after if p.startswith("events/"))


def test_the_listed_hash_leaves_out_only_what_lists_never_show():
    fields = {f for f in Event.__dataclass_fields__}
    assert set(pagekeys._LISTED) == fields - pagekeys.UNLISTED  # a new field of Event is listed: never missed


def test_a_body_edited_redraws_its_event_page_and_not_the_lists(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "INDEX_SPLIT", 3)
    root = copy_fixture_site(tmp_path / "site")
    out = tmp_path / "out"
    age(root)
    cached_build(root, out)
    lists = {p.path for p in render.plan(site.check(root).timeline) if p.template in pagekeys.LISTS}
    inodes = {p: (out / p).stat().st_ino for p in lists}
    entry = root / "content" / "events" / "2021-04-10-kessby-levee-breach.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\nA sentence only the body holds.\n", encoding="utf-8")
    age(entry)  # the summary, its first paragraph, is as it was
    counts = cached_build(root, out)
    assert {p: (out / p).stat().st_ino for p in lists} == inodes  # kept, not drawn again
    assert tree(out) == clean_tree(root)

    # A site's own template among those a list page is drawn with: it may show the body, so the
    # list pages follow every change of an event again.
    (root / "templates").mkdir()
    macros = (REPO / "dateline" / "theme" / "templates" / "_macros.html").read_text(encoding="utf-8")
    (root / "templates" / "_macros.html").write_text(macros, encoding="utf-8")
    year = (REPO / "dateline" / "theme" / "templates" / "year.html").read_text(encoding="utf-8")
    (root / "templates" / "year.html").write_text(
        year.replace("{% block main %}", "{% block main %}{% for year, months in groups %}{% for heading, events in months %}"
                     "{% for e in events %}<!-- {{ e.body_md[-60:] }} -->{% endfor %}{% endfor %}{% endfor %}", 1), encoding="utf-8")
    cached_build(root, out)
    edit(entry, "A sentence only the body holds.", "Another sentence the year page shows now.")
    age(entry)
    cached_build(root, out)
    assert b"Another sentence the year page" in (out / "years" / "2021" / "index.html").read_bytes()
    assert tree(out) == clean_tree(root)
