"""The last timeline's events written as build/lazy.py reads them (snapshot.pieces): what a rebuild
reads of every event without unpickling it (`columns`), then each event's own pickle, GROUP of
them compressed together, CHUNK events to a part of the snapshot's run of pickles (`chunks`).
Events read lazily give back, for those not replaced, what they were read from."""

from __future__ import annotations

import copyreg
import io
import pickle
from array import array

import zstandard

from ..core.model import Source
from ..render.text import last_changed
from . import lazy
from .lazy import PROTOCOL, Events, _cited, _flags, _Kept


def _reused(events, sources: tuple) -> _Kept | None:
    """Return what `events` were read from, when they are all of it and cite the same `sources`:
    its columns and pickles then hold for the events not replaced (a replaced one keeps its slug,
    file and day: core.timeline.revise)."""
    whole = isinstance(events, Events) and events._kept.sources is sources and events._whole()
    return events._kept if whole else None


def columns(events, sources: tuple) -> tuple:
    """Return what a rebuild reads of every event of `events` without unpickling it (`Events`):
    each one's slug, file, year, `_flags`, the sources it cites (for the exports' parts,
    build/parts.py) and the day it last changed (render/text.last_changed, for the feeds)."""
    kept = _reused(events, sources)
    if kept is not None:
        over = events._over
        flags = bytes(kept.flags[i] if i not in over else _flags(events[i]) for i in range(len(events)))
        cited = [kept.cited[i] if i not in over else _cited(events[i]) for i in range(len(events))]
        changed = array("q", [kept.changed[i] if i not in over else last_changed(events[i]).toordinal()
                              for i in range(len(events))])
        return events.slugs, events.paths, array("q", events.years).tobytes(), flags, cited, changed.tobytes()
    by_source: dict = {}
    return ([e.slug for e in events], [e.path for e in events], array("q", [e.date.year for e in events]).tobytes(),
            bytes(map(_flags, events)), [_cited(e) for e in events],
            array("q", [last_changed(e, by_source).toordinal() for e in events]).tobytes())


def chunks(events, sources: tuple):
    """Yield `events` as `Events.read` reads them with `sources` (the timeline's, pickled before),
    CHUNK at a time: their pickles, compressed GROUP at a time, and where each event's ends in its
    group's. A lazy `events` gives each group of which it replaced none as it was read."""
    at = {id(s): i for i, s in enumerate(sources)}

    def shared(source):  # a source of the timeline's: its place among them
        i = at.get(id(source))
        return (lazy._source, (i,)) if i is not None and sources[i] is source else source.__reduce_ex__(PROTOCOL)
    table = {**copyreg.dispatch_table, Source: shared}
    kept = _reused(events, sources)
    over = events._over if kept is not None else {}
    compress = zstandard.ZstdCompressor(level=1).compress
    for start in range(0, len(events), lazy.CHUNK):
        groups, ends = [], array("q")
        for first in range(start, min(start + lazy.CHUNK, len(events)), lazy.GROUP):
            last = min(first + lazy.GROUP, len(events))
            if kept is not None and not any(i in over for i in range(first, last)):
                groups.append(kept.groups[first // lazy.GROUP])
                ends.extend(kept.ends[first:last])
                continue
            out = io.BytesIO()
            pickler = pickle.Pickler(out, protocol=PROTOCOL)
            pickler.dispatch_table = table
            for i in range(first, last):
                if kept is not None and i not in over:
                    out.write(kept.blob(i))
                else:
                    pickler.clear_memo()
                    pickler.dump(events[i])
                ends.append(out.tell())
            groups.append(compress(out.getvalue()))
        yield groups, ends.tobytes()
