"""Incremental builds: keep the files of the last build whose inputs did not change.

The output folder itself stores the pages. The memo records, for each file written there, the
key of its inputs (pagekeys.py) and its stat right after the write. A page with the same key
whose file nobody touched since is hard-linked into the new tree instead of being rendered.
Anything unexpected (a key that cannot be computed, a file edited or replaced by another
build) only means the page is rendered again.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import jinja2

from ..render import links
from . import relinks
from .cache import Memo, stat_key
from .disk import Opened, Spilled, Tail, content_key
from ..core.errors import Problem
from ..core.model import Timeline
from .hashing import digest
from .pagekeys import Keys
from .templatereads import Compiled
from .parallel import spread
from .parts import Parts, read_bytes
from .unmoved import Unmoved


class Keep:
    """Decides which files of the last build in `output` can stay, and records this build's."""

    def __init__(self, memo: Memo, output: Path, code: str, apart: bool = True):
        self.memo, self.code = memo, code
        self.apart = apart  # the exports may be made in a process beside (build/beside.py)
        self.output = Path(output).absolute()
        self._out = str(self.output)  # joined as text in the loops over every file: pathlib's / cost 0.3 s at 10,000 pages
        self.old: dict = memo.outputs.get(str(self.output), {})
        self.keys: dict[str, bytes] = {}     # this build's files with a known key
        self.groups: dict[str, tuple] = {}   # name -> (key, paths) of files made together
        self.kept: set[str] = set()
        self.stats: dict[str, tuple] = {}  # a kept file -> (mode, size, inode, mtime, ctime) it was found with
        self.name = os.urandom(8).hex()  # what this build's write names it, in the cache (`writing`)
        self._state = "written-" + digest(self._out).hex()  # that name's entry in the cache, for this output
        self._keys: Keys | None = None
        self._unmoved: Unmoved | None = None
        self._parts: Parts | None = None
        self._parts_made: tuple | None = None  # its record, when a forked process made the exports
        self._beside = False  # this is that forked process (`whole_apart`)
        self._base: str | None = None  # the base URL the links were checked under, if they were (and how read)
        self._plan: tuple[str, ...] | None = None  # every page's path, in plan order (`plan`)

    def compiled(self) -> Compiled:
        """Return the templates' compiled code as the last builds left it (for pages.make_env)."""
        return Compiled(self.memo.templates)

    def page(self, env: jinja2.Environment, timeline: Timeline, page) -> bool:
        """Return True when `page` is unchanged since the last build (its key is noted either way)."""
        self.prepare(env, timeline)
        key = self._unmoved.key(page, self.old.get(page.path))
        if key is None:
            key = self._keys.page(page.path, page.template, page.context)
        if key is not None:
            self.keys[page.path] = key
        return self._count([page.path], self._unchanged(page.path, key))

    def whole(self, name: str, names, make, timeline: bool = True) -> dict[str, bytes | None]:
        """Return `make()`'s files, or None for each when `names` and (unless `timeline` is False,
        for files made of the page names alone) the timeline are unchanged."""
        key = self._keys.whole(name, names, timeline=timeline) if self._keys else None
        old = self.old.get("\0" + name)
        if old is not None and old[0] == key and all(self._unchanged(p, key) for p in old[1]):
            self.groups[name] = old
            self.keys.update(dict.fromkeys(old[1], key))
            self._count(old[1], True)
            return dict.fromkeys(old[1])
        for path in old[1] if old is not None else ():  # made again: no stat of its files holds
            self.stats.pop(path, None)
        files = make()
        if key is not None:
            self.groups[name] = (key, tuple(files))
            self.keys.update(dict.fromkeys(files, key))
        self._count(list(files), False)
        return files

    def prepare(self, env: jinja2.Environment, timeline: Timeline) -> None:
        """Make what the keys share, before `page` or `whole` is first called (and before a fork)."""
        if self._keys is None:
            self._keys = Keys(env, timeline, self.code, self.memo.digests, self.memo.templates)
            self._unmoved = Unmoved(self._keys, timeline, self.old.get("\0events"))
            self._keys.whole_timeline = self._unmoved.timeline_digest(timeline)  # in the record already

    def whole_apart(self, name: str, make) -> tuple[dict, tuple]:
        """`whole` of the timeline in a forked process: its files, and what it noted, for `adopt` in the parent."""
        keys, kept, counts = set(self.keys), set(self.kept), self.memo.counts.copy()
        self._beside = True
        files = self.whole(name, (), make)
        return files, ({name: self.groups[name]} if name in self.groups else {},
                       {p: k for p, k in self.keys.items() if p not in keys}, self.kept - kept,
                       self.memo.counts - counts, self._parts.record() if self._parts is not None else None,
                       {p: self.stats[p] for p in self.kept - kept if p in self.stats})

    def adopt(self, noted: tuple) -> None:
        """Take what `whole_apart` noted in a forked process."""
        groups, keys, kept, counts, parts, stats = noted
        self.groups.update(groups)
        self.keys.update(keys)
        self.kept |= kept
        self.stats.update(stats)
        self.memo.counts.update(counts)
        if parts is not None:
            self._parts_made = parts

    def parts(self, timeline: Timeline):
        """Return what makes the exports' parts, reusing those of unchanged events (parts.py)."""
        if self._keys is None:
            from ..render.exports import each
            return each
        # Beside, a patched export's stretches are copied from the last file (disk.Span): should it change
        # meanwhile, that fails there and this process does the work again (never here).
        self._parts = Parts(timeline, self._keys.base, self._keys.events, self.old.get("\0parts"), self._readable,
                            self.memo.counts, self._opened if self._beside else None)
        self._parts.around_key = self._unmoved.around_key()
        return self._parts

    @contextlib.contextmanager
    def writing(self):
        """Write output/ within this block: the cache names no build as the one whose site output/
        holds while it runs, and this one once it ends without an error. A journal (journal.py)
        trusts the last build's record of which files output/ holds only when the record names the
        build the cache names, in the same folder (its inode): not after a write cut short, a
        record that was not saved or was saved over since, or a copy of output/ put back."""
        store = self.memo.store
        if store is not None:
            store.forget(self._state)
        yield
        if store is not None:
            store.write(self._state, (self.name, os.stat(self.output).st_ino))

    def _written(self) -> str | None:
        """Return the name of the build whose site output/ holds, as the cache says (`writing`)."""
        store = self.memo.store
        found = store.read(self._state) if store is not None else None
        try:
            return found[0] if found[1] == os.stat(self.output).st_ino else None
        except (OSError, TypeError, IndexError):
            return None

    def _readable(self, path: str) -> bytes | None:
        """Return the bytes of the last build's file at `path` if nobody touched it since: its stat,
        change time included, is the one taken after the write (an edit in place with the
        modification time put back keeps the size, inode and mtime, never the ctime)."""
        stats = self.old.get("\0parts", (None, None, {}))[2]
        if stats.get(path) is None or stat_key(self.output / path) != stats[path]:
            return None
        return read_bytes(self.output, path)

    def _opened(self, path: str) -> Opened | None:
        """Return the last build's file at `path` opened, if nobody touched it since (as `_readable`)."""
        stats = self.old.get("\0parts", (None, None, {}))[2]
        try:
            return None if stats.get(path) is None else Opened(f"{self._out}/{path}", stats[path])
        except OSError:
            return None

    def _unchanged(self, path: str, key: bytes | None) -> bool:
        """Return True when the old output has `path` made from `key`, untouched since (its stat,
        kept for the record of the output that `build` leaves: unchanged.output)."""
        old = self.old.get(path)
        found = None if key is None or old is None or old[0] != key else self._untouched(path, old)
        if found is not None:
            self.stats[path] = found
        return found is not None

    def _untouched(self, path: str, old: tuple) -> tuple | None:
        """Return the stat (mode, size, inode, mtime, ctime) of the last build's file at `path`, if it
        is the one `old` recorded, untouched since."""
        try:
            st = os.stat(f"{self._out}/{path}")
        except OSError:
            return None
        same = (st.st_mtime_ns, st.st_size, st.st_ino) == old[1]
        return (st.st_mode, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns) if same else None

    def plan(self, env: jinja2.Environment, timeline: Timeline, plan) -> tuple[list, tuple[str, ...]]:
        """Return the pages to compare with the last build's and every page's path in `plan`'s order.

        When the last build had the same pages and every page that shows none of the changed
        events is provably its own (unmoved.Around), `plan` lists only the others, and those are
        kept by their stat alone, without a page, a context or a key (at 100,000 events, planning
        and comparing every page took 1.8 s); else every page is planned."""
        last = self.old.get("\0plan")
        if last is not None:
            self.prepare(env, timeline)
            around = self._unmoved.around()
            pages = plan(timeline, around) if around is not None else []
            planned = {p.path for p in pages}
            if around is not None and planned <= set(last) and self._all_kept([p for p in last if p not in planned]):
                self._plan = last
                return pages, last
        pages = plan(timeline)
        self._plan = tuple(p.path for p in pages)
        return pages, self._plan

    def _all_kept(self, paths: list[str]) -> bool:
        """Keep every file of `paths` as the last build made it, when each is untouched since; else none."""
        old, stats = self.old, {}
        for path in paths:
            entry = old.get(path)
            found = self._untouched(path, entry) if entry is not None and entry[0] is not None else None
            if found is None:
                return False
            stats[path] = found
        self.stats.update(stats)
        self.keys.update({path: old[path][0] for path in paths})
        self._count(paths, True)
        return True

    def _count(self, paths, kept: bool) -> bool:
        if kept:
            self.kept.update(paths)
        self.memo.counts["files kept" if kept else "files rendered"] += len(paths)
        return kept

    def unchanged(self, files: dict, copies: dict) -> bool:
        """Return True when this build makes the same files as the last one, with the same bytes."""
        return (not any(isinstance(b, (links.Written, Spilled, Tail)) for b in files.values())  # written already
                and self.old.get("\0names") == tuple(sorted(files))
                and self.old.get("\0copies") == tuple(sorted(copies))
                and all(b is None or read_bytes(self.output, p) == b for p, b in files.items())
                and all(read_bytes(self.output, p) == read_bytes(Path(src).parent, Path(src).name) for p, src in copies.items()))

    def gone(self, files: dict, copies: dict) -> set[str] | None:
        """Return the files of the last build that this one does not make; None if unknown, or if
        output/ may not hold exactly that build's files (its state names another build: a write
        cut short, a record not saved or overwritten since: `writing`)."""
        if "\0names" not in self.old or self.old.get("\0name") is None or self.old["\0name"] != self._written():
            return None
        return (set(self.old["\0names"]) | set(self.old.get("\0copies", ()))) - set(files) - set(copies)

    def check_links(self, files: dict, copies: dict, base_url: str, unquoted: bool = False) -> list[Problem]:
        """Check the links this build could have broken, and only those when that is enough.

        The last build's files passed the check. A kept page can only break if a page it links
        to went away or lost an anchor: then every page is checked. Otherwise only the pages
        rendered again are, and of each only the links its last version did not have, when that
        version is the one the last build checked under the same base URL (the others still
        reach what they reached): their targets are looked up in all the files, read when needed.
        A term page redrawn for one edited entry so checks a link or two, not its 5,000 events'.
        """
        self._base = base_url + ("\0unquoted" if unquoted else "")  # a page read the other way: checked anew
        return relinks.check(self.old, self.output, files, copies, base_url, unquoted, self.memo.counts,
                             self._as_written, spread if self.apart else None)  # not beside the preview's threads

    def _as_written(self, path: str) -> bool:
        """Return True when the output's file at `path` is the one the last build wrote there."""
        old = self.old.get(path)
        return old is not None and old[1] is not None and _file_key(os.path.join(self._out, path)) == old[1]

    def record(self, files: dict, copies: dict) -> None:
        """Note the key and stat of every keyed file now in the output, for the next build.

        A kept file keeps its entry, the stat it was found unchanged by (the write leaves it where it
        was), so only the files written are stat'ed. No other build wrote meanwhile (the output's lock,
        write.lock); a file edited by hand since it was compared no longer has that stat: the next build draws it."""
        made: dict = dict(self.old)
        list(map(made.pop, made.keys() - self.kept))  # what is not kept, made again below if it was made
        made.update({path: (self.keys[path], _file_key(f"{self._out}/{path}")) for path in self.keys.keys() - self.kept})
        made.update({"\0" + name: group for name, group in self.groups.items()})
        if self._unmoved is not None:
            made["\0events"] = self._unmoved.record
        parts = (self._parts.record() if self._parts is not None else self._parts_made
                 or self.old.get("\0parts"))
        if parts:  # where each export's parts sit (kept exports: the last build's), and its stat: a kept
            # one's as it was compared (one edited since is not taken for the last build's), else now
            made["\0parts"] = (*parts[:2], {path: _as_stat_key(self.stats[path]) if path in self.stats
                                            else stat_key(self.output / path) for path in parts[1]})
        base = self._base if self._base is not None else self.old.get("\0base")
        if base is not None:  # the output's links were checked under it (this build's or the last's)
            made["\0base"] = base
        made["\0name"] = self._written()  # the build whose site output/ holds now: this one, if it wrote
        if self._plan is not None:  # the next build's `plan`
            made["\0plan"] = self._plan
        made["\0copies"] = tuple(sorted(copies))
        made["\0names"] = tuple(sorted(files))
        self.memo.outputs[str(self.output)] = made


def _as_stat_key(st: tuple) -> tuple:
    """Return a stat of `Keep.stats` (mode, size, inode, mtime, ctime) as cache.stat_key gives it."""
    return (st[3], st[4], st[1], st[2])


def _file_key(path: Path | str) -> tuple | None:
    """Return what of an output file's stat follows its bytes (disk.content_key), None if it is missing."""
    key = stat_key(path)
    return None if key is None else content_key(key)
