"""The last build's events, each unpickled when a build first uses it (build/snapshot.py).

At 100,000 events the last timeline is 5.7 million objects, and unpickling them took 2 s of a
one-entry rebuild whose pages show a few dozen. So the snapshot keeps each event as a pickle
of its own, compressed GROUP at a time, and beside them what a rebuild reads of every event
(lazypack.columns): its slug, file and year, whether it shows an image or has corrections, the
sources it cites and the day it last changed; their hashes (pagekeys.EventDigests) are the
snapshot's own field. A rebuild reads those and the groups of pickles, and unpickles an event
only where a page, a check or an export uses it.

`Events` is a sequence of events as the core's tuple is. The code that walks every event asks
it for a column instead where it has one (`slugs`, `paths`, `years`, `digest`, `cited`,
`changed_days`, `shown_images`, `corrected`), or for a view of some of them (a slice, `picked`,
`at`); anything else is answered by unpickling the events it reads. Each event is unpickled
once: the same object is given every time, as identity matters to the page keys (`Unmoved`).
An event replaced by the rebuild (a file read again) is held as it is.
"""

from __future__ import annotations

import io
import pickle
from array import array
from collections.abc import Mapping, Sequence
from datetime import date

import zstandard

from ..core.model import Event

PROTOCOL = pickle.HIGHEST_PROTOCOL
CHUNK = 4096  # events written (and read) together, a multiple of GROUP: some 11 MB of pickles at a time
# Events whose pickles are compressed together (Zstandard): at 100,000 events, their 275 MB of
# pickles take 45 MB, and a group inflates in 33 us. Held inflated, they were most of what a
# one-entry rebuild read, and of the memory it took.
GROUP = 16


IMAGES, CORRECTED = 1, 2  # an event that shows an image; that has corrections


def _flags(event: Event) -> int:
    return IMAGES * bool(event.all_media) | CORRECTED * bool(event.corrections)


def _cited(event: Event) -> str:
    return "\0".join(sorted({n.source.id for n in event.notes}))


def _source(i: int):
    """Stands for the `i`th source of the timeline in an event's pickle (`_Reader` gives the source)."""
    raise TypeError("a shared source is read only with its timeline")  # pragma: no cover - never called


class _Reader(pickle.Unpickler):
    def __init__(self, data, sources: tuple):
        super().__init__(io.BytesIO(data))
        self.sources = sources

    def find_class(self, module: str, name: str):
        if module == __name__ and name == "_source":
            return self.sources.__getitem__
        return super().find_class(module, name)


def digests(events, both) -> list:
    """Return each event's hashes (pagekeys.EventDigests.known), as kept by the snapshot where it has
    them (a lazy `events`), else `both(event)`."""
    if not isinstance(events, Events):
        return [both(e) for e in events]
    return [d if (d := events.digest(i)) is not None and len(d) == 32 else both(events[i]) for i in range(len(events))]


class _Kept:
    """The events of one snapshot as read: their pickles, columns and each one once unpickled."""

    def __init__(self, columns: tuple, chunks: list, sources: tuple, digests: list):
        self.slugs, self.paths, years, self.flags, self.cited, changed = columns
        self.years, self.changed = array("q"), array("q")
        self.years.frombytes(years)
        self.changed.frombytes(changed)
        self.groups, self.ends = [], array("q")  # each group compressed; where each event ends in its group's
        for groups, ends in chunks:
            self.groups += groups
            self.ends.frombytes(ends)
        self.sources, self.digests = sources, list(digests)
        self._inflate = zstandard.ZstdDecompressor().decompress
        self._group: tuple = (-1, b"")  # the last group inflated
        self.loaded: list = [None] * len(self.slugs)
        self.seeds = None  # pagekeys.EventDigests told each event's hashes as it is unpickled
        self._at: dict | None = None

    def blob(self, i: int) -> memoryview:
        """Return the `i`th event's pickle."""
        g = i // GROUP
        if self._group[0] != g:
            self._group = (g, memoryview(self._inflate(self.groups[g])))
        return self._group[1][self.ends[i - 1] if i % GROUP else 0:self.ends[i]]

    def load(self, i: int) -> Event:
        event = self.loaded[i]
        if event is None:
            event = self.loaded[i] = _Reader(self.blob(i), self.sources).load()
            if self.seeds is not None and self.digests[i] is not None:
                self.seeds.seed(event, self.digests[i])
        return event

    def at(self) -> dict:
        """Return each slug's position."""
        if self._at is None:
            self._at = {slug: i for i, slug in enumerate(self.slugs)}
        return self._at


