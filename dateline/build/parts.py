"""The exports' parts of unchanged events, taken from the last build's files instead of made again.

events.json, the calendar, the CSV files, TimelineJS's file and the feed's entries are made of
one part per event (render/exports.py's `each`). A build notes where each event's part sits in
the file it wrote, with the part's key: the hash of the event, with the quotes verified in its
sources when there are any; the code, templates and config (`base`) are the whole record's, and
a record of another base is never read. The next build reads the part of every event whose key is
unchanged from that file, if the file is the one it wrote (incremental.Keep compares its stat,
change time included, with the one taken after the write), and makes only the others. At
10,000 events, an edited entry costs one event's parts, not 10,000.

The parts stay bytes: the export's maker gets a mark in place of each part and writes the file
around them, and `finish` puts the parts' bytes where the marks are, so that where each sits is
known as it is put there. Decoding 40 MB of parts for the maker to join and encode them again,
then looking for each in the result, was most of what the exports cost a one-entry rebuild.
"""

from __future__ import annotations

from array import array
from functools import partial
from pathlib import Path

from ..core.model import Timeline
from . import lazy
from .disk import Opened, Span, joined
from .hashing import digest

KEY = 16  # bytes of a part's key
PATCH = 50  # parts made again above which a file is made part by part (`_pieces`), not patched
# In place of each part. No export writes a NUL of its own: JSON escapes it, and the content's
# checks refuse control characters (core/chars.py); a stray one only makes the file whole again.
MARK = "\0part\0"


