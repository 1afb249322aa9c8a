"""The overview's counts: events per day, week, month, year, decade or century, where marks would crowd."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.dates import Date, display_span
from .i18n import plural

MAX_BINS = 60      # at most this many bars of counts: the overview stays a few kilobytes
BAR_H = 56         # px: the tallest bar of counts (as tall as four rows of marks)
UNITS = ("day", "week", "month", "year", "decade", "century")


@dataclass(frozen=True)
class Bin:
    """The events of one day, week, month... counted: a bar linking to the first of them."""

    href: str
    title: str
    x: float
    w: float
    y: int                  # px: the top of the bar
    h: int
    count: int
    disputed_h: int         # px of the bar that stands for disputed events (drawn at its foot)


def day(date: dt.date) -> int:
    """Return the day number of `date` (1 for 1 January of year 1)."""
    return date.toordinal()


def pct(n: int, start: int, stop: int) -> float:
    """Return where day `n` falls on an axis from day `start` to `stop`, in per cent."""
    return round((n - start) * 100 / (stop - start), 3)


def bin_of(n: int, unit: str) -> tuple[int, int]:
    """Return the first day of the bin holding day `n` and the first day of the next."""
    d = dt.date.fromordinal(n)
    if unit == "day":
        return n, n + 1
    if unit == "week":
        return n - d.weekday(), n - d.weekday() + 7
    if unit == "month":
        return day(d.replace(day=1)), day(Date(d.year, d.month).last_day()) + 1
    width = {"year": 1, "decade": 10, "century": 100}[unit]
    first = d.year - d.year % width
    return day(dt.date(max(1, first), 1, 1)), day(dt.date(min(9999, first + width - 1), 12, 31)) + 1


def bin_keys(lo: int, hi: int, unit: str) -> list[int]:
    """Return the first days of the bins from day `lo` up to (not including) day `hi`."""
    keys, n = [], lo
    while n < hi and len(keys) <= MAX_BINS:
        first, n = bin_of(n, unit)
        keys.append(first)
    return keys


def _bin_label(first: int, stop: int, unit: str, strings: dict) -> str:
    """Name a bin as readers write it: '13 October 2019', '7–13 October 2019', 'October 2019', '1990–1999'."""
    a, b = dt.date.fromordinal(first), dt.date.fromordinal(stop - 1)
    months = strings["months"]
    if unit == "day":
        return Date(a.year, a.month, a.day).display(months)
    if unit == "week":
        return display_span(Date(a.year, a.month, a.day), Date(b.year, b.month, b.day), months)
    if unit == "month":
        return Date(a.year, a.month).display(months)
    return str(a.year) if unit == "year" else f"{a.year}–{b.year}"


def count_words(n: int, strings: dict) -> str:
    """Return '1 event' or 'N events' in the site's language."""
    return plural(strings, n, "event_count", "events_count")


def make_bins(events, spans, start, stop, unit, axis_y, href, strings) -> list[Bin]:
    """Count events by the bin of their first day; each bar links to the first event it counts."""
    counted: dict[int, list] = {}
    for event, (a, _) in zip(events, spans):
        counted.setdefault(bin_of(a, unit)[0], []).append(event)
    top = max(len(evs) for evs in counted.values())
    out = []
    for first in sorted(counted):
        evs = counted[first]
        nxt = bin_of(first, unit)[1]
        h = max(3, round(BAR_H * len(evs) / top))
        disputed = sum(e.disputed for e in evs)
        title = f"{_bin_label(first, nxt, unit, strings)}: {count_words(len(evs), strings)}"
        if disputed:
            title += f" ({disputed} {strings['disputed']})"
        out.append(Bin(href(evs[0]), title, pct(first, start, stop), round((nxt - first) * 100 / (stop - start), 3),
                       axis_y - h, h, len(evs), max(1, round(h * disputed / len(evs))) if disputed else 0))
    return out


