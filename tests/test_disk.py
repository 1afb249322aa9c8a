"""build/disk.py: a file's bytes written in pieces of at most CHUNK bytes, all of them, in order."""

from __future__ import annotations

import io
import os
import time

import pytest

from dateline.build import disk


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 3 * 4096 + 5])
def test_every_byte_is_written_in_order_in_pieces_no_bigger_than_a_chunk(tmp_path, monkeypatch, size):
    monkeypatch.setattr(disk, "CHUNK", 4096)
    data = bytes(i % 251 for i in range(size))
    pieces = []

    class Recording(io.BytesIO):
        def write(self, piece):
            pieces.append(len(piece))
            return super().write(piece)
    f = Recording()
    disk.write_all(f, data)
    assert f.getvalue() == data
    assert all(0 < n <= 4096 for n in pieces) and len(pieces) == -(-size // 4096)
    disk.write_bytes(tmp_path / "x", data)
    disk.write_bytes(tmp_path / "x", data[: size // 2])  # truncated, as open(..., "wb") does
    assert (tmp_path / "x").read_bytes() == data[: size // 2]


def test_pieces_are_gathered_into_writes_of_a_chunk(tmp_path, monkeypatch):
    # An export handed over in pieces (a few hundred bytes each, some views of the last file)
    # goes out in writes of CHUNK bytes, not one write per piece nor one of the whole file.
    monkeypatch.setattr(disk, "CHUNK", 4096)
    pieces = [bytes([i % 251]) * (i * 37 % 900) for i in range(400)] + [memoryview(b"x" * 10000)]
    writes = []

    class Recording(io.BytesIO):
        def write(self, piece):
            writes.append(len(piece))
            return super().write(piece)
    f = Recording()
    disk.write_pieces(f, iter(pieces))
    data = b"".join(pieces)
    assert f.getvalue() == data
    assert all(0 < n <= 4096 for n in writes) and len(writes) <= len(data) // 4096 + 4
    disk.write_bytes(tmp_path / "x", (p for p in pieces))
    assert (tmp_path / "x").read_bytes() == data


def test_a_files_content_key_follows_its_bytes_not_its_names(tmp_path):
    """A hard link made to a file, or gone (the last build's tree deleted), moves its change time
    but not its content key; writing it again moves both (incremental.Keep keeps pages by it)."""
    page = tmp_path / "index.html"
    page.write_bytes(b"<p>one</p>")
    before = disk.stat_of(os.stat(page))
    time.sleep(0.01)
    os.link(page, tmp_path / "linked.html")
    os.unlink(tmp_path / "linked.html")
    linked = disk.stat_of(os.stat(page))
    assert linked[1] != before[1]  # the change time moved
    assert disk.content_key(linked) == disk.content_key(before) and disk.same_bytes(linked, before)
    time.sleep(0.01)
    page.write_bytes(b"<p>two</p>")
    again = disk.stat_of(os.stat(page))
    assert disk.content_key(again) != disk.content_key(before) and not disk.same_bytes(again, before)
