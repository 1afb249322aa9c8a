"""Render pages on every core: each page is a pure function of the timeline and the templates.

Worker processes are forked, so they start with the parent's timeline, compiled templates and
Markdown memo; they send back the pages' bytes (on a big build, they write them into the new
tree instead, and send back their links), their problems, and what they added to the Markdown
memo so the parent can save it for the next build.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
from itertools import islice

import jinja2

from . import disk
from ..core.errors import BuildError, Problem
from ..core.model import Timeline
from ..render.links import Written
from ..render.markdown import CONVERTER, KEY_SIZE

MIN_PAGES = 300      # below this, starting workers costs more than it saves
MIN_TEXTS = 200      # Markdown texts: below this, each is converted where a page first needs it
CHUNKS_PER_JOB = 8   # small enough to balance the load, big enough to batch the transfers

_JOB: tuple = ()     # (env, timeline, pages, render_page, shares, sink), inherited by forked workers
_TEXTS: tuple = ()   # (Markdown texts to convert, shares), inherited by forked workers
_SPREAD = None       # the work of `spread`, inherited by forked workers
_OFF = 0             # how deep within collector_off()
_HEAP_SET = False    # steady_heap() done in this process


@contextlib.contextmanager
def collector_off():
    """Run a build without Python's cycle collector but while its pages render, then put it back.

    A build is one pass whose objects (the memo, the timeline) live until it ends: the collector
    walked them again and again for nothing. Off, a 10,000-event build takes 10-25 % less time.
    But each page leaves a cycle (its Jinja context and the macros bound to it): while the pages
    render (`render_pages`), what the build holds is frozen out of the collector's sight and the
    collector is on, for the pages' leftovers alone (else 20 MB more at 1,000 events, see
    docs/performance.md). `build` and each of the preview's builds run so; the preview collects
    between saves. Nested, only the outermost puts the collector back."""
    global _OFF, _HEAP_SET
    collecting = gc.isenabled()
    try:
        _OFF += 1
        if not _HEAP_SET:
            _HEAP_SET = True
            steady_heap()
        gc.disable()
        yield
    finally:
        _OFF -= 1
        if collecting and not _OFF:
            gc.enable()


M_MMAP_THRESHOLD = -3  # glibc's mallopt() parameter
MMAP_THRESHOLD = 128 * 1024  # glibc's first value, kept


def steady_heap(libc=None) -> bool:
    """Keep blocks of 128 KB or more outside the heap, so that freeing them gives the memory back.

    glibc raises that threshold each time such a block is freed, up to the largest freed: after an
    export's 8 MB text, every page's bytes went to the heap, among the small parts it had freed,
    and the heap never shrank (25 MB more peak memory at 1,000 events, docs/performance.md).
    Set once in a process (`collector_off`), for good: that turns the raising off. Only on Linux
    with glibc; elsewhere nothing is done (False)."""
    if libc is None and not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = libc or ctypes.CDLL(None)
        return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (ImportError, AttributeError, OSError, TypeError):  # musl knows no such parameter: 0
        return False


def trim_heap(libc=None) -> bool:
    """Give the heap's free pages back to the system (glibc's malloc_trim) before a fork.

    A forked process counts every page this one holds when it forks, those its heap freed too:
    at 100,000 events the processes forked late (the link check's, the writers') were the build's
    peak (docs/performance.md, "Peak memory"). Only on Linux with glibc; elsewhere False."""
    if libc is None and not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = libc or ctypes.CDLL(None)
        return bool(libc.malloc_trim(0))
    except (ImportError, AttributeError, OSError, TypeError):  # musl has no malloc_trim
        return False


@contextlib.contextmanager
def _collecting_leftovers():
    """Within `collector_off`, while pages render: freeze what exists and turn the collector on,
    for the pages' cycles, in this process and in the workers forked meanwhile (they inherit it).

    With workers, this process takes their pages back meanwhile: with its collector off then, a
    full render at 1,000 events spent four times the system time (1.65x the wall time of the
    version before the re-layering, 0.95x with it on). What this froze is let go after (not
    what the process had frozen before it)."""
    if not _OFF:
        yield
        return
    froze = gc.get_freeze_count() == 0
    gc.freeze()  # also before the workers fork: their collector never writes to the pages they share
    gc.enable()
    try:
        yield
    finally:
        gc.disable()
        if froze:
            gc.unfreeze()


def jobs_for(pages: int, jobs: int | None = None) -> int:
    """Return how many processes should render `pages` pages (1: in this process)."""
    if jobs is None:
        jobs = int(os.environ.get("DATELINE_JOBS") or os.cpu_count() or 1)
    if pages < MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, jobs)


def render_pages(env: jinja2.Environment, timeline: Timeline, pages: list, render_page, jobs: int | None = None,
                 meanwhile=None, progress=None, texts=tuple, sink: str | None = None
                 ) -> tuple[dict[str, bytes | Written], list[Problem]]:
    """Render `pages` with `render_page`; return {path: bytes} and the problems, one per template line.

    `texts()` lists the Markdown the pages will convert, (text, cite_map, allow_html): with workers,
    those the memo lacks are converted first, on every core (`convert_markdown`).
    `meanwhile()` runs in this process while the workers render (the whole-timeline exports);
    `progress(stage, done, total)` hears of the pages done. With a `sink` folder (a new tree),
    each page is written there as soon as it is drawn, and comes back as links.Written: the
    pages' bytes are never all held at once, nor sent between processes.
    """
    global _JOB
    progress = progress or (lambda stage, done=0, total=0: None)
    n = jobs_for(len(pages), jobs)
    shares = 1 if n == 1 else n * CHUNKS_PER_JOB
    _JOB = (env, timeline, pages, render_page, shares, sink)
    try:
        if n == 1:
            if meanwhile:
                meanwhile()  # the exports leave no cycles: the collector stays off for their 50,000 parts
            with _collecting_leftovers():
                out, problems, _, used, _ = _render_share(0, lambda done: progress("rendering pages", done, len(pages)))
            CONVERTER.merge({}, _keys(used))
            return out, list(problems.values())
        out, problems = {}, {}
        CONVERTER.load_all()  # the workers start with all the Markdown memo, not each their own
        convert_markdown(texts(), n, progress)  # asked for only here: 200,000 texts at 100,000 events
        with _collecting_leftovers(), multiprocessing.get_context("fork").Pool(n) as pool:
            results = pool.imap_unordered(_render_share, range(shares))
            done = 0
            progress("rendering pages", done, len(pages))
            if meanwhile:
                meanwhile()
            for part, found, fresh, used, count in results:
                out.update(part)
                for key, p in found.items():
                    problems.setdefault(key, p)
                CONVERTER.merge(fresh, _keys(used))
                done += count
                progress("rendering pages", done, len(pages))
        return out, list(problems.values())
    finally:
        _JOB = ()


def _render_share(share: int, tick=None):
    """Render pages share, share + shares, ... (interleaved, so heavy pages spread out).

    `tick(pages done)` is called after each page, in this process only (not in a worker).
    """
    env, timeline, pages, render_page, shares, sink = _JOB
    before = CONVERTER.mark()
    out: dict[str, bytes | Written] = {}
    problems: dict[tuple[str, int], Problem] = {}
    count = 0
    for page in islice(pages, share, None, shares):
        if tick is not None:
            tick(count)
        count += 1
        try:
            data = render_page(env, timeline, page)
            out[page.path] = data if sink is None else put(sink, page.path, data, timeline.config.minify_html)
        except BuildError as exc:
            for p in exc.problems:
                problems.setdefault((p.path, p.line), p)
    fresh, used = CONVERTER.since(before)
    # The keys used, joined: a set of them from each of 16 shares, each up to 200,000 keys at
    # 100,000 events, waited in this process's queue while it made the exports (50 MB).
    return out, problems, fresh, b"".join(used), count


def _keys(joined: bytes) -> set[bytes]:
    """Return the Markdown memo's keys joined by `_render_share`."""
    return {joined[i:i + KEY_SIZE] for i in range(0, len(joined), KEY_SIZE)}


