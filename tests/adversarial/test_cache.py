"""A cache someone tampered with, or wrote on another machine, or that a crash cut short.

.dateline-cache/ may arrive with the site (a pull request, `git add -f`): nothing in it may run
code, and whatever is wrong with it only means the build does all the work again, with one note.
"""

from __future__ import annotations

import os
import pickle
import stat
import time
from pathlib import Path

import pytest
from conftest import snapshot, write_tree
from verdict import run, verdicts

from dateline.build import cache

SITE = """
-- content/sources/bbc.yaml --
title: A report
publisher: BBC News
published: "2019-10-13"
-- content/events/escape.md --
---
title: Escape from the camp
date: 2019-10-13
sources: [bbc]
---
Hundreds *escaped* [@bbc].
-- content/events/return.md --
---
title: Return to the camp
date: 2019-10-20
sources: [bbc]
---
Some came back [@bbc].
"""
NOTE = ".dateline-cache: note: ignored a cache this machine did not write; building afresh"


class Plant:
    """A pickle that, once loaded, creates a file: proof that the cache ran code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.fixture
def key_home(tmp_path, monkeypatch):
    """Keep this test's cache key in a folder of its own."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def built(tmp_path, capsys) -> tuple[Path, dict[str, bytes]]:
    """A site built once with its cache, and what a build without any cache makes of it."""
    root = write_tree(tmp_path / "site", SITE)
    assert run(capsys, "build", "--site", root, "--no-cache", "--output", tmp_path / "clean").code == 0
    assert run(capsys, "build", "--site", root).code == 0
    assert any((root / cache.FOLDER).iterdir())
    return root, snapshot(tmp_path / "clean")


def cache_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / cache.FOLDER).iterdir() if p.is_file())


def rebuild(capsys, root: Path) -> str:
    """Build again with the cache; assert it made what a clean build makes; return stderr."""
    out = run(capsys, "build", "--site", root)
    assert out.code == 0, out.stderr
    return out.stderr


def test_a_planted_pickle_never_runs_and_the_build_is_the_clean_one(tmp_path, capsys, key_home):
    root, clean = built(tmp_path, capsys)
    marker = tmp_path / "ran"
    evil = pickle.dumps((cache.code_stamp(), Plant(marker)))
    names = [p.name for p in cache_files(root)]
    names += [f"{n}-{i:x}.pickle" for n in ("content", "markdown") for i in range(cache.SHARDS)] + ["outputs.pickle"]
    for name in names:  # every file the cache reads, under today's names and the old ones
        (root / cache.FOLDER / name).write_bytes(evil)

    err = rebuild(capsys, root)

    assert not marker.exists()
    assert snapshot(root / "output") == clean
    assert err.count("note: ignored") == 1 and NOTE in err, err
    assert "note:" not in rebuild(capsys, root)  # rewritten by this machine: trusted again


def test_a_cache_written_with_another_key_is_not_loaded(tmp_path, capsys, key_home, monkeypatch):
    root, clean = built(tmp_path, capsys)
    marker = tmp_path / "ran"
    foreign = cache.Store(root / cache.FOLDER, key=b"k" * 32)  # a valid cache, from another machine
    for path in cache_files(root):
        foreign.write(path.name.split(".")[0], Plant(marker))

    err = rebuild(capsys, root)

    assert not marker.exists()
    assert snapshot(root / "output") == clean
    assert err.count("note:") == 1 and NOTE in err, err


