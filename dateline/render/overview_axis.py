"""The overview's axis: a few ticks at round dates (days, months or years), labelled in the site's language.

static/overview.js draws the same ticks again when the reader zooms (keep the two in step).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MAX_TICKS = 7
# (unit, step), finest first: the first that puts at most MAX_TICKS ticks on the axis is used.
STEPS = [("day", 1), ("day", 2), ("day", 7), ("month", 1), ("month", 3), ("month", 6)] + [
    ("year", n) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)]


@dataclass(frozen=True)
class Tick:
    """A labelled date on the axis, in per cent of its width."""

    x: float
    label: str
    anchor: str     # text-anchor: start near the left end, end near the right, else middle
    minor: bool     # every other tick: hidden on narrow screens, where labels would touch


def tick_days(start: int, stop: int, unit: str, step: int) -> list[int]:
    """Return the day numbers in [start, stop) that fall on a round `step` of `unit`."""
    first, last = dt.date.fromordinal(start), dt.date.fromordinal(stop - 1)
    if unit == "day":
        if stop - start > 400:
            return list(range(MAX_TICKS + 1 + (stop - start) // 31))  # too many: never chosen
        days = (dt.date.fromordinal(n) for n in range(start, stop))
        return [d.toordinal() for d in days if step == 1 or (d.day - 1) % step == 0 and d.day < 29]
    if unit == "month":
        months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
        if len(months) // step > MAX_TICKS + 1:  # at least that many ticks: never chosen, not listed
            return list(range(len(months) // step))  # (a century's months, on every page, cost 0.4 s at 1,000 events)
        return [dt.date(m // 12, m % 12 + 1, 1).toordinal() for m in months
                if m % step == 0 and dt.date(m // 12, m % 12 + 1, 1).toordinal() >= start]
    years = range(first.year + ((first.month, first.day) > (1, 1)), last.year + 1)
    if len(years) > step * (MAX_TICKS + 1) * 4:
        years = range(first.year + (-first.year) % step, last.year + 1, step)
    return [dt.date(y, 1, 1).toordinal() for y in years if y % step == 0 or (y == 1 and step == 1)]


def ticks(start: int, stop: int, months: tuple[str, ...]) -> list[Tick]:
    """Return the ticks of an axis running from day `start` to the day before `stop`."""
    for unit, step in STEPS:
        days = tick_days(start, stop, unit, step)
        if len(days) <= MAX_TICKS:
            break
    out = []
    for i, n in enumerate(days):
        d = dt.date.fromordinal(n)
        if unit == "day":
            label = f"{d.day} {months[d.month - 1]}" if i == 0 or d.day == 1 else str(d.day)
        elif unit == "month":
            label = str(d.year) if d.month == 1 else months[d.month - 1] + (f" {d.year}" if i == 0 else "")
        else:
            label = str(d.year)
        x = round((n - start) * 100 / (stop - start), 3)
        out.append(Tick(x, label, "start" if x < 6 else "end" if x > 94 else "middle", i % 2 == 1))
    return out
