"""What the index's filter and search know of each event: term slugs, years and searchable text.

The templates write these as data- attributes on each event, so static/filter.js can filter
the list in the browser without a second copy of the timeline.
"""

from __future__ import annotations

import unicodedata

from ..core.kinds import KINDS
from ..core.model import Event, Term, Timeline, slugify


def fold(text: str) -> str:
    """Lowercase `text` and drop its accents, as filter.js does to what the reader types."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().split())


def event_facets(timeline: Timeline, event: Event) -> dict[str, str]:
    """Return the data- attributes of an event: tags, places, actors, years (space-separated) and search.

    `search` holds what a reader may look for that the list does not show: every name and alias
    of the event's terms, its sources' publishers and titles. The title, the summary and the rest
    of the list item's text are searched too, read from the page by filter.js: not written twice."""
    table = timeline.terms
    facets: dict[str, str] = {}
    words: list[str] = []
    for kind in KINDS:
        terms = [table.get((kind.name, slugify(v)), Term(slugify(v), v)) for v in kind.values(event)]
        facets[kind.name] = " ".join(dict.fromkeys(t.slug for t in terms))
        words += [name for t in terms for name in (t.name, *t.aliases)]
    last = event.end.year if event.end else event.date.year
    facets["year"] = " ".join(str(y) for y in range(event.date.year, max(last, event.date.year) + 1))
    for note in event.notes:
        words += [note.source.publisher, note.source.title]
    facets["search"] = fold(" | ".join(dict.fromkeys(w for w in words if w)))
    return facets

