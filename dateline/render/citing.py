"""What the bibliography shows of the events that cite each source, and what that is made of."""

from __future__ import annotations

from typing import NamedTuple

from ..core.dates import Date
from ..core.model import Timeline


class Citing(NamedTuple):
    """What the bibliography shows of an event that cites a source: an edit to its text leaves
    the bibliography's key, and so the page, as it was."""

    slug: str
    date: Date
    end: Date | None
    title: str
    lang: str


class CitedBy(dict):
    """For each source's id, its citing events as the bibliography shows them (`Citing`); with what
    that is made of, for the page's key (build/pagekeys.py): the sources' lists of slugs, and each
    citing event's `Citing` once (10,000 at 10,000 events, not the 16,800 of the lists)."""

    def __init__(self, lists: dict, slugs: dict, shown: dict):
        super().__init__(lists)
        self.slugs, self.shown = slugs, shown

    def rows(self) -> list:
        """Return every field of each `Citing` once, as plain values whose repr is made in C (a
        Date's own repr is a Python call per date: 0.1 s at 10,000 events)."""
        return [(c.slug, c.title, c.lang, tuple(c.date.__dict__.values()), c.end and tuple(c.end.__dict__.values()))
                for c in self.shown.values()]


def cited_by(timeline: Timeline) -> CitedBy:
    """Return, for each source's id, the events that cite it, as the bibliography shows them."""
    citing = {slug: timeline.by_slug[slug] for slugs in timeline.citing.values() for slug in slugs}
    shown = {slug: Citing(e.slug, e.date, e.end, e.title, e.lang) for slug, e in citing.items()}  # each once
    return CitedBy({sid: tuple(map(shown.__getitem__, slugs)) for sid, slugs in timeline.citing.items()},
                   timeline.citing, shown)
