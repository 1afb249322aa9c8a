"""The pages whose key is the last build's, found without hashing their context (incremental.Keep's shortcut)."""

from __future__ import annotations

from array import array

from ..core.model import Timeline
from .hashing import digest
from .pagekeys import Keys

# The contexts of the pages that list events (render/pages.py): an event's, a term's, a year's.
EVENT_PAGE = frozenset({"event", "previous", "next"})
TERM_PAGE = frozenset({"kind", "term", "groups", "total", "year", "years", "by_year"})
YEAR_PAGE = frozenset({"year", "groups", "total"})


class Unmoved:
    """Finds the pages whose key is the last build's without hashing their context.

    When the timeline has the same events in the same order as the last build (by slug), the
    same code, templates and config (the keys' base) and the same terms, and a page's template
    reads nothing of the whole timeline (Keys.local), its key is made of the parts it was made of
    last time, unless an event it shows changed (the events' hashes are compared with the last
    build's):
    - an event page shows its event and the two beside it;
    - a term's page (or one year of it) shows the events its `term` lists; its counts and
      headings follow from the terms' members and the events' years, when those are the same;
    - a year's page shows the events of its year, on the same condition.
    At 10,000 events a one-entry rebuild so hashes the contexts of a few pages instead of 10,345.
    """

    def __init__(self, keys: Keys, timeline: Timeline, last: tuple | None):
        events = self.events = timeline.events
        self.keys, self.local = keys, {}
        digests = [keys.events(e) for e in events]
        members = digest(repr(sorted(timeline.taxonomies.items())))
        self.record = (keys.base, keys.terms_digest(), tuple(e.slug for e in events), b"".join(digests),
                       members, array("q", [e.date.year for e in events]).tobytes())
        self.at: dict[str, int] | None = None
        if last is None or len(last) != len(self.record) or last[:3] != self.record[:3]:
            return  # another order, base or terms: every key is computed
        changed = [] if last[3] == self.record[3] else [
            i for i, found in enumerate(digests) if last[3][16 * i:16 * i + 16] != found]
        self.dirty = {j for i in changed for j in (i - 1, i, i + 1)}  # the event pages that show them
        self.grouped = last[4:] == self.record[4:]  # the same members of each term, the same years
        self.changed = {events[i].slug for i in changed}
        self.years = {events[i].date.year for i in changed}
        self.at = {slug: i for i, slug in enumerate(self.record[2])}

    def key(self, page, old: tuple | None) -> bytes | None:
        """Return the last build's key of `page` when it is provably its key now, else None."""
        if self.at is None or old is None:
            return None
        context, names = page.context, page.context.keys()
        if names == EVENT_PAGE:
            shape, same = EVENT_PAGE, self._event_page(context)
        elif names == TERM_PAGE:
            shape, same = TERM_PAGE, self.grouped and self.changed.isdisjoint(context["term"].events)
        elif names == YEAR_PAGE:
            shape, same = YEAR_PAGE, self.grouped and context["year"] not in self.years
        else:
            return None
        if not same:
            return None
        if (page.template, shape) not in self.local:
            self.local[page.template, shape] = self.keys.local(page.template, shape)
        return old[0] if self.local[page.template, shape] else None

    def _event_page(self, context: dict) -> bool:
        events = self.events
        i = self.at.get(context["event"].slug)
        return not (i is None or i in self.dirty or events[i] is not context["event"]
                    or context["previous"] is not (events[i - 1] if i > 0 else None)
                    or context["next"] is not (events[i + 1] if i + 1 < len(events) else None))
