"""build/parts.py: the exports' parts put in place of their marks, and where each then sits."""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import replace

import pytest

from dateline import pipeline as site
from dateline.build.hashing import digest
from dateline.build.parts import MARK, Parts
from dateline.render import formats
from dateline.render.exports import Each, each


@pytest.fixture
def timeline(fixture_site):
    return site.check(fixture_site).timeline


def parts_of(timeline, old=None, readable=lambda path: None) -> Parts:
    return Parts(timeline, b"base", lambda event: digest(event.slug), old, readable, Counter())


def test_the_parts_take_the_marks_places_and_their_offsets_give_them_back(timeline):
    parts = parts_of(timeline)
    events = timeline.events[:3]
    marks = parts("x.csv", lambda e: f"{e.slug},é\n", events)
    assert marks == [MARK] * 3
    data = parts.finish("x.csv", ("head\n" + "".join(marks) + "tail\n").encode())
    assert data == ("head\n" + "".join(f"{e.slug},é\n" for e in events) + "tail\n").encode()
    keys, offsets, *_ = parts.record()[1]["x.csv"]
    spans = array("q")
    spans.frombytes(offsets)
    assert [data[spans[i]:spans[i + 1]] for i in range(0, len(spans), 2)] == [f"{e.slug},é\n".encode() for e in events]
    assert keys == b"".join(parts.key(e) for e in events)


def test_a_part_is_taken_from_the_last_file_when_its_key_is_unchanged(timeline):
    first = parts_of(timeline)
    events = timeline.events[:3]
    data = first.finish("x.csv", "".join(first("x.csv", lambda e: e.slug + "\n", events)).encode())
    again = parts_of(timeline, first.record() + ({},), readable=lambda path: data)
    made = []
    marks = again("x.csv", lambda e: made.append(e) or "new\n", events)
    assert again.finish("x.csv", "".join(marks).encode()) == data and made == []
    assert again.counts["export parts reused"] == 3


def test_runs_of_parts_taken_from_the_last_file_go_out_whole_and_each_part_is_found_again(timeline):
    # Unchanged parts in the last file's order, with the same bytes between them, go out as one
    # slice of that file; where each part sits is noted all the same, for the build after.
    events = list(timeline.events[:8])
    version = dict.fromkeys(events, 0)
    text = lambda e: f"{e.slug} v{version[e]}\n"
    key = lambda e: digest(f"{e.slug} v{version[e]}")
    write = lambda parts, order: parts.finish(
        "x.csv", ("head\n" + ",".join(parts("x.csv", text, order)) + "tail\n").encode(), whole=False)
    last = Parts(timeline, b"base", key, None, lambda path: None, Counter())
    data = b"".join(write(last, events))
    e = events
    builds = [  # (events edited, the order, the runs of the last file's parts that go out)
        ({e[3]}, e, 2), (set(), [e[0], e[1], e[4], e[3], e[5], e[6], e[7], e[2]], 5), ({e[0]}, e[:5] + e[6:], 5)]
    for edited, order, runs in builds:
        for event in edited:
            version[event] += 1
        parts = Parts(timeline, b"base", key, last.record() + ({},), lambda path, data=data: data, Counter())
        before = data
        pieces = list(write(parts, order))
        data = b"".join(pieces)
        assert data == ("head\n" + ",".join(text(e) for e in order) + "tail\n").encode()
        assert parts.counts["export parts made"] == len(edited & set(order))
        assert sum(isinstance(p, memoryview) and p.obj is before for p in pieces) == runs  # slices of the last file
        _, offsets, *_ = parts.record()[1]["x.csv"]
        spans = array("q")
        spans.frombytes(offsets)
        assert [data[spans[i]:spans[i + 1]] for i in range(0, len(spans), 2)] == [text(e).encode() for e in order]
        last = parts


@pytest.mark.parametrize("write", [lambda marks: marks[:-1], lambda marks: marks + [MARK]],
                         ids=["a part left out", "a mark written twice"])
def test_marks_that_do_not_come_back_one_a_part_give_no_file(timeline, write):
    parts = parts_of(timeline)
    marks = parts("x.csv", lambda e: e.slug + "\n", timeline.events[:3])
    assert parts.finish("x.csv", "".join(write(marks)).encode()) is None
    assert parts.record()[1] == {}  # nothing for the next build to take from that file


def test_an_export_whose_parts_cannot_be_put_in_place_is_made_whole(timeline):
    class Unfinished(Each):
        def finish(self, name, data, whole=True):
            return None

    assert formats.render_exports(timeline, parts=Unfinished()) == formats.render_exports(timeline, parts=each)


