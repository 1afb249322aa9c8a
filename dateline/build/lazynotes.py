"""The last build's problems as a rebuild reads them (build/snapshot.py): the errors and warnings as
they are, the notes (severity "info") unpickled only when something reads them.

At 100,000 events the benchmark's site has 168,656 notes ("quote not verified") beside 4,000
warnings: unpickling them took 0.27 s of a one-entry rebuild, which prints the warnings alone
and reads the notes of the files it reads again. `Notes` is a sequence of problems, in
`validate`'s order, that holds the notes pickled and compressed GROUP at a time, with the file
of each problem, so that the warnings (`of`) and a file's problems (`at`) come without them.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from itertools import accumulate

import zstandard

GROUP = 1024  # notes pickled and compressed together


class Notes(Sequence):
    """Problems in order, the notes among them read when first asked for. Made of a list of problems
    (`Notes(problems)`), it is that list, packed only when pickled."""

    def __init__(self, problems: list | None = None, packed: tuple | None = None):
        self._all = problems  # every problem, once known
        # read back: which are packed (1 a position), the others, the packed ones' groups, each one's file
        self._order, self._held, self._groups, self._paths = packed or (None, None, None, None)
        self._index: tuple | None = None  # each file's positions, and the notes up to each position (`at`)

    def __reduce__(self):
        if self._groups is None:  # made of a list: packed now (in the process that writes it)
            problems = self._all
            notes = [p for p in problems if p.severity == "info"]
            compress = zstandard.ZstdCompressor(level=1).compress
            self._groups = [compress(pickle.dumps(notes[i:i + GROUP], protocol=pickle.HIGHEST_PROTOCOL))
                            for i in range(0, len(notes), GROUP)]
            self._order = bytes(p.severity == "info" for p in problems)
            self._held, self._paths = [p for p in problems if p.severity != "info"], [p.path for p in problems]
        return Notes, (None, (self._order, self._held, self._groups, self._paths))

    def _every(self) -> list:
        if self._all is None:
            inflate = zstandard.ZstdDecompressor().decompress
            notes = iter([p for group in self._groups for p in pickle.loads(inflate(group))])
            held = iter(self._held)
            self._all = [next(notes) if packed else next(held) for packed in self._order]
        return self._all

    def __len__(self) -> int:
        return len(self._all if self._all is not None else self._order)

    def __getitem__(self, i):
        return self._every()[i]

    def __iter__(self):
        return iter(self._every())

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None

    def __repr__(self) -> str:
        return repr(self._every())

    def __add__(self, other) -> Notes:
        """Return these problems and `other`'s after them, held as they are."""
        other = list(other)
        if self._all is not None:
            return Notes(self._all + other)
        return Notes(None, (self._order + bytes(len(other)), self._held + other, self._groups,
                            self._paths + [p.path for p in other]))

    def of(self, severity: str) -> list:
        """Return the problems of `severity`, in order: the notes read only when asked for."""
        if self._all is not None or (severity == "info" and any(self._order)):
            return [p for p in self._every() if p.severity == severity]
        return [p for p in self._held if p.severity == severity]

    def at(self, path: str) -> list:
        """Return the problems in file `path`, in order: the notes among them read from their groups alone."""
        if self._all is not None:
            return [p for p in self._all if p.path == path]
        if self._index is None:  # once: a rebuild asks for each file it read again (up to snapshot.LIMIT)
            index: dict = {}
            for i, p in enumerate(self._paths):
                index.setdefault(p, []).append(i)
            self._index = (index, list(accumulate(self._order)))  # and how many notes up to each position
        found, packed = self._index[0].get(path, ()), self._index[1]
        inflate, groups, out = zstandard.ZstdDecompressor().decompress, {}, []
        for i in found:
            if self._order[i]:
                g, j = divmod(packed[i] - 1, GROUP)
                if g not in groups:
                    groups[g] = pickle.loads(inflate(self._groups[g]))
                out.append(groups[g][j])
            else:
                out.append(self._held[i - packed[i]])
        return out


def kept(problems) -> Notes:
    """Return `problems` as Notes, to be kept (its notes packed as it is pickled)."""
    return problems if isinstance(problems, Notes) else Notes(list(problems))


def of(problems, severity: str) -> list:
    """Return the problems of `severity` in `problems` (a list, or Notes: without reading its notes)."""
    if isinstance(problems, Notes):
        return problems.of(severity)
    return [p for p in problems if p.severity == severity]


def at(problems, path: str) -> list:
    """Return the problems in file `path` of `problems` (a list, or Notes: reading only its notes there)."""
    if isinstance(problems, Notes):
        return problems.at(path)
    return [p for p in problems if p.path == path]