class Parts:
    """Hands out each event's part of an export, the last build's where its key is unchanged."""

    def __init__(self, timeline: Timeline, base: bytes, event_digest, old: tuple | None, readable, counts,
                 opened=None):
        """`old`: the last build's (base, {path: (keys, offsets)}, {path: stat}); `readable(path)`: that build's
        file at `path` if it is still the one it wrote, else None; `counts`: the memo's. `opened(path)`,
        when given, says the same as that file opened (disk.Opened) or None: a file patched
        (`_patched`) then comes with the unchanged stretches of the last one as disk.Spans, never
        read here."""
        self.base, self.event_digest, self.readable, self.counts = base, event_digest, readable, counts
        self.opened = opened
        self.old = old[1] if old and old[0] == base else {}
        self.pending: dict[str, tuple] = {}  # path -> (keys, events, make) of the parts to put in place
        self.made: dict[str, tuple[bytes, bytes]] = {}  # path -> (keys, offsets) of the file finished
        self.skeletons: dict[str, bytes] = {}  # path -> the hash of what its maker wrote around the parts
        self.around_key: bytes | None = None  # the hash of what a maker reads for that (`around`), when known
        quotes: dict[str, list[str]] = {}
        for sid, quote in timeline.verified_quotes:
            quotes.setdefault(sid, []).append(quote)
        self._quotes = {sid: sorted(qs) for sid, qs in quotes.items()}
        self._keys: dict[int, tuple] = {}  # id(event) -> (event, its key), the same in every export
        self._index: tuple[bytes, dict] = (b"", {})  # the last file's keys, and where each is among them
        self._listed: tuple = (None, [])  # the last list of events asked for, and their keys

    def key(self, event) -> bytes:
        """Return the key of `event`'s parts: its hash, with the quotes verified in its sources when
        there are any (`base` is the whole file's: a part of another base is never looked for)."""
        hit = self._keys.get(id(event))
        if hit is None or hit[0] is not event:
            hit = self._keys[id(event)] = (event, self._key(self.event_digest(event), lambda: sorted(
                {n.source.id for n in event.notes})))
        return hit[1]

    def _key(self, found: bytes, cited) -> bytes:
        """Return the key of the parts of an event of hash `found`, citing the sources `cited()` (sorted ids)."""
        ids = cited() if self._quotes else ()
        if any(s in self._quotes for s in ids):
            return digest(found, repr([(s, self._quotes.get(s)) for s in ids]))
        return found

    def keys(self, events) -> list[bytes]:
        """Return the key of each event's parts; of lazy events, from the hashes and sources they keep."""
        if not isinstance(events, lazy.Events):
            return [self.key(e) for e in events]
        return [self.key(events[i]) if (found := events.digest(i)) is None else
                self._key(found[:16], partial(events.cited, i)) for i in range(len(events))]

    def __call__(self, path: str, make, events) -> list[str]:
        """Return a mark for each event's part of export `path`, to be replaced by `finish`: the part
        in the last build's file when the event's key is unchanged, else `make(event)`, made only
        as `finish`'s pieces reach it."""
        if self._listed[0] is not events:  # most exports list the timeline's events: their keys once
            self._listed = (events, self.keys(events))
        keys = self._listed[1]
        self.pending[path] = (keys, events if isinstance(events, lazy.Events) else list(events), make)
        return [MARK] * len(keys)

    def around(self, path: str, make):
        """Return what export `path`'s maker writes around its parts, `make()`; or, when it reads
        what the last build's did (`around_key`: the config, code and templates, the sources, the
        terms, what lists show of every event), the last build's, unmade (`Unmade`) until `finish`
        needs its bytes. At 100,000 events events.json's is 37 MB, made in 0.23 s and hashed in 0.06 s."""
        old = self.old.get(path)
        if self.around_key is not None and old is not None and len(old) > 3 and old[3] == self.around_key and old[2]:
            self.skeletons[path] = old[2]
            return Unmade(make, old[2])
        return make()

    def finish(self, path: str, data: bytes, whole: bool = True):
        """Return export `path` as its maker wrote it (`data`, with a mark for each part), the parts
        in place of the marks; note where each sits. None if the marks are not one a part.

        `whole=False` returns the file as an iterable of pieces instead, each part made or read as
        it is reached, for the caller to write one after another: at 100,000 events events.json
        alone is 390 MB, and its parts and the joined file were both held at once."""
        keys, events, make = self.pending.pop(path, ((), (), None))
        if isinstance(data, Unmade):  # the last build's: patched, or else made after all
            pieces = self._patched(path, keys, events, make, None, data.skeleton) if keys else None
            if pieces is not None:
                return joined(pieces) if whole else pieces
            self.skeletons.pop(path, None)
            data = data.make()
        mark = MARK.encode("utf-8")
        if data.count(mark) != len(keys):
            return None
        if not keys:
            return data  # a maker that asked for no parts: nothing to put in place, nor to record
        pieces = (self._patched(path, keys, events, make, data) or self._pieces(path, keys, events, make, _between(data, mark)))
        return joined(pieces) if whole else pieces

    def _patched(self, path: str, keys: list[bytes], events: list, make, data: bytes | None, skeleton=None):
        """Return the file's pieces as `_pieces` would, when the maker wrote what it wrote last time
        around the parts (its bytes' hash, `skeleton`) and the parts are the last file's in the same
        places but for a few: the last file, with those few made again in their places. None when
        that is not so. At 100,000 events a one-entry rebuild so looks at the one part that
        changed in each export instead of walking 500,000 (0.8 s). `skeleton`: the hash of `data`,
        when known without it (`around`)."""
        old = self.old.get(path)
        skeleton = skeleton or digest(data)
        self.skeletons[path] = skeleton
        joined = b"".join(keys)
        if old is None or len(old) < 3 or old[2] != skeleton or len(old[0]) != len(joined):
            return None
        changed = _differing(memoryview(old[0]), memoryview(joined), 0, len(keys))
        if len(changed) > PATCH or any(_has(old[0], keys[i]) for i in changed):
            return None  # many changed, or parts moved: made part by part, each found where it was
        if self.opened is not None:
            last = self.opened(path)
            size = -1 if last is None else last.stat[2]
        else:
            last = self.readable(path)
            last, size = (None, -1) if last is None else (memoryview(last), len(last))
        spans = array("q")
        spans.frombytes(old[1])
        if last is None or len(spans) != 2 * len(keys) or spans and spans[-1] > size:
            return None
        cut = (lambda start, end: Span(last, start, end)) if isinstance(last, Opened) else (
            lambda start, end: last[start:end])
        return self._patch(path, cut, size, spans, joined, [(i, events[i], make) for i in changed])

    def _patch(self, path: str, cut, size: int, spans: array, joined: bytes, changed: list):
        """Yield the last file (`cut(start, end)` gives its bytes there, `size` long) with the parts at
        `changed` (position, event, make) made again; note where each sits."""
        at, shift, bounds = 0, 0, spans.tolist()
        moved: list[int] = []
        for i, event, make in changed:
            part = make(event).encode("utf-8")
            if at < bounds[2 * i]:
                yield cut(at, bounds[2 * i])
            yield part
            moved += [x + shift for x in bounds[len(moved):2 * i + 1]]
            shift += len(part) - (bounds[2 * i + 1] - bounds[2 * i])
            moved.append(bounds[2 * i + 1] + shift)
            at = bounds[2 * i + 1]
        yield cut(at, size)
        moved += [x + shift for x in bounds[len(moved):]]
        self.counts["export parts made"] += len(changed)
        self.counts["export parts reused"] += len(bounds) // 2 - len(changed)
        self.made[path] = (joined, array("q", moved).tobytes())

    def _pieces(self, path: str, keys: list[bytes], events: list, make, between):
        """Yield the file's bytes in order, noting where each part sits once all are out.

        Parts that follow one another in the last build's file, with the same bytes between them,
        go out as one slice of it: at 10,000 events an edited entry leaves five runs of parts, not
        50,000 pieces of a few hundred bytes each."""
        data, index, old = self._read(path)
        found, starts, ends = index.get, old[0::2].tolist(), old[1::2].tolist()  # plain lists: faster to index
        pending = next(between)  # the bytes before the next part, not yet out
        spans, at, made = [], len(pending), 0
        run = None  # [start, end] in the last file of the parts ready to go out as one slice
        run_end = -1 << 62  # run's end, while there is a run (never a place in the file before that)
        for n, (k, after) in enumerate(zip(keys, between)):  # an event read only when its part is made
            i = found(k)
            if i is not None and starts[i] == run_end + len(pending) and (
                    not pending or data[run_end:starts[i]] == pending):
                run_end = ends[i]  # the next part of the run
                size = run_end - starts[i]
            else:
                if run is not None:
                    yield data[run:run_end]
                    run, run_end = None, -1 << 62
                yield pending
                if i is None:
                    part, made = make(events[n]).encode("utf-8"), made + 1
                    yield part
                    size = len(part)
                else:
                    run, run_end = starts[i], ends[i]
                    size = run_end - run
            spans.append(at)
            spans.append(at + size)
            at += size + len(after)
            pending = after
        if run is not None:
            yield data[run:run_end]
        yield pending
        self.counts["export parts made"] += made
        self.counts["export parts reused"] += len(keys) - made
        self.made[path] = (b"".join(keys), array("q", spans).tobytes())

    def _read(self, path: str) -> tuple[memoryview, dict[bytes, int], array]:
        """Return the last build's file at `path`, {key: index} of its parts and where each sits
        (start and end at 2 * index), all empty when that file cannot be trusted. The exports list
        the same events: one index serves them all."""
        data = self.readable(path) if path in self.old else None
        if data is None:
            return memoryview(b""), {}, array("q")
        keys, offsets = self.old[path][:2]
        spans = array("q")
        spans.frombytes(offsets)
        if len(spans) != 2 * (len(keys) // KEY) or (spans and spans[-1] > len(data)):
            return memoryview(b""), {}, array("q")
        if self._index[0] != keys:
            self._index = (keys, {keys[i * KEY:(i + 1) * KEY]: i for i in range(len(keys) // KEY)})
        return memoryview(data), self._index[1], spans

    def record(self) -> tuple:
        """Return where each part sits in the exports finished, and the hash of what their makers
        wrote around them, for the next build's `old`."""
        return (self.base, {path: (*made, self.skeletons.get(path), self.around_key) for path, made in self.made.items()})


class Unmade:
    """What an export's maker writes around its parts, known to be the last build's (`Parts.around`):
    its hash, and how to make it should its bytes be needed."""

    __slots__ = ("make", "skeleton")

    def __init__(self, make, skeleton: bytes):
        self.make, self.skeleton = make, skeleton


def _between(data: bytes, mark: bytes):
    """Yield views of `data` before, between and after its marks: at 100,000 events, events.json
    has 37 MB around its parts, which split were held twice while it was written."""
    view, at, found = memoryview(data), 0, data.find(mark)
    while found >= 0:
        yield view[at:found]
        at = found + len(mark)
        found = data.find(mark, at)
    yield view[at:]


def _has(keys: bytes, key: bytes) -> bool:
    """Return True when `key` is one of the KEY-byte `keys`."""
    at = keys.find(key)
    while at >= 0 and at % KEY:
        at = keys.find(key, at + 1)
    return at >= 0


def _differing(old: memoryview, new: memoryview, start: int, end: int) -> list[int]:
    """Return the positions in [start, end) whose KEY-byte keys differ between two runs of them,
    halving the runs that differ (a few comparisons in C for a few changes, not one a key)."""
    if old[start * KEY:end * KEY] == new[start * KEY:end * KEY]:
        return []
    if end - start == 1:
        return [start]
    middle = (start + end) // 2
    found = _differing(old, new, start, middle)
    return found + _differing(old, new, middle, end) if len(found) <= PATCH else found


def read_bytes(folder: Path, path: str) -> bytes | None:
    """Return the bytes of a file of the last build, or None when it cannot be read."""
    try:
        return (folder / path).read_bytes()
    except OSError:
        return None