def test_a_maker_that_asks_for_no_parts_keeps_its_file(timeline):
    parts = parts_of(timeline)
    assert parts.finish("x.csv", b"head only\n") == b"head only\n"
    assert parts.record()[1] == {}


def test_each_export_is_handed_over_as_soon_as_it_is_made(timeline, monkeypatch):
    # A build writing its new tree takes each export when made: the next is made after, so
    # no two are held at once, and what it answers (the file as written) is what is kept.
    whole = formats.render_exports(timeline)
    order, made = [], []
    monkeypatch.setattr(formats, "FORMATS", tuple(
        replace(f, make=lambda *a, _m=f.make, _p=f.path: made.append(_p) or _m(*a)) for f in formats.FORMATS))
    out = formats.render_exports(timeline, put=lambda path, data: order.append((path, list(made))) or len(data))
    assert [path for path, _ in order] == [f.path for f in formats.FORMATS]
    assert all(before[-1] == path for path, before in order)  # handed over before the next is made
    assert all(out[f.path] == len(whole[f.path]) for f in formats.FORMATS)


def test_a_file_handed_over_in_pieces_makes_each_part_only_as_it_is_written(timeline):
    # A build writing its new tree takes each export as pieces: the parts are made one by one
    # as the writer reaches them, never all held, nor the whole file (events.json is 390 MB at
    # 100,000 events); the file and where each part sits are the ones made whole.
    whole = parts_of(timeline)
    expected = formats.render_exports(timeline, parts=whole)
    made, taken, whole_files = Counter(), {}, []

    class Counted(Parts):
        def __call__(self, path, make, events):
            return super().__call__(path, lambda e: made.update([path]) or make(e), events)
    parts = Counted(timeline, b"base", lambda event: digest(event.slug), None, lambda path: None, Counter())

    def put(path, data):
        if isinstance(data, bytes):
            whole_files.append(path)
        else:  # the pieces: none made before the writer asks
            assert made[path] == 0
            data = b"".join(bytes(piece) for piece in data)
            assert made[path] == len(timeline.events)
        taken[path] = data
        return len(data)

    out = formats.render_exports(timeline, parts=parts, put=put)
    by_event = [f.path for f in formats.FORMATS if f.by_event]
    assert by_event and all(made[path] == len(timeline.events) for path in by_event)
    assert not set(whole_files) & set(by_event)
    assert set(taken) == {f.path for f in formats.FORMATS}  # robots.txt and the sitemap: held, they are small
    assert taken == {path: expected[path] for path in taken} and all(out[p] == len(expected[p]) for p in taken)
    assert parts.record() == whole.record()


def test_a_file_whose_maker_wrote_the_same_around_its_parts_is_the_last_one_patched(timeline):
    # The same order, the same bytes between the parts (their hash, the skeleton): the last file
    # goes out in slices around the parts made again, each found again where the record says.
    events = list(timeline.events[:8])
    version = dict.fromkeys(events, 0)
    text = lambda e: f"{e.slug} v{version[e]}" + "!" * (version[e] * 7) + "\n"
    key = lambda e: digest(f"{e.slug} v{version[e]}")
    write = lambda parts, head: parts.finish(
        "x.csv", (head + ",".join(parts("x.csv", text, events)) + "tail\n").encode(), whole=False)
    last = Parts(timeline, b"base", key, None, lambda path: None, Counter())
    data = b"".join(write(last, "head\n"))
    for edited, head, runs in (([events[1], events[6]], "head\n", 3), ([events[6]], "head\n", 2),
                               ([events[0], events[7]], "head\n", 3), ([events[3]], "other\n", 2)):
        for event in edited:
            version[event] += 1
        parts = Parts(timeline, b"base", key, last.record() + ({},), lambda path, data=data: data, Counter())
        before = data
        pieces = list(write(parts, head))
        data = b"".join(pieces)
        assert data == (head + ",".join(text(e) for e in events) + "tail\n").encode()
        assert parts.counts["export parts made"] == len(edited)
        of_last = [isinstance(p, memoryview) and p.obj is before for p in pieces]  # slices of the last file
        assert sum(of_last) == runs  # the last: another head, part by part
        assert of_last[0] == (head == "head\n")  # patched: the head is the last file's
        _, offsets, *_ = parts.record()[1]["x.csv"]
        spans = array("q")
        spans.frombytes(offsets)
        assert [data[spans[i]:spans[i + 1]] for i in range(0, len(spans), 2)] == [text(e).encode() for e in events]
        last = parts


