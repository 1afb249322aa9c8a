"""An event's notes: one per source, numbered in order of first citation, with the places cited in it.

As Wikipedia does with {{rp}}: a source is listed once however often it is cited, and each
citation shows its own locator ("para 8") where it stands, linking to that place in the note.
"""

from __future__ import annotations

import re

from .model import Citation, Note, Pinpoint, Source

CiteMap = tuple[tuple[str, int, str, str], ...]   # (citation key "id|locator", note number, anchor, locator shown)


def number_notes(cites: list, refs: list[Citation], sources: dict[str, Source],
                 more: list[tuple[str, str, str]] = ()) -> tuple[list[Note], CiteMap]:
    """Number the notes: body citations in order of first use, then `sources:`, then `more` (accounts').

    A citation without a locator takes the locator and quote given for its source in `sources:`;
    `more` holds (id, locator, quote): a place with no quote in `sources:` shows an account's.
    A note lists its places in the order of their locators (para 2 before para 10).
    """
    first_ref: dict[str, Citation] = {}
    quotes: dict[tuple[str, str], str] = {}
    for ref in refs:
        first_ref.setdefault(ref.source_id, ref)
        if ref.quote:
            quotes.setdefault((ref.source_id, ref.locator), ref.quote)
    places: dict[str, dict[str, str]] = {}      # source id -> {locator: quote}, both in order of first use
    keys: dict[tuple[str, str], tuple[str, str]] = {}   # (id, locator written) -> (id, locator meant)

    def add(sid: str, loc: str) -> None:
        if sid not in sources:
            return
        meant = first_ref[sid].locator if not loc and sid in first_ref else loc
        keys.setdefault((sid, loc), (sid, meant))
        places.setdefault(sid, {}).setdefault(meant, quotes.get((sid, meant), ""))

    for sid, loc, _line in cites:
        add(sid, loc)
    for ref in refs:
        if ref.locator or ref.quote:
            add(ref.source_id, ref.locator)
        elif ref.source_id in sources:  # a bare id: the source has a note, as a whole if nothing more is cited
            places.setdefault(ref.source_id, {})
    for sid, loc, quote in more:
        add(sid, loc)
        meant = keys.get((sid, loc), (sid, loc))[1]
        if quote and sid in places and not places[sid][meant]:
            places[sid][meant] = quote
    notes, anchors = [], {}
    for number, (sid, found) in enumerate(places.items(), start=1):
        found = dict(sorted(found.items(), key=lambda item: _in_order(item[0]))) or {"": ""}
        located = [loc for loc in found if loc]
        pinpoints = []
        for loc, quote in found.items():
            anchor = f"note-{number}" if not loc or len(found) == 1 else f"note-{number}-{located.index(loc) + 1}"
            anchors[(sid, loc)] = (number, anchor)
            pinpoints.append(Pinpoint(loc, quote, anchor))
        notes.append(Note(number, sources[sid], tuple(pinpoints)))
    cite_map = tuple((f"{sid}|{loc}", *anchors[meant], meant[1]) for (sid, loc), meant in keys.items())
    return notes, cite_map


def _in_order(locator: str) -> list:
    """Return a sort key that puts numbers in a locator in numeric order: "para 2" before "para 10"."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
            for part in re.split(r"(\d+)", locator) if part]
