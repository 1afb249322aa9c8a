"""The last build's checked timeline, kept so that a build after an edit to a few entries reads only those.

A build that wrote the site without an error keeps what `validate` made of the content (the
timeline, every problem, the sources' stored texts and each event's hash), with the stat of
every file under content/, of site.yaml and of each stored text, taken before it read any; a big
build keeps it as soon as its content is checked (build/early.py, `whole`), whatever follows.
The next build lists the same files again (`reuse`). When only a few event files changed, and
every other input is as it was (the options, site.yaml, the sources, the aliases, the images,
no file added or removed), it reads those files alone and puts their events in place
(`core.timeline.revise_files`): it skips reading the rest of the content, the memo of every
file, and the checks of the whole timeline, which at 10,000 events take most of a second.

The timeline comes out as `validate` would make it, or the build validates everything as
before: when an event moves, changes its slug, title, day, line, sources or terms, when a file
gains or loses a problem, when a file is added, removed or saved within the last two seconds
(`cache.RACY_NS`: its stat may not show a later edit), or when more than LIMIT files changed.

The whole timeline is written again only after such a full build; a build that reused it
writes the events it changed as a patch beside it, until the patch holds LIMIT events.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, fields
from itertools import chain
from pathlib import Path

from ..core.errors import Problem
from ..core.load import load_event_file
from ..core.model import Source, Timeline
from ..core.quotes import Verified
from ..core.timeline import positions, revise_files
from . import cache, lazy, lazynotes, lazypack
from .pieces import Pieces
from .unchanged import listing

NAME, PATCH = "timeline", "timeline-patch"
LIMIT = 50  # changed event files (or patched events) above which the whole timeline is made again
# From this many events the whole timeline is written in a process of its own while the build
# saves its memos (Store.write_beside): at 100,000 events, 5 s of pickling, compressing and
# signing 300 MB beside the memos' 10 s.
BESIDE = 2000


@dataclass
class Snapshot:
    token: str          # ties a patch to its whole timeline
    options: tuple      # (base_url, drafts) of the build
    files: dict         # path under the site -> stat when read (None: saved too recently to trust)
    timeline: Timeline
    problems: list      # validate's, in order
    texts: dict         # source id -> stored text
    digests: list       # each event's hashes for the page keys (pagekeys.EventDigests.known), or None
    patched: dict = field(default_factory=dict)  # position -> (event, hash) changed since (the patch)
    patch_files: dict = field(default_factory=dict)  # path -> stat of the files read since (the patch)


def inputs(root: Path, texts: tuple[str, ...] = (), listed: list | None = None) -> dict | None:
    """Return the stat of every file under content/, of site.yaml and of `texts` (paths under the
    site), each by path under the site; None when content/ or a folder in it is a link. `listed`
    is content/ as `unchanged.listing` found it already."""
    if listed is None:
        content = os.path.join(root, "content")
        found_there = None if os.path.islink(content) else listing(content)
        if found_there is None:
            return None
        listed = found_there[0]
    found = {"content/" + e[0]: e[1:] for e in listed if isinstance(e, tuple)}
    found.update({"content/" + e + "/": None for e in listed if isinstance(e, str)})
    for path in ("site.yaml", *texts):
        try:
            st = os.stat(os.path.join(root, path))
            found[path] = (st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)  # as `listing`'s
        except OSError:
            found[path] = None
    return found


def _text_files(timeline: Timeline) -> tuple[str, ...]:
    return tuple(sorted({s.text.strip() for s in timeline.sources if s.text.strip() and not s.is_post}))


def pieces(snap: Snapshot) -> Pieces:
    """Return `snap` as Store.write pickles it in pieces: each of its fields, the timeline's own
    fields but its events and sources, then its events as build/lazy.py keeps them (what a
    rebuild reads of each, then their pickles lazy.CHUNK at a time), the sources shared
    (build/pieces.py: pickled whole, at 100,000 events, its memo took 570 MB)."""
    make, (config, events, sources, *rest) = snap.timeline.__reduce__()  # Timeline.assemble's arguments
    fields_ = [getattr(snap, f.name) for f in fields(Snapshot) if f.name != "timeline"]
    return Pieces(_joined, sources, chain([*fields_, (config, *rest), lazypack.columns(events, sources)], lazypack.chunks(events, sources)),
                  Source, len(fields_) + 2 + -(-len(events) // lazy.CHUNK))


def _joined(sources: tuple, parts: list) -> Snapshot:
    """Return the Snapshot written as `pieces(snap)`, its events read as each is used (lazy.Events)."""
    names = [f.name for f in fields(Snapshot) if f.name != "timeline"]
    kept = dict(zip(names, parts))
    (config, *rest), columns, chunks = parts[len(names)], parts[len(names) + 1], parts[len(names) + 2:]
    timeline = Timeline.assemble(config, lazy.Events.read(columns, chunks, sources, kept["digests"]), sources, *rest)
    return Snapshot(timeline=timeline, **kept)


def load(store) -> Snapshot | None:
    """Return the last timeline kept in `store`, its patch applied, or None."""
    snap = store.read(NAME)
    patch = store.read(PATCH)  # read either way: every file read ahead (cache.AHEAD) is taken before a fork
    if not isinstance(snap, Snapshot):
        return None
    if isinstance(patch, tuple) and patch[0] == snap.token:
        _, files, patched, quoted = patch
        quote_files = {**snap.timeline.quote_files, **quoted}  # the changed files' counts, None where gone
        quote_files = {path: counts for path, counts in quote_files.items() if counts is not None}
        snap.files.update(files)
        snap.patched, snap.patch_files = patched, files
        total = Verified.total(quote_files)
        snap.timeline = snap.timeline.revised({i: e for i, (e, _) in patched.items()}, total.pairs,
                                              (total.verified, total.quotes), quote_files)
        for i, (_, found) in patched.items():
            snap.digests[i] = found
    return snap


def seed(snap: Snapshot, digests) -> None:
    """Tell `digests` (pagekeys.EventDigests) the hashes the snapshot kept of each of its events: of
    lazy ones (lazy.Events), as each is read."""
    events = snap.timeline.events
    if isinstance(events, lazy.Events):
        events.seed(digests, snap.digests)
        return
    for event, found in zip(events, snap.digests):
        if found is not None:
            digests.seed(event, found)


@dataclass
class Reading:
    """What a build found of the last snapshot: the inputs' stats before it read anything (`before`,
    taken at `taken` ns), and, when it could start from the snapshot, that and the files it read."""

    before: dict | None
    taken: int
    snap: Snapshot | None = None
    changed: dict | None = None  # path -> stat of the files read again


def reuse(store, root: Path, options: tuple, counts, listed: tuple[int, list] | None = None) -> Reading:
    """Look at the inputs (`Reading.before`: their stats before the build reads any), and return
    the last snapshot with the event files changed since put in place when that is all that
    changed (else `Reading.snap` is None: validate everything). `listed` is content/ as the build
    found it before it read anything, and when (`unchanged.Fingerprint`): at 100,000 events, 0.27 s
    not spent listing it again."""
    taken, content = listed if listed is not None else (time.time_ns(), None)
    snap = load(store)
    now = inputs(root, _text_files(snap.timeline) if snap is not None else (), content)
    reading = Reading(now, taken)
    if snap is None or now is None or snap.options != options or now.keys() != snap.files.keys():
        return reading
    at = positions(snap.timeline)
    changed = [p for p, st in now.items() if snap.files[p] != st]
    if len(changed) > LIMIT or not all(p in at and now[p] is not None for p in changed):
        return reading
    files, found = {}, {}
    for path in changed:
        found[path] = []
        files[path] = load_event_file(Path(root, path), Path(root), found[path])
    revised = revise_files(snap.timeline, files, snap.texts)
    if revised is None:
        return reading
    timeline, checked = revised
    for path in changed:  # the file's problems, in the order `validate` finds them
        if found[path] + checked[path] != lazynotes.at(snap.problems, path):
            return reading  # a problem came, went or moved: its place among the others is validate's to say
    for path in changed:
        for i in at[path]:
            snap.patched[i], snap.digests[i] = (timeline.events[i], None), None  # the old hash is not its
    counts["files parsed"] += len(changed)
    counts["events validated"] += sum(len(at[p]) for p in changed)
    counts["files reused"] += len(at) - len(changed)
    snap.timeline = timeline
    reading.snap, reading.changed = snap, {p: now[p] for p in changed}
    return reading


def keep(store, reading: Reading, options: tuple, timeline: Timeline, problems: list[Problem], texts: dict,
         digests, root: Path) -> None:
    """Keep this build's timeline: as a patch when it came from the snapshot, else whole."""
    snap = reading.snap
    if snap is not None and len(snap.patched) <= LIMIT:
        files = {**snap.patch_files, **{p: _trusted(st, reading.taken) for p, st in reading.changed.items()}}
        patched = {i: (e, digests.both(e)) for i, (e, _) in snap.patched.items()}
        quoted = {p: timeline.quote_files.get(p) for p in files}  # of the files read since: 140 ms, all of them
        store.write(PATCH, (snap.token, files, patched, quoted))
        return
    kept = whole(store, reading, options, timeline, problems, texts, root)
    if kept is None:
        return
    kept.digests = lazy.digests(timeline.events, digests.both)
    if len(timeline.events) >= BESIDE:
        store.write_beside({NAME: pieces(kept)})  # if that process fails, the last snapshot stays: found stale by its stats
    else:
        store.write(NAME, pieces(kept))


