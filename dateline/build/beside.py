"""Work done in a process forked beside the build's own: a rebuild's exports.

A rebuild that draws a few pages spent as long making the exports from the whole timeline as
comparing and drawing the pages, while the second core sat idle. The exports are now made in a
forked process meanwhile (docs/performance.md, "The exports beside the pages"); what it noted of
them (keys, parts, counts) and the Markdown it converted come back with the files.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import shutil
import tempfile

from ..render.markdown import CONVERTER
from . import disk
from .parallel import MIN_PAGES, jobs_for

ASIDE_EVENTS = 2000  # below this many events, the exports take less time than a process costs


class Aside:
    """Files made by `run()` in a forked process while this one goes on (`aside`).

    `run()` returns ({path: bytes, disk.Spilled or None}, anything else picklable); `result()`
    gives the same. Bytes come through the pipe as they are (pickled in one piece, 64 MB of
    exports took 0.26 s to cross, against 0.1 s); a file `run()` wrote itself comes as its path."""

    PIPE = 1 << 20  # the pipe's buffer (Linux's default is 64 KB: a thousand switches per 64 MB)
    WAIT = 0.5      # seconds between two looks at whether the process is still there

    def __init__(self, run):
        """Start the process; OSError when it cannot be (`aside` then answers None)."""
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        with contextlib.suppress(ImportError, AttributeError, OSError):  # Linux only; it only saves time
            import fcntl
            fcntl.fcntl(self._receive.fileno(), fcntl.F_SETPIPE_SZ, self.PIPE)
        self._process = context.Process(target=_aside, args=(run, send), daemon=True)
        try:
            self._process.start()
        except BaseException:
            self._receive.close()
            raise
        finally:
            send.close()

    def result(self) -> tuple[dict, object] | None:
        """Return `run()`'s value, or None if that process died (the caller then does the work itself)."""
        try:
            while not self._receive.poll(self.WAIT):  # never waits on a process that is gone
                if not self._process.is_alive():
                    return None
            names, other, fresh, used = self._receive.recv()
            files = {name: self._receive.recv_bytes() if sent is True else sent or None for name, sent in names}
        except (EOFError, OSError):  # killed, out of memory, or an error it leaves to the caller
            return None
        finally:
            self.close()
        CONVERTER.merge(fresh, used)
        return files, other

    def close(self) -> None:
        """Stop the process if it still runs (this build failed before it asked for the result)."""
        self._receive.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def aside(run, events: int, jobs: int | None = None) -> Aside | None:
    """Start `run()` in a forked process while this one goes on (see Aside); None when it is not
    worth it (a small timeline, one core, no fork).

    For a rebuild that draws a few pages: the exports, made from the whole timeline, took as long
    as comparing and drawing the pages while the second core was idle (docs/performance.md, "The
    exports beside the pages"). Markdown converted there comes back to the memo here."""
    if events < ASIDE_EVENTS or jobs_for(MIN_PAGES, jobs) < 2:
        return None
    try:
        return Aside(run)
    except (OSError, AssertionError):  # no memory or no process left to fork; inside a daemon process
        return None


def _aside(run, send) -> None:
    """In the forked process: send `run()`'s files and the rest back, with the Markdown it
    converted; nothing else (on an error the pipe closes, and the parent does the work again, to
    meet the error itself)."""
    try:
        before = set(CONVERTER.changed)
        files, other = run()
        send.send(([(name, data if disk.spilled(data) else data is not None)
                    for name, data in files.items()], other, *CONVERTER.since_changed(before)))
        for data in files.values():
            if isinstance(data, bytes):
                send.send_bytes(data)
    except BaseException:  # noqa: BLE001 - the parent sees the pipe close and does the work itself
        pass
    finally:
        send.close()


def spill_prefix(output) -> str:
    """Return the name this process gives the folders of exports it writes beside `output`."""
    return f".{output.name}.exports-{os.getpid()}-"


