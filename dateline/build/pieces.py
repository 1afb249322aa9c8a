"""An object too big to pickle at once, written as a run of pickles (Store.write, Store.read).

Pickle remembers every object it writes, so that an object met twice is written once: its memo
takes 16 bytes a slot, is kept under two-thirds full, and is doubled as it fills, the old table
beside the new one while it moves. The last timeline of 100,000 events is 5.7 million objects:
pickled whole, its memo took 570 MB beyond the objects, in the process forked to write it, at
the time the largest of a clean build (docs/performance.md, "Peak memory").

A Pieces is written as its `shared` objects, then each of its `parts` in a pickle of its own,
whose memo goes with it. An object of type `kind` found in `shared` and met again in a part
(an event's note citing a source of the timeline's) is written there as its place in `shared`,
and read back as that same object, not a copy. Any other object met in two parts is written
twice and read back as two equal objects.

The parts are pickled with the protocol's framing: several pickles sharing one memo by hand
would need it set between them, which the unpickler of Python 3.11 cannot do (its memo setter
loses a dict's entries and keeps the count of the old memo), and protocol 3, whose indices are
explicit, has no frames: read from a stream, its unpickling took twice as long.
"""

from __future__ import annotations

import copyreg
import pickle

PROTOCOL = pickle.HIGHEST_PROTOCOL


class Pieces:
    """What Store.write pickles in pieces: read back, `join(shared, [each part])`. `join` is a
    function of a module (pickled by name), and gives the object whole. `parts` may be any
    iterable of `count` parts, each made as it is written (never all held at once)."""

    def __init__(self, join, shared: tuple, parts, kind: type, count: int | None = None):
        self.join, self.shared, self.parts, self.kind = join, shared, parts, kind
        self.count = len(parts) if count is None else count

    def __reduce__(self):
        """The first pickle of the run: what reading the rest needs (the parts come after it)."""
        return Head, (self.join, self.shared, self.count)


class Head:
    """The first pickle of a run, as read: `rest(stream)` reads the parts and returns the object."""

    def __init__(self, join, shared: tuple, count: int):
        self.join, self.shared, self.count = join, shared, count

    def rest(self, stream):
        """Read the run's parts from `stream`, each with a memo of its own; return the object joined."""
        return self.join(self.shared, [_Part(stream, self.shared).load() for _ in range(self.count)])


def dump(pieces: Pieces, out) -> None:
    """Write `pieces` into the file `out` as a run of pickles: the head, then each part apart."""
    pickle.dump(pieces, out, protocol=PROTOCOL)
    at = {id(obj): i for i, obj in enumerate(pieces.shared) if type(obj) is pieces.kind}

    def reduce(obj):  # only for objects of `kind`: the pickler looks its table up by type
        i = at.get(id(obj))
        return (shared, (i,)) if i is not None and pieces.shared[i] is obj else obj.__reduce_ex__(PROTOCOL)
    table = {**copyreg.dispatch_table, pieces.kind: reduce}
    for part in pieces.parts:
        pickler = pickle.Pickler(out, protocol=PROTOCOL)
        pickler.dispatch_table = table
        pickler.dump(part)


def shared(i: int):
    """Stands for the `i`th shared object in a part (read: `_Part.find_class` gives the object)."""
    raise TypeError("a shared object is read only as part of its run")  # pragma: no cover - never called


class _Part(pickle.Unpickler):
    """Reads one part of a run: `shared` refers to the run's shared objects."""

    def __init__(self, stream, objects: tuple):
        super().__init__(stream)
        self.objects = objects

    def find_class(self, module: str, name: str):
        if module == __name__ and name == "shared":
            return self.objects.__getitem__
        return super().find_class(module, name)
