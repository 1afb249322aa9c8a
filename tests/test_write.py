"""output/ is replaced whole or not at all (a small change through a journal), and only when it is ours to replace."""

import json
import os
import signal
import time

import pytest

from dateline.build import journal, write
from dateline.core.errors import BuildError


def test_write_replaces_the_old_site_whole(tmp_path):
    out = tmp_path / "output"
    write.write_site(out, {"index.html": b"one", "old.html": b"x"}, {})
    write.write_site(out, {"index.html": b"two"}, {})
    assert sorted(p.name for p in out.iterdir()) == [write.MARK, "index.html"]
    assert (out / "index.html").read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_a_failure_while_writing_leaves_the_old_site(tmp_path, monkeypatch):
    out = tmp_path / "output"
    write.write_site(out, {"index.html": b"one"}, {})

    class Boom(dict):
        def __iter__(self):
            raise OSError("disk full")
    with pytest.raises(OSError):
        write.write_site(out, {"index.html": b"two", "b": b""}, Boom(a=1))
    assert (out / "index.html").read_bytes() == b"one"
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_leftovers_of_a_killed_build_are_cleaned(tmp_path):
    out = tmp_path / "output"
    (tmp_path / ".output.new-123").mkdir()
    (tmp_path / ".output.old-9").mkdir()
    (tmp_path / ".output.old-9" / "index.html").write_bytes(b"old")
    write.clean_stale(out)
    assert (out / "index.html").read_bytes() == b"old"  # killed between the renames: restored
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


SITE = {f"e{i}/index.html": b"1" for i in range(20)}  # a change to 5 files of 20 or fewer is journaled


def test_a_small_change_is_made_in_place_through_a_journal(tmp_path):
    out = tmp_path / "output"
    write.write_site(out, {**SITE, "gone/index.html": b"1"}, {})
    folder, kept = out.stat().st_ino, (out / "e1" / "index.html").stat().st_ino
    write.write_site(out, {**dict.fromkeys(SITE), "e0/index.html": b"2", "new/index.html": b"2"}, {},
                     gone={"gone/index.html"})
    assert out.stat().st_ino == folder  # the same folder, not a new tree
    assert (out / "e1" / "index.html").stat().st_ino == kept
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == {
        write.MARK: write.MARK_TEXT, **SITE, "e0/index.html": b"2", "new/index.html": b"2"}
    assert not (out / "gone").exists()  # its folder too
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_a_change_to_many_files_or_of_unknown_extent_is_a_new_tree_swapped_in(tmp_path):
    out = tmp_path / "output"
    write.write_site(out, SITE, {})
    folder = out.stat().st_ino
    write.write_site(out, {**SITE, **{f"e{i}/index.html": b"2" for i in range(6)}}, {}, gone=set())
    assert out.stat().st_ino != folder
    folder = out.stat().st_ino
    write.write_site(out, {**dict.fromkeys(SITE), "e0/index.html": b"3"}, {})  # gone=None: not known
    assert out.stat().st_ino != folder and (out / "e0" / "index.html").read_bytes() == b"3"


