"""output/ is replaced whole or not at all."""

import time

import pytest

from dateline import write


def test_write_replaces_the_old_site_whole(tmp_path):
    out = tmp_path / "output"
    write.write_site(out, {"index.html": b"one", "old.html": b"x"}, {})
    write.write_site(out, {"index.html": b"two"}, {})
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
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
