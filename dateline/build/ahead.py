"""Markdown converted ahead, on the second core, while the build reads and checks the content.

A build with nothing in its cache reads and checks every entry on one core (30 s at 100,000
events) before the pages' work is shared between the cores, the Markdown first
(`parallel.convert_markdown`, 37 s). Meanwhile a process forked at the start reads and checks
the entries too, from the last one backwards, and converts their bodies and summaries; when the
build's own check is done, it stops at once and hands over what it converted (`Ahead.take`).

What it sends is keyed as the Markdown memo keys it, by a hash of the text, its citations and
allow_html: a text it read otherwise than the build (a file saved between the two reads) is a
key no page asks for, and the build converts what its pages need itself. So it never changes
what the site shows, only how soon; and nothing it finds wrong is said: the build's own
reading says it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from pathlib import Path

from ..core.config import parse_config
from ..core.load import load_event_file, load_site
from ..core.rules import check_event, check_source
from ..render.markdown import CONVERTER
from .parallel import MIN_PAGES, jobs_for

AHEAD_FILES = 2000  # entries under content/events/ from which it is worth a process
EVERY = 20          # entries converted between two looks at whether the build's check is done
WAIT = 0.5          # seconds between two looks at whether the process is still there


class Ahead:
    """The process converting Markdown ahead (`ahead`); `take()` stops it and merges its work."""

    def __init__(self, root: Path):
        context = multiprocessing.get_context("fork")
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(target=_convert_ahead, args=(root, theirs, self._pipe), daemon=True)
        try:
            self._process.start()
        finally:
            theirs.close()

    def take(self) -> int:
        """Stop the process and put what it converted into the Markdown memo; return how many texts."""
        try:
            self._pipe.send(True)
            while not self._pipe.poll(WAIT):  # never waits on a process that is gone
                if not self._process.is_alive() and not self._pipe.poll(0):  # (or has just sent and gone)
                    return 0
            fresh = self._pipe.recv()
        except (EOFError, OSError):  # it died: the build converts everything itself, as without it
            return 0
        finally:
            self.close()
        CONVERTER.merge(fresh, set())  # used: only when a page asks for it
        return len(fresh)

    def close(self) -> None:
        """Stop the process without its work (the content has errors: no page will be drawn)."""
        self._pipe.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


@contextlib.contextmanager
def meanwhile(root: Path, memo, wanted: bool = True):
    """Read the content's memo (`memo.load_content`), and convert ahead (`ahead`) when `wanted` and
    the memo holds no entry (a build that has its entries has their Markdown too). Yields
    `done(ok)`, to call once the content is checked: the work is taken if `ok` (no error in the
    content); the process is stopped whatever happens."""
    early = ahead(root) if wanted and (memo is None or memo.content_pending) else None
    try:
        if memo is not None:
            memo.load_content()  # after the fork: the store may read on threads of its own
            if early is not None and memo.files:
                early.close()
                early = None
        yield lambda ok: early.take() if early is not None and ok else None
    finally:
        if early is not None:
            early.close()


def ahead(root: Path, jobs: int | None = None) -> Ahead | None:
    """Start converting the Markdown of the entries under `root` in a forked process (see Ahead);
    None when it is not worth it (few entries, one core) or not safe (another thread runs: a
    forked copy may wait for ever on a lock it held)."""
    if jobs_for(MIN_PAGES, jobs) < 2 or threading.active_count() > 1:
        return None
    try:
        with os.scandir(Path(root) / "content" / "events") as found:
            if sum(1 for _ in zip(range(AHEAD_FILES), found)) < AHEAD_FILES:
                return None
        return Ahead(Path(root))
    except (OSError, AssertionError):  # no such folder; no process left to fork; inside a daemon
        return None


class _SourcesOnly:
    """What `load_site` calls for each entry's file: here it is noted, not read."""

    def __init__(self):
        self.paths: list[Path] = []

    def read_events(self, path: Path, root: Path, problems: list, read) -> list:
        self.paths.append(path)
        return []


def _entries(paths: list[Path], root: Path):
    """Each entry of the files at `paths`, from the last file's."""
    for path in reversed(paths):
        yield from load_event_file(path, root, [])


def _convert_ahead(root: Path, pipe, builds) -> None:
    """In the forked process: read the sources, then each entry from the last, checked and its
    Markdown converted, until the build says stop; send {memo key: result} back. The build's end
    of the pipe (`builds`) is closed here at once: when the build ends, even killed, this end
    finds the pipe closed, and the process ends too."""
    builds.close()
    fresh: dict = {}
    try:
        files = _SourcesOnly()
        site = load_site(root, files)
        config = parse_config(site.config, [], None)
        sources = {s.id: s for s in (check_source(sf, []) for sf in site.sources) if s is not None}
        for n, entry in enumerate(_entries(files.paths, root)):
            if n % EVERY == 0 and pipe.poll():  # asked to stop, or the build is gone
                break
            event = check_event(entry, config, sources, [])
            if event is None:
                continue
            for args in ((event.body_md, event.cite_map, config.allow_html), (event.summary_md, (), config.allow_html)):
                key = CONVERTER.key(*args) if args[0] else None
                if key is not None and key not in fresh:
                    fresh.update(CONVERTER.convert({key: args}))
        pipe.recv()  # all done before the build's check: wait to be asked (EOFError: the build is gone)
    except BaseException:  # noqa: BLE001 - whatever it met, the build meets and says itself
        pass
    with contextlib.suppress(OSError):
        pipe.send(fresh)
    pipe.close()