def test_a_journal_committed_by_a_killed_build_is_rolled_forward_by_the_next(tmp_path, monkeypatch):
    out = tmp_path / "output"
    write.write_site(out, {**SITE, "gone/index.html": b"1"}, {})
    change = {**dict.fromkeys(SITE), "e0/index.html": b"2", "e1/index.html": b"2", "new/index.html": b"2"}
    real = journal.roll_forward
    monkeypatch.setattr(journal, "roll_forward", lambda output: True)  # killed right after the commit
    write.write_site(out, change, {}, gone={"gone/index.html"})
    monkeypatch.setattr(journal, "roll_forward", real)
    committed = tmp_path / ".output.journal"
    assert (out / "e0" / "index.html").read_bytes() == b"1" and committed.is_dir()
    manifest = json.loads((committed / journal.MANIFEST).read_text())
    first = manifest["put"][0]  # killed after its first rename
    (committed / first[0]).replace(out / first[1])
    write.clean_stale(out)  # what the next build does first
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == {
        write.MARK: write.MARK_TEXT, **SITE, "e0/index.html": b"2", "e1/index.html": b"2", "new/index.html": b"2"}
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_ctrl_c_while_a_journal_is_applied_waits_for_it_to_end(tmp_path, monkeypatch):
    out = tmp_path / "output"
    write.write_site(out, SITE, {})
    real = journal.roll_forward

    def interrupted(output):
        if journal.committed(output).exists():  # not clean_stale's call, before the write
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, just after the commit
        return real(output)
    monkeypatch.setattr(journal, "roll_forward", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write.write_site(out, {**dict.fromkeys(SITE), "e0/index.html": b"2", "e1/index.html": b"2"}, {}, gone=set())
    assert [(out / p).read_bytes() for p in ("e0/index.html", "e1/index.html", "e2/index.html")] == [b"2", b"2", b"1"]
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_an_output_folder_on_a_disk_of_its_own_gets_a_new_tree(tmp_path, monkeypatch):
    out = tmp_path / "output"
    write.write_site(out, SITE, {})
    monkeypatch.setattr(journal, "_one_disk", lambda output: False)  # a mount point: no rename into it from beside
    folder = out.stat().st_ino
    write.write_site(out, {**dict.fromkeys(SITE), "e0/index.html": b"2"}, {}, gone=set())
    assert out.stat().st_ino != folder and (out / "e0" / "index.html").read_bytes() == b"2"


def test_a_journal_not_committed_is_removed_and_the_site_left_as_it_was(tmp_path):
    out = tmp_path / "output"
    write.write_site(out, SITE, {})
    staging = tmp_path / ".output.journal-77"
    staging.mkdir()
    (staging / "0").write_bytes(b"half")
    (tmp_path / ".output.spare").mkdir()  # what builds before the journal kept
    write.clean_stale(out)
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == {
        write.MARK: write.MARK_TEXT, **SITE}
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_the_journal_never_writes_through_a_link_planted_in_the_output(tmp_path):
    out, elsewhere = tmp_path / "output", tmp_path / "elsewhere"
    write.write_site(out, SITE, {})
    elsewhere.mkdir()
    (out / "e0" / "index.html").unlink()
    (out / "e0").rmdir()
    (out / "e0").symlink_to(elsewhere, target_is_directory=True)
    write.write_site(out, {**dict.fromkeys(SITE), "e0/index.html": b"2"}, {}, gone=set())
    assert list(elsewhere.iterdir()) == []
    assert not (out / "e0").is_symlink() and (out / "e0" / "index.html").read_bytes() == b"2"


def test_a_trash_tree_left_by_a_killed_removal_is_cleaned(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    (tmp_path / ".output.trash-1").mkdir()
    write.clean_stale(out)
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def test_every_build_is_marked_and_only_a_marked_empty_or_new_folder_is_replaced(tmp_path):
    out = tmp_path / "output"
    write.write_site(out, {"index.html": b"one"}, {})
    assert (out / write.MARK).read_bytes() == write.MARK_TEXT
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_bytes(b"keep")
    with pytest.raises(BuildError):
        write.write_site(tmp_path / "mine", {"index.html": b"two"}, {})
    assert (tmp_path / "mine" / "notes.txt").read_bytes() == b"keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "output"]


def writes_through_permissions(folder) -> bool:
    """Return True when this process may write into a read-only folder anyway (root, as a rule)."""
    folder.mkdir(mode=0o555)
    try:
        (folder / "x").touch()
    except PermissionError:
        return False
    finally:
        (folder / "x").unlink(missing_ok=True)
        folder.rmdir()
    return True


def test_an_old_site_with_read_only_folders_is_removed_all_the_same(tmp_path):
    if writes_through_permissions(tmp_path / "probe"):
        pytest.skip("this process writes into read-only folders anyway")
    out = tmp_path / "output"
    write.write_site(out, {"index.html": b"one", "a/b/index.html": b"one"}, {})
    (out / "a" / "b").chmod(0o555)
    (out / "a").chmod(0o555)
    write.write_site(out, {"index.html": b"two"}, {})
    assert [p.name for p in tmp_path.iterdir()] == ["output"]
