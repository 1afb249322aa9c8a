"""Tell the live preview when a site's sources change: inotify on Linux, polling elsewhere.

Watched: site.yaml, and everything under content/, templates/ and static/ (the site's, and
the default theme's). inotify costs nothing between saves and answers within milliseconds;
polling stats every file, so it waits in proportion to the time a scan takes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
import time
from pathlib import Path

from tornado.ioloop import IOLoop, PeriodicCallback

NAMES = ("site.yaml", "content", "templates", "static")  # what a site's folder holds that counts
SETTLE = 0.05  # an editor's save can be several writes: wait this long for the last one

_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF, _IN_ISDIR = 0x400, 0x800, 0x40000000
_MASK = (_IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE
         | _IN_DELETE | _IN_DELETE_SELF | _IN_MOVE_SELF)
_EVENT = struct.Struct("iIII")


class Watch:
    """Calls `on_change(paths)` on the current IOLoop after the watched files change, with the
    set of paths that changed (None when they are not known: inotify's queue overflowed)."""

    def __init__(self, folders: list[Path], on_change):
        self.folders = list(dict.fromkeys(Path(f).absolute() for f in folders))
        self.on_change = on_change
        self.pending = None
        self.paths: set[Path] | None = set()  # changed since the callback last ran
        self.fd = _inotify_init()
        self.watches: dict[int, Path] = {}
        self.signature = None

    def start(self) -> None:
        """Begin watching; the callback runs on the IOLoop that is current now."""
        loop = IOLoop.current()
        if self.fd >= 0:
            for folder in self.folders:
                self._watch(folder)
                for name in NAMES[1:]:
                    self._add(folder / name)
            loop.add_handler(self.fd, self._read, IOLoop.READ)
        else:
            self.signature = self.scan()
            self.poll = PeriodicCallback(self._poll, 300)
            self.poll.start()

    def _add(self, folder: Path) -> None:
        """Watch `folder` and every folder below it."""
        for top, _dirs, _files in os.walk(folder):
            self._watch(Path(top))

    def _watch(self, folder: Path) -> None:
        wd = _LIBC.inotify_add_watch(self.fd, os.fsencode(folder), _MASK)
        if wd >= 0:
            self.watches[wd] = folder

    def _read(self, fd, events) -> None:
        """Read what inotify reports; schedule a rebuild if any of it matters."""
        try:
            data = os.read(self.fd, 1 << 16)
        except BlockingIOError:
            return
        relevant, paths = False, set()
        for offset in _offsets(data):
            wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
            name = data[offset + _EVENT.size: offset + _EVENT.size + length].rstrip(b"\0").decode(errors="replace")
            if wd == -1:  # the kernel's queue overflowed: changes were lost, so rebuild
                relevant, paths = True, None
                continue
            folder = self.watches.get(wd)
            if folder is None:
                continue
            if folder in self.folders and name not in NAMES:
                continue  # output/, .dateline-cache/, README...: not the site's sources
            if name.startswith(".") or name.endswith("~"):
                continue  # editors' swap and backup files
            relevant = True
            if paths is not None:
                paths.add(folder / name if name else folder)
            if mask & _IN_ISDIR and mask & (_IN_CREATE | _IN_MOVED_TO):
                self._add(folder / name)
        if relevant:
            self._schedule(paths)

    def _poll(self) -> None:
        """Compare a fresh scan with the last one (when inotify is not available)."""
        started = time.perf_counter()
        signature = self.scan()
        # a slow scan (a huge site) must not keep a core busy: poll less often
        self.poll.callback_time = max(300, 20_000 * (time.perf_counter() - started))
        if signature != self.signature:
            changed = {Path(p) for p, *_ in set(signature) ^ set(self.signature)}
            self.signature = signature
            self._schedule(changed)

    def scan(self) -> list:
        """Return (path, mtime, size) of every watched file."""
        found = []
        for folder in self.folders:
            paths = [folder / "site.yaml"]
            for name in NAMES[1:]:
                for top, _dirs, files in os.walk(folder / name):
                    paths += [Path(top) / f for f in files]
            for path in sorted(paths):
                try:
                    st = path.stat()
                except OSError:
                    continue
                found.append((str(path), st.st_mtime_ns, st.st_size))
        return found

    def _schedule(self, paths: set[Path] | None) -> None:
        """Run the callback once the burst of changes has settled."""
        self.paths = None if paths is None or self.paths is None else self.paths | paths
        loop = IOLoop.current()
        if self.pending is not None:
            loop.remove_timeout(self.pending)
        self.pending = loop.call_later(SETTLE, self._fire)

    def _fire(self) -> None:
        paths, self.pending, self.paths = self.paths, None, set()
        self.on_change(paths)

    def close(self) -> None:
        """Stop watching."""
        if self.fd >= 0:
            IOLoop.current().remove_handler(self.fd)
            os.close(self.fd)
            self.fd = -1
        elif getattr(self, "poll", None):
            self.poll.stop()


def _offsets(data: bytes):
    """Yield the offset of each inotify event in a read buffer."""
    offset = 0
    while offset + _EVENT.size <= len(data):
        yield offset
        offset += _EVENT.size + _EVENT.unpack_from(data, offset)[3]


def _load_libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.inotify_init1, libc.inotify_add_watch  # noqa: B018 - present on Linux only
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _load_libc()


def _inotify_init() -> int:
    """Return an inotify descriptor, or -1 where inotify does not exist (then polling is used)."""
    if _LIBC is None or os.environ.get("DATELINE_POLL"):
        return -1
    return _LIBC.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
