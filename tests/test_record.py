"""The record of the output's files is written whole, then as a patch of what changed since
(build/record.py), and read back as the build left it."""

from __future__ import annotations

import pytest

from dateline.build import cache, record

from conftest import copy_fixture_site
from test_incremental import age, cached_build, clean_tree, tree


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setattr(record, "SHARE", 1)  # a small site: a patch up to the whole record's size
    root, out = copy_fixture_site(tmp_path / "site"), tmp_path / "out"
    age(root)
    cached_build(root, out)
    return root, out


def store_of(root):
    return cache.Store(root / cache.FOLDER)


def edit(root, name: str, words: str) -> None:
    entry = root / "content" / "events" / name
    entry.write_text(entry.read_text(encoding="utf-8").rstrip("\n") + f" {words}\n", encoding="utf-8")
    age(entry)


def built(root, out):
    """Build; return the memo's record and what a new memo reads back."""
    store = store_of(root)
    memo = cache.open_memo(store)
    from dateline import pipeline
    pipeline.build(root, out, memo=memo)
    cache.save_memo(store, memo)
    store.settle()
    return memo.outputs, cache.open_memo(store_of(root)).outputs


def test_a_rebuild_writes_what_changed_and_the_next_reads_the_whole_record(site):
    root, out = site
    whole = (root / cache.FOLDER / "outputs.cache").stat().st_mtime_ns
    for n, name in enumerate(["2021-04-10-kessby-levee-breach.md", "2021-04-11-ferry-suspended.md"]):
        edit(root, name, f"Edit {n}.")
        made, read = built(root, out)
        assert read == made and tree(out) == clean_tree(root)
    assert (root / cache.FOLDER / "outputs.cache").stat().st_mtime_ns == whole  # the whole file left as it was
    token, patch = store_of(root).read(record.PATCH)
    (changed, gone), = patch.values()
    assert 0 < len(changed) < len(made[str(out.resolve())]) and not gone


def test_past_the_limit_the_whole_record_is_written_again(site, monkeypatch):
    root, out = site
    monkeypatch.setattr(record, "LIMIT", 3)
    edit(root, "2021-04-10-kessby-levee-breach.md", "More.")
    made, read = built(root, out)
    assert read == made
    assert store_of(root).read(record.PATCH) is None
    assert store_of(root).read(record.NAME)[1] == made


def test_a_patch_of_another_whole_record_is_not_read(site):
    root, out = site
    edit(root, "2021-04-10-kessby-levee-breach.md", "More.")
    made, _ = built(root, out)
    store = store_of(root)
    store.write(record.PATCH, ("another token", store.read(record.PATCH)[1]))
    outputs, held = record.read(store_of(root))
    assert outputs != made and held.patch == {}  # the whole file's record alone: older, never wrong


def test_entries_that_change_go_and_come_back_are_patched_as_they_end(monkeypatch):
    monkeypatch.setattr(record, "SHARE", 1)
    same = {str(n): (n,) for n in range(10)}
    whole = {"out": {**same, "a": (1,), "b": (2,), "c": (3,)}}
    held = record.Held("t", record._copied(whole), {})
    now = {"out": {**same, "a": (1,), "b": (20,), "d": (4,)}}
    assert record._patch(now, held) == {"out": ({"b": (20,), "d": (4,)}, {"c"})}
    held.read, held.patch = record._copied(now), record._patch(now, held)
    later = {"out": {**same, "a": (1,), "c": (30,)}}
    assert record._patch(later, held) == {"out": ({"c": (30,)}, {"b", "d"})}
    monkeypatch.setattr(record, "LIMIT", 2)
    assert record._patch(later, held) is None  # three entries: the whole record again


def test_a_record_edited_in_place_after_it_was_read_is_patched(site):
    # The preview forgets a record's list of names in place (preview/session.py).
    root, out = site
    store = store_of(root)
    memo = cache.open_memo(store)
    memo.outputs[str(out.resolve())].pop("\0names")
    cache.save_outputs(store, memo)
    assert "\0names" not in cache.open_memo(store_of(root)).outputs[str(out.resolve())]
