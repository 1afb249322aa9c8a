"""The last timeline's events are unpickled where a rebuild uses them (build/lazy.py), and give
what the events themselves would: their columns, the same object each time, the same site."""

from __future__ import annotations

import pickle
from array import array
from dataclasses import replace

import pytest

from dateline.build import cache, lazy, lazynotes, lazypack, snapshot
from dateline.core.errors import Problem
from dateline.core.model import Timeline
from dateline.render import pages as render

from conftest import copy_fixture_site
from test_incremental import age, clean_tree, gensite, tree
from test_snapshot import assert_as_checked, build


def kept(root) -> snapshot.Snapshot:
    snap = cache.Store(root / cache.FOLDER).read(snapshot.NAME)
    assert isinstance(snap, snapshot.Snapshot)
    return snap


def generated(tmp_path, events: int):
    """Return a generated site of `events` and its output, built twice: the second build starts
    from the last timeline, and trusts the stored texts from then on (snapshot.keep)."""
    root, out = gensite.generate(tmp_path / "site", events), tmp_path / "out"
    for _ in range(2):
        age(root)
        build(root, out)
    return root, out


def append(entry, words: str) -> None:
    """Add words at the end of an entry's body (what lists show of its event stays), as the benchmark does."""
    entry.write_text(entry.read_text(encoding="utf-8").rstrip("\n") + f" {words}\n", encoding="utf-8")
    age(entry)


def read_count(events: lazy.Events) -> int:
    return sum(e is not None for e in events._kept.loaded)


def test_the_last_timelines_events_are_read_one_by_one_and_each_once(tmp_path):
    root = copy_fixture_site(tmp_path / "site")
    age(root)
    result, _ = build(root, tmp_path / "out")
    built = result.timeline.events
    events = kept(root).timeline.events
    assert isinstance(events, lazy.Events) and len(events) == len(built) > 4
    assert read_count(events) == 0
    # what a rebuild reads of every event, without reading any
    assert events.slugs == [e.slug for e in built] and events.paths == [e.path for e in built]
    assert events.years == [e.date.year for e in built]
    assert events.shown_images() == [i for i, e in enumerate(built) if e.all_media]
    assert read_count(events) == 0
    third = events[2]
    assert third == built[2] and read_count(events) == 1
    assert events[2] is third and events[-len(events) + 2] is third  # once: the same object every time
    view = events[1:4]
    picked = events.picked([built[4].slug, built[0].slug])
    assert isinstance(view, lazy.Events) and read_count(events) == 1  # views read nothing
    assert list(view) == list(built[1:4]) and view[1] is third
    assert list(picked) == [built[4], built[0]] and picked.slugs == [built[4].slug, built[0].slug]
    assert list(events) == list(built) and events == built


def test_replaced_events_are_held_as_they_are_and_written_again_with_the_others_as_they_were_read(tmp_path):
    root = copy_fixture_site(tmp_path / "site")
    age(root)
    result, _ = build(root, tmp_path / "out")
    snap = kept(root)
    events, built = snap.timeline.events, result.timeline.events
    retitled = replace(events[1], title="Another title")  # as revise makes it: with the snapshot's sources
    timeline = snap.timeline.revised({1: retitled}, snap.timeline.verified_quotes)
    now = timeline.events
    assert isinstance(now, lazy.Events) and now[1] is retitled and events[1] == built[1]
    assert timeline.event(retitled.slug) is retitled and timeline.by_slug[built[0].slug] is now[0]
    assert now.digest(1) is None and now.digest(0) == snap.digests[0]  # the snapshot's hashes, not a stale one
    # written again: the others' pickles as they were read, none unpickled for it
    loaded = read_count(now)
    chunks = list(lazypack.chunks(now, timeline.sources))
    assert read_count(now) == loaded
    again = lazy.Events.read(lazypack.columns(now, timeline.sources), chunks, timeline.sources, snap.digests)
    assert list(again) == [retitled if i == 1 else e for i, e in enumerate(built)]
    assert again.years == array("q", [e.date.year for e in built]).tolist()
    cited = [n.source for e in again for n in e.notes]
    assert cited and all(any(s is t for t in timeline.sources) for s in cited)  # the timeline's sources, not copies
    assert isinstance(Timeline.assemble(timeline.config, again, timeline.sources, timeline.citing, timeline.taxonomies)
                      .by_slug, lazy.Slugs)
    # other sources (never so, as the snapshot is read: the pickles name the sources by place), or a view: pickled anew
    list(lazypack.chunks(now, tuple(list(timeline.sources))))
    assert read_count(now) == len(now)
    with pytest.raises(AssertionError):
        now[1:3].replaced({})


