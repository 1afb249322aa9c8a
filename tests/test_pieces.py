"""build/pieces.py: an object written as a run of pickles, each part with a memo of its own."""

from __future__ import annotations

import io
import pickle
from dataclasses import dataclass

import pytest

from dateline.build import cache, lazy, pieces, snapshot

from conftest import copy_fixture_site
from test_incremental import age
from test_snapshot import build


@dataclass(frozen=True)
class Item:
    name: str
    ref: object = None


def _joined(shared, parts):
    return {"shared": shared, "parts": parts}


def _read(data: bytes):
    stream = io.BytesIO(data)
    head = pickle.load(stream)
    assert isinstance(head, pieces.Head)
    found = head.rest(stream)
    assert stream.read() == b""  # the run ends where its last part does
    return found


def test_a_run_reads_back_joined_each_shared_object_the_same_object_in_every_part():
    shared = (Item("a"), Item("b"))
    stranger = Item("stranger")  # of the shared kind, but not shared: written in full where met
    parts = [[Item("x", shared[1]), Item("y", shared[0])], (Item("z", shared[1]), Item("w", stranger)), "tail"]
    out = io.BytesIO()
    pieces.dump(pieces.Pieces(_joined, shared, parts, Item), out)
    found = _read(out.getvalue())
    assert found["parts"] == parts
    assert found["shared"] == shared
    a, b = found["shared"]
    assert found["parts"][0][0].ref is b and found["parts"][0][1].ref is a and found["parts"][1][0].ref is b
    assert found["parts"][1][1].ref == stranger


def test_each_part_is_pickled_with_a_memo_of_its_own(monkeypatch):
    sizes = []

    class Counting(pickle.Pickler):
        def dump(self, obj):
            super().dump(obj)
            sizes.append(len(self.memo.copy()))
    monkeypatch.setattr(pieces.pickle, "Pickler", Counting)
    parts = [[f"text {p} {i}" for i in range(1000)] for p in range(5)]
    out = io.BytesIO()
    pieces.dump(pieces.Pieces(_joined, (), parts, Item), out)
    assert len(sizes) == 5 and max(sizes) <= 1001  # one part's strings and its list, never all 5,000
    assert _read(out.getvalue())["parts"] == parts


def test_the_store_writes_and_reads_a_run(tmp_path):
    store = cache.Store(tmp_path / "cache")
    shared = (Item("a"),)
    store.write("run", pieces.Pieces(_joined, shared, [[Item("p", shared[0])]] * 3, Item))
    found = store.read("run")
    assert found["parts"] == [[Item("p", Item("a"))]] * 3
    assert all(part[0].ref is found["shared"][0] for part in found["parts"])


def test_a_run_cut_short_is_not_read():
    out = io.BytesIO()
    pieces.dump(pieces.Pieces(_joined, (), [["a"], ["b"]], Item), out)
    cut = io.BytesIO(out.getvalue()[:-3])
    with pytest.raises((EOFError, pickle.UnpicklingError)):
        pickle.load(cut).rest(cut)


def test_the_last_timeline_is_written_a_few_events_at_a_time_sharing_the_timelines_sources(tmp_path, monkeypatch):
    monkeypatch.setattr(lazy, "CHUNK", 4)
    monkeypatch.setattr(lazy, "GROUP", 2)
    written = []
    real = pieces.dump

    def dump(run, out):  # each part as it is written
        run.parts = list(run.parts)
        written.append(run.parts)
        real(run, out)
    monkeypatch.setattr(pieces, "dump", dump)
    root = copy_fixture_site(tmp_path / "site")
    age(root)
    result, _ = build(root, tmp_path / "out")
    chunks = [part for part in written[-1] if isinstance(part, tuple) and len(part) == 2 and isinstance(part[0], list)]
    events = len(result.timeline.events)
    assert [len(ends) // 8 for _, ends in chunks] == [4] * (events // 4) + [events % 4] * bool(events % 4)  # each event's end
    assert [len(groups) for groups, _ in chunks] == [2] * (events // 4) + [(events % 4 + 1) // 2] * bool(events % 4)
    snap = cache.Store(root / cache.FOLDER).read(snapshot.NAME)
    assert isinstance(snap, snapshot.Snapshot) and len(result.timeline.events) > 4
    assert snap.timeline == result.timeline and snap.problems == result.problems
    assert len(snap.digests) == len(result.timeline.events) and all(snap.digests)
    sources = {id(s) for s in snap.timeline.sources}
    cited = [note.source for event in snap.timeline.events for note in event.notes]
    assert cited and all(id(s) in sources for s in cited)  # the timeline's own sources, not copies
    assert all(snap.timeline.by_slug[e.slug] is e for e in snap.timeline.events)
