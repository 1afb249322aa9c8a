"""The preview's builds: the saved entries' own pages first, then the rest of the site.

An editor who saves an entry is looking at its page. When the save changes nothing but the
entries of the files saved (each keeps its slug, its place in the order and the terms the
site has: `core.timeline.revise`) and the event template reads nothing else of the timeline
(`drawn_alone`), their pages are drawn at once from the last build's timeline, written and
reloaded (tens of milliseconds at 10,000 events). The whole rebuild,
with the memo, follows off the server's thread (`Rebuilds`), so pages keep being served while
it runs; what it changes (the pages that list the entries, the exports) is then reloaded in
the browsers that show it. It makes the saved pages again, byte for byte the same, and only
its outcome counts: an error it finds across files replaces the site with the error page.
"""

from __future__ import annotations

import contextlib
from collections import Counter
import os
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import jinja2

from tornado.ioloop import IOLoop

from .. import pipeline as site
from ..build import cache, parallel, write as writer
from ..build.templatereads import Compiled
from ..build.pagekeys import ON_PAGE, ON_TERMS
from ..build.templatereads import template_reads
from ..core.errors import BuildError, Problem, rel
from ..core.load import load_event_file
from ..core.timeline import positions, revise
from ..render.markdown import CONVERTER
from ..render.pages import event_page, make_env, render_page
from ..render.urls import event_path

OUTPUT = Path(cache.FOLDER) / "serve" / "site"
EVENT_FILES = (".md", ".yaml", ".yml")


class Preview:
    """The site as last built for the preview, or the errors that stopped the last build."""

    def __init__(self, root: Path, base_url: str | None = None, say=print):
        self.root = Path(root).absolute()
        self.output = self.root / OUTPUT
        self.base_url, self.say = base_url, say
        self.store = cache.Store(self.root / cache.FOLDER)
        self.memo = cache.open_memo(self.store)
        # The folder may hold files a killed session wrote after its last record: look at all of
        # them once (the first build then removes what the site no longer has).
        self.memo.outputs.get(str(self.output), {}).pop("\0names", None)
        self.base_path = "/"
        self.errors: list[Problem] = []
        self.builds = 0
        self.drawing: Drawing | None = None  # what first pages are drawn from: the last build, if it had no error
        self.timeline = None                 # the last build's without errors
        self.moved: dict[str, str] = {}      # the address of an event page gone -> its entry's page now
        self.changed: set[str] | None = None  # what the last rebuild changed (None: everything may have)
        self.drawn: set[str] = set()          # the pages `first` drew last
        self.superseded = threading.Event()   # set by a save made while a rebuild runs: it stops before writing
        self.finished = False                 # whether the last rebuild ran to its end (built or failed)
        self.writing = threading.Lock()       # held by a rebuild from its write on, and by `first`
        self._holding = False                 # whether the rebuild holds it

    def rebuild(self) -> bool:
        """Build the site, drafts included; on failure keep the errors to show. True if it built."""
        started, had_errors = time.perf_counter(), bool(self.errors)
        self.changed, self.finished = set(), False
        try:
            with parallel.collector_off(), self._written():
                result = site.build(self.root, self.output, self.base_url, drafts=True, memo=self.memo,
                                    in_place=True, progress=self._progress)
        except Superseded:  # nothing written: the site stays as the last build and the first pages left it
            self.say(f"a newer save came in; building again ({time.perf_counter() - started:.2f} s spent)")
            return not self.errors
        except BuildError as exc:
            self.errors = exc.problems or [Problem("site", 0, 0, "the build failed")]
        except Exception as exc:  # noqa: BLE001 - a bug in a build must not stop the preview
            self.errors = [Problem("dateline", 0, 0, f"internal error: {exc!r}",
                                   "please report it with the traceback printed by `build.py serve`")]
            self.say(traceback.format_exc())
        else:
            if self.timeline is not None:
                self.moved = moved_pages(self.timeline, result.timeline, self.moved)
            self.timeline = result.timeline
            env = make_env(self.root, Compiled(self.memo.templates))  # templates added since are read
            self.drawing = Drawing(result, positions(result.timeline), env) if drawn_alone(env) else None
            if self.drawing is not None:
                env.get_template("event.html")  # compiled now, so that the next save's page is drawn at once
            self.changed = None if had_errors else (result.changed or set())
            self.base_path = result.timeline.config.base_path
            self.errors = []  # last: a page served without errors means a save is drawn first from now on
            if self.memo.complete:
                CONVERTER.drop_unused()  # keep the memory to what the site uses
            self.memo.forget_unseen()
            if not self.builds:
                cache.save_memo(self.store, self.memo)  # the next session starts from here
        self.builds, self.finished = self.builds + 1, True
        if self.errors:
            self.changed = None
        seconds = time.perf_counter() - started
        for note in self.store.take_notes():
            self.say(note)
        if self.errors:
            self.drawing = None
            self.say(f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''} "
                     f"({seconds:.2f} s); the browser shows them:")
            for problem in self.errors:
                self.say(f"  {problem}")
        else:
            rendered = self.memo.counts['files rendered']
            self.say(f"built in {seconds:.2f} s: {rendered} file{'s' if rendered != 1 else ''} rendered, "
                     f"{self.memo.counts['files kept']} unchanged")
        return not self.errors

    @contextlib.contextmanager
    def _written(self):
        """Let `first` write again once the rebuild is over (it holds `writing` from its write on)."""
        try:
            yield
        finally:
            if self._holding:
                self._holding = False
                self.writing.release()

    def _progress(self, stage: str, done: int = 0, total: int = 0) -> None:
        """Stop a rebuild that a newer save made stale, at the latest before it writes."""
        if stage == "writing" and not self._holding:
            self.writing.acquire()  # released when the rebuild ends; `first` sets `superseded` before it waits
            self._holding = True
        if stage in STOPPABLE and self.superseded.is_set():
            raise Superseded

    def first(self, paths) -> set[str]:
        """Draw the pages of the entries saved in `paths` (every file saved since the last build
        began) when they can be drawn alone (see the module's docstring); note them in `drawn` and
        return those whose bytes changed."""
        self.drawn, drawing = set(), self.drawing
        if drawing is None or not paths:
            return set()
        started = time.perf_counter()
        try:
            files = first_pages(self.root, drawing, paths)
        except BuildError:  # a template's mistake: the rebuild reports it
            return set()
        except Exception:  # noqa: BLE001 - a bug here must not keep the rebuild from running
            self.say(traceback.format_exc())
            return set()
        if not files:
            return set()
        with self.writing:  # never among a rebuild's writes (only this preview writes its folder)
            changed = writer.update_pages(self.output, files)
        self.drawn = set(files)
        self.say(f"drew {', '.join(sorted(files))} in {time.perf_counter() - started:.3f} s; the rest follows")
        return changed



