"""Incremental builds: whatever changed, a cached rebuild writes the very bytes a clean build does,
and an unchanged or one-entry rebuild does a small fraction of the work (counted, not timed)."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from dateline import pipeline as site
from dateline.build import cache, disk, write
from dateline.core import errors
from dateline.render import feeds, formats, links, pages as render
from dateline.render.minify import minified

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import gensite  # noqa: E402 - the benchmark's site generator, shared with the tests
from conftest import copy_fixture_site  # noqa: E402


def tree(folder: Path) -> dict[str, bytes]:
    """Return {relative path: bytes} of every file under `folder`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def age(*paths: Path) -> None:
    """Date files (all those under a folder) a minute in the past, as if saved long ago.

    A file saved within the last two seconds is parsed again on every build (its stat may not
    change if it is saved again within the same clock tick); the counts below assume old files.
    """
    past = time.time() - 60
    for top in paths:
        for path in [top] if top.is_file() else top.rglob("*"):
            if path.is_file() and cache.FOLDER not in path.parts:
                os.utime(path, (past, past))


def cached_build(root: Path, output: Path, base_url: str | None = None):
    """Build as `build.py build` does, with the cache on disk; return what was done."""
    store = cache.Store(root / cache.FOLDER)
    memo = cache.open_memo(store)
    site.build(root, output, base_url=base_url, memo=memo)
    cache.save_memo(store, memo)
    return memo.counts