def whole(store, reading: Reading, options: tuple, timeline: Timeline, problems: list[Problem], texts: dict,
          root: Path) -> Snapshot | None:
    """Return the timeline to keep whole, once the inputs were stat'ed again, each event's hashes
    left to fill (`digests`); None when none may be kept (the last one forgotten then)."""
    store.forget(PATCH)
    named = _text_files(timeline)
    now = inputs(root, named)
    if (reading.before is None or now is None
            or any(p.startswith("content/") or p == "site.yaml" for p in reading.before.keys() - now.keys())):
        store.forget(NAME)  # a file went while it ran (a stored text no longer named is only left out)
        return None
    files = {p: _trusted(st, reading.taken) if now[p] == st else None for p, st in reading.before.items()
             if p in now}
    for path in now.keys() - reading.before.keys():
        st = now[path]  # a file that came while it ran was not read: never trusted; a stored text first
        # named in this build, stat'ed now, is when not changed since the build began (nor just before)
        files[path] = (st if path in named and st is not None and reading.taken - max(st[2], st[3]) >= cache.RACY_NS
                       else None)
    return Snapshot(os.urandom(8).hex(), options, files, timeline, lazynotes.kept(problems), texts, [])


def _trusted(st: tuple | None, taken: int) -> tuple | None:
    """Return a file's stat taken before the build read it, or None when it was modified so shortly
    before `taken` that a later edit within the same clock tick could leave it as it is."""
    return None if st is None or taken - st[2] < cache.RACY_NS else st
