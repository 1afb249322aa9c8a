"""A big build writes the content's memo as soon as the content is checked, and lets go of the
parsed entries (build/early.py): the memo it writes is the one the build would have written at
its end, and the next build reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline import pipeline as site
from dateline.build import cache, early, snapshot, store as stored
from dateline.build.pagekeys import EventDigests

from conftest import copy_fixture_site
from test_incremental import age, clean_tree, edit, tree
from test_snapshot import assert_as_checked, build, snapped


def shards(root: Path) -> dict:
    found = {}
    for i in range(cache.SHARDS):
        found[i] = cache.Store(root / cache.FOLDER).read(f"content-{i:x}") or ({}, {})
    return found


@pytest.fixture
def forking(monkeypatch):
    """A store that writes beside, as `build.py build`'s, and a memo big enough to be let go."""
    monkeypatch.setattr(stored.threading, "active_count", lambda: 1)
    monkeypatch.setattr(stored.Store, "beside", True)
    monkeypatch.setattr(cache, "BESIDE", 1)
    let_go = []
    real = early.let_go
    monkeypatch.setattr(early, "let_go", lambda memo, timeline, *whole: let_go.append(real(memo, timeline, *whole)) or let_go[-1])
    return let_go


def test_the_memo_let_go_early_is_the_one_written_at_the_end(tmp_path, forking, monkeypatch):
    roots = [copy_fixture_site(tmp_path / name) for name in ("early", "late")]
    age(*roots)
    result, memo = build(roots[0], tmp_path / "out-early")
    assert forking == [True] and memo.files == {} and memo.events == {}  # nothing held after the check
    monkeypatch.setattr(stored.Store, "beside", False)  # the preview's store: kept, written at the end
    build(roots[1], tmp_path / "out-late")
    assert forking == [True, False]
    hashes, hashed = EventDigests(), 0
    for (i, (files, events)), (_, (files2, events2)) in zip(shards(roots[0]).items(), shards(roots[1]).items()):
        assert list(files) == list(files2) and [f[1:] for f in files.values()] == [f[1:] for f in files2.values()]
        assert list(events) == list(events2) and [e[:1] + e[2:] for e in events.values()] == [
            e[:1] + e[2:] for e in events2.values()]  # the config aside: it names the site's folder
        for where, hit in events.items():  # its entry the very object of its file's, its hash the event's
            assert any(entry is hit[0] for entry in files[where[0]][1]) and hit[5:] in ((), (hashes.both(hit[3]),))
            hashed += len(hit) > 5
    assert hashed == len(result.timeline.events)  # a draft left out is not hashed
    timelines = [cache.Store(root / cache.FOLDER).read(snapshot.NAME) for root in roots]  # and the last timeline
    assert [(t.options, t.timeline, t.problems, t.texts, t.digests, sorted(t.files)) for t in timelines] == [
        (t.options, t.timeline, t.problems, t.texts, t.digests, sorted(t.files)) for t in timelines[::-1]]
    assert len(timelines[0].digests) == len(result.timeline.events) and all(timelines[0].digests)


def test_the_next_build_reads_every_file_and_event_from_the_memo_let_go(tmp_path, forking, monkeypatch):
    root, out = copy_fixture_site(tmp_path / "site"), tmp_path / "out"
    age(root)
    build(root, out)
    (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    age(root / "site.yaml")
    monkeypatch.setattr(early, "let_go", lambda memo, timeline, *whole: False)
    store = cache.Store(root / cache.FOLDER)
    memo = cache.open_memo(store)
    result = site.run(root, memo=memo, render=False)  # site.yaml changed: every file from the memo
    assert memo.counts["files parsed"] == 0 and memo.counts["files reused"] == len(memo.files) > 0
    assert all(len(memo.digests.known(event)) == 32 for event in result.timeline.events)  # hashed, as saved
    assert_as_checked(root, result)


def test_a_build_that_lets_go_of_its_memo_writes_the_site_a_clean_build_writes(tmp_path, forking):
    root, out = copy_fixture_site(tmp_path / "site"), tmp_path / "out"
    age(root)
    build(root, out)
    assert forking == [True] and tree(out) == clean_tree(root)
    age(root)
    build(root, out)  # starts from the timeline kept early
    entry = root / "content" / "events" / "2021-04-10-kessby-levee-breach.md"
    edit(entry, "\n---\n", "\n---\nEdited after a timeline kept early.\n")
    age(entry)
    result, memo = build(root, out)
    assert snapped(memo) and memo.counts["files parsed"] == 1 and forking == [True, True]
    assert_as_checked(root, result)
    assert tree(out) == clean_tree(root)
