"""The build cache in .dateline-cache/: what earlier builds learnt, so unchanged work is skipped.

Three memos, each keyed by everything its result depends on, so a stale hit is impossible and
deleting the folder is always safe (the next build just does all the work again):

- files: a content file's parse (entries and problems), keyed by its path and stat;
- events: a validated event, keyed by its entry, the site config and the sources it looked up;
- markdown (render/markdown.py's Converter): rendered Markdown, keyed by a hash of the text and its citations.

Pages are not stored here: output/ itself holds them, and `pagekeys.py` records which inputs
made each file so an unchanged page is hard-linked from the old output instead of re-rendered.
Every memo file is stamped with a hash of Dateline's own code and its libraries' versions: a
new version of either starts afresh.

The files themselves, signed so that a planted cache is never loaded, are store.py's.
"""

from __future__ import annotations

import os
import time
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import rel
from . import record
from .disk import stat_of
from .store import FOLDER, Store, code_stamp, key_path, user_key  # noqa: F401 - the cache's one door

# A file modified this recently may be modified again within the same mtime tick (1-2 s on
# some filesystems) without its stat changing: such a file is parsed but not memoised.
RACY_NS = 2_000_000_000


def stat_key(path: Path | str) -> tuple | None:
    """Return what identifies a file's version without reading it, or None if it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return stat_of(st)


def is_racy(key: tuple) -> bool:
    """Return True when a file changed too recently for its stat to tell later changes apart."""
    return time.time_ns() - key[0] < RACY_NS


@dataclass
class Memo:
    """The memos of one build, or of a whole `serve` session (kept in memory between builds)."""

    files: dict = field(default_factory=dict)    # content path -> (stat key, entries, problems)
    events: dict = field(default_factory=dict)   # (path, line) -> (entry, config, lookups, event, problems[, hash])
    outputs: dict = field(default_factory=dict)  # output folder -> {path: (page key, stat)}
    counts: Counter = field(default_factory=Counter)  # what was done and what was reused
    seen: set = field(default_factory=set)       # content paths read by this build
    dirty: set = field(default_factory=set)      # shards of files/events changed since saved
    markdown: object = None                      # MarkdownShards, when the memo came from a store
    digests: object = None                       # pagekeys.EventDigests, kept between builds
    images: dict = field(default_factory=dict)   # image file's hash -> (width, height) (build/images.py)
    templates: dict = field(default_factory=dict)  # what each template reads (pagekeys.template_reads), its compiled code (templatereads.Compiled)
    templates_saved: int = 0                     # how many of those the store holds
    store: object = None                         # the Store it came from: images.py keeps image sizes there
    content_pending: bool = False                # files and events not read from the store yet (`load_content`)
    outputs_saved: bool = False                  # this build's record of the outputs written (`save_outputs`)
    outputs_held: object = None                  # what is on disk of that record (record.Held)

    def __post_init__(self):
        from .pagekeys import EventDigests  # jinja2 loads with the pages, not with the memo

        if self.digests is None:
            self.digests = EventDigests()

    def start(self) -> None:
        """Begin a build: counts, the files seen and the Markdown asked for are this build's."""
        from ..render.markdown import CONVERTER

        self.counts.clear()
        self.seen = set()
        self.outputs_saved = False
        CONVERTER.begin()

    @property
    def complete(self) -> bool:
        """Return True when the last build rendered every file (so it used all it needs)."""
        return self.counts["files rendered"] > 0 and not self.counts["files kept"]

    def read_events(self, path: Path, root: Path, problems: list, read) -> list:
        """The core's `load_event_file`, memoised by the file's stat (see `memoised`)."""
        return memoised(self, path, root, problems, read)

    def check_event(self, entry, config, sources: dict, problems: list, check):
        """The core's check of one event, memoised by its inputs (see `validated`)."""
        return validated(self, entry, config, sources, problems, check)

    def load_content(self) -> None:
        """Read the memos of the content files from the store, when a build needs them: one that
        starts from the last timeline (snapshot.py) reads only the files that changed."""
        if not self.content_pending:
            return
        self.content_pending = False
        for i in range(SHARDS):
            files, events = self.store.read(f"content-{i:x}") or ({}, {})
            self.files.update(files)
            self.events.update(events)
        for hit in self.events.values():  # each event's hash for the page keys, saved beside it
            if len(hit) > 5:
                self.digests.seed(hit[3], hit[5])

    def forget_unseen(self) -> None:
        """Drop what belongs to content files the last build did not read (deleted or renamed)."""
        if self.content_pending:
            return  # not read: this build read no content file through the memo
        for path in self.files.keys() - self.seen:
            del self.files[path]
            self.dirty.add(shard(path))
        for where in [w for w in self.events if w[0] not in self.files]:
            del self.events[where]
            self.dirty.add(shard(where[0]))