def test_a_whole_timeline_written_again_from_a_lazy_one_is_read_back_as_a_full_check_finds_it(tmp_path, monkeypatch):
    """After LIMIT events patched, a rebuild writes the whole timeline again from the one it read
    lazily: the groups of pickles it did not replace as they were read, its own events pickled."""
    monkeypatch.setattr(snapshot, "LIMIT", 2)
    monkeypatch.setattr(lazy, "CHUNK", 8)
    monkeypatch.setattr(lazy, "GROUP", 4)
    root, out = generated(tmp_path, 40)
    entries = sorted((root / "content" / "events").glob("*.md"))
    tokens = set()
    for n, entry in enumerate(entries[3:30:4]):
        append(entry, f"Word {n}.")
        result, memo = build(root, out)
        assert memo.content_pending  # from the last timeline, patched or written whole
        assert_as_checked(root, result)
        assert tree(out) == clean_tree(root)
        tokens.add(kept(root).token)
    assert len(tokens) >= 2  # written whole again at least once (a patch keeps the token)


def test_a_one_entry_rebuild_reads_few_of_the_last_timelines_events(tmp_path, monkeypatch):
    """As a long timeline is built (a page a year: pages.INDEX_SPLIT), an edit to the end of a body
    (what lists show of the event stays) reads the event, its neighbours, the firsts of its year
    found by bisection and the feed's, never the whole timeline: not the pages, the exports nor the checks."""
    monkeypatch.setattr(render, "INDEX_SPLIT", 50)
    root, out = generated(tmp_path, 400)
    read = []
    load = lazy._Kept.load
    monkeypatch.setattr(lazy._Kept, "load", lambda self, i: (read.append(i) if self.loaded[i] is None else None)
                        or load(self, i))
    entry = sorted((root / "content" / "events").glob("*.md"))[200]
    append(entry, "One more word.")
    result, memo = build(root, out)
    assert memo.content_pending and memo.counts["files rendered"] < 20  # from the last timeline, a few pages drawn
    assert 0 < len(read) <= 30, len(read)  # not 400
    assert tree(out) == clean_tree(root)


def test_the_last_builds_notes_are_read_only_where_asked_for(monkeypatch):
    monkeypatch.setattr(lazynotes, "GROUP", 2)
    problems = [Problem(f"content/events/{i % 3}.md", i, 0, f"problem {i}", "", "info" if i % 4 else "warning", "")
                for i in range(11)]
    notes = pickle.loads(pickle.dumps(lazynotes.kept(problems)))
    assert len(notes) == 11 and notes._all is None
    assert lazynotes.of(notes, "warning") == [p for p in problems if p.severity == "warning"]
    assert lazynotes.of(notes, "error") == [] and notes._all is None  # no note read for either
    for path in ("content/events/0.md", "content/events/2.md", "elsewhere.md"):
        assert lazynotes.at(notes, path) == [p for p in problems if p.path == path]
    assert notes._all is None
    more = notes + [Problem("templates/x.html", 1, 0, "late", "", "warning", "")]
    assert lazynotes.of(more, "warning")[-1].path == "templates/x.html" and more._all is None
    assert list(more) == problems + [Problem("templates/x.html", 1, 0, "late", "", "warning", "")]
    assert lazynotes.of(more, "info") == [p for p in problems if p.severity == "info"]
    assert notes == problems and pickle.loads(pickle.dumps(more)) == more


def test_a_rebuild_from_the_last_timeline_has_its_problems_without_reading_its_notes(tmp_path):
    root = copy_fixture_site(tmp_path / "site")
    age(root)
    first, _ = build(root, tmp_path / "out")
    assert any(p.severity == "info" for p in first.problems)
    age(root)
    build(root, tmp_path / "out")
    append(sorted((root / "content" / "events").glob("*.md"))[1], "One more word.")
    result, memo = build(root, tmp_path / "out")
    assert memo.content_pending and isinstance(result.problems, lazynotes.Notes)
    assert result.warnings == first.warnings and result.problems._all is None
    assert result.problems == first.problems
