"""output/ is replaced whole or not at all, and only when it is ours to replace."""

import time

import pytest

from dateline.build import write
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


def test_a_big_old_site_is_removed_after_the_build_returns(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "BACKGROUND", 2)
    out = tmp_path / "output"
    write.write_site(out, {"a.html": b"1", "b/index.html": b"1"}, {})
    write.write_site(out, {"a.html": b"2", "b/index.html": b"2"}, {})
    assert (out / "a.html").read_bytes() == b"2"
    for _ in range(500):  # bounded: the detached rm has 5 s to finish
        if [p.name for p in tmp_path.iterdir()] == ["output"]:
            break
        time.sleep(0.01)
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


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