class Events(Sequence):
    """Events of a snapshot, in order, unpickled when read; those at `over`'s positions replaced.
    A slice, or `picked`, is a view of some of them, in the same order, unpickling none."""

    def __init__(self, kept: _Kept, where: range | list | None = None, over: dict | None = None):
        self._kept, self._over = kept, over or {}
        self._where = range(len(kept.slugs)) if where is None else where

    @classmethod
    def read(cls, columns: tuple, chunks: list, sources: tuple, digests: list) -> Events:
        """Return the events written as `columns` and `chunks`, each one's hashes in `digests` (by position)."""
        return cls(_Kept(columns, chunks, sources, digests))

    def __len__(self) -> int:
        return len(self._where)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return Events(self._kept, self._where[i], self._over)
        at = self._where[i]
        found = self._over.get(at)
        return found if found is not None else self._kept.load(at)

    def __iter__(self):
        over, load = self._over, self._kept.load
        for at in self._where:
            found = over.get(at)
            yield found if found is not None else load(at)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self):
        return tuple, (tuple(self),)

    def _whole(self) -> bool:
        return self._where == range(len(self._kept.slugs))

    def replaced(self, changed: dict) -> Events:
        """Return these events (all of a snapshot's) with those at `changed`'s positions replaced, each
        by one of the same slug, file and day (core.timeline.revise's): the columns hold for it."""
        assert self._whole(), "a view's events are not replaced"
        return Events(self._kept, self._where, {**self._over, **changed})

    def picked(self, slugs) -> Events:
        """Return the events with these slugs, in the order given, as a view."""
        at = self._kept.at()
        return Events(self._kept, [at[s] for s in slugs], self._over)

    def at(self, positions) -> Events:
        """Return the events at these positions, in the order given, as a view."""
        return Events(self._kept, [self._where[i] for i in positions], self._over)

    def by_slug(self) -> Slugs:
        assert self._whole(), "a view's events are not found by slug"
        return Slugs(self)

    def seed(self, digests, found: list) -> None:
        """Have `digests` (pagekeys.EventDigests) told the hashes of each event when it is unpickled, and
        now those of the events read so far and of the replaced ones that `found` (by position) knows."""
        kept = self._kept
        kept.seeds = digests
        for at, event in enumerate(kept.loaded):
            if event is not None and kept.digests[at] is not None:
                digests.seed(event, kept.digests[at])
        for at, event in self._over.items():
            if found[at] is not None:
                digests.seed(event, found[at])

    def loaded(self) -> list:
        """Return the events unpickled so far, and the replaced ones."""
        return [e for e in self._kept.loaded if e is not None] + list(self._over.values())

    def digest(self, i: int) -> bytes | None:
        """Return the hashes of the `i`th event as the snapshot kept them (pagekeys.EventDigests.known),
        or None for one replaced since."""
        at = self._where[i]
        return None if at in self._over else self._kept.digests[at]

    @property
    def slugs(self) -> list:
        return [self._kept.slugs[at] for at in self._where]

    @property
    def paths(self) -> list:
        return [self._kept.paths[at] for at in self._where]

    @property
    def years(self) -> list:
        return [self._kept.years[at] for at in self._where]

    def cited(self, i: int) -> list[str]:
        """Return the ids of the sources the `i`th event cites, sorted."""
        at = self._where[i]
        found = self._kept.cited[at] if at not in self._over else _cited(self._over[at])
        return found.split("\0") if found else []

    def changed_days(self, last_changed) -> list:
        """Return each event's `last_changed(event)` as the snapshot kept it (valid: a snapshot is read
        only when the sources are those it was made with), or for a replaced one, as `last_changed` gives it."""
        over, changed, day = self._over, self._kept.changed, date.fromordinal
        return [day(changed[at]) if at not in over else last_changed(over[at]) for at in self._where]

    def shown_images(self) -> list[int]:  # the positions of those that may show an image (no other does)
        return self._flagged(IMAGES)

    def corrected(self) -> list[int]:  # the positions of those that may have corrections (no other has)
        return self._flagged(CORRECTED)

    def _flagged(self, flag: int) -> list[int]:
        flags = self._kept.flags
        return [i for i, at in enumerate(self._where) if flags[at] & flag or at in self._over]


class Slugs(Mapping):
    """Each event of `events` (all of a snapshot's) by its slug, unpickled when looked up."""

    def __init__(self, events: Events):
        self.events = events

    def __getitem__(self, slug: str) -> Event:
        return self.events[self.events._kept.at()[slug]]

    def __contains__(self, slug) -> bool:
        return slug in self.events._kept.at()

    def __iter__(self):
        return iter(self.events._kept.slugs)

    def __len__(self) -> int:
        return len(self.events)

    def picked(self, slugs) -> Events:
        return self.events.picked(slugs)