def clean_tree(root: Path) -> dict[str, bytes]:
    """Return the files a build without any cache would write (links are not checked again), its mark included."""
    files = render.render_site(site.check(root).timeline, root)
    static = site.static_files(root)
    files.update(minified(static))  # the CSS and JS as a build writes them
    copies = {path: source.read_bytes() for path, source in static.items()}
    return dict(sorted({**copies, **files, write.MARK: write.MARK_TEXT}.items()))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The fixture site (tests/fixtures) and a generated one of 300 events, each in a scratch copy."""
    base = tmp_path_factory.mktemp("incremental")
    fixture = copy_fixture_site(base / "fixture")
    generated = gensite.generate(base / "generated", 300)
    return {"fixture": fixture, "generated": generated}


@pytest.mark.parametrize("name", ["fixture", "generated"])
def test_cached_rebuilds_match_clean_builds_whatever_changed(sites, name, tmp_path):
    root = sites[name]
    out = tmp_path / "out"
    entry = sorted((root / "content" / "events").glob("*.md"))[len(list((root / "content" / "events").glob("*.md"))) // 2]
    source = sorted((root / "content" / "sources").glob("*.yaml"))[0]
    age(root)

    first = cached_build(root, out)
    clean = clean_tree(root)
    assert tree(out) == clean
    pages = first["files rendered"]
    assert first["files kept"] == 0 and pages > 50
    store = cache.Store(root / cache.FOLDER)  # every body's Markdown is kept for the next process
    kept_markdown = sum(len(store.read(f"markdown-{i:x}") or {}) for i in range(cache.MARKDOWN_SHARDS))
    assert kept_markdown >= len(list((root / "content" / "events").glob("*.md")))

    again = cached_build(root, out)
    assert tree(out) == clean
    assert (again["files parsed"], again["events validated"], again["files rendered"]) == (0, 0, 0)
    assert again["files kept"] == pages

    # One entry's words: its file is parsed again, and only the pages that show it are rendered.
    text = entry.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[-2] += " One more sentence."
    entry.write_text("\n".join(lines), encoding="utf-8")
    age(entry)
    one = cached_build(root, out)
    assert tree(out) == clean_tree(root)
    assert (one["files parsed"], one["events validated"]) == (1, 1)
    # the event, its neighbours, its terms, the index, the bibliography and the whole-timeline files
    assert 0 < one["files rendered"] <= {"fixture": pages // 3, "generated": pages // 20}[name], one
    # the exports remade from their parts: the entry's own made again, every other event's reused;
    # the feed holds the latest entries only, this one or not
    by_event = sum(f.by_event for f in formats.FORMATS) - 1
    events = len(site.check(root).timeline.events)
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    in_feed, entries = int("One more sentence." in feed), feed.count("<entry>")
    assert entries == min(events, feeds.FEED_ENTRIES)
    assert (one["export parts made"], one["export parts reused"]) == (
        by_event + in_feed, by_event * (events - 1) + entries - in_feed)

    # A source: only the events that cite it are validated again.
    edit(source, "\npublisher: ", "\npublisher: Revised ")
    age(source)
    counts = cached_build(root, out)
    assert tree(out) == clean_tree(root)
    assert 0 < counts["events validated"] < len(list((root / "content" / "events").iterdir()))
    assert 0 < counts["export parts made"] < by_event * events  # those of the events that cite it

    # A template the site overrides: every page is rendered again, no content file is read.
    (root / "templates").mkdir(exist_ok=True)
    base_html = (REPO / "dateline" / "theme" / "templates" / "base.html").read_text(encoding="utf-8")
    (root / "templates" / "base.html").write_text(base_html.replace("</footer>", "<!-- x --></footer>", 1),
                                                  encoding="utf-8")
    counts = cached_build(root, out)
    assert tree(out) == clean_tree(root)
    assert counts["files parsed"] == 0 and counts["files kept"] < pages // 5

    # site.yaml: the config reaches every event and every page.
    edit(root / "site.yaml", "title: ", "title: New ")
    counts = cached_build(root, out)
    assert tree(out) == clean_tree(root)
    assert counts["events validated"] > 0

    # Deleting an entry removes its page and is seen by its neighbours.
    entry.unlink()
    counts = cached_build(root, out)
    assert tree(out) == clean_tree(root)


def test_a_hand_edited_output_file_is_rendered_again(make_site, tmp_path):
    root = make_site("""
        -- content/events/a.md --
        ---
        title: A
        date: 2019-10-13
        ---
        Text.
        """)
    age(root)
    out = tmp_path / "out"
    cached_build(root, out)
    page = next(out.glob("events/*/index.html"))
    good = page.read_bytes()
    page.write_bytes(b"tampered")
    counts = cached_build(root, out)
    assert page.read_bytes() == good
    assert counts["files rendered"] == 1


def test_an_export_edited_by_hand_gives_none_of_its_parts_to_the_next_build(sites, tmp_path):
    root = sites["generated"]
    out = tmp_path / "out"
    entries = sorted((root / "content" / "events").glob("*.md"))
    age(root)
    cached_build(root, out)
    data = (out / "events.json").read_text(encoding="utf-8")
    (out / "events.json").write_text(data.replace('"title": "Event', '"title": "Tampered', 3), encoding="utf-8")
    edit(entries[0], "\n---\n", "\n---\nOne more sentence.\n")
    age(entries[0])
    counts = cached_build(root, out)
    assert tree(out) == clean_tree(root)
    # all of events.json, one of each other export but the feed, whose latest entries are not this one
    formats_made = sum(f.by_event for f in formats.FORMATS if f.path not in ("events.json", "feed.xml"))
    assert counts["export parts made"] == len(entries) + formats_made


def test_deleting_the_cache_is_safe(make_site, tmp_path):
    root = make_site("""
        -- content/events/a.md --
        ---
        title: A
        date: 2019-10-13
        ---
        Text.
        """)
    age(root)
    out = tmp_path / "out"
    cached_build(root, out)
    shutil.rmtree(root / cache.FOLDER)
    counts = cached_build(root, out)
    assert counts["files kept"] == 0 and counts["files parsed"] == 1
    assert tree(out) == clean_tree(root)


LINKED = """
-- content/sources/a.yaml --
title: Report A
publisher: A
-- content/sources/b.yaml --
title: Report B
publisher: B
-- content/events/one.md --
---
title: One
date: 2019-10-12
summary: The first.
---
See [the second note of Two](../2019-10-13-two/#note-2) [@a].
-- content/events/two.md --
---
title: Two
date: 2019-10-13
summary: The second.
---
Cited twice [@a] [@b].
"""


def test_a_cached_build_still_finds_the_links_an_edit_breaks(make_site, tmp_path):
    from dateline.core.errors import BuildError

    root = make_site(LINKED)
    age(root)
    out = tmp_path / "out"
    cached_build(root, out)
    one, two = root / "content" / "events" / "one.md", root / "content" / "events" / "two.md"

    # A page rendered again gets a broken link: only the pages rendered again need checking.
    good = one.read_text(encoding="utf-8")
    one.write_text(good.replace("[@a].", "[@a]. [Gone](../nowhere/)."), encoding="utf-8")
    with pytest.raises(BuildError, match="broken link '../nowhere/'"):
        cached_build(root, out)
    one.write_text(good, encoding="utf-8")
    assert cached_build(root, out)["pages link-checked"] <= 2  # the event, and the home page

    # A page kept from the last build links to an anchor that an edit of another entry removes.
    two.write_text(two.read_text(encoding="utf-8").replace(" [@b]", ""), encoding="utf-8")
    with pytest.raises(BuildError, match="has no id 'note-2'"):
        cached_build(root, out)  # so every page was checked


def test_a_redrawn_page_has_only_its_new_links_checked(make_site, tmp_path):
    root = make_site(LINKED)
    age(root)
    out = tmp_path / "out"
    cached_build(root, out)
    one = root / "content" / "events" / "one.md"
    edit(one, "[@a].", "[@a]. [Two again](../2019-10-13-two/#note-1).")
    age(one)
    counts = cached_build(root, out)
    page = next(out.glob("events/*-one/index.html")).read_bytes()
    assert page.count(b"<a ") > 10 and b"#note-1" in page
    # the pages drawn again (the entry's, and those listing it) have one link their last version had not
    assert counts["pages link-checked"] >= 1 and counts["links checked"] == 1


def test_links_are_checked_again_under_a_new_base_url(make_site, tmp_path):
    from dateline.core.errors import BuildError

    root = make_site("""
        -- content/events/a.md --
        ---
        title: A
        date: 2019-10-13
        ---
        See [the tags](/tags/).
        """)
    age(root)
    out = tmp_path / "out"
    cached_build(root, out, "/")
    with pytest.raises(BuildError, match="leaves the site's base path"):
        cached_build(root, out, "/repo/")  # the same link, in a page drawn again for the new base


def test_links_are_checked_again_when_minify_html_changes_how_pages_are_read(make_site, tmp_path):
    """A link in single quotes (a site's own template) is read only in a minified page's tags:
    turning minify_html on must not take the last build's check of the page as its own."""
    from dateline.core.errors import BuildError

    root = make_site("""
        -- content/events/a.md --
        ---
        title: A
        date: 2019-10-13
        ---
        Body.
        -- templates/index.html --
        {% extends "base.html" %}
        {% block main %}<h1>x</h1><a href='nowhere/'>gone</a>{% endblock %}
        """)
    age(root)
    out = tmp_path / "out"
    cached_build(root, out)  # read with quotes only: the templates are to write them
    (root / "site.yaml").write_text((root / "site.yaml").read_text() + "minify_html: true\n")
    age(root)
    with pytest.raises(BuildError, match="broken link 'nowhere/'"):
        cached_build(root, out)


def test_a_hand_edited_page_does_not_vouch_for_its_links(make_site, tmp_path):
    from dateline.core.errors import BuildError

    root = make_site(LINKED)
    age(root)
    out = tmp_path / "out"
    cached_build(root, out)
    one = root / "content" / "events" / "one.md"
    page = next(out.glob("events/*-one/index.html"))
    page.write_bytes(page.read_bytes().replace(b"</main>", b'<a href="../nowhere/">x</a></main>'))
    one.write_text(one.read_text(encoding="utf-8").replace("[@a].", "[@a]. [Gone](../nowhere/)."),
                   encoding="utf-8")
    with pytest.raises(BuildError, match="broken link '../nowhere/'"):
        cached_build(root, out)


def test_markdown_is_converted_once_and_kept_on_disk(sites, tmp_path, monkeypatch):
    from dateline.render import markdown

    root = sites["fixture"]
    out = tmp_path / "out"
    monkeypatch.setenv("DATELINE_JOBS", "1")  # conversions are counted in this process
    converted = []
    convert = markdown._convert
    monkeypatch.setattr(markdown, "_convert", lambda *a: converted.append(a[0]) or convert(*a))
    cached_build(root, out)
    cached_build(root, out)
    for entry in sorted((root / "content" / "events").glob("*.md"))[:2]:
        entry.write_text(entry.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
        markdown.CONVERTER.memo.clear()  # as in a new process: what is known comes from .dateline-cache/
        converted.clear()
        cached_build(root, out)
        assert converted and all("A new paragraph." in text for text in converted), converted


def test_pages_stay_kept_across_changes_made_in_place(make_site, tmp_path, monkeypatch):
    from dateline.build import journal

    monkeypatch.setattr(journal, "SHARE", 1)  # on a site this small, an edit changes half the files
    root = make_site("""
        -- content/events/a.md --
        ---
        title: A
        date: 2019-10-13
        ---
        Text.
        -- content/events/b.md --
        ---
        title: B
        date: 2018-10-13
        ---
        Text.
        """)
    age(root)
    out = tmp_path / "out"
    cached_build(root, out)
    folder = out.stat().st_ino
    (root / "content" / "events" / "a.md").write_text("---\ntitle: A\ndate: 2019-10-13\n---\nMore.\n", encoding="utf-8")
    cached_build(root, out)
    assert out.stat().st_ino == folder  # a few files changed: updated in place, through the journal
    again = cached_build(root, out)
    assert again["files rendered"] == 0  # the update changed no kept file's identity
    (root / "content" / "events" / "b.md").write_text("---\ntitle: B\ndate: 2018-10-13\n---\nMore.\n", encoding="utf-8")
    cached_build(root, out)
    assert out.stat().st_ino == folder
    assert tree(out) == clean_tree(root)
    assert cached_build(root, out)["files rendered"] == 0
    assert not any(p.name.startswith(".out.") for p in tmp_path.iterdir())  # no journal left


def test_each_event_is_hashed_once_per_change_across_builds(make_site, tmp_path, monkeypatch):
    """The page keys' hash of an event is saved beside it in the memo: a new process does not
    hash 10,000 unchanged events again (the repr of an event is the costly part of a page key)."""
    from dateline.build import pagekeys

    root = make_site("""
        -- content/events/a.md --
        ---
        title: A
        date: 2019-10-13
        ---
        Text.
        -- content/events/b.md --
        ---
        title: B
        date: 2019-10-14
        ---
        More text.
        """)
    age(root)
    out = tmp_path / "out"
    cached_build(root, out)
    hashed = []
    real = pagekeys.digest
    monkeypatch.setattr(pagekeys, "digest", lambda *parts: hashed.append(parts) or real(*parts))
    (root / "content/events/b.md").write_text((root / "content/events/b.md").read_text() + "Edited.\n")
    age(root / "content/events/b.md")
    cached_build(root, out)
    bodies_hashed = [p[0] for p in hashed if len(p) == 1 and isinstance(p[0], str) and "text." in p[0].lower()]
    assert bodies_hashed and all("More text." in h for h in bodies_hashed)  # B's (all it holds, what
    assert any("More text.\\nEdited." in h for h in bodies_hashed)            # lists show), not A's


def test_the_bibliography_is_drawn_again_for_a_citing_title_not_for_a_citing_text(sites, tmp_path):
    root = sites["generated"]
    out = tmp_path / "out"
    entry = sorted((root / "content" / "events").glob("*.md"))[3]
    age(root)
    cached_build(root, out)
    page = out / "sources" / "index.html"
    drawn = page.stat().st_ino
    edit(entry, "\n---\n", "\n---\nOne more sentence.\n")
    age(entry)
    cached_build(root, out)
    assert page.stat().st_ino == drawn  # the same file, linked into the new tree
    edit(entry, 'title: "', 'title: "Retitled ')
    age(entry)
    cached_build(root, out)
    assert page.stat().st_ino != drawn and b"Retitled" in page.read_bytes()
    assert tree(out) == clean_tree(root)


def test_what_each_template_reads_is_found_once_not_in_every_process(sites, tmp_path, monkeypatch):
    import jinja2

    from dateline.build import templatereads

    root = sites["fixture"]
    out = tmp_path / "out"
    entry = sorted((root / "content" / "events").glob("*.md"))[0]
    age(root)
    cached_build(root, out)
    edit(entry, "\n---\n", "\n---\nFirst, a sentence.\n")  # a rebuild may read the templates a clean build did not
    age(entry)
    cached_build(root, out)
    parsed = []
    parse = jinja2.Environment.parse
    monkeypatch.setattr(jinja2.Environment, "parse", lambda env, source, *a: parsed.append(source) or parse(env, source, *a))
    monkeypatch.setattr(templatereads, "_PARSED", {})  # as in a new process
    edit(entry, "\n---\n", "\n---\nOne more sentence.\n")
    age(entry)
    cached_build(root, out)
    assert parsed == []
    (root / "templates").mkdir(exist_ok=True)
    event_html = (REPO / "dateline" / "theme" / "templates" / "event.html").read_text(encoding="utf-8")
    (root / "templates" / "event.html").write_text(event_html + "{# edited #}\n", encoding="utf-8")
    cached_build(root, out)
    assert [p for p in parsed if "{# edited #}" in p]
    assert tree(out) == clean_tree(root)


def test_the_templates_are_compiled_once_not_in_every_process(sites, tmp_path, monkeypatch):
    import jinja2

    root = sites["fixture"]
    out = tmp_path / "out"
    entry = sorted((root / "content" / "events").glob("*.md"))[0]
    age(root)
    cached_build(root, out)
    compiled = []
    compile_ = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda env, source, name=None, *a, **k: compiled.append(name) or compile_(env, source, name, *a, **k))
    edit(entry, "\n---\n", "\n---\nOne more sentence.\n")
    age(entry)
    cached_build(root, out)  # a new memo from the store each time, as in a new process
    assert compiled == []
    (root / "templates").mkdir(exist_ok=True)
    event_html = (REPO / "dateline" / "theme" / "templates" / "event.html").read_text(encoding="utf-8")
    (root / "templates" / "event.html").write_text(event_html.replace("</article>", "</article><!-- edited -->", 1),
                                                   encoding="utf-8")
    cached_build(root, out)
    assert compiled == ["event.html"]  # the edited one alone, compiled afresh
    assert all("<!-- edited -->" in p.read_text(encoding="utf-8") for p in (out / "events").rglob("index.html"))
    assert tree(out) == clean_tree(root)


def test_an_export_edited_in_place_with_its_date_put_back_gives_none_of_its_parts(sites, tmp_path):
    """Same size, same inode, the modification time restored: only the change time tells."""
    root = sites["generated"]
    out = tmp_path / "out"
    entries = sorted((root / "content" / "events").glob("*.md"))
    age(root)
    cached_build(root, out)
    calendar = out / "events.ics"
    before = calendar.stat()
    with open(calendar, "r+b") as f:
        f.seek(before.st_size // 2)
        f.write(b"Q")
    os.utime(calendar, ns=(before.st_atime_ns, before.st_mtime_ns))
    edit(entries[1], "\n---\n", "\n---\nOne more sentence.\n")
    age(entries[1])
    cached_build(root, out)
    assert tree(out) == clean_tree(root)


def rewritten(entry: Path, text: str, field: str, value: str, slug: str) -> None:
    """Write `text` into `entry` with its front matter's `field` set to `value` and its slug kept."""
    entry.write_text(re.sub(rf"\n{field}: [^\n]+", f"\n{field}: {value}\nslug: {slug}", text, count=1),
                     encoding="utf-8")
    age(entry)


def _checked_unmoved(monkeypatch) -> list[str]:
    """Make every key the shortcuts give be checked against the key computed in full: a page's
    (Unmoved.key), and every page's left out of the plan around a change (Keep.plan)."""
    from dateline.build import incremental

    found: list[str] = []
    real, real_plan = incremental.Unmoved.key, incremental.Keep.plan

    def key(self, page, old):
        shortcut = real(self, page, old)
        if shortcut is not None:
            assert shortcut == self.keys.page(page.path, page.template, page.context), page.path
            found.append(page.path)
        return shortcut

    def plan(self, env, timeline, plan):
        pages, every = real_plan(self, env, timeline, plan)
        left_out = set(every) - {p.path for p in pages}
        for page in (p for p in plan(timeline) if p.path in left_out):
            assert self.keys[page.path] == self._keys.page(page.path, page.template, page.context), page.path
            found.append(page.path)
        return pages, every
    monkeypatch.setattr(incremental.Unmoved, "key", key)
    monkeypatch.setattr(incremental.Keep, "plan", plan)
    return found


def test_an_event_page_whose_events_are_unchanged_keeps_its_key_without_hashing_it(sites, tmp_path, monkeypatch):
    root = gensite.generate(tmp_path / "site", 40)
    out = tmp_path / "out"
    age(root)
    cached_build(root, out)
    shortcut = _checked_unmoved(monkeypatch)
    entries = sorted((root / "content" / "events").glob("*.md"))
    entries[20].write_text(entries[20].read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    age(entries[20])
    cached_build(root, out)
    assert tree(out) == clean_tree(root)
    assert sum(p.startswith("events/") for p in shortcut) == 40 - 3  # all but the edited one's and its neighbours'
    assert sum(p.startswith(("tags/", "places/", "actors/")) for p in shortcut) > 10  # the terms it is not in
    # A new order (an event dated elsewhere): every key is computed, and the site is still the clean one's.
    text = entries[5].read_text(encoding="utf-8")
    entries[5].write_text(re.sub(r"\ndate: [^\n]+", "\ndate: 1890-01-01", text, count=1), encoding="utf-8")
    age(entries[5])
    shortcut.clear()
    cached_build(root, out)
    assert tree(out) == clean_tree(root) and shortcut == []


def test_a_one_entry_rebuild_plans_only_the_pages_around_it_and_redraws_a_page_edited_elsewhere(tmp_path,
                                                                                                 monkeypatch):
    root = gensite.generate(tmp_path / "site", 40)
    out = tmp_path / "out"
    age(root)
    cached_build(root, out)
    planned: list[list] = []
    real_plan = render.plan
    monkeypatch.setattr(render, "plan", lambda timeline, around=None: planned.append(
        real_plan(timeline, around)) or planned[-1])
    timeline = site.check(root).timeline
    entry = root / timeline.events[20].path
    edit(entry, "\n\n", "\n\nOne more *sentence*.\n\n")
    age(entry)
    cached_build(root, out)
    assert tree(out) == clean_tree(root)
    events = sorted(p.path for p in planned[0] if p.template == "event.html")
    assert events == sorted(f"events/{e.slug}/index.html" for e in timeline.events[19:22])  # it and its neighbours
    terms = {p.path.split("/")[1] for p in planned[0] if p.template == "term.html"}
    assert terms == {t.slug for ts in timeline.taxonomies.values() for t in ts  # only the terms it is in
                     if timeline.events[20].slug in t.events} and len(terms) < 10
    # The record that build left lets the next one-entry rebuild plan around its edit too
    first = sorted(p.path for p in planned[0])
    edit(entry, "One more", "Once more")
    age(entry)
    planned.clear()
    cached_build(root, out)
    assert len(planned) == 1 and sorted(p.path for p in planned[0]) == first
    assert tree(out) == clean_tree(root)
    # A page left out of that plan but edited by hand: every page is planned, and it is drawn again
    far = out / f"events/{timeline.events[3].slug}/index.html"
    good = far.read_bytes()
    far.write_bytes(b"tampered")
    edit(entry, "Once more", "Yet once more")
    age(entry)
    planned.clear()
    counts = cached_build(root, out)
    assert [len(p) for p in planned][-1] == len(real_plan(timeline)) and far.read_bytes() == good
    assert tree(out) == clean_tree(root) and counts["files rendered"] < 20


def test_an_event_template_that_reads_the_whole_timeline_gets_no_shortcut(make_site, tmp_path, monkeypatch):
    root = make_site("""
        -- templates/event.html --
        {% extends "base.html" %}{% block main %}{{ event.title }} of {{ timeline.events | length }}: {{ timeline.events[-1].title }}{% endblock %}
        """ + "".join(f"""
        -- content/events/e{i}.md --
        ---
        title: Event {i}
        date: 2019-10-{10 + i}
        ---
        Text.
        """ for i in range(6)))
    age(root)
    out = tmp_path / "out"
    cached_build(root, out)
    shortcut = _checked_unmoved(monkeypatch)
    edit(root / "content" / "events" / "e5.md", "title: Event 5", "title: Event five")
    age(root / "content" / "events" / "e5.md")
    cached_build(root, out)
    assert shortcut == []
    assert tree(out) == clean_tree(root)
    assert b"Event 0 of 6: Event five" in (out / "events").joinpath(
        next(p.name for p in (out / "events").iterdir() if "event-0" in p.name), "index.html").read_bytes()


def test_year_pages_and_a_terms_years_keep_their_keys_unless_an_event_of_theirs_changed(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "INDEX_SPLIT", 3)  # a page a year for the home page and every term of more than 3
    root = gensite.generate(tmp_path / "site", 60)
    out = tmp_path / "out"
    age(root)
    cached_build(root, out)
    shortcut = _checked_unmoved(monkeypatch)
    timeline = site.check(root).timeline
    entries = {e.slug: root / e.path for e in timeline.events}

    entry = entries[timeline.events[30].slug]
    entry.write_text(entry.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    age(entry)
    cached_build(root, out)
    assert tree(out) == clean_tree(root)
    # A body edited: the lists (pagekeys.LISTS) show nothing of it, every year's page and the list of
    # years among them, and the sources' and the kinds' pages show nothing of it either
    years = [p for p in shortcut if p.startswith("years/")]
    assert len(years) == len(list((out / "years").iterdir()))
    assert {"index.html", "sources/index.html", "tags/index.html", "places/index.html"} <= set(shortcut)
    assert "corrections/index.html" in shortcut  # a list too: its events' corrections and titles
    # A title edited: what the lists show of it changed, its year's pages are keyed in full
    slug = timeline.events[10].slug  # kept: the same events in the same order
    rewritten(entries[slug], entries[slug].read_text(encoding="utf-8"), "title", "A title edited by the test", slug)
    shortcut.clear()
    cached_build(root, out)
    assert tree(out) == clean_tree(root)
    assert "corrections/index.html" not in shortcut and "index.html" not in shortcut
    years = [p for p in shortcut if p.startswith("years/")]
    assert len(years) == len(list((out / "years").iterdir())) - 1  # all but the edited event's year
    assert any(p.count("/") == 3 and p.startswith("tags/") for p in shortcut)  # a tag's year page
    assert "index.html" not in shortcut and "sources/index.html" not in shortcut

    # An event moved into the next year, between the same neighbours: no year page is taken as it was
    # (the year it left still has an event, and lost one). Its slug is kept, so the order is the same.
    events, i = timeline.events, 30
    year = events[i - 1].date.year
    assert events[i - 1].date.iso < f"{year}-12-31" and f"{year + 1}-06-01" < events[i + 1].date.iso
    entry, text = entries[events[i].slug], entries[events[i].slug].read_text(encoding="utf-8")
    for day in (f"{year}-12-31", f"{year + 1}-06-01"):  # into its neighbour's year, built; then out of it
        rewritten(entry, text, "date", day, events[i].slug)
        shortcut.clear()
        cached_build(root, out)
    assert tree(out) == clean_tree(root)
    assert sum(p.startswith("events/") for p in shortcut) == 60 - 3  # the same slugs in the same order
    assert not any(p.startswith("years/") for p in shortcut)


@pytest.mark.parametrize("workers", [True, False])
def test_a_big_build_writes_each_page_into_the_new_tree_as_it_is_drawn(tmp_path, monkeypatch, workers):
    from dateline.build import parallel
    from dateline.core.errors import BuildError
    from dateline.render import links

    monkeypatch.setattr(site, "STREAM", 10)  # a build of 10 pages or more, most of the site, streams
    if workers:
        monkeypatch.setattr(parallel, "MIN_PAGES", 1)  # forked workers write them
    root = gensite.generate(tmp_path / "site", 40)
    age(root)
    out = tmp_path / "out"
    store = cache.Store(root / cache.FOLDER)
    memo = cache.open_memo(store)
    result = site.build(root, out, memo=memo)
    pages = [p for p in result.files if p.endswith(".html")]
    assert len(pages) > 40 and all(isinstance(result.files[p], links.Written) for p in pages)  # no page's bytes held
    assert all(isinstance(result.files[f.path], links.Written) for f in formats.FORMATS)  # nor an export's
    assert tree(out) == clean_tree(root)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # swapped in: no tree left

    # A template with a broken link: every page drawn again into a new tree, which the check then
    # refuses: nothing of it stays, and output/ is as it was.
    before = tree(out)
    (root / "templates").mkdir()
    event_html = (REPO / "dateline" / "theme" / "templates" / "event.html").read_text(encoding="utf-8")
    (root / "templates" / "event.html").write_text(event_html.replace("{% block main %}", '{% block main %}<a href="{{ url("nowhere/") }}">x</a>', 1), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        site.build(root, out, memo=memo)
    assert "nowhere/" in str(caught.value.problems[0])
    assert tree(out) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]


@pytest.mark.parametrize("dies", [False, True])
def test_the_exports_made_in_a_process_beside_the_pages_are_the_ones_made_here(tmp_path, monkeypatch, dies):
    # A rebuild makes its exports in a forked process while this one compares and draws the
    # pages (a big site's; here any size). What comes back, files, parts and counts, is what
    # this process would have made; if that process dies, this one makes them itself.
    from dateline.build import beside

    root = gensite.generate(tmp_path / "site", 40)
    age(root)
    out = tmp_path / "out"
    cached_build(root, out)
    monkeypatch.setattr(beside, "ASIDE_EVENTS", 1)
    monkeypatch.setattr(beside, "jobs_for", lambda pages, jobs=None: 2)
    started, answers = [], []
    real, answer = beside.Aside.__init__, beside.Aside.result

    def start(self, run):
        started.append(run)
        real(self, (lambda: os._exit(3)) if dies else run)
    monkeypatch.setattr(beside.Aside, "__init__", start)
    monkeypatch.setattr(beside.Aside, "result", lambda self: answers.append(answer(self)) or answers[-1])
    entry = sorted((root / "content" / "events").glob("*.md"))[20]
    edit(entry, "\n\n", "\n\nOne more *sentence*.\n\n")
    age(entry)
    planned = []
    real_plan = render.plan
    monkeypatch.setattr(render, "plan", lambda timeline, around=None: planned.append(len(started))
                        or real_plan(timeline, around))
    counts = cached_build(root, out)
    assert len(started) == 1 and len(answers) == 1
    assert planned == [1]  # that process began before the pages were planned: it needs none of them
    assert (answers[0] is None) == dies  # the files came from that process, unless it died
    if not dies:  # each export written there, beside the output, and moved in: none crossed the pipe
        assert {type(answers[0][0][f.path]) for f in formats.FORMATS} == {disk.Spilled}
    assert tree(out) == clean_tree(root)
    assert not list(tmp_path.glob(".out.exports-*"))  # nothing of them left beside
    by_event = sum(f.by_event for f in formats.FORMATS)
    assert (counts["export parts made"], counts["export parts reused"]) == (by_event, by_event * 39)
    assert counts["files kept"] > 40 and counts["files rendered"] < 20

    # The next build finds the parts where the process beside put them: only the edited entry's made.
    # It also removes the exports a killed build left beside the output.
    (tmp_path / ".out.exports-killed").mkdir()
    (tmp_path / ".out.exports-killed" / "events.json").write_text("[]")
    edit(entry, "One more", "Yet one more")
    age(entry)
    counts = cached_build(root, out)
    assert tree(out) == clean_tree(root)
    assert (counts["export parts made"], counts["export parts reused"]) == (by_event, by_event * 39)
    assert not list(tmp_path.glob(".out.exports-*"))

    if not dies:
        # A rebuild that finds the exports unchanged leaves nothing beside either; nor does one
        # interrupted while it waits for them; and when the system refuses a rename of the journal
        # half-way, the new tree written instead still finds each export written beside.
        cached_build(root, out)
        assert not list(tmp_path.glob(".out.exports-*"))
        waited = beside.Aside.result
        monkeypatch.setattr(beside.Aside, "result", lambda self: waited(self) and (_ for _ in ()).throw(KeyboardInterrupt))
        edit(entry, "Yet one more", "Interrupted one more")
        age(entry)
        with pytest.raises(KeyboardInterrupt):
            cached_build(root, out)
        assert not list(tmp_path.glob(".out.exports-*"))
        monkeypatch.setattr(beside.Aside, "result", waited)
        replace = os.replace
        refused = lambda source, dest: (_ for _ in ()).throw(PermissionError(13, "refused", dest)) if str(dest).endswith(
            "events.ics") else replace(source, dest)
        monkeypatch.setattr(write.journal, "os", type("Refusing", (), {"replace": staticmethod(refused),
                                                                       "__getattr__": lambda self, n: getattr(os, n)})())
        edit(entry, "Interrupted one more", "Yet one more, refused")
        age(entry)
        cached_build(root, out)
        monkeypatch.setattr(write.journal, "os", os)
        assert tree(out) == clean_tree(root) and not list(tmp_path.glob(".out.exports-*"))

        # A build whose link check fails after the exports were written beside keeps none of them.
        before = tree(out)
        page = root / "content" / "events" / entry.name
        edit(page, "\n\n", "\n\n[a link to nowhere](/gen/nowhere/)\n\n")
        age(page)
        with pytest.raises(errors.BuildError, match="nowhere"):
            cached_build(root, out)
        assert tree(out) == before and not list(tmp_path.glob(".out.exports-*"))
        edit(page, "[a link to nowhere](/gen/nowhere/)", "")
        age(page)

    # A rebuild that writes every file into a new tree as it is made (a template edited) stops
    # that process and makes the exports here, each written as soon as made; the preview never
    # starts one (its rebuild runs beside the server's threads); nor does a build that cannot fork.
    started.clear()
    answers.clear()
    monkeypatch.setattr(site, "STREAM", 10)
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text((REPO / "dateline" / "theme" / "templates" / "base.html")
                                                  .read_text(encoding="utf-8").replace("</footer>", "<!-- x --></footer>", 1),
                                                  encoding="utf-8")
    store = cache.Store(root / cache.FOLDER)
    memo = cache.open_memo(store)
    result = site.build(root, out, memo=memo)
    assert len(started) == 1 and answers == []  # started, then stopped: never asked
    assert all(isinstance(result.files[f.path], links.Written) for f in formats.FORMATS)
    assert tree(out) == clean_tree(root)
    site.build(root, root / cache.FOLDER / "preview", memo=memo, in_place=True)
    started.clear()
    edit(entry, "Yet one more", "Still one more")
    site.build(root, root / cache.FOLDER / "preview", memo=memo, in_place=True)  # a rebuild of the preview's
    assert started == []
    monkeypatch.setattr(beside.Aside, "__init__", lambda self, run: (_ for _ in ()).throw(OSError("no fork")))
    edit(entry, "Still one more", "And one more")
    age(entry)
    cached_build(root, out)
    assert tree(out) == clean_tree(root)


def test_a_second_site_built_in_the_same_process_gets_every_body_in_its_own_cache(fixture_site, tmp_path):
    # The Markdown memo is the process's (the preview's server builds again and again): a site
    # whose bodies were converted for another site's build must still find them all in its own
    # cache afterwards, not only those this process had not met yet.
    cached_build(fixture_site, tmp_path / "out-a")
    other = copy_fixture_site(tmp_path / "other")
    cached_build(other, tmp_path / "out-b")
    store = cache.Store(other / cache.FOLDER)
    kept = sum(len(store.read(f"markdown-{i:x}") or {}) for i in range(cache.MARKDOWN_SHARDS))
    assert kept >= len(list((other / "content" / "events").glob("*.md")))


def test_the_sitemap_is_kept_while_the_pages_are_the_same(tmp_path):
    # It lists the pages' addresses alone: an edited entry leaves it as it was, a new entry adds a line
    root = copy_fixture_site(tmp_path / "site")
    age(root)
    out, base = tmp_path / "out", "https://example.org/tl/"
    cached_build(root, out, base_url=base)
    before = (out / "sitemap.xml").stat()
    entry = next((root / "content" / "events").glob("*.md"))
    edit(entry, "\n---\n", "\n---\nA sentence the sitemap does not show.\n")
    age(entry)
    cached_build(root, out, base_url=base)
    assert (out / "sitemap.xml").stat().st_ino == before.st_ino
    (root / "content" / "events" / "2030-01-01-new.md").write_text(
        "---\ntitle: New\ndate: 2030-01-01\n---\nNew.\n", encoding="utf-8")
    age(root)
    cached_build(root, out, base_url=base)
    assert b"2030-01-01-new" in (out / "sitemap.xml").read_bytes()


def test_a_kept_export_edited_while_the_build_ran_is_made_again_by_the_next_one(tmp_path, monkeypatch):
    # A kept export is recorded by the stat it was compared by: edited after the comparison, it is
    # not taken for the last build's file by the next build, whose parts would patch it
    from dateline.build import incremental

    root = gensite.generate(tmp_path / "site", 40)
    age(root)
    out = tmp_path / "out"
    cached_build(root, out)
    (out / "index.html").unlink()  # a real build, whose exports are the last ones, kept
    real = incremental.Keep.record

    def record(self, files, copies):
        assert files["events.json"] is None  # kept
        data = (out / "events.json").read_bytes()
        (out / "events.json").write_bytes(data.replace(b"Generated", b"Edited-by"))  # same size, by hand
        return real(self, files, copies)
    monkeypatch.setattr(incremental.Keep, "record", record)
    cached_build(root, out)
    monkeypatch.setattr(incremental.Keep, "record", real)
    entry = sorted((root / "content" / "events").glob("*.md"))[20]
    edit(entry, "\n\n", "\n\nOne more sentence.\n\n")
    age(entry)
    cached_build(root, out)
    assert tree(out) == clean_tree(root)


def test_the_markdown_memo_keeps_each_text_s_html_compressed_and_writes_it_so(tmp_path):
    # 200,000 texts' HTML at 100,000 events: 210 MB as strings, 75 MB compressed, in the build's
    # process and every process forked from it; as strings, pickle also made each one holding a
    # no-break space keep a UTF-8 copy of itself once the memo was written.
    import zlib
    from dateline.render.markdown import Converter
    converter = Converter()
    text, cites = "Ten\u00a0km north of the border [@a], " * 20, (("a|", 1, "note-1", ""),)
    html, anchors = converter.render(text, cites)
    assert "\u00a0" in html and anchors["note-1"]
    (packed, _), = converter.memo.values()
    assert isinstance(packed, bytes) and len(packed) < len(html.encode()) / 2
    assert zlib.decompress(packed).decode() == html
    store = cache.Store(tmp_path / cache.FOLDER)
    (_, part), = converter.shards([0], 1)
    store.write("markdown-0", part)
    again = Converter()
    again.add(store.read("markdown-0"))
    assert again.memo == converter.memo
    assert again.render(text, cites) == (html, anchors)


def test_the_markdown_memo_is_cut_into_its_files_in_one_pass():
    from dateline.render.markdown import Converter
    converter = Converter()
    converter.memo = {bytes([i, j]) * 8: (bytes([i]), ()) for i in range(256) for j in range(3)}
    parts = dict(converter.shards([5, 0, 63], 64))
    assert list(parts) == [5, 0, 63]
    for i, part in parts.items():
        assert part == {k: v for k, v in converter.memo.items() if k[0] % 64 == i} and len(part) == 12


def test_the_markdown_memo_is_stored_without_compressing_it_again(tmp_path, monkeypatch):
    # Its HTML is compressed already: compressing it again (zlib, then) took 1.8 s of the end of a
    # clean build of 100,000 events to win 9 MB; stored as it is, 0.4 s.
    from dateline.build import packing
    plain = cache.Store(tmp_path / "plain")
    plain.write("stored", "x" * 100_000, level=0)
    plain.write("packed", "x" * 100_000)
    assert plain.read("stored") == plain.read("packed") == "x" * 100_000
    assert (plain.folder / "stored.cache").stat().st_size > 100_000 > 10 * (plain.folder / "packed.cache").stat().st_size
    root = copy_fixture_site(tmp_path / "site")
    store = cache.Store(root / cache.FOLDER)
    memo = cache.open_memo(store)
    site.build(root, tmp_path / "out", memo=memo)
    written = []
    monkeypatch.setattr(cache.Store, "write", lambda self, name, obj, level=packing.LEVEL: written.append((name, level)))
    cache.save_memo(store, memo)
    assert any(name.startswith("markdown-") for name, _ in written)
    assert all(level == 0 for name, level in written if name.startswith("markdown-"))
    assert all(level == packing.LEVEL for name, level in written if not name.startswith("markdown-"))
