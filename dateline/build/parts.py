"""The exports' parts of unchanged events, taken from the last build's files instead of made again.

events.json, the calendar, the CSV files and TimelineJS's file are made of one part per event
(render/exports.py's `each`). A build notes where each event's part sits in the file it wrote,
with the part's key: the hash of the event, of the quotes verified in its sources, and of the
code, templates and config (`base`). The next build reads the part of every event whose key is
unchanged from that file, if the file is the one it wrote (the same mtime, size and inode), and
makes only the others. At 10,000 events, an edited entry costs one event's parts, not 10,000.
"""

from __future__ import annotations

from array import array
from pathlib import Path

from ..core.model import Timeline
from .pagekeys import digest

KEY = 16  # bytes of a part's key


class Parts:
    """Hands out each event's part of an export, the last build's where its key is unchanged."""

    def __init__(self, timeline: Timeline, base: bytes, event_digest, old: tuple | None, readable, counts):
        """`old`: the last build's (base, {path: (keys, offsets)}); `readable(path)`: that build's
        file at `path` if it is still the one it wrote, else None; `counts`: the memo's."""
        self.base, self.event_digest, self.readable, self.counts = base, event_digest, readable, counts
        self.old = old[1] if old and old[0] == base else {}
        self.made: dict[str, tuple[list[bytes], list[str]]] = {}  # path -> (keys, parts), in order
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
        parts = []
        for k, event in zip(keys, events):
            found = old.get(k)
            parts.append(make(event) if found is None else found)
        made = sum(k not in old for k in keys)
        self.counts["export parts made"] += made
        self.counts["export parts reused"] += len(keys) - made
        self.made[path] = (keys, parts)
        return parts

    def _read(self, path: str) -> dict[bytes, str]:
        """Return {key: part} of the last build's file at `path` (empty when it cannot be trusted)."""
        if path not in self.old:
            return {}
        text = self.readable(path)
        if text is None:
            return {}
        keys, offsets = self.old[path]
        spans = array("q")
        spans.frombytes(offsets)
        if len(spans) != 2 * (len(keys) // KEY) or (spans and spans[-1] > len(text)):
            return {}
        return {keys[i * KEY:(i + 1) * KEY]: text[spans[2 * i]:spans[2 * i + 1]] for i in range(len(keys) // KEY)}

    def record(self, files: dict[str, bytes]) -> tuple:
        """Return where each part sits in this build's `files`, for the next build's `old`."""
        out = {}
        for path, (keys, parts) in self.made.items():
            text, spans, at = files[path].decode("utf-8"), array("q"), 0
            for part in parts:
                start = text.find(part, at)
                if start < 0:
                    break  # the file is not its parts in order: nothing of it is reused
                at = start + len(part)
                spans.extend((start, at))
            else:
                out[path] = (b"".join(keys), spans.tobytes())
        return (self.base, out)


def read_text(folder: Path, path: str) -> str | None:
    """Return the text of a file of the last build, or None when it cannot be read as UTF-8."""
    try:
        return (folder / path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
