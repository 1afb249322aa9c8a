"""The exports' parts of unchanged events, taken from the last build's files instead of made again.

events.json, the calendar, the CSV files and TimelineJS's file are made of one part per event
(render/exports.py's `each`). A build notes where each event's part sits in the file it wrote,
with the part's key: the hash of the event, of the quotes verified in its sources, and of the
code, templates and config (`base`). The next build reads the part of every event whose key is
unchanged from that file, if the file is the one it wrote (incremental.Keep compares its stat,
change time included, with the one taken after the write), and makes only the others. At
10,000 events, an edited entry costs one event's parts, not 10,000.
"""

from __future__ import annotations

from array import array
from pathlib import Path

from ..core.model import Timeline
from .pagekeys import digest

KEY = 16  # bytes of a part's key
PREFIX = 48  # bytes of a part looked for in the file written, the rest checked by its hash


class Parts:
    """Hands out each event's part of an export, the last build's where its key is unchanged."""

    def __init__(self, timeline: Timeline, base: bytes, event_digest, old: tuple | None, readable, counts):
        """`old`: the last build's (base, {path: (keys, offsets)}, {path: stat}); `readable(path)`: that build's
        file at `path` if it is still the one it wrote, else None; `counts`: the memo's."""
        self.base, self.event_digest, self.readable, self.counts = base, event_digest, readable, counts
        self.old = old[1] if old and old[0] == base else {}
        # path -> (keys, (length, first bytes, hash) of each part), in order: enough to find the parts
        # in the file written, without holding them (64 MB at 10,000 events) until it is
        self.made: dict[str, tuple[list[bytes], list[tuple[int, bytes, bytes]]]] = {}
        quotes: dict[str, list[str]] = {}
        for sid, quote in timeline.verified_quotes:
            quotes.setdefault(sid, []).append(quote)
        self._quotes = {sid: sorted(qs) for sid, qs in quotes.items()}
        self._keys: dict[int, tuple] = {}  # id(event) -> (event, its key), the same in every export

    def key(self, event) -> bytes:
        hit = self._keys.get(id(event))
        if hit is None or hit[0] is not event:
            sids = sorted({n.source.id for n in event.notes})
            found = digest(self.base, self.event_digest(event), repr([(s, self._quotes.get(s)) for s in sids]))
            hit = self._keys[id(event)] = (event, found)
        return hit[1]

    def __call__(self, path: str, make, events) -> list[str]:
        """Return `make(event)` for each event, or its part in the last build's file when unchanged."""
        keys = [self.key(e) for e in events]
        old = self._read(path)
        parts, marks, made = [], [], 0
        for k, event in zip(keys, events):
            encoded = old.get(k)
            part = _text(encoded)
            if part is None:
                part, made = make(event), made + 1
                encoded = part.encode("utf-8")
            parts.append(part)
            marks.append((len(encoded), encoded[:PREFIX], digest(encoded)))
        self.counts["export parts made"] += made
        self.counts["export parts reused"] += len(keys) - made
        self.made[path] = (keys, marks)
        return parts

    def _read(self, path: str) -> dict[bytes, bytes]:
        """Return {key: part, UTF-8} of the last build's file at `path` (empty when it cannot be trusted).

        Bytes, sliced where the record says, each part decoded when used: decoding 40 MB of
        events.json whole would hold it twice over (Python keeps such a text at 2 bytes a character)."""
        if path not in self.old:
            return {}
        data = self.readable(path)
        if data is None:
            return {}
        keys, offsets = self.old[path]
        spans = array("q")
        spans.frombytes(offsets)
        if len(spans) != 2 * (len(keys) // KEY) or (spans and spans[-1] > len(data)):
            return {}
        return {keys[i * KEY:(i + 1) * KEY]: data[spans[2 * i]:spans[2 * i + 1]] for i in range(len(keys) // KEY)}

    def record(self, files: dict[str, bytes]) -> tuple:
        """Return where each part sits in this build's `files` (byte offsets), for the next build's `old`."""
        out = {}
        for path, (keys, marks) in self.made.items():
            data, spans, at = files[path], array("q"), 0
            for length, prefix, found in marks:
                start = data.find(prefix, at)
                if start < 0 or digest(data[start:start + length]) != found:
                    break  # the file is not its parts in order: nothing of it is reused
                at = start + length
                spans.extend((start, at))
            else:
                out[path] = (b"".join(keys), spans.tobytes())
        return (self.base, out)


def _text(part: bytes | None) -> str | None:
    try:
        return None if part is None else part.decode("utf-8")
    except UnicodeDecodeError:  # not what this build's record says it wrote: made again
        return None


def read_bytes(folder: Path, path: str) -> bytes | None:
    """Return the bytes of a file of the last build, or None when it cannot be read."""
    try:
        return (folder / path).read_bytes()
    except OSError:
        return None
