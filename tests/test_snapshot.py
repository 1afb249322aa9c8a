"""A build after an edit to a few entries starts from the last build's timeline (build/snapshot.py):
it reads those files alone, and ends with the very timeline and problems a full check finds;
anything else it cannot vouch for sends it back to reading and validating everything."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from dateline import pipeline as site
from dateline.build import cache, packing, record, snapshot, store as stored

from conftest import copy_fixture_site
from test_incremental import age, clean_tree, edit, tree


def build(root: Path, out: Path):
    """Build as `build.py build` does; return the result and the memo (did it read the content's memo?)."""
    store = cache.Store(root / cache.FOLDER)
    memo = cache.open_memo(store)
    result = site.build(root, out, memo=memo)
    cache.save_memo(store, memo)
    store.settle()  # as the command does before it ends: the files written beside are there
    return result, memo


def assert_as_checked(root: Path, result) -> None:
    """The build's timeline and problems are those of a full check of the content, in the same order."""
    full = site.run(root, render=False)
    assert result.timeline == full.timeline
    assert result.timeline.quote_counts == full.timeline.quote_counts
    assert result.timeline.quote_files == full.timeline.quote_files
    assert [str(p) for p in result.problems] == [str(p) for p in full.problems]


def snapped(memo) -> bool:
    """True when the build started from the last timeline: the content's memo was never read."""
    return memo.content_pending


@pytest.fixture
def built(tmp_path):
    root = copy_fixture_site(tmp_path / "site")
    age(root)
    out = tmp_path / "out"
    result, memo = build(root, out)
    assert not snapped(memo)
    age(root)  # the stored texts, first named by this build, are trusted from the next (snapshot.keep)
    build(root, out)
    return root, out


def age_new(root: Path) -> None:
    """Date the files written in the last 30 seconds a minute back (`age`), and those alone."""
    now = time.time()
    age(*(p for p in root.rglob("*") if p.is_file() and cache.FOLDER not in p.parts and p.stat().st_mtime > now - 30))


def events_dir(root: Path) -> Path:
    return root / "content" / "events"


def test_an_edited_body_reads_that_file_alone_and_ends_as_a_full_check(built):
    root, out = built
    entry = events_dir(root) / "2021-04-10-kessby-levee-breach.md"
    edit(entry, "\n---\n", "\n---\nA sentence added by the test.\n")
    age(entry)
    result, memo = build(root, out)
    assert snapped(memo)
    assert (memo.counts["files parsed"], memo.counts["events validated"]) == (1, 1)
    event = next(e for e in result.timeline.events if e.path.endswith(entry.name))
    assert "A sentence added by the test." in (out / "events" / event.slug / "index.html").read_text()
    assert_as_checked(root, result)
    assert tree(out) == clean_tree(root)


def test_edits_build_on_each_other_through_the_patch(built):
    root, out = built
    names = ["2021-04-10-kessby-levee-breach.md", "2021-04-11-ferry-suspended.md",
             "2021-04-09-velmar-breaks-its-banks.md", "2021-04-10-kessby-levee-breach.md"]
    for n, name in enumerate(names):
        entry = events_dir(root) / name
        entry.write_text(entry.read_text(encoding="utf-8").rstrip("\n") + f" Edit {n}.\n", encoding="utf-8")
        age(entry)
        result, memo = build(root, out)
        assert snapped(memo), name
        assert_as_checked(root, result)
        assert tree(out) == clean_tree(root)
    assert len(cache.Store(root / cache.FOLDER).read(snapshot.PATCH)[2]) >= 3  # the patch holds each event


def test_the_patch_holds_the_quote_counts_of_the_files_read_since_and_reads_back_as_a_full_check(built):
    # The whole timeline's counts of quotes (100,000 files') are in its own file; a patch holds those
    # of the files read since it was written (0.14 s of a one-entry rebuild at 100,000 events).
    root, out = built
    velmar = events_dir(root) / "2021-04-09-velmar-breaks-its-banks.md"
    edit(velmar, '    quote: "The river rose through the night and broke its banks at Nordhavn on Friday."\n', "")
    for entry, words in ((velmar, "One."), (events_dir(root) / "2021-04-11-ferry-suspended.md", "Two.")):
        entry.write_text(entry.read_text(encoding="utf-8").rstrip("\n") + f" {words}\n", encoding="utf-8")
        age(entry)
        result, memo = build(root, out)
        assert snapped(memo)
        assert_as_checked(root, result)  # the counts too: the quote dropped from velmar's
    counts = cache.Store(root / cache.FOLDER).read(snapshot.PATCH)[3]
    assert sorted(counts) == sorted(f"content/events/{e.name}" for e in (velmar, events_dir(root) / "2021-04-11-ferry-suspended.md"))
    assert len(result.timeline.quote_files) > len(counts)
    assert tree(out) == clean_tree(root)


@pytest.mark.parametrize("change", ["title", "draft beside", "date", "new tag", "tag dropped", "source", "new warning", "new file", "removed file",
                                    "site.yaml", "source file", "stored text", "aliases", "error"])
def test_what_the_snapshot_cannot_vouch_for_is_validated_whole(built, change):
    root, out = built
    entry = events_dir(root) / "2021-04-11-ferry-suspended.md"
    if change == "title":
        edit(entry, "title: ", "title: Renamed ")
    elif change == "draft beside":  # a file holding a draft: its events are not all on the site
        edit(events_dir(root) / "2021-briefs.yaml", "to clear the mud", "to clear the thick mud")
    elif change == "date":
        edit(entry, "date: 2021-04-11", "date: 2021-04-12")
    elif change == "new tag":
        edit(entry, "tags: [", "tags: [a-new-tag, ")
    elif change == "tag dropped":  # the term stays (another event has it), without this event
        edit(entry, "tags: [transport]", "tags: []")
    elif change == "source":
        edit(entry, "sources:\n", "sources:\n  - id: radio-2021-03-20\n")
    elif change == "new warning":
        edit(entry, "\n---\n", "\naccounts:\n  - claim: It stopped on Sunday\n    by: The Courier\n"
             "    sources: [courier-2021-04-12]\n  - claim: It stopped on Saturday\n    by: Officials\n"
             "    sources: [courier-2021-04-12]\n---\n")  # two warnings: no locators
    elif change == "new file":
        (events_dir(root) / "2022-new.md").write_text(
            "---\ntitle: A new event\ndate: 2022-01-01\nsources: [radio-2021-03-20]\n---\nNew.\n", encoding="utf-8")
    elif change == "removed file":
        entry.unlink()
    elif change == "site.yaml":
        edit(root / "site.yaml", "title: ", "title: Retitled ")
    elif change == "source file":
        edit(next((root / "content" / "sources").glob("radio-*.yaml")), "\npublisher: ", "\npublisher: Revised ")
    elif change == "stored text":
        text = next((root / "sources-text").iterdir())
        text.write_text(text.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    elif change == "aliases":
        edit(root / "content" / "aliases.yaml", "[Nordhafen]", "[Nordhafen, Nordhaven]")
    elif change == "error":
        edit(entry, "date: 2021-04-11", "date: 2021-04-41")
    age_new(root)
    if change == "error":
        result = site.run(root, out, write=True, memo=cache.open_memo(cache.Store(root / cache.FOLDER)))
        assert any("date" in p.message for p in result.errors) and result.timeline is None
        return
    result, memo = build(root, out)
    assert not snapped(memo), change
    assert_as_checked(root, result)
    assert tree(out) == clean_tree(root)


def test_a_file_saved_just_before_a_build_is_read_again_by_the_next(built):
    root, out = built
    entry = events_dir(root) / "2021-04-11-ferry-suspended.md"
    edit(entry, "\n---\n", "\n---\nFirst words.\n")  # saved now: its stat may not show the next edit
    build(root, out)
    stat = os.stat(entry)
    edit(entry, "First words.", "Other words")  # the same size, and the time put back
    os.utime(entry, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result, memo = build(root, out)
    assert "Other words" in str(result.timeline.events)
    assert_as_checked(root, result)


def test_other_options_or_a_check_never_start_from_the_snapshot(built, tmp_path):
    root, out = built
    entry = events_dir(root) / "2021-04-11-ferry-suspended.md"
    edit(entry, "\n---\n", "\n---\nMore words.\n")
    age(entry)
    store = cache.Store(root / cache.FOLDER)
    memo = cache.open_memo(store)
    result = site.build(root, tmp_path / "drafts", drafts=True, memo=memo)
    assert not snapped(memo)
    assert result.timeline == site.run(root, render=False, drafts=True).timeline
    memo = cache.open_memo(store)
    site.check(root, memo=memo)
    assert not snapped(memo)


def test_the_snapshot_of_another_version_or_a_planted_one_is_not_read(built):
    root, out = built
    store = cache.Store(root / cache.FOLDER)
    assert snapshot.load(store) is not None
    (root / cache.FOLDER / f"{snapshot.NAME}.cache").write_bytes(b"not a snapshot")
    assert snapshot.load(store) is None
    entry = events_dir(root) / "2021-04-11-ferry-suspended.md"
    edit(entry, "\n---\n", "\n---\nMore words.\n")
    age(entry)
    result, memo = build(root, out)
    assert not snapped(memo)
    assert_as_checked(root, result)


def test_an_entry_with_warnings_keeps_them_where_a_full_check_puts_them(built):
    root, out = built
    entry = events_dir(root) / "2021-04-11-ferry-suspended.md"
    edit(entry, "\n---\n", "\naccounts:\n  - claim: It stopped on Sunday\n    by: The Courier\n"
         "    sources: [courier-2021-04-12]\n  - claim: It stopped on Saturday\n    by: Officials\n"
         "    sources: [courier-2021-04-12]\n---\n")
    age(entry)
    result, memo = build(root, out)
    assert not snapped(memo) and len([p for p in result.warnings if p.path.endswith(entry.name)]) == 2
    edit(entry, "The ferry stopped running", "The ferry had stopped running")
    age(entry)
    result, memo = build(root, out)
    assert snapped(memo)
    assert_as_checked(root, result)
    assert tree(out) == clean_tree(root)


def test_an_image_gone_from_an_event_with_the_only_citation_of_its_source_is_validated_whole(built):
    from PIL import Image

    root, out = built
    entry = events_dir(root) / "2021-04-10-kessby-levee-breach.md"
    (root / "content" / "media").mkdir()
    Image.new("RGB", (20, 10), "red").save(root / "content" / "media" / "p.png")
    (root / "content" / "sources" / "photo-agency.yaml").write_text(
        "title: Photos\npublisher: Agency\npublished: '2021-04-10'\n", encoding="utf-8")
    media = "media:\n  - file: content/media/p.png\n    alt: a red square\n    source: photo-agency\n"
    edit(entry, "sources: [gazette", media + "sources: [gazette")
    age_new(root)
    build(root, out)
    edit(entry, media, "")  # the image's source is cited by no event now: a warning of its own
    age_new(root)
    result, memo = build(root, out)
    assert not snapped(memo)
    assert any(p.code == "uncited-source" and "photo-agency" in p.message for p in result.warnings)
    assert_as_checked(root, result)


def test_problems_of_one_line_keep_the_order_a_full_check_gives_them(built):
    root, out = built
    entry = events_dir(root) / "2021-04-10-kessby-levee-breach.md"
    first = 'sources: [{id: gazette-2021-04-10, quote: "failed"}, {id: wire-2021-05-03, quote: "held"}]'
    swapped = 'sources: [{id: wire-2021-05-03, quote: "held"}, {id: gazette-2021-04-10, quote: "failed"}]'
    edit(entry, "sources: [gazette-2021-04-10, wire-2021-05-03]", first)  # two notes on one line
    age_new(root)
    build(root, out)
    edit(entry, first, swapped)
    age_new(root)
    result, memo = build(root, out)
    assert_as_checked(root, result)


def test_a_file_that_comes_while_a_build_runs_is_read_by_the_next(built, monkeypatch):
    root, out = built
    batch = root.parent / "batch"  # entries written earlier, moved into content/ in one rename
    batch.mkdir()
    (batch / "2021-04-15-new.md").write_text("---\ntitle: Moved in\ndate: 2021-04-15\nsources: [wire-2021-05-03]\n"
                                              "---\nBody [@wire-2021-05-03].\n", encoding="utf-8")
    age(batch)
    edit(next((root / "content" / "sources").glob("gazette-*.yaml")), "\npublisher: ", "\npublisher: The ")
    age_new(root)  # a source edited: this build validates everything, and keeps the whole timeline
    monkeypatch.setattr(cache, "RACY_NS", 0)  # (so a file's age alone cannot keep it out)
    keep = snapshot.keep

    def moved_in_meanwhile(*args):
        os.rename(batch, events_dir(root) / "batch")
        return keep(*args)
    monkeypatch.setattr(snapshot, "keep", moved_in_meanwhile)
    first, _ = build(root, out)
    monkeypatch.setattr(snapshot, "keep", keep)
    assert "Moved in" not in {e.title for e in first.timeline.events}
    result, memo = build(root, out)
    assert "Moved in" in {e.title for e in result.timeline.events}
    assert_as_checked(root, result)


def test_files_read_ahead_are_what_a_plain_read_finds_and_never_outlive_a_write(tmp_path):
    store = cache.Store(tmp_path / cache.FOLDER)
    store.write("a", {"x": [1, 2]})
    store.write("b", "old")
    (tmp_path / cache.FOLDER / "planted.cache").write_bytes(b"not signed")
    store.prefetch("a", "b", "planted", "absent")
    assert store.read("a") == {"x": [1, 2]} and store.read("absent") is None
    store.write("b", "new")  # after it was read ahead: the file is what counts
    assert store.read("b") == "new"
    assert store.read("planted") is None and store.take_notes() == [f"{cache.FOLDER}: note: {stored.FOREIGN}"]
    store.prefetch("a")
    store.settle()
    assert all(not thread.is_alive() for thread, _ in store._ahead.values())
    (tmp_path / cache.FOLDER / "a.cache").unlink()
    assert store.read("a") == {"x": [1, 2]}  # read ahead once, then taken once
    assert store.read("a") is None


def test_a_file_is_unpickled_as_it_is_inflated_and_a_signed_but_broken_one_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setattr(packing, "PIECE", 1000)  # many pieces, each read across by pickle.load
    store = cache.Store(tmp_path / cache.FOLDER)
    big = [os.urandom(300).hex() + str(i) for i in range(3000)]
    store.write("big", big)
    assert store.read("big") == big and not store.take_notes()
    path = tmp_path / cache.FOLDER / "big.cache"
    data = path.read_bytes()
    head = len(stored.MAGIC) + 32
    cut = data[head:len(data) - 5000]  # the compressed stream cut short, yet signed by this user
    path.write_bytes(data[:len(stored.MAGIC)] + store._mac("big", cut).digest() + cut)
    assert store.read("big") is None
    assert store.take_notes() == [f"{cache.FOLDER}: note: {stored.FOREIGN}"]
    store = cache.Store(tmp_path / cache.FOLDER)
    cut = data[head:len(data) - 4]  # only the stream's checksum cut off: the pickle itself is whole
    path.write_bytes(data[:len(stored.MAGIC)] + store._mac("big", cut).digest() + cut)
    assert store.read("big") is None
    assert store.take_notes() == [f"{cache.FOLDER}: note: {stored.FOREIGN}"]
    assert not [t for t in threading.enumerate() if t.name.startswith("dateline-cache-")]  # none left behind a read


def test_a_file_stored_as_it_is_reads_back_and_one_packed_otherwise_is_a_miss(tmp_path):
    # Level 0 stores the pickle as it is (the Markdown memo's HTML is compressed already); the
    # stream's first byte says how the rest is packed, and one this version does not know is a miss
    store = cache.Store(tmp_path / cache.FOLDER)
    text = [os.urandom(200).hex() for _ in range(50)]
    store.write("stored", text, level=0)
    store.write("packed", text)
    path, head = tmp_path / cache.FOLDER / "stored.cache", len(stored.MAGIC) + 32
    data = path.read_bytes()
    assert data[head + 64:head + 65] == packing.STORED and text[7].encode() in data
    packed = (tmp_path / cache.FOLDER / "packed.cache").read_bytes()
    assert packed[head + 64:head + 65] == packing.ZSTD and text[7].encode() not in packed
    assert len(packed) < len(data) * 0.7
    assert store.read("stored") == text and store.read("packed") == text and not store.take_notes()
    other = data[head:head + 64] + b"x" + data[head + 65:]  # signed by this user, packed by no known way
    path.write_bytes(data[:len(stored.MAGIC)] + store._mac("stored", other).digest() + other)
    assert cache.Store(tmp_path / cache.FOLDER).read("stored") is None


def test_a_write_over_a_file_read_ahead_waits_for_its_thread(tmp_path, monkeypatch):
    # settle() promises no thread of the store runs across a fork: a write that forgets a read
    # ahead first waits for its thread
    store = cache.Store(tmp_path / cache.FOLDER)
    store.write("a", 1)
    started, release = [], threading.Event()
    real = store._unpacked

    def slow(name):
        started.append(name)
        release.wait(5)
        return real(name)
    monkeypatch.setattr(store, "_unpacked", slow)
    store.prefetch("a")
    thread, _ = store._ahead["a"]
    threading.Timer(0.2, release.set).start()
    store.write("a", 2)
    assert not thread.is_alive() and started == ["a"]
    assert store.read("a") == 2


def test_a_file_written_beside_is_what_a_later_read_finds_and_a_failed_one_leaves_the_last(tmp_path, monkeypatch):
    # Store.write_beside forks a process to write (the timeline, while the build saves its memos);
    # a read of that file, or settle(), waits for it. A process that fails leaves the last file.
    monkeypatch.setattr(stored.threading, "active_count", lambda: 1)  # as in `build.py build`
    monkeypatch.setattr(stored.Store, "beside", True)
    store = cache.Store(tmp_path / cache.FOLDER)
    store.write("a", "first")
    store.write_beside({"a": list(range(100_000)), "b": "second"})
    assert store._beside  # written by another process
    assert store.read("a") == list(range(100_000)) and not store._beside and store.read("b") == "second"
    store.write_beside({"a": ["x" * 100_000, Unpicklable()]})  # fails half-way through the pickle
    store.settle()
    assert not store._beside and cache.Store(tmp_path / cache.FOLDER).read("a") == list(range(100_000))
    assert not list((tmp_path / cache.FOLDER).glob(".a.*"))  # nor half a file
    assert store.take_notes() == [f"{cache.FOLDER}: note: {stored.UNWRITTEN}"]
    store.write_beside({})  # nothing to write: no process
    assert not store._beside


class Unpicklable:
    def __reduce__(self):
        raise TypeError("cannot be pickled")


def test_a_timeline_written_beside_is_the_one_the_next_build_starts_from(built, monkeypatch):
    monkeypatch.setattr(stored.threading, "active_count", lambda: 1)
    monkeypatch.setattr(stored.Store, "beside", True)
    monkeypatch.setattr(snapshot, "BESIDE", 1)
    forked = []
    real = stored.Store.write_beside
    monkeypatch.setattr(stored.Store, "write_beside", lambda self, files, *more: forked.extend(files) or real(self, files, *more))
    root, out = built
    age(root)
    (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    age(root / "site.yaml")
    build(root, out)  # site.yaml changed: everything validated, the whole timeline kept beside
    assert forked == [snapshot.NAME]
    entry = events_dir(root) / "2021-04-10-kessby-levee-breach.md"
    edit(entry, "\n---\n", "\n---\nWritten after a timeline kept beside.\n")
    age(entry)
    result, memo = build(root, out)
    assert snapped(memo) and memo.counts["files parsed"] == 1
    assert_as_checked(root, result)


def test_a_file_read_ahead_then_written_beside_reads_as_written(tmp_path, monkeypatch):
    monkeypatch.setattr(stored.threading, "active_count", lambda: 1)
    monkeypatch.setattr(stored.Store, "beside", True)
    store = cache.Store(tmp_path / cache.FOLDER)
    store.write("a", "old")
    store.prefetch("a")
    store.write_beside({"a": "new"})
    assert store.read("a") == "new"
    monkeypatch.setattr(stored.threading, "active_count", lambda: 2)  # another thread: written here
    store.write_beside({"a": "newer"})
    assert not store._beside and store.read("a") == "newer"


def test_the_memo_written_beside_is_the_one_the_next_build_reads(built, monkeypatch):
    monkeypatch.setattr(stored.threading, "active_count", lambda: 1)
    monkeypatch.setattr(stored.Store, "beside", True)
    monkeypatch.setattr(cache, "BESIDE", 1)
    root, out = built
    entry = events_dir(root) / "2021-04-10-kessby-levee-breach.md"
    edit(entry, "\n---\n", "\n---\nTo be kept in a memo written beside.\n")
    (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    age(entry, root / "site.yaml")
    store = cache.Store(root / cache.FOLDER)
    memo = cache.open_memo(store)
    site.build(root, out, memo=memo)
    cache.save_memo(store, memo)
    assert {n for n in store._beside if n.startswith("content-")}  # the content's shards, forked
    store.settle()
    (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    age(root / "site.yaml")
    result, memo = build(root, out)  # site.yaml changed: every file from the memo, none parsed
    assert memo.counts["files parsed"] == 0 and memo.counts["files reused"] == len(list(events_dir(root).iterdir()))
    assert_as_checked(root, result)


def test_nothing_is_written_beside_unless_the_command_says_so(tmp_path, monkeypatch):
    # the preview's store (never settled before its session ends) writes in its own process
    monkeypatch.setattr(stored.threading, "active_count", lambda: 1)
    store = cache.Store(tmp_path / cache.FOLDER)
    store.write_beside({"a": 1})
    assert not store._beside and store.read("a") == 1


def test_a_second_write_beside_of_a_file_comes_after_the_first(tmp_path, monkeypatch):
    # the second process must not wait for its sibling (it cannot), nor be lost: the first is
    # waited for before the second is forked, and the file holds the second's object
    monkeypatch.setattr(stored.threading, "active_count", lambda: 1)
    monkeypatch.setattr(stored.Store, "beside", True)
    store = cache.Store(tmp_path / cache.FOLDER)
    store.write_beside({"a": list(range(200_000)), "b": "b"})
    store.write_beside({"a": "second"})
    store.settle()
    assert not store.take_notes() and cache.Store(tmp_path / cache.FOLDER).read("a") == "second"
    assert cache.Store(tmp_path / cache.FOLDER).read("b") == "b"


def test_the_command_lists_content_once_before_it_starts_from_the_last_timeline(built, monkeypatch):
    # `build.py build` lists content/ for its up-to-date check (build/unchanged.py); the snapshot's
    # look at the inputs takes that listing rather than making its own (0.27 s at 100,000 events)
    from dateline import cli
    root, out = built
    entry = events_dir(root) / "2021-04-10-kessby-levee-breach.md"
    edit(entry, "\n---\n", "\n---\nListed once, by the up-to-date check.\n")
    age(entry)
    listed, readings = [], []
    real_listing, real_reuse = snapshot.listing, snapshot.reuse
    monkeypatch.setattr(snapshot, "listing", lambda top: listed.append(top) or real_listing(top))
    monkeypatch.setattr(snapshot, "reuse", lambda *a, **k: readings.append(real_reuse(*a, **k)) or readings[-1])
    assert cli.main(["build", "--site", str(root), "--output", str(out), "--quiet"]) == 0
    assert listed == [] and readings[0].snap is not None and list(readings[0].changed) == [
        f"content/events/{entry.name}"]
    assert any("Listed once, by the up-to-date check." in page.read_text(encoding="utf-8")
               for page in (out / "events").glob("*/index.html"))


def test_the_record_of_the_outputs_is_written_beside_once_and_read_by_the_next_build(built, monkeypatch):
    # At 100,000 files it takes 0.5 s: written by a forked process as soon as the pipeline has
    # it, while this one records what it read and saves the other memos; save_memo leaves it be.
    monkeypatch.setattr(stored.threading, "active_count", lambda: 1)
    monkeypatch.setattr(stored.Store, "beside", True)
    monkeypatch.setattr(cache, "BESIDE", 1)  # the content's shards beside too
    monkeypatch.setattr(record, "LIMIT", -1)  # written whole
    root, out = built
    forked = []
    real = stored.Store.write_beside
    monkeypatch.setattr(stored.Store, "write_beside", lambda self, files, *more: forked.extend(files) or real(self, files, *more))
    entry = events_dir(root) / "2021-04-10-kessby-levee-breach.md"
    edit(entry, "\n---\n", "\n---\nRecorded beside.\n")
    age(entry)
    result, memo = build(root, out)
    assert forked.count("outputs") == 1
    assert cache.Store(root / cache.FOLDER).read("outputs") == (memo.outputs_held.token, memo.outputs)
    assert memo.outputs[str(out.resolve())]  # this build's record, its files in it
