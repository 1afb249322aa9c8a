"""An event's notes: body citations numbered in order of first use, then the other listed sources."""

from __future__ import annotations

from .model import Citation, Note, Source


def number_notes(cites: list, refs: list[Citation], sources: dict[str, Source]) -> tuple[list[Note], list]:
    """Number the notes: body citations in order of first use, then the other listed sources."""
    by_id = {}
    for ref in refs:
        by_id.setdefault(ref.source_id, ref)
    order: dict[tuple[str, str], Citation] = {}
    for sid, loc, _line in cites:
        if sid not in sources:
            continue
        ref = by_id.get(sid)
        if not loc and ref is not None:
            key = (sid, ref.locator)
            order.setdefault(key, ref)
        else:
            quote = ref.quote if ref is not None and ref.locator == loc else ""
            order.setdefault((sid, loc), Citation(sid, loc, quote))
    for ref in refs:
        order.setdefault((ref.source_id, ref.locator), ref)
    notes, cite_map = [], []
    for number, ((sid, loc), ref) in enumerate(order.items(), start=1):
        notes.append(Note(number, sources[sid], loc, ref.quote))
        cite_map.append((f"{sid}|{loc}", number))
    return notes, cite_map
