"""Writing a file's bytes: in writes of 1 MB at most, never in one call; stretches of another
file copied by the system (`Span`); folders removed in the background (`remove_detached`).

On the development machine (Linux 6.18 in a virtual machine, ext4) one write() of 64 MB took
0.45-0.5 s, and the same bytes in writes of 1 MB took 0.023 s (4 MB: 0.14 s). The exports of a
10,000-event site, 64 MB written whole by every rebuild that changes an event, were so an eighth
of a one-entry rebuild (docs/performance.md, "Writes of 1 MB"). Elsewhere it costs nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import NamedTuple

from ..core.errors import BuildError, Problem

CHUNK = 1 << 20


class Spilled(NamedTuple):
    """A file's bytes already on disk, beside output/ (`path`): moved into the new site, never read
    back. The exports a process beside the build makes come so (build/beside.py): 64 MB at 10,000
    events no longer cross a pipe to be written again by the build's own process."""
    path: str


class Tail(NamedTuple):
    """An export that is the last build's file (`last`) up to byte `at`, then the bytes spilled at
    `path`: the journal writes those over that file in place (journal.py) rather than a new file
    of the whole being written and renamed over it. An edit to a running timeline's latest entries
    changes the end of each export: at 100,000 events, a few kilobytes of 640 MB, which were
    copied in 0.2 to 0.9 s. `stat` is the last file's (`stat_of`) when its first bytes were taken
    for this build's, by Parts._patched."""
    path: str
    last: str
    at: int
    stat: tuple


TAIL = 1 << 20  # an export that keeps at least this many first bytes of the last one comes as a Tail


def tail_worth(kept: int, size: int) -> bool:
    """Return True when a file that keeps the first `kept` bytes of the last one, `size` long, is
    better put in place as a Tail: at least TAIL bytes kept, and three quarters of the file (its
    end is written twice, beside and then in place; a whole file is written once)."""
    return kept >= TAIL and (size - kept) * 4 <= size


def spilled(data) -> bool:
    """Return True when `data` is a file's bytes put on disk beside output/ (Spilled or Tail)."""
    return isinstance(data, (Spilled, Tail))


class Opened:
    """A file of the last build opened once, with the stat it had then (cache.stat_key's order):
    the Spans of it read what was checked, even if a name is put over it meanwhile, and a change
    in place is found after each copy (`check`)."""

    def __init__(self, path: str, stat: tuple, same=None):
        """`same(a, b)` tells two stats (stat_of) of one version apart from another: equal by default."""
        self.path, self.stat, self._same = path, stat, same or tuple.__eq__
        self.fd = os.open(path, os.O_RDONLY)
        if not self._same(stat_of(os.fstat(self.fd)), stat):
            os.close(self.fd)
            raise OSError(f"{path} changed since it was looked at")

    def check(self) -> None:
        """Raise OSError if the file changed since it was opened."""
        if not self._same(stat_of(os.fstat(self.fd)), self.stat):
            raise OSError(f"{self.path} changed while it was copied")

    def close(self) -> None:
        os.close(self.fd)


def stat_of(st) -> tuple:
    """Return what identifies a file's version in a stat result (cache.stat_key's, from a path)."""
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def content_key(stat: tuple) -> tuple:
    """Return the parts of a stat (stat_of) that follow a file's bytes: its mtime, size and inode.
    The change time is left out: a new name (a hard link made, or one going with the last build's
    tree, deleted in the background) or a new mode moves it too."""
    return stat[0], stat[2], stat[3]


def same_bytes(a: tuple, b: tuple) -> bool:
    """Return True when two stats (stat_of) are of a file with the same bytes (`content_key`)."""
    return content_key(a) == content_key(b)


class Span:
    """Bytes `start` to `end` of an Opened file, one of an export's pieces (build/parts.py):
    written by the system from that file to the other (`copy_file_range`), never read into this
    process. At 100,000 events a one-entry rebuild patched 640 MB of exports so, instead of reading
    each last file whole first (0.3 s of copying for events.json alone, and 160,000 pages of memory)."""

    __slots__ = ("source", "start", "end")

    def __init__(self, source: Opened, start: int, end: int):
        self.source, self.start, self.end = source, start, end

    def __len__(self) -> int:
        return self.end - self.start


def spill_folders(files: dict) -> set:
    """Return the folders that hold the Spilled files (and Tails) among `files`' values."""
    return {Path(data.path).parent for data in files.values() if spilled(data)}


def read(data):
    """Return a file's bytes: `data` itself, or read from where it was Spilled (a Tail's, after the
    last file's first bytes)."""
    if isinstance(data, Tail):
        last = Opened(data.last, data.stat, same_bytes)
        try:
            return _read_span(Span(last, 0, data.at)) + Path(data.path).read_bytes()
        finally:
            last.close()
    return Path(data.path).read_bytes() if isinstance(data, Spilled) else data


def whole(tail: Tail, dest: str | os.PathLike) -> None:
    """Write at `dest` the whole file `tail` stands for (a new tree, or a file the journal cannot
    patch in place). BuildError, before output/ is changed, when the last file's bytes may have
    changed since its first ones were taken (edited or touched while the build ran)."""
    try:
        last = Opened(tail.last, tail.stat, same_bytes)
    except OSError:
        raise BuildError([Problem(tail.last, 0, 0, "this export changed while the build ran, which "
                                  "was to keep its first part", "build again: nothing was changed")]) from None
    try:
        with open(dest, "wb") as f, open(tail.path, "rb") as rest:
            copy_span(f, Span(last, 0, tail.at))
            shutil.copyfileobj(rest, f, CHUNK)
    finally:
        last.close()


