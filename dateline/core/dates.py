"""Dates at the precision their sources give: ISO 8601 / EDTF first, natural language second.

ISO and EDTF strings are parsed here with a regular expression and never reach dateparser,
which costs ~2 ms a call and ~0.15 s to import; it is imported only when a date needs it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

PRECISIONS = ("year", "month", "day", "minute")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

_ISO = re.compile(
    r"""^(?P<year>[+-]?\d{1,})
        (?:-(?P<month>\d{1,2})
          (?:-(?P<day>\d{1,2})
            (?:[T\ ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?
               (?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?
        (?P<q>[~?%])?$""",
    re.VERBOSE,
)
# Words that say when in a day, not which day: dateparser rejects "early Saturday morning".
_FILLER = re.compile(r"\b(early|late|on|in|the|morning|afternoon|evening|night|overnight)\b",
                     re.IGNORECASE)


class DateError(ValueError):
    """A date that cannot be read, with a hint on how to write it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Date:
    """A calendar date known to a precision, perhaps approximate or uncertain."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    tz: str = ""                 # "", "Z" or "+03:00"
    approximate: bool = False    # EDTF "~"
    uncertain: bool = False      # EDTF "?"
    text: str = ""               # what the editor wrote
    resolved_from: str = ""      # for relative dates: the publication date they were read against

    @property
    def precision(self) -> str:
        """Return 'year', 'month', 'day' or 'minute'."""
        if self.month is None:
            return "year"
        if self.day is None:
            return "month"
        return "day" if self.hour is None else "minute"

    @property
    def iso(self) -> str:
        """Return the value for `<time datetime>`: as precise as the date, no more."""
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
        if self.day is not None:
            out += f"-{self.day:02d}"
        if self.hour is not None:
            out += f"T{self.hour:02d}:{self.minute:02d}{self.tz}"
        return out

    @property
    def edtf(self) -> str:
        """Return the EDTF form, with its approximate/uncertain qualifier."""
        q = "%" if self.approximate and self.uncertain else "~" if self.approximate else "?" if self.uncertain else ""
        return self.iso + q

    def sort_key(self) -> tuple:
        """Order by start: a month or year sorts before the days inside it, then by time (UTC).

        This compares the ends of a span; the reading order of events is Event.sort_key's."""
        minutes = -1
        if self.hour is not None:
            minutes = self.hour * 60 + self.minute - _tz_minutes(self.tz)
        return (self.year, self.month or 0, self.day or 0, minutes)

    def first_day(self) -> dt.date:
        """Return the earliest calendar day this date may denote."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """Return the latest calendar day this date may denote."""
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)
        if self.month is not None:
            nxt = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def display(self, months: tuple[str, ...] = MONTHS_EN, circa: str = "c. {}") -> str:
        """Return the date for readers at its own precision: '13 October 2019', 'March 2019'."""
        text = str(self.year)
        if self.month is not None:
            text = f"{months[self.month - 1]} {text}"
        if self.day is not None:
            text = f"{self.day} {text}"
        if self.hour is not None:
            zone = "UTC" if self.tz == "Z" else f"UTC{self.tz}" if self.tz else ""
            text += f", {self.hour:02d}:{self.minute:02d}" + (f" {zone}" if zone else "")
        return _qualify(text, self, circa)


def _qualify(text: str, date: Date, circa: str = "c. {}") -> str:
    """Mark an approximate date with 'c.' (or the language's `circa`) and an uncertain one with '?'."""
    if date.approximate:
        text = circa.format(text)
    return f"{text}?" if date.uncertain else text


def _tz_minutes(tz: str) -> int:
    """Return a time-zone offset such as '+03:00' in minutes east of UTC."""
    if not tz or tz == "Z":
        return 0
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return sign * (int(digits[:2]) * 60 + int(digits[2:4] or 0))


def display_span(start: Date, end: Date | None, months: tuple[str, ...] = MONTHS_EN,
                 circa: str = "c. {}") -> str:
    """Return '9–13 October 2019' for a span, sharing what the two ends share."""
    if end is None:
        return start.display(months, circa)
    plain = not (start.approximate or start.uncertain or end.approximate or end.uncertain)
    if plain and start.precision == end.precision == "day" and start.year == end.year:
        if start.month == end.month:
            return f"{start.day}–{end.day} {months[start.month - 1]} {start.year}"
        return f"{start.day} {months[start.month - 1]} – {end.day} {months[end.month - 1]} {end.year}"
    if plain and start.precision == end.precision == "month" and start.year == end.year:
        return f"{months[start.month - 1]} – {months[end.month - 1]} {end.year}"
    return f"{start.display(months, circa)} – {end.display(months, circa)}"


def parse_iso(text: str) -> Date | None:
    """Parse an ISO 8601 / EDTF date; None if `text` is not of that form, DateError if impossible."""
    m = _ISO.match(text)
    if not m:
        return None
    g = m.groupdict()
    year = int(g["year"])
    if year < 1 or g["year"].startswith(("+", "-")):
        raise DateError(f"year {g['year']} is not supported",
                        "Dateline handles years 1 to 9999 of the common era")
    if len(g["year"]) != 4:
        raise DateError(f"'{text}' is not a date", "write the year with four digits, as in 2019-10-13")
    month = int(g["month"]) if g["month"] else None
    day = int(g["day"]) if g["day"] else None
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} does not exist in '{text}'", "months run from 01 to 12")
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise DateError(f"{MONTHS_EN[month - 1]} {year} has no day {day} ('{text}')",
                            "check the day against a calendar") from None
    hour = minute = None
    if g["hour"]:
        hour, minute = int(g["hour"]), int(g["minute"])
        if hour > 23 or minute > 59 or int(g["second"] or 0) > 59:
            raise DateError(f"'{text}' has an impossible time", "use 00:00 to 23:59")
    tz = g["tz"] or ""
    if tz and tz != "Z":
        digits = tz[1:].replace(":", "").ljust(4, "0")
        tz = f"{tz[0]}{digits[:2]}:{digits[2:]}"
        if int(digits[2:]) > 59:
            raise DateError(f"'{text}' has an impossible time zone", "an offset's minutes run from 00 to 59, "
                            "as in +05:30")
        if int(digits[:2]) * 60 + int(digits[2:]) > 14 * 60:
            raise DateError(f"'{text}' has an impossible time zone",
                            "clocks run from UTC-14:00 to UTC+14:00: write an offset such as +03:00")
    q = g["q"] or ""
    return Date(year, month, day, hour, minute, tz, approximate=q in "~%" and bool(q),
                uncertain=q in "?%" and bool(q), text=text)


@lru_cache(maxsize=4096)
def _dateparser(text: str, languages: tuple[str, ...], base: dt.date) -> tuple:
    """Ask dateparser for (date, period) with `base` as the relative base, truncated to the period."""
    data = _parser(languages, base).get_date_data(text)
    when, period = data.date_obj, data.period
    if when is None:
        return None, period
    keep = {"year": 1, "month": 2, "day": 3}.get(period, 5)
    return (when.year, when.month, when.day, when.hour, when.minute)[:keep], period


@lru_cache(maxsize=64)
def _parser(languages: tuple[str, ...], base: dt.date):
    """Return a DateDataParser reading relative dates against `base`, preferring the past."""
    from dateparser.date import DateDataParser  # imported only when a date needs it

    settings = {"RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
                "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
    return DateDataParser(languages=list(languages), settings=settings)


@lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    """Return the language codes dateparser reads, without importing it (~0.15 s).

    Its list is plain data in dateparser/data/languages_info.py; if that file moves, the import
    is paid instead.
    """
    import ast
    import importlib.util

    spec = importlib.util.find_spec("dateparser")
    try:
        source = (Path(spec.submodule_search_locations[0]) / "data" / "languages_info.py").read_text("utf-8")
        start = source.index("language_order = ") + len("language_order = ")
        return frozenset(ast.literal_eval(source[start:source.index("]", start) + 1]))
    except (AttributeError, TypeError, IndexError, OSError, ValueError, SyntaxError):
        from dateparser.data.languages_info import language_order
        return frozenset(language_order)


# Two far-apart bases tell an absolute date ("13 October 2019") from a relative one ("Saturday").
_PROBE_BASES = (dt.date(2001, 6, 15), dt.date(2003, 2, 3))


# Checked before dateparser, which answers "cannot read" to '29 February 2019' and '44 BC'.
_BCE = re.compile(r"\b(?:BCE?|B\.C\.(?:E\.)?|av(?:ant|\.)\s*J\.?-?\s?C\.?)(?!\w)", re.IGNORECASE)
_WRITTEN_DAY = re.compile(r"^(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[a-z]{3,})\.?"
                          r"|(?P<m2>[a-z]{3,})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?)\s+(?P<year>\d{4})$",
                          re.IGNORECASE)


def check_written_date(text: str) -> None:
    """Refuse a date in words that no calendar holds: '32 October 2019', '15 March 44 BC'."""
    if _BCE.search(text):
        raise DateError(f"'{text}' is before the common era, which is not supported",
                        "Dateline handles years 1 to 9999 of the common era")
    m = _WRITTEN_DAY.match(text)
    word = (m["m1"] or m["m2"]).lower() if m else ""
    month = next((i for i, name in enumerate(MONTHS_EN, 1) if name.lower().startswith(word)), 0) if m else 0
    if month:
        day, year = int(m["d1"] or m["d2"]), int(m["year"])
        try:
            dt.date(year, month, day)
        except ValueError:
            raise DateError(f"{MONTHS_EN[month - 1]} {year} has no day {day} ('{text}')",
                            "check the day against a calendar") from None


def parse_natural(text: str, languages: tuple[str, ...] = ("en",),
                  base: dt.date | None = None, base_label: str = "") -> Date:
    """Parse '13 October 2019', 'octobre 2019' or, given a base, 'early Saturday morning'."""
    check_written_date(text)
    cleaned = " ".join(_FILLER.sub(" ", text).split()) or text
    probes = [_dateparser(cleaned, languages, b) for b in _PROBE_BASES]
    if probes[0][0] is None:
        raise DateError(f"cannot read the date '{text}'",
                        "write it as 2019-10-13, 2019-10 or 2019, or as '13 October 2019'")
    relative = probes[0][0] != probes[1][0]
    if relative and base is None:
        raise DateError(f"'{text}' is relative and there is no date to read it against",
                        "cite a source with a `published` date first, name one in `date_from:`, "
                        "or write the date in full")
    parts, period = _dateparser(cleaned, languages, base) if relative else probes[0]
    if period in ("year", "month", "day", "time"):
        date = Date(*parts, text=text)
    else:
        raise DateError(f"'{text}' names a {period}, which is too vague for a date",
                        "give a year, a month or a day")
    return replace(date, resolved_from=base_label if relative else "")


def parse_date(value, languages: tuple[str, ...] = ("en",), base: dt.date | None = None,
               base_label: str = "") -> Date:
    """Parse a front-matter date value (str or int) at its own precision."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        kinds = ((bool, "true or false"), (dict, "a mapping"), (list, "a list"), (float, "a decimal number"))
        kind = next((name for cls, name in kinds if isinstance(value, cls)), type(value).__name__)
        raise DateError(f"a date must be text, not {kind}", "write it as 2019-10-13, 2019-10 or 2019")
    text = str(value).strip()
    if not text:
        raise DateError("the date is empty", "write it as 2019-10-13, 2019-10 or 2019")
    return parse_iso(text) or parse_natural(text, languages, base, base_label)