class Drawing(NamedTuple):
    """What the first pages are drawn from: the last build without errors, where each file's
    events are in its timeline (`positions`), and the templates as they were then."""

    result: site.Result
    places: dict[str, list[int]]
    env: jinja2.Environment


def drawn_alone(env: jinja2.Environment) -> bool:
    """Return True when an event's page reads nothing of the timeline but the terms' names and
    links (what `revise` keeps right); a site's event.html may read more (`timeline`)."""
    reads = template_reads(env, "event.html")
    return reads is not None and not reads - ON_PAGE - ON_TERMS - set(env.globals) - {"event", "previous", "next"}


def first_pages(root: Path, drawing: Drawing, paths) -> dict[str, bytes] | None:
    """Return {output path: bytes} of the events of the files in `paths` as the full build will
    draw them, or None when only the full build can tell (`revise`)."""
    (last, places, env), files = drawing, set()
    timeline = last.timeline
    for path in map(Path, paths):
        if path.suffix not in EVENT_FILES and not os.path.lexists(path):
            continue  # an editor's temporary file, gone again (vim's 4913...)
        if path.suffix not in EVENT_FILES or root / "content" / "events" not in path.parents:
            return None
        problems: list[Problem] = []
        entries = load_event_file(path, root, problems)
        where = rel(path, root)
        if problems or timeline is None:
            return None
        timeline = revise(timeline, where, entries, last.texts, places.get(where, []))
        files.add(where)
    if timeline is None:
        return None
    return {page.path: render_page(env, timeline, page)
            for page in (event_page(timeline.events, i) for where in files for i in places[where])}


def moved_pages(before, after, known: dict[str, str]) -> dict[str, str]:
    """Return {address of an event's page gone: the address of its entry's page now} after an edit
    gave an entry another date or title (its page's address holds both), with the `known` moves
    carried on; an address that has a page again is no longer redirected."""
    def pages(timeline) -> dict[tuple[str, int], str]:
        found, count = {}, Counter()
        for event in sorted(timeline.events, key=lambda e: (e.path, e.line)):
            found[(event.path, count[event.path])] = event_path(event)  # a file's entries, in its order
            count[event.path] += 1
        return found
    old, new = pages(before), pages(after)
    now = set(new.values())
    moved = {page: new[entry] for entry, page in old.items() if entry in new and new[entry] != page}
    chained = {page: moved.get(target, target) for page, target in known.items()}
    return {page: target for page, target in {**chained, **moved}.items() if page not in now and target in now}


class Superseded(Exception):
    """A save came in while a rebuild ran: it stops, and the next one starts from the files as they are."""


STOPPABLE = frozenset({"reading", "checking", "comparing with the last build", "checking links", "writing"})


def _union(a: set | None, b) -> set | None:
    return None if a is None or b is None else a | set(b)


class Rebuilds:
    """Runs the preview's rebuilds one at a time on a thread of their own, and tells
    `reload(files)` what changed (None: everything may have).

    Each save first has its entries' pages drawn on the server's thread (`Preview.first`), from
    the last build and every file saved since it began, even while a rebuild runs; a rebuild
    under way is then stopped before it writes, and the next one starts once it has."""

    def __init__(self, preview: Preview, reload):
        self.preview, self.reload = preview, reload
        self.pending: set | None = set()  # saved since the running rebuild began (None: not known)
        self.unbuilt: set | None = set()  # saved since the last build began
        self.running = False
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="rebuild")

    def saved(self, paths) -> None:
        """Note the files saved (None: not known); draw their pages; start or supersede a rebuild."""
        self.pending, self.unbuilt = _union(self.pending, paths), _union(self.unbuilt, paths)
        if self.running:
            self.preview.superseded.set()  # before `first` waits for the rebuild's write, if it is writing
        self._draw()
        if not self.running:
            self._start()

    def _draw(self) -> None:
        changed = self.preview.first(self.unbuilt) if self.unbuilt else set()
        if changed:
            self.reload(changed)

    def _start(self) -> None:
        self.pending, self.running = set(), True
        self.preview.superseded.clear()
        loop = IOLoop.current()
        loop.add_future(loop.run_in_executor(self.pool, self.preview.rebuild), self._done)

    def _done(self, _future) -> None:
        self.running = False
        if self.preview.finished:
            self.unbuilt = self.pending
            self.reload(self.preview.changed)
        if self.pending is None or self.pending:
            self._start()

    def close(self) -> None:
        """Stop the rebuild under way at its next step and wait for it, so that the memo is whole when saved."""
        self.preview.superseded.set()
        self.pool.shutdown(wait=True)