def spread(work, count: int, jobs: int | None = None) -> list:
    """Return what `work(slice)` returns for slices of `count` items, joined in order, the slices
    shared by processes forked on every core (below MIN_PAGES items, here in one piece): the link
    check of a clean build, 15 s of one core at 100,000 pages (docs/performance.md)."""
    global _SPREAD
    n = jobs_for(count, jobs)
    if n < 2:
        return work(slice(0, count))
    step = -(-count // (n * CHUNKS_PER_JOB))  # whole runs of pages, in order: a folder's links resolve once
    _SPREAD = work
    trim_heap()
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            return [x for part in pool.imap(_spread_share, [slice(i, i + step) for i in range(0, count, step)])
                    for x in part]
    finally:
        _SPREAD = None


def _spread_share(share: slice) -> list:
    return _SPREAD(share)


def put(sink: str, path: str, data, unquoted: bool = False) -> Written:
    """Write a page into the new tree `sink`; return what the link check needs of it.

    An export may come as the iterable of its pieces (build/parts.py): never a page.
    `unquoted`: the page was minified (links.extract)."""
    dest = os.path.join(sink, path)
    folder = os.path.dirname(dest)
    try:  # most pages have a folder of their own, whose parent is there: one call, not makedirs' two
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    disk.write_bytes(dest, data)
    return Written.of(data, unquoted) if path.endswith(".html") else Written(b"", "")


def convert_markdown(texts, jobs: int, progress) -> None:
    """Convert the `texts` the Markdown memo lacks on `jobs` cores, once each, before any page is drawn.

    Page workers each convert what their pages need: a summary listed on the home page and on
    term pages drawn by both workers was converted twice, and a third time in this process for
    the exports. Converted first, each text costs one conversion, shared by every page and
    export; the results are what `render` would have made (same function, same memo key).
    """
    global _TEXTS
    todo = list(CONVERTER.missing(texts).items())
    if jobs < 2 or len(todo) < MIN_TEXTS:
        return
    shares = jobs * CHUNKS_PER_JOB
    _TEXTS = (todo, shares)
    try:
        done = 0
        progress("converting Markdown", done, len(todo))
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for fresh in pool.imap_unordered(_convert_share, range(shares)):
                CONVERTER.merge(fresh, set())  # used: only when a page asks for it
                done += len(fresh)
                progress("converting Markdown", done, len(todo))
    finally:
        _TEXTS = ()


def _convert_share(share: int) -> dict:
    """Convert texts share, share + shares, ... of `_TEXTS`; return {memo key: result}."""
    todo, shares = _TEXTS
    return CONVERTER.convert(dict(todo[share::shares]))
