"""Endnotes for a printed chronology: every source cited on a page, numbered once, in order of first citation.

On screen each event links to its own notes; on paper a reader needs one list of sources with
their full URLs, and a number beside each source name that leads there.
"""

from __future__ import annotations

from ..core.model import Event, Source


def endnotes(events: list[Event]) -> dict[str, tuple[int, Source]]:
    """Number the sources the events cite, in order of first citation: {source id: (number, source)}."""
    numbered: dict[str, tuple[int, Source]] = {}
    for event in events:
        for note in event.notes:
            numbered.setdefault(note.source.id, (len(numbered) + 1, note.source))
    return numbered


def grouped_events(groups) -> list[Event]:
    """Flatten render.group_events() output back into its events, in order."""
    return [event for _, months in groups for _, events in months for event in events]
