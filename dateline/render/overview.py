"""The overview: a page's events as marks on one time axis, drawn by templates/_overview.html.

Pure: events in, shapes out. Horizontal positions are per cent of the axis, so the SVG stretches
to any width while its marks and labels keep their size in pixels (legible at 390 px). Each
event is a mark at its own precision (a day a point, a month or a year a bar across it, a span
from start to end); where marks would crowd, the overview counts events per day, week, month,
year, decade or century instead, so its size is bounded whatever the number of events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from ..core.dates import display_span
from ..core.model import Event
from .overview_axis import Tick, ticks
from .overview_bins import BAR_H, MAX_BINS, UNITS, Bin, bin_keys, bin_of, count_words, day, make_bins, pct

NOMINAL = 640      # px: the width at which marks are laid out and crowding judged
LANES = 4          # rows of marks; a mark that finds no room in them means the page draws counts
MAX_MARKS = 120    # above this many events, counts (each mark is ~150 bytes of the page)
MAX_DETAIL = 50    # up to this many, counts carry every mark too, hidden until the reader zooms in
POINT = 5          # px: a point's radius
LANE_H = 14        # px between rows of marks
AXIS_ROOM = 24     # px under the axis line for its labels


@dataclass(frozen=True)
class Mark:
    """One event: a point (w == 0) or a bar from x to x + w, in per cent of the axis."""

    href: str
    title: str
    x: float
    w: float
    y: int                  # px: the middle of its row
    approximate: bool       # approximate or uncertain (either end)
    disputed: bool
    kind: str               # point (a day), month, year, or span (from a start to an end)


@dataclass(frozen=True)
class Overview:
    """What _overview.html draws: marks or bins, the axis, and the words that say what it shows."""

    marks: tuple[Mark, ...]
    bins: tuple[Bin, ...]
    detail: tuple[Mark, ...]  # with bins, when few enough: every event's mark, for the script's closer views
    ticks: tuple[Tick, ...]
    axis_y: int
    height: int
    start: str              # ISO days of the axis's ends (for static/overview.js)
    end: str
    unit: str               # the bins' unit ("" when every event has its mark)
    caption: str
    counted: str            # the sentence that says bars are counts ("" without bins)
    legend: tuple[tuple[str, str, str], ...]  # (key, words, "" or only in the "fine" or "coarse" view)
    spans: str              # "slug start end ..." of events with an end, for the script's period filter

    @property
    def detail_data(self) -> str:
        """Return the detail layer as static/overview.js draws it: a word a mark, in the list's order.

        Each word is the mark's place in per cent of the axis, `x` or `x:width` (a bar), then `s`
        (a span: rounded ends), `q` (approximate) and `x` (disputed) as they apply: "88.69",
        "1.587:12.302q". The layer shows only once the script has zoomed in, so the build writes
        what to draw rather than the drawing (a sixth of its bytes)."""
        return " ".join(f"{m.x}{f':{m.w}' if m.w else ''}{'s' if m.kind == 'span' else ''}"
                        f"{'q' if m.approximate else ''}{'x' if m.disputed else ''}" for m in self.detail)


def extent(event: Event) -> tuple[int, int]:
    """Return the first day an event may start and the day after it may end."""
    return day(event.date.first_day()), day((event.end or event.date).last_day()) + 1


def build(events: Iterable[Event], href: Callable[[Event], str], strings: dict,
          bin_href: Callable[[Event], str] | None = None) -> Overview | None:
    """Lay out `events` (in the list's order): marks when they fit, else counts; None when there are none.

    A mark links to `href(event)`; a count to `bin_href` (default `href`) of its first event.
    Counts are by the bin of an event's first day; an event longer than a bin (known only to the
    year, or a span) is not counted in one bin but drawn as a bar across its time above the
    counts, while such bars are few enough to fit in their rows; beyond, they are counted too.
    """
    events = list(events)
    if not events:
        return None
    spans = [extent(e) for e in events]
    lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
    start, stop = _pad(lo, hi)
    laid = None if len(events) > MAX_MARKS else _marks(events, spans, start, stop, href, strings, LANES)
    unit, bins, top, detail = "", [], 8, []
    if laid is None:  # crowded: counts
        unit = next(u for u in UNITS if len(bin_keys(lo, hi, u)) <= MAX_BINS or u == UNITS[-1])
        start, stop = bin_of(lo, unit)[0], bin_of(hi - 1, unit)[1]
        long = {i for i, (a, b) in enumerate(spans) if bin_of(a, unit)[1] < b}
        laid = _marks([events[i] for i in sorted(long)], [spans[i] for i in sorted(long)], start, stop, href,
                      strings, 2) if len(long) <= MAX_MARKS // 4 else None
        counted = [i for i in range(len(events)) if laid is None or i not in long]
        top += laid[0] * LANE_H if laid else 0
        bins = make_bins([events[i] for i in counted], [spans[i] for i in counted], start, stop, unit,
                         top + BAR_H, bin_href or href, strings)
        if len(events) <= MAX_DETAIL:  # every mark too, for the script to show once zoomed in enough
            detail = _marks(events, spans, start, stop, href, strings, len(events))[1]
    lanes, placed = laid or (0, [])
    axis_y = top + (BAR_H if unit else lanes * LANE_H)
    placed = [replace(m, y=8 + (lanes - 1 - m.y) * LANE_H + LANE_H // 2) for m in placed]  # row 0 lowest
    detail = [replace(m, y=axis_y - LANE_H // 2) for m in detail]  # rows by the script, for its view
    keys = _legend_keys(placed, bins)
    legend = tuple((k, _legend_words(k, unit, strings), "") for k in keys)
    if detail:  # what the closer view draws, shown with it
        fine = _legend_keys(detail, [])
        legend = tuple((k, w, "coarse" if k not in fine else "") for k, w, _ in legend) + tuple(
            (k, _legend_words(k, unit, strings), "fine") for k in fine if k not in keys)
    spans_attr = " ".join(f"{e.slug} {e.date.iso} {e.end.iso}" for e in events if e.end)
    return Overview(tuple(placed), tuple(bins), tuple(detail), tuple(ticks(start, stop, strings["months"])),
                    axis_y, axis_y + AXIS_ROOM, _iso(start), _iso(stop - 1), unit, _caption(events, strings),
                    _counted(unit, strings), legend, spans_attr)


def _counted(unit: str, strings: dict) -> str:
    return strings["ov_counted"].format(unit=strings["ov_units"].split("|")[UNITS.index(unit)]) if unit else ""


def _legend_keys(marks, bins) -> list[str]:
    """Return the legend's keys for what is drawn, in the legend's order."""
    keys = {m.kind for m in marks}
    if any(m.approximate for m in marks):
        keys.add("approximate")
    if any(m.disputed for m in marks):
        keys.add("disputed")
    if bins:
        keys.add("count")
    if any(b.disputed_h for b in bins):
        keys.add("disputed-count")
    return [k for k in ("point", "month", "year", "span", "approximate", "disputed", "count", "disputed-count")
            if k in keys]


def of_groups(groups, split: str, url: Callable[[str], str], strings: dict) -> Overview | None:
    """Return the overview of a page's events, grouped by year and month as the page lists them.

    On a page that lists years rather than events (the home page or a term's page of a long
    timeline), `split` is the folder of the year pages ("years/"): each mark links into its
    year's page, and each count to the page of its first event's year (which that event
    opens); elsewhere (`split` is "") to the event in the list below.
    """
    events = [e for _, months in groups for _, evs in months for e in evs]

    def href(event: Event) -> str:
        return (url(f"{split}{event.date.year}/") if split else "") + "#" + event.slug
    return build(events, href, strings, (lambda event: url(f"{split}{event.date.year}/")) if split else None)


def _legend_words(key: str, unit: str, strings: dict) -> str:
    if key == "count":
        return strings["ov_count"].format(unit=strings["ov_units"].split("|")[UNITS.index(unit)])
    return strings["disputed"] if key.startswith("disputed") else strings[f"ov_{key}"]


def _iso(n: int) -> str:
    return dt.date.fromordinal(n).isoformat()


def _pad(lo: int, hi: int) -> tuple[int, int]:
    """Widen the axis a little either side, so that a point at either end is drawn whole."""
    pad = max(1, round((hi - lo) * 0.03))
    return max(1, lo - pad), hi + pad


def _marks(events, spans, start, stop, href, strings, lanes) -> tuple[int, list[Mark]] | None:
    """Place each event in the lowest of `lanes` rows with room (y is the row); None when one finds none."""
    ends = [-1e9] * lanes   # px: where each row is taken up to
    used, placed = 0, []
    for event, (a, b) in zip(events, spans):
        point = not event.end and event.date.precision in ("day", "minute")
        x = pct(a, start, stop) + (50 / (stop - start) if point else 0)
        w = 0.0 if point else max(round((b - a) * 100 / (stop - start), 3), 100 * POINT / NOMINAL)
        left = x * NOMINAL / 100 - (POINT if point else 0)
        right = (x + w) * NOMINAL / 100 + (POINT if point else 0)
        lane = next((i for i in range(lanes) if ends[i] + 2 <= left), None)
        if lane is None:
            return None
        ends[lane] = right
        used = max(used, lane + 1)
        q = any(d.approximate or d.uncertain for d in (event.date, event.end) if d)
        title = f"{display_span(event.date, event.end, strings['months'], strings['circa'])}: {event.title}"
        if event.disputed:
            title += f" ({strings['disputed']})"
        kind = "span" if event.end else "point" if point else event.date.precision
        placed.append(Mark(href(event), title, round(x, 3), w, lane, q, event.disputed, kind))
    return used, placed


def _caption(events, strings) -> str:
    """Say what the picture shows: how many events, from when to when, and the busiest month."""
    months = strings["months"]
    first = min(events, key=lambda e: e.date.sort_key()).date
    last = max(events, key=lambda e: (e.end or e.date).sort_key())
    last = last.end or last.date
    by_month: dict[tuple[int, int], int] = {}
    for e in events:
        if e.date.month:
            by_month[(e.date.year, e.date.month)] = by_month.get((e.date.year, e.date.month), 0) + 1
    first, last = (replace(d, hour=None, minute=None, tz="") for d in (first, last))  # the day is enough here
    text = strings["ov_caption"].format(n=count_words(len(events), strings), start=display_span(first, None, months),
                                        end=display_span(last, None, months))
    if by_month and len(by_month) > 1:
        (year, month), n = max(sorted(by_month.items()), key=lambda kv: kv[1])
        text += " " + strings["ov_busiest"].format(month=f"{months[month - 1]} {year}", n=count_words(n, strings))
    return text
