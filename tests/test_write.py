"""output/ is replaced whole or not at all, and only when it is ours to replace."""

import time

import pytest

from dateline.build import trees, write
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


def test_a_big_site_keeps_the_tree_it_replaced_and_the_next_build_fills_that_one(tmp_path, monkeypatch):
    monkeypatch.setattr(trees, "SPARE", 2)
    out, spare = tmp_path / "output", tmp_path / ".output.spare"
    write.write_site(out, {"a/index.html": b"1", "b/index.html": b"1", "gone/index.html": b"1"}, {})
    write.write_site(out, {"a/index.html": b"2", "b/index.html": None}, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.spare", "output"]
    assert (spare / "gone" / "index.html").read_bytes() == b"1"  # the first build's tree
    folder = (spare / "a").stat().st_ino
    kept = (out / "b" / "index.html").stat().st_ino
    write.write_site(out, {"a/index.html": b"3", "b/index.html": None, "c.html": b"3"}, {})
    assert write.MARK in {p.name for p in out.iterdir()}
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} == {
        write.MARK, "a/index.html", "b/index.html", "c.html"}
    assert [(out / p).read_bytes() for p in ("a/index.html", "b/index.html", "c.html")] == [b"3", b"1", b"3"]
    assert (out / "a").stat().st_ino == folder  # the spare's folder, not a new one
    assert (out / "b" / "index.html").stat().st_ino == kept
    assert (spare / "a" / "index.html").read_bytes() == b"2" and not (spare / "gone").exists()


def test_filling_the_spare_never_writes_through_to_the_site_it_shares_files_with(tmp_path, monkeypatch):
    monkeypatch.setattr(trees, "SPARE", 2)
    out = tmp_path / "output"
    write.write_site(out, {"a.html": b"1", "k.html": b"k"}, {})
    write.write_site(out, {"a.html": b"2", "k.html": None}, {})  # k.html: one file in both trees
    assert (tmp_path / ".output.spare" / "k.html").stat().st_ino == (out / "k.html").stat().st_ino
    monkeypatch.setattr(write, "_exchange", lambda a, b: (_ for _ in ()).throw(OSError("disk failed")))
    with pytest.raises(OSError):
        write.write_site(out, {"a.html": b"3", "k.html": b"changed"}, {})
    assert [(out / p).read_bytes() for p in ("a.html", "k.html")] == [b"2", b"k"]


def test_links_and_strays_planted_in_the_spare_are_removed_not_followed(tmp_path, monkeypatch):
    monkeypatch.setattr(trees, "SPARE", 2)
    out, spare, elsewhere = tmp_path / "output", tmp_path / ".output.spare", tmp_path / "elsewhere"
    write.write_site(out, {"a/index.html": b"1", "b.html": b"1"}, {})
    write.write_site(out, {"a/index.html": b"2", "b.html": b"2"}, {})
    elsewhere.mkdir()
    (spare / "a" / "index.html").unlink()
    (spare / "a").rmdir()
    (spare / "a").symlink_to(elsewhere, target_is_directory=True)
    (spare / "stray.html").write_bytes(b"planted")
    write.write_site(out, {"a/index.html": b"3", "b.html": b"3"}, {})
    assert list(elsewhere.iterdir()) == []
    assert not (out / "a").is_symlink() and (out / "a" / "index.html").read_bytes() == b"3"
    assert not (out / "stray.html").exists()


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