def remove_spills(output) -> None:
    """Remove the folders of exports this process wrote beside `output` (the build is over: what
    the site took has been moved or linked into it)."""
    for folder in output.parent.glob(spill_prefix(output) + "*"):
        shutil.rmtree(folder, ignore_errors=True)


class Exports:
    """The exports of a build with a cache (`keep`): on a rebuild of a big enough timeline, made
    beside this process from the start (`apart`); else made here when asked for. `make(put)`
    makes them, each file handed to `put(path, bytes or pieces)` as it is made.

    Made beside, each export is written there into a folder beside the output (`spill`), on its
    disk, and comes back as disk.Spilled: the journal links it into the site, a new tree takes it
    by a rename. Neither
    process holds a whole export, and none crosses the pipe (at 10,000 events, 64 MB: 0.2 s to
    receive, 0.1 s to write again here; docs/performance.md, "The exports written beside").
    The folder goes once the build is over, whatever its end (`remove_spills`, from the pipeline),
    or at once when the exports are made here after all; a killed build's is removed by the next
    one (trees.clean_stale).

    Not beside the live preview's rebuild (`keep.apart` False): it runs on a thread of its own
    while the server's answers, and a process forked from a process with threads may wait for
    ever on a lock one of them held. Nor beside a build that writes each file into a new tree
    as it is made (`streams`): the process would hold all the exports until the pages are
    drawn, and this one would then hold them all too."""

    def __init__(self, keep, env, timeline, make):
        self.keep, self.make = keep, make
        self.apart = self.spill = None
        if keep.old and keep.apart:  # a rebuild: the last build's parts and keys are there to compare with
            keep.prepare(env, timeline)
            if keep.memo.store is not None:  # its reads ahead are over: no thread of ours runs across the fork
                keep.memo.store.settle(writes=False)
            with contextlib.suppress(OSError):  # else the exports come through the pipe
                self.spill = tempfile.mkdtemp(prefix=spill_prefix(keep.output), dir=keep.output.parent)
            self.apart = aside(lambda: keep.whole_apart("exports", lambda: make(self._spilled)),
                               len(timeline.events))
            if self.apart is None:
                self.discard()

    def _spilled(self, path: str, data):
        """In the process beside: write export `path` into the spill folder (bytes, or pieces)."""
        if self.spill is None:
            return data if isinstance(data, bytes) else disk.joined(data)
        into = os.path.join(self.spill, path.replace("/", "%"))
        if not isinstance(data, bytes):  # the last file's first bytes as they are: only the rest is written
            data = iter(data)
            first = next(data, b"")
            if isinstance(first, disk.Span) and first.start == 0 and disk.tail_worth(first.end, first.source.stat[2]):
                disk.write_bytes(into, data)
                return disk.Tail(into, first.source.path, first.end, first.source.stat)
            data = itertools.chain((first,), data)
        disk.write_bytes(into, data)
        return disk.Spilled(into)

    def streams(self) -> None:
        """The build writes each file as it is made: the exports are made here, meanwhile."""
        self.close()
        self.discard()
        self.apart = None

    def __call__(self, put) -> dict:
        """Return the exports' files (None for each one kept from the last build); made here, each is
        handed to `put` as it is made."""
        made = self.apart.result() if self.apart else None
        if made is None:  # made here: there was no process beside, or it died
            self.discard()
            return self.keep.whole("exports", (), lambda: self.make(put))
        self.keep.adopt(made[1])
        return made[0]

    def close(self) -> None:
        """Stop the process beside, if it still runs (the folder of what it wrote goes with the
        build's end: `remove_spills`)."""
        if self.apart:
            self.apart.close()

    def discard(self) -> None:
        """Remove the spill folder and what is in it: the exports are made here instead."""
        if self.spill is not None:
            shutil.rmtree(self.spill, ignore_errors=True)
            self.spill = None