def put_tail(source: str | os.PathLike, target: str | os.PathLike, at: int) -> None:
    """Write the bytes of file `source` over file `target` from byte `at`, and end `target` after
    them (journal.py: doing it again gives the same file). A link at `target` is never followed."""
    fd = os.open(target, os.O_WRONLY | os.O_NOFOLLOW)
    try:
        with open(source, "rb") as f:
            while data := f.read(CHUNK):
                view = memoryview(data)
                while view:
                    done = os.pwrite(fd, view, at)
                    view, at = view[done:], at + done
        os.ftruncate(fd, at)
    finally:
        os.close(fd)


def trash_folder(output: Path) -> Path:
    """Return a new name beside `output` for a folder to be removed in the background (the next
    build removes what a killed one left: trees.clean_stale)."""
    return output.with_name(f".{output.name}.trash-{os.getpid()}-{time.monotonic_ns()}")


def remove_detached(folder: Path) -> None:
    """Remove `folder` (ours, named by `trash_folder`) in a detached `rm -rf`, so that the build
    does not wait for the system to free what it holds; here and now where there is no `rm`."""
    rm = shutil.which("rm")
    try:
        if rm is not None:
            subprocess.Popen([rm, "-rf", "--", str(folder)], start_new_session=True, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return
    except OSError:  # no process to be had (too many, no memory): here and now, then
        pass
    shutil.rmtree(folder, ignore_errors=True)


def link(source: str | os.PathLike, dest: str | os.PathLike) -> None:
    """Give a file a second name at `dest` (a hard link); copy it where links are refused."""
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)


def move(source: str | os.PathLike, dest: str | os.PathLike) -> None:
    """Move a file to `dest` by a rename; copy it where the rename is refused (another disk)."""
    try:
        os.replace(source, dest)
    except OSError:
        shutil.copyfile(source, dest)


def write_bytes(path: str | os.PathLike, data) -> None:
    """Create or truncate the file at `path` and write `data` into it: bytes, or an iterable of
    bytes-like pieces or Spans (an export made as it is written, build/parts.py)."""
    with open(path, "wb") as f:
        if isinstance(data, (bytes, bytearray, memoryview)):
            write_all(f, data)
        else:
            write_pieces(f, data)


def write_all(f, data: bytes) -> None:
    """Write `data` into the open binary file `f`, a piece of CHUNK bytes at a time."""
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        f.write(view[start:start + CHUNK])


def write_pieces(f, pieces) -> None:
    """Write the bytes-like `pieces` (or Spans) one after another into `f`, gathered into writes
    of CHUNK bytes (an export's hundred thousand parts are each a few hundred bytes)."""
    gathered = Gathered(f)
    for piece in pieces:
        gathered.write(piece)
    gathered.close()


class Gathered:
    """Writes into `f` what it is given, gathered into whole writes of CHUNK bytes; `close` writes the rest."""

    def __init__(self, f):
        self.f, self.held = f, bytearray()

    def write(self, piece) -> None:
        if isinstance(piece, Span):
            self.close()
            copy_span(self.f, piece)
            return
        if len(piece) >= CHUNK:  # a big piece (a run of an export's parts) goes out as it is
            self.close()
            write_all(self.f, piece)
            return
        self.held += piece
        if len(self.held) >= CHUNK:  # whole chunks out; the rest waits for the next pieces
            cut = len(self.held) - len(self.held) % CHUNK
            with memoryview(self.held) as view:
                write_all(self.f, view[:cut])
            del self.held[:cut]

    def close(self) -> None:
        write_all(self.f, self.held)
        self.held.clear()


def copy_span(f, span: Span) -> None:
    """Append `span`'s bytes to the open binary file `f`; OSError when its file changed or is shorter."""
    f.flush()
    out, source = f.fileno(), span.source.fd
    at, copy = span.start, getattr(os, "copy_file_range", None)
    while at < span.end:
        done = -1
        if copy is not None:
            try:
                done = copy(source, out, min(span.end - at, 1 << 30), at)
            except OSError:  # not between these files here (another disk on an old system...)
                done = -1
            if done <= 0:  # refused, or nothing copied where a read may still find bytes: read
                copy, done = None, -1
        if done < 0:
            done = len(_written(out, os.pread(source, min(span.end - at, CHUNK), at)))
            if done == 0:
                raise OSError(f"{span.source.path} is shorter than when it was looked at")
        at += done
    span.source.check()
    f.seek(0, os.SEEK_END)  # the file object learns where the system left the file


def _written(fd: int, data: bytes) -> bytes:
    """Write all of `data` at `fd`'s offset; return it."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    return data


def joined(pieces) -> bytes:
    """Return the bytes of an export's pieces, Spans read."""
    return b"".join(_read_span(p) if isinstance(p, Span) else p for p in pieces)


def _read_span(span: Span) -> bytes:
    data = os.pread(span.source.fd, len(span), span.start)
    while len(data) < len(span):
        more = os.pread(span.source.fd, len(span) - len(data), span.start + len(data))
        if not more:
            raise OSError(f"{span.source.path} is shorter than when it was looked at")
        data += more
    span.source.check()
    return data
