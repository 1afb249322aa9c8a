"""The listing of what `build` reads, taken by a process forked as the build starts.

Before a build reads anything it lists content/, templates/, static/ and the theme, each file by
its stat (build/unchanged.py: has anything changed since the last build? build/snapshot.py: which
entries?). At 100,000 events that takes 0.26 s, most of it in the kernel. `Survey.start` forks a
process that takes it while this one, when the listing is not ready at once (a big site), loads
its modules and starts reading its caches; on two cores the build waits only for what is left.
A small site's listing is ready before the modules would have loaded: a build that finds nothing
changed there never loads them.

Any failure in the forked process only means that the build lists the files itself.
"""

from __future__ import annotations

import marshal
import os
import select
import struct
import threading
from pathlib import Path

from . import unchanged

WAIT = 0.05  # seconds the build waits for the listing before it loads its modules meanwhile
_SIZE = struct.Struct("<Q")


class Survey:
    """The process forked by `start`, and the listing it sends."""

    def __init__(self, pid: int, fd: int):
        self.pid = pid
        self._pipe = os.fdopen(fd, "rb")

    @classmethod
    def start(cls, root: Path, options: tuple, stamp: str) -> Survey | None:
        """Fork the process that takes unchanged.inputs(root, options, stamp); None when it cannot be
        forked (no fork, or another thread runs: a fork keeps none of them, nor the locks they hold)."""
        if not hasattr(os, "fork") or threading.active_count() != 1:
            return None
        try:
            read, write = os.pipe()
        except OSError:  # no file left to open: listed here
            return None
        try:
            pid = os.fork()
        except OSError:  # no process left to fork, or no memory: listed here
            os.close(read)
            os.close(write)
            return None
        if pid == 0:  # pragma: no cover - the child, seen by what it sends
            code = 1
            try:
                os.close(read)
                _send(write, unchanged.inputs(root, options, stamp))
                code = 0
            finally:
                os._exit(code)  # never the build's exit handlers
        os.close(write)
        return cls(pid, read)

    def ready(self, timeout: float = WAIT) -> bool:
        """Return True when the listing can be taken without waiting, after waiting up to `timeout` s."""
        return not self.pid or bool(select.select([self._pipe], [], [], timeout)[0])

    def inputs(self) -> unchanged.Fingerprint | None:
        """Return unchanged.inputs(root, options, stamp) as the process took it; None when it could not
        tell, or failed (the build looks for itself then). Once only: the process is reaped."""
        if not self.pid:
            return None
        try:
            head = self._pipe.read(_SIZE.size)
            body = self._pipe.read(_SIZE.unpack(head)[0]) if len(head) == _SIZE.size else b""
            found = marshal.loads(body) if body else None
        except (OSError, ValueError, EOFError, struct.error):
            found = None
        finally:
            self.close()
        return unchanged.Fingerprint(*found) if found else None

    def close(self) -> None:
        """Stop the process if it still runs, and reap it."""
        if self.pid:
            self._pipe.close()
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):  # pragma: no cover - reaped by another's wait
                pass
            self.pid = 0


def _send(fd: int, found: unchanged.Fingerprint | None) -> None:  # pragma: no cover - the forked process
    data = marshal.dumps(None if found is None else (found.digest, found.newest_ns, found.taken_ns, found.content))
    view = memoryview(_SIZE.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]
