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

    `headings` (id of an event -> its heading, `headings_of`) spares a site's pages, which group
    every event several times (the home page's years, its terms), working each heading out again."""
    events = list(events)
    years: list = []
    year = heading = None
    for event in events:
        found = headings[id(event)] if headings is not None else heading_of(event)
        if found.year != year:
            year, heading, months = found.year, None, []
            years.append((year, months))
        if found != heading:
            heading, listed = found, []
            months.append((heading, listed))
        listed.append(event)
    return Groups(years, events)


def headings_of(events) -> dict[int, Heading]:
    """Return the heading of each of `events`, by its id (for `group_events`)."""
    return {id(event): heading_of(event) for event in events}