@pytest.mark.parametrize("damage", ["truncated", "one byte changed", "empty", "garbage"])
def test_a_damaged_cache_is_rebuilt_with_one_note(tmp_path, capsys, key_home, damage):
    root, clean = built(tmp_path, capsys)
    (root / "output").rename(tmp_path / "old-output")  # so every page needs what the cache held
    for path in cache_files(root):
        data = path.read_bytes()
        path.write_bytes({"truncated": data[: len(data) // 2],
                          "one byte changed": data[:-1] + bytes([data[-1] ^ 1]),
                          "empty": b"",
                          "garbage": os.urandom(300)}[damage])

    err = rebuild(capsys, root)

    assert snapshot(root / "output") == clean
    assert err.count("note:") == 1 and NOTE in err, err


def test_the_key_is_private_and_outside_the_site(tmp_path, capsys, key_home):
    root, _ = built(tmp_path, capsys)
    key = key_home / "dateline" / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    assert not any(p.name == "key" for p in root.rglob("*"))
    (root / "content/events/escape.md").touch()
    time.sleep(0.01)
    assert "note:" not in rebuild(capsys, root)  # the same key read back: the cache is used


def test_without_a_private_place_for_the_key_the_build_runs_without_a_cache(tmp_path, capsys, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the key's folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    root = write_tree(tmp_path / "site", SITE)

    check, build = verdicts(capsys, root)

    assert build.code == 0 and build.stderr.count("note:") == 1, build.stderr
    assert ".dateline-cache: note: no private place for the cache's key" in build.stderr
    assert not (root / cache.FOLDER).exists()
    assert (root / "output" / "index.html").is_file()


def test_a_cache_file_that_is_a_link_or_a_fifo_is_not_followed(tmp_path, capsys, key_home):
    root, clean = built(tmp_path, capsys)
    files = cache_files(root)
    files[0].unlink()
    os.mkfifo(files[0])  # reading it would wait for ever
    files[1].unlink()
    files[1].symlink_to("/dev/zero")  # reading it would never end

    err = rebuild(capsys, root)

    assert snapshot(root / "output") == clean
    assert err.count("note:") == 1 and NOTE in err, err


@pytest.mark.parametrize("planted", ["a file", "a link out of the site"])
def test_a_cache_folder_that_is_not_a_folder_of_the_site_is_left_alone(tmp_path, capsys, key_home, planted):
    root = write_tree(tmp_path / "site", SITE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if planted == "a file":
        (root / cache.FOLDER).write_text("not a folder")
    else:
        (root / cache.FOLDER).symlink_to(elsewhere, target_is_directory=True)

    err = rebuild(capsys, root)

    assert err.count("note:") == 1 and ".dateline-cache: note: " in err and "building without a cache" in err, err
    assert not any(elsewhere.iterdir())
    assert (root / "output" / "index.html").is_file()


def test_the_memos_are_kept_compressed(tmp_path, capsys, key_home):
    def cache_size(name: str, spec: str) -> int:
        root = write_tree(tmp_path / name, spec)
        assert run(capsys, "build", "--site", root).code == 0
        assert "note:" not in rebuild(capsys, root)  # read back
        return sum(p.stat().st_size for p in cache_files(root))

    body = "And more came back. " * 5000  # 100 KB, kept twice: as read, and converted to HTML
    longer = cache_size("long", SITE.replace("Some came back [@bbc].", f"Some came back [@bbc]. {body}"))
    assert longer - cache_size("short", SITE) < 10_000


def _streaming_only(real, whole):
    """A stand-in for a Zstandard (de)compressor class whose one-call forms fail."""
    class Streaming:
        def __init__(self, *args, **kwargs):
            self.real = real(*args, **kwargs)

        def compressobj(self, *args, **kwargs):
            return self.real.compressobj(*args, **kwargs)

        def decompressobj(self, *args, **kwargs):
            return self.real.decompressobj(*args, **kwargs)

        compress = decompress = whole
    return Streaming


def test_a_memo_is_written_as_it_is_pickled_never_held_whole(tmp_path, monkeypatch):
    # At 100,000 events the timeline's pickle is some 300 MB: it goes through the compressor and
    # the HMAC into the file as pickle makes it, never as one pickle.dumps then one compress;
    # and back as it is inflated, never as one decompress then one pickle.loads.
    from dateline.build import disk, packing, store as stores

    def whole(*args, **kwargs):
        raise AssertionError("pickled, compressed or inflated whole")
    monkeypatch.setattr(stores.pickle, "dumps", whole)
    monkeypatch.setattr(stores.pickle, "loads", whole)
    monkeypatch.setattr(packing.zstandard, "compress", whole)
    monkeypatch.setattr(packing.zstandard, "decompress", whole)
    for name in ("compress", "decompress"):  # the one-call forms of the (de)compressor objects
        monkeypatch.setattr(packing.zstandard, f"Zstd{name.title()}or", _streaming_only(
            getattr(packing.zstandard, f"Zstd{name.title()}or"), whole))
    monkeypatch.setattr(disk, "CHUNK", 4096)
    obj = {"events": [(i, f"event {i}" * 20, os.urandom(16)) for i in range(3000)]}
    store = cache.Store(tmp_path / cache.FOLDER)
    store.write("timeline", obj)
    assert (tmp_path / cache.FOLDER / "timeline.cache").stat().st_size > 3 * 4096
    assert cache.Store(tmp_path / cache.FOLDER).read("timeline") == obj