def test_beside_a_patched_file_comes_with_the_last_ones_stretches_as_spans_the_system_copies(timeline, tmp_path,
                                                                                              monkeypatch):
    # In the process beside the build, a patched export is never read whole: its unchanged
    # stretches are Spans of the last file, opened once, which the writer copies file to file
    # (copy_file_range; read a piece at a time where there is none, or where it copies nothing);
    # a last file changed since it was looked at is an error there, never a file half of each.
    from dateline.build import disk
    from dateline.build.cache import stat_key
    events = list(timeline.events[:8])
    version = dict.fromkeys(events, 0)
    text = lambda e: f"{e.slug} v{version[e]}" + "!" * (version[e] * 7) + "\n"
    key = lambda e: digest(f"{e.slug} v{version[e]}")
    write = lambda parts: parts.finish("x.csv", ("head\n" + ",".join(parts("x.csv", text, events)) + "tail\n").encode(),
                                       whole=False)
    last = Parts(timeline, b"base", key, None, lambda path: None, Counter())
    old = tmp_path / "old.csv"
    disk.write_bytes(old, write(last))
    version[events[5]] += 1
    expected = ("head\n" + ",".join(text(e) for e in events) + "tail\n").encode()
    read = []
    opened = lambda path: disk.Opened(str(old), stat_key(old))
    again = lambda: Parts(timeline, b"base", key, last.record() + ({},), lambda path: read.append(path), Counter(), opened)
    real = getattr(disk.os, "copy_file_range", None)
    for copy in (real, lambda *args: 0, None):  # the system's; one that copies nothing; none at all
        monkeypatch.setattr(disk.os, "copy_file_range", copy, raising=False)
        if copy is None:
            monkeypatch.delattr(disk.os, "copy_file_range")
        pieces = list(write(again()))
        assert [type(p).__name__ for p in pieces] == ["Span", "bytes", "Span"] and read == []
        disk.write_bytes(tmp_path / "new.csv", iter(pieces))
        assert (tmp_path / "new.csv").read_bytes() == expected and disk.joined(pieces) == expected
    if real is not None:
        monkeypatch.setattr(disk.os, "copy_file_range", real, raising=False)
    pieces = list(write(again()))
    before = old.read_bytes()
    old.write_bytes(before[:-3])  # the last file cut short since it was looked at
    with pytest.raises(OSError):
        disk.write_bytes(tmp_path / "new.csv", iter(pieces))
    with pytest.raises(OSError):
        disk.joined(pieces)
    old.write_bytes(before)
    pieces = list(write(again()))
    old.write_bytes(before.replace(b"head", b"HEAD"))  # changed in place, the same length
    with pytest.raises(OSError):
        disk.write_bytes(tmp_path / "new.csv", iter(pieces))
    with pytest.raises(OSError):
        disk.joined(pieces)
    parts = Parts(timeline, b"base", key, last.record() + ({},), lambda path: None, Counter(), lambda path: None)
    assert all(not isinstance(p, disk.Span) for p in write(parts))  # not the last file: made part by part


@pytest.mark.parametrize("change, made", [("body", False), ("title", True), ("source", True)])
def test_what_an_export_writes_around_its_parts_is_made_again_only_when_what_it_reads_changed(
        tmp_path, monkeypatch, change, made):
    # events.json's sources and terms (37 MB at 100,000 events): the last build's when the config,
    # sources, terms and what lists show of each event are (Parts.around); a body edit leaves them so.
    from dateline.render import exports
    from test_incremental import age, cached_build, clean_tree, gensite, tree

    root, out = gensite.generate(tmp_path / "site", 40), tmp_path / "out"
    age(root)
    cached_build(root, out)
    calls, real = [], exports._source_data
    monkeypatch.setattr(exports, "_source_data", lambda *args: calls.append(1) or real(*args))
    entry = sorted((root / "content" / "events").glob("*.md"))[-1]
    text = entry.read_text(encoding="utf-8")
    if change == "body":
        entry.write_text(text.rstrip("\n") + " One more sentence.\n", encoding="utf-8")
    elif change == "title":
        entry.write_text(text.replace('title: "', 'title: "Retitled: ', 1), encoding="utf-8")
    else:
        source = sorted((root / "content" / "sources").glob("*.yaml"))[0]
        source.write_text(source.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")
        age(source)
    age(entry)
    cached_build(root, out)
    assert bool(calls) == made
    assert tree(out) == clean_tree(root)
