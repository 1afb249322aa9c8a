"""What the index's filter knows of each event: term slugs and years.

The templates write these as data- attributes on each event, so static/filter.js can filter
the list in the browser without a second copy of the timeline. What it searches is on the
page once: each item's text, the terms' names and other names in the form's options
(data-also), the sources' titles in the endnotes.
"""

from __future__ import annotations

import unicodedata

from ..core.kinds import KINDS
from ..core.model import Event, Term, Timeline, slugify


def fold(text: str) -> str:
    """Lowercase `text` and drop its accents, as filter.js does to what it searches and what the reader types."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().split())


def event_facets(timeline: Timeline, event: Event) -> dict[str, str]:
    """Return the data- attributes of an event: its tags, places, actors and years, space-separated."""
    table = timeline.terms
    facets: dict[str, str] = {}
    for kind in KINDS:
        terms = [table.get((kind.name, slugify(v)), Term(slugify(v), v)) for v in kind.values(event)]
        facets[kind.name] = " ".join(dict.fromkeys(t.slug for t in terms))
    last = event.end.year if event.end else event.date.year
    facets["year"] = " ".join(str(y) for y in range(event.date.year, max(last, event.date.year) + 1))
    return facets