SHARDS = 16  # memo files of the content: an edit rewrites one of them, not the whole memo
# Of the converted Markdown: a rebuild that draws a few pages reads the files of their texts alone
MARKDOWN_SHARDS = 64  # (at 100,000 events, 16 files were 2.5 MB and 0.07 s each, 5 read for an edit)
# From this many files the content's shards, and from this many outputs their record, are written
# in a process forked for them while this one writes the Markdown's (Store.write_beside): at
# 100,000 events, 7 s of 11 s.
BESIDE = 2000


def shard(path: str) -> int:
    """Return which memo file holds what was learnt from content file `path`."""
    return zlib.crc32(path.encode()) % SHARDS


def memoised(memo: Memo | None, path: Path, root: Path, problems: list, read) -> list:
    """Return `read(path, root, problems)`, from the memo when the file's stat is unchanged."""
    if memo is None:
        return read(path, root, problems)
    where, key = rel(path, root), stat_key(path)
    memo.seen.add(where)
    hit = memo.files.get(where)
    if key is not None and hit is not None and hit[0] == key:
        memo.counts["files reused"] += 1
        problems.extend(hit[2])
        return hit[1]
    found: list = []
    out = read(path, root, found)
    problems.extend(found)
    memo.counts["files parsed"] += 1
    if key is not None and not is_racy(key) and stat_key(path) == key:  # unchanged while read
        memo.files[where] = (key, out, found)
    else:
        memo.files.pop(where, None)
    memo.dirty.add(shard(where))
    return out


class Lookups(Mapping):
    """A read-only view of the sources that notes which ids a check looked up, and what it found."""

    def __init__(self, sources: dict):
        self.sources, self.seen, self.all = sources, {}, False

    def __getitem__(self, sid):
        self.seen[sid] = self.sources.get(sid)
        return self.sources[sid]

    def __contains__(self, sid):
        self.seen[sid] = self.sources.get(sid)
        return sid in self.sources

    def __iter__(self):
        self.all = True  # a suggestion ("did you mean ...?") read every id
        return iter(self.sources)

    def __len__(self):
        self.all = True
        return len(self.sources)


def validated(memo: Memo | None, entry, config, sources: dict, problems: list, check):
    """Return `check(entry, config, sources, problems)`, from the memo when none of its inputs changed.

    The inputs are the entry (the very object the file memo returned, so its file is unchanged),
    the config, and the sources the check looked up: an edit to another source costs nothing.
    """
    if memo is None:
        return check(entry, config, sources, problems)
    where = (entry.path, entry.data.line)
    hit = memo.events.get(where)
    if (hit is not None and hit[0] is entry and hit[1] == config
            and all(sources.get(sid) == found for sid, found in hit[2].items())):
        memo.counts["events reused"] += 1
        problems.extend(hit[4])
        return hit[3]
    looked, found = Lookups(sources), []
    event = check(entry, config, looked, found)
    problems.extend(found)
    memo.counts["events validated"] += 1
    if looked.all or any(p.severity == "error" for p in found):
        memo.events.pop(where, None)
    else:
        memo.events[where] = (entry, config, looked.seen, event, found)
    memo.dirty.add(shard(entry.path))
    return event


