"""The pages whose key is the last build's, found without hashing their context (incremental.Keep's shortcut)."""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from ..core.model import Timeline
from . import lazy
from .hashing import digest
from .pagekeys import Keys

# The contexts of the pages that list events (render/pages.py): an event's, a term's, a year's,
# the home page's (all the events, or the list of years), a kind's list of terms, the sources'.
EVENT_PAGE = frozenset({"event", "previous", "next"})
TERM_PAGE = frozenset({"kind", "term", "groups", "total", "year", "years", "by_year"})
YEAR_PAGE = frozenset({"year", "groups", "total"})
HOME_PAGE = frozenset({"groups"})
YEARS_PAGE = frozenset({"years", "total", "groups", "by_year"})
KIND_PAGE = frozenset({"kind", "terms"})
SOURCES_PAGE = frozenset({"sources", "cited_by"})
CORRECTIONS_PAGE = frozenset({"changes"})
# The pages render/pages.plan leaves out `around` a change: each is kept by its shape below (`Unmoved.key`).
AROUND = (("event.html", EVENT_PAGE), ("term.html", TERM_PAGE), ("year.html", YEAR_PAGE))


@dataclass(frozen=True)
class Around:
    """The events a rebuild changed, as render/pages.plan needs them to list only the pages that may
    show them (and the site's few others): every other page is the last build's (`Unmoved.around`)."""

    positions: list[int]  # the event pages that show them: theirs, and their neighbours'
    slugs: set[str]       # the terms' pages that list them
    years: set[int]       # the home page's years that list them


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
    - a year's page shows the events of its year, on the same condition;
    - the home page shows every event, the list of years too; a kind's page its terms, each with
      its members; the sources' page the sources and what lists show of the events citing them
      (their titles, dates...: `pagekeys.LISTS`), and so the same when no event's listed hash
      changed and the sources are the same; the corrections' page, every event's corrections.
    A page that shows what a list does of its events (`Keys.lists`) changes only when what a list
    shows of them changed, not their bodies. When no event's listed hash changed, the terms'
    members and the events' years follow as they were (they are made of the events' terms and
    dates), and are not worked out again (0.25 s at 100,000 events).
    At 10,000 events a one-entry rebuild so hashes the contexts of a few pages instead of 10,345.
    """

    def __init__(self, keys: Keys, timeline: Timeline, last: tuple | None):
        events = self.events = timeline.events
        self.keys, self.local = keys, {}
        both = lazy.digests(events, keys.events.both)  # each event's hash, then its listed hash
        digests, listed = b"".join([d[:16] for d in both]), b"".join([d[16:] for d in both])
        slugs = events.slugs if isinstance(events, lazy.Events) else [e.slug for e in events]
        self.record = (keys.base, keys.terms_digest(), tuple(slugs), digests, None, None, listed,
                       digest(repr(timeline.sources)))
        self.at: dict[str, int] | None = None
        if last is None or len(last) != len(self.record) or last[:3] != self.record[:3]:
            self.record = self._grouped_by(timeline, self.record)
            return  # another order, base or terms: every key is computed
        changed = self._changed(last[3], digests)
        self.dirty = {j for i in changed for j in (i - 1, i, i + 1)}  # the event pages that show them
        self.changed = {events[i].slug for i in changed}
        self.years = {events[i].date.year for i in changed}
        shown = self._changed(last[6], listed)  # what a list shows of them changed (pagekeys.LISTS)
        self.shown = {events[i].slug for i in shown}
        self.shown_years = {events[i].date.year for i in shown}
        if shown:  # the terms' members and the events' years may have changed: compared
            self.record = self._grouped_by(timeline, self.record)
            self.grouped = last[4:6] == self.record[4:6]
        else:  # they follow from what lists show of the events (their terms, their dates): as they were
            self.record = (*self.record[:4], *last[4:6], *self.record[6:])
            self.grouped = True
        self.sources = last[7] == self.record[7]
        self.at = {slug: i for i, slug in enumerate(self.record[2])}

    def around(self) -> Around | None:
        """Return the changed events when every page that shows none of them is provably the last
        build's, as `key` proves it: the same events in the same order, the same terms, members and
        years, and their templates reading nothing of the whole timeline. Else None."""
        if self.at is None or not self.grouped or not all(self.keys.local(*shown) for shown in AROUND):
            return None
        return Around(sorted(i for i in self.dirty if 0 <= i < len(self.events)), self.changed, self.years)

    def timeline_digest(self, timeline: Timeline) -> bytes:
        """Return the hash of the whole timeline from what the record holds: each event's hash in
        order (and so what cites each source), the terms with their spellings and members, the
        sources, the config, the quotes verified (at 100,000 events, pagekeys.timeline_digest takes
        0.5 s of the process that makes the exports)."""
        _, terms, _, digests, members, _, _, sources = self.record
        return digest(b"timeline", repr(timeline.config), digests, terms, members, sources,
                      repr(sorted(timeline.verified_quotes)))

    def around_key(self) -> bytes:
        """Return the hash of what the exports' makers read around the events' parts (exports.Each.around):
        the code, templates and config, the terms, what lists show of each event, the sources."""
        base, terms, _, _, _, _, listed, sources = self.record
        return digest(b"around", base, terms, listed, sources)

    @staticmethod
    def _changed(last: bytes, now: bytes) -> list[int]:
        """Return the positions whose 16-byte hash differs between two runs of them."""
        return [] if last == now else [i for i in range(len(now) // 16) if last[16 * i:16 * i + 16] != now[16 * i:16 * i + 16]]

    @staticmethod
    def _grouped_by(timeline: Timeline, record: tuple) -> tuple:
        """Return `record` with the terms' members and the events' years (at 100,000 events, 0.25 s)."""
        members = digest("\0".join(f"{kind}\0{term.slug}\0{len(term.events)}\0" + "\0".join(term.events)
                                   for kind, terms in sorted(timeline.taxonomies.items()) for term in terms))
        events = timeline.events
        years = array("q", events.years if isinstance(events, lazy.Events) else [e.date.year for e in events]).tobytes()
        return (*record[:4], members, years, *record[6:])

    def key(self, page, old: tuple | None) -> bytes | None:
        """Return the last build's key of `page` when it is provably its key now, else None."""
        if self.at is None or old is None:
            return None
        context, names = page.context, page.context.keys()
        lists = self.keys.lists(page.template)  # the page shows what a list does of its events: their listed hash
        changed, years = (self.shown, self.shown_years) if lists else (self.changed, self.years)
        if names == EVENT_PAGE:
            shape, same = EVENT_PAGE, self._event_page(context)
        elif names == TERM_PAGE:
            shape, same = TERM_PAGE, self.grouped and changed.isdisjoint(context["term"].events)
        elif names == YEAR_PAGE:
            shape, same = YEAR_PAGE, self.grouped and context["year"] not in years
        elif names == HOME_PAGE or names == YEARS_PAGE:
            shape, same = frozenset(names), self.grouped and not changed
        elif names == KIND_PAGE:  # the terms, each with its spellings and members
            shape, same = KIND_PAGE, self.grouped
        elif names == SOURCES_PAGE:  # the sources, and what lists show of the events citing them
            shape, same = SOURCES_PAGE, self.sources and not self.shown
        elif names == CORRECTIONS_PAGE:  # every correction, with its event's title
            shape, same = CORRECTIONS_PAGE, not changed
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
