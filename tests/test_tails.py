"""An export whose change is near its end keeps the last one's first bytes where they are
(disk.Tail): its new end is journaled and written over the old (journal.py). The site is a
clean build's, also when the build is killed after the commit, when the file has another name,
or when a new tree is written instead."""

from __future__ import annotations

import errno
import json
import os

import pytest

from dateline.build import beside, disk, journal
from dateline.core.errors import BuildError

from test_incremental import age, cached_build, clean_tree, gensite, tree


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A generated site built once, its exports made beside the build, any export of more than a
    kilobyte patched in place, every change journaled; and the entry whose event is the last one."""
    monkeypatch.setattr(beside, "ASIDE_EVENTS", 1)
    monkeypatch.setattr(beside, "jobs_for", lambda pages, jobs=None: 2)
    monkeypatch.setattr(disk, "TAIL", 1000)
    monkeypatch.setattr(journal, "SHARE", 1)
    root, out = gensite.generate(tmp_path / "site", 40), tmp_path / "out"
    age(root)
    cached_build(root, out)
    last = json.loads((out / "events.json").read_text(encoding="utf-8"))["events"][-1]["title"]
    entry = next(p for p in (root / "content" / "events").glob("*.md") if f'title: "{last}"\n' in p.read_text())
    return root, out, entry


def edit(entry) -> None:
    entry.write_text(entry.read_text(encoding="utf-8").rstrip("\n") + " One more sentence.\n", encoding="utf-8")
    age(entry)


def spied(monkeypatch) -> list:
    """Return the files each journal is given, as they come."""
    seen, real = [], journal.update
    monkeypatch.setattr(journal, "update", lambda output, files, *rest: seen.append(dict(files)) or real(output, files, *rest))
    return seen


def inodes(out) -> dict:
    return {name: (out / name).stat().st_ino for name in ("events.json", "events.csv", "timeline.json")}


def test_an_edit_to_the_last_entry_patches_the_exports_in_place(site, monkeypatch):
    root, out, entry = site
    seen, before = spied(monkeypatch), inodes(out)
    edit(entry)
    cached_build(root, out)
    assert tree(out) == clean_tree(root)
    tails = {path for path, data in seen[0].items() if isinstance(data, disk.Tail)}
    assert {"events.json", "events.csv", "timeline.json"} <= tails
    assert inodes(out) == before  # the same files, their ends written over
    assert not list(out.parent.glob(".out.journal*"))


@pytest.mark.parametrize("at", [0, 20])
def test_an_edit_far_from_the_end_writes_each_export_whole(site, monkeypatch, at):
    # Its end would be written twice (beside, then in place): more than a whole file once.
    root, out, _ = site
    seen = spied(monkeypatch)
    title = json.loads((out / "events.json").read_text(encoding="utf-8"))["events"][at]["title"]
    edit(next(p for p in (root / "content" / "events").glob("*.md") if f'title: "{title}"\n' in p.read_text()))
    cached_build(root, out)
    assert tree(out) == clean_tree(root)
    assert not {"events.json", "events.csv", "timeline.json"} & {p for p, d in seen[0].items() if isinstance(d, disk.Tail)}


def test_a_build_killed_after_the_commit_is_rolled_forward_with_its_tails(site, monkeypatch):
    root, out, entry = site
    real = journal.roll_forward

    def killed(output):
        if journal.committed(output).exists():
            raise KeyboardInterrupt  # as if the build died just after the commit
        return real(output)
    monkeypatch.setattr(journal, "roll_forward", killed)
    edit(entry)
    with pytest.raises(KeyboardInterrupt):
        cached_build(root, out)
    manifest = json.loads((journal.committed(out) / journal.MANIFEST).read_text(encoding="utf-8"))
    assert {path for _, path, _ in manifest["tails"]} >= {"events.json", "events.csv"}
    assert real(out) and real(out)  # what the next build does first; a second time finds nothing
    assert tree(out) == clean_tree(root)


def test_a_tail_applied_twice_gives_the_same_file(tmp_path):
    target, tail = tmp_path / "export", tmp_path / "tail"
    for old, new in ((b"0123456789", b"AB"), (b"0123", b"ABCDEFGH")):
        target.write_bytes(old)
        tail.write_bytes(new)
        for _ in range(2):
            disk.put_tail(tail, target, 3)
            assert target.read_bytes() == old[:3] + new


def test_an_export_with_another_name_is_written_whole_and_the_other_name_keeps_the_old(site, tmp_path):
    root, out, entry = site
    os.link(out / "events.json", tmp_path / "elsewhere.json")
    old = (tmp_path / "elsewhere.json").read_bytes()
    edit(entry)
    cached_build(root, out)
    assert tree(out) == clean_tree(root)
    assert (tmp_path / "elsewhere.json").read_bytes() == old


def test_a_tail_in_a_new_tree_is_written_whole(site, monkeypatch):
    root, out, entry = site
    monkeypatch.setattr(journal, "fits", lambda *args: False)  # as for a change too big to journal
    edit(entry)
    cached_build(root, out)
    assert tree(out) == clean_tree(root)


def test_a_tail_is_never_put_after_bytes_that_changed(tmp_path):
    last, rest = tmp_path / "last", tmp_path / "rest"
    last.write_bytes(b"0123456789")
    rest.write_bytes(b"AB")
    tail = disk.Tail(str(rest), str(last), 4, disk.stat_of(os.stat(last)))
    disk.whole(tail, tmp_path / "whole")
    assert (tmp_path / "whole").read_bytes() == b"0123AB" == disk.read(tail)
    last.write_bytes(b"0123x56789")
    with pytest.raises(BuildError):
        disk.whole(tail, tmp_path / "again")
    assert not journal._patchable(last, tail)


def during_the_write(monkeypatch, act) -> None:
    """Run `act()` as the build hands its files to the journal: after the exports were made."""
    real = journal.update
    monkeypatch.setattr(journal, "update", lambda output, *rest: act() or real(output, *rest))


def test_a_rename_refused_after_the_commit_falls_back_to_a_new_tree_with_each_export_whole(site, monkeypatch):
    # The exports' ends are written last: a new tree written instead finds their first parts as they were.
    root, out, entry = site
    real, refused = os.replace, []

    def replace(source, dest, *args, **kwargs):
        if journal.committed(out).exists() and str(dest).endswith(".html") and not refused:
            refused.append(dest)
            raise PermissionError(errno.EACCES, "refused", str(dest))
        return real(source, dest, *args, **kwargs)
    monkeypatch.setattr(os, "replace", replace)
    edit(entry)
    cached_build(root, out)
    assert refused and tree(out) == clean_tree(root)


def test_an_export_touched_while_the_build_runs_stops_it_before_output_changes(site, monkeypatch):
    root, out, entry = site
    before = tree(out)
    during_the_write(monkeypatch, lambda: os.utime(out / "events.json"))
    edit(entry)
    with pytest.raises(BuildError) as caught:
        cached_build(root, out)
    assert str(caught.value.problems[0]) == (f"{out / 'events.json'}: error: this export changed while the build ran, "
                                             "which was to keep its first part (build again: nothing was changed)")
    assert tree(out) == before and not list(out.parent.glob(".out.journal*"))
    monkeypatch.undo()
    cached_build(root, out)
    assert tree(out) == clean_tree(root)


def test_an_export_given_another_name_while_the_build_runs_is_written_whole(site, monkeypatch, tmp_path):
    root, out, entry = site
    old = (out / "events.json").read_bytes()
    during_the_write(monkeypatch, lambda: os.link(out / "events.json", tmp_path / "backup.json"))
    edit(entry)
    cached_build(root, out)
    assert tree(out) == clean_tree(root) and (tmp_path / "backup.json").read_bytes() == old


def test_a_disk_full_while_an_end_is_written_is_said_and_the_next_build_mends_it(site, monkeypatch):
    root, out, entry = site
    real = os.pwrite

    def pwrite(fd, data, at):
        real(fd, bytes(data[:len(data) // 2]), at)
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "pwrite", pwrite)
    edit(entry)
    with pytest.raises(OSError, match="No space left"):
        cached_build(root, out)
    assert not list(out.parent.glob(".out.journal*"))  # never rolled forward over a later site
    monkeypatch.setattr(os, "pwrite", real)
    cached_build(root, out)
    assert tree(out) == clean_tree(root)