# What a rebuild reads first: the last timeline (build/snapshot.py), what the output holds, the
# templates' code. `read_ahead` starts reading them while the build imports its modules.
AHEAD = ("timeline", "timeline-patch", "outputs", "outputs-patch", "templates")


def read_ahead(store: Store) -> None:
    """Start reading AHEAD's files on threads of their own (Store.prefetch), for the build to take."""
    store.prefetch(*AHEAD)


def open_memo(store: Store) -> Memo:
    """Return the memo saved in `store` (empty if there is none), Markdown memo included."""
    from ..render.markdown import CONVERTER

    memo = Memo(content_pending=True)
    memo.outputs, memo.outputs_held = record.read(store)
    memo.images = store.read("images") or {}
    memo.templates = store.read("templates") or {}
    memo.templates_saved = len(memo.templates)
    memo.store = store
    memo.markdown = MarkdownShards(store)
    CONVERTER.attach(memo.markdown, store.folder.resolve())  # read when a page needs them
    return memo


class MarkdownShards:
    """Reads the Markdown memo's files from a store into the Markdown converter, each at most once."""

    def __init__(self, store: Store):
        self.store, self.pending = store, set(range(MARKDOWN_SHARDS))

    def __call__(self, key: bytes | None = None) -> None:
        """Read the file that would hold `key` (None: all of them)."""
        for i in sorted(self.pending if key is None else self.pending & {key[0] % MARKDOWN_SHARDS}):
            self.load(i)

    def load(self, i: int) -> None:
        from ..render.markdown import CONVERTER

        if i in self.pending:
            self.pending.discard(i)
            CONVERTER.add(self.store.read(f"markdown-{i:x}") or {})


def save_memo(store: Store, memo: Memo) -> None:
    """Write the shards of the memo that changed, and the record of the outputs.

    After a build that rendered every page, Markdown it did not ask for is dropped.
    """
    from ..render.markdown import CONVERTER
    from .early import content_shards, hashed

    memo.forget_unseen()
    hashed(memo)
    shards = content_shards(memo)
    if len(memo.files) >= BESIDE:  # written in a process of their own while this one writes the rest
        store.write_beside(shards)
    else:
        for name, obj in shards.items():
            store.write(name, obj)
    memo.dirty = set()
    if memo.complete:
        CONVERTER.drop_unused()
    changed = sorted({key[0] % MARKDOWN_SHARDS for key in CONVERTER.take_changes()})
    for i in changed if memo.markdown is not None else ():
        memo.markdown.load(i)  # so what it held and was not needed yet is kept
    for i, part in CONVERTER.shards(changed, MARKDOWN_SHARDS):  # its HTML compressed already:
        store.write(f"markdown-{i:x}", part, level=0)  # zlib again: 1.8 s -> 0.4 s at 100,000 events, 72 -> 81 MB
    save_outputs(store, memo)
    if memo.images != (store.read("images") or {}):
        store.write("images", memo.images)
    if len(memo.templates) > 500:  # a template edited again and again: keep only the latest
        memo.templates = dict(list(memo.templates.items())[-100:])
    if len(memo.templates) != memo.templates_saved:
        store.write("templates", memo.templates)
        memo.templates_saved = len(memo.templates)


def save_outputs(store: Store, memo: Memo) -> None:
    """Write the record of the output's files (incremental.Keep.record) once a build: what changed
    since the whole was written, or the whole (record.py)."""
    if memo.outputs_saved:
        return
    memo.outputs_saved = True
    memo.outputs_held = memo.outputs_held or record.Held()
    record.save(store, memo.outputs, memo.outputs_held, BESIDE)
