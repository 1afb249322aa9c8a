"""The headings of a chronology: events by year, then by month, in Event.sort_key's order.

Within a month the dated days come first, then the events known only to the month under a
heading of their own ("October 2019, day not given"); within a year the months come first, then
the events known only to the year ("2019, month not given"). The order is the sort key's; this
only cuts it where the precision changes, so the headings cannot disagree with it.
"""

from __future__ import annotations

from typing import NamedTuple

from ..core.model import Event


class Heading(NamedTuple):
    """One heading of a year: a month's dated days, or the events whose day (or month) is not given."""

    year: int
    month: int | None      # None: the events known only to the year
    day_known: bool        # False: the events known only to this month (or year)

    @property
    def anchor(self) -> str:
        """Return the heading's id: m2019-10 for the days, m2019-10-0 for the month alone, m2019-0 for the year."""
        if self.month is None:
            return f"m{self.year}-0"
        return f"m{self.year}-{self.month}" + ("" if self.day_known else "-0")


def heading_of(event: Event) -> Heading:
    """Return the heading `event` is listed under."""
    date = event.date
    return Heading(date.year, date.month, date.day is not None)


class Groups(list):
    """What `group_events` returns: the list of years, which also keeps the events it was made
    from. The groups follow from the events alone, so a page's key hashes `events` in one piece
    (build/pagekeys.py), not heading by heading: a term page of 10,000 events has 1,500 headings."""

    __slots__ = ("events",)

    def __init__(self, years, events):
        super().__init__(years)
        self.events = events


def group_events(events, headings: dict | None = None) -> Groups:
    """Group events (in timeline order) by year, then by heading: [(year, [(heading, [event...])...])...].

    `headings` (id of an event -> its heading, filled here as they are worked out) spares a site's pages, which group every event several times (the home page's years,
    its terms), working each heading out again."""
    events = list(events)
    years: list = []
    year = heading = None
    for event in events:
        found = headings.get(id(event)) if headings is not None else None
        if found is None:
            found = heading_of(event)
            if headings is not None:
                headings[id(event)] = found
        if found.year != year:
            year, heading, months = found.year, None, []
            years.append((year, months))
        if found != heading:
            heading, listed = found, []
            months.append((heading, listed))
        listed.append(event)
    return Groups(years, events)


class Later:
    """A page's context value made when the page is drawn or keyed in full (`made`), not when the
    site is planned: a rebuild that draws a few pages of 100,000 keeps most of them by a shortcut
    that never looks at their chronologies (build/unmoved.py), and grouping them all took 0.3 s."""

    __slots__ = ("make", "_value")

    def __init__(self, make):
        self.make, self._value = make, None

    def made(self):
        if self._value is None:
            self._value = self.make()
        return self._value

    def forget(self) -> None:
        """Let the value go, to be made again if asked for."""
        self._value = None


def made(context: dict) -> dict:
    """Return `context` with each `Later` value made."""
    return {k: v.made() if type(v) is Later else v for k, v in context.items()}


def forget(context: dict) -> None:
    """Let each `Later` value of `context` go (see `Later.forget`)."""
    for v in context.values():
        if type(v) is Later:
            v.forget()


def by_year(events) -> list[tuple[int, list]]:
    """Return (year, its events) of events in timeline order, cut where the year changes as
    `group_events` cuts them, without working out their headings. Events that keep a column of
    their years (build/lazy.py's, read as they are used) are cut there, each year a view of them."""
    if hasattr(events, "years"):
        found, cuts = events.years, []
        for i, year in enumerate(found):
            if not cuts or year != found[cuts[-1]]:
                cuts.append(i)
        return [(found[a], events[a:b]) for a, b in zip(cuts, [*cuts[1:], len(found)])]
    years: list = []
    year = None
    for event in events:
        if event.date.year != year:
            year, listed = event.date.year, []
            years.append((year, listed))
        listed.append(event)
    return years
