"""What both TimelineJS formats hold, read into plain data, and their dates read into Dateline's.

A JSON file and a spreadsheet give the same things (slides with a date object, a headline, HTML
text, media, a group), so each reader returns an `Imported` and entries.py writes it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core import dates
from ..core.errors import Problem
from .html import to_text

BEYOND = ("Dateline dates events in years 1 to 9999 of the common era: leave this slide out of the "
          "file, or give it a year of the common era")
DATE_PARTS = ("year", "month", "day", "hour", "minute", "second", "millisecond")
# How a display date says "about" or "perhaps": Dateline's own export writes "c. 1950", "1950?".
_CIRCA = re.compile(r"^\s*(?:c\.|ca\.|circa\b|approx(?:\.|imately)\b|about\b|around\b|vers\b)", re.IGNORECASE)
_ZONE = re.compile(r"\bUTC(?:\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?(?![\w+-])")


class Beyond(dates.DateError):
    """A year Dateline's calendar cannot hold: before the common era (a cosmological timeline), or after 9999."""


@dataclass
class Slide:
    """One slide (or era, or the title slide) as the file gives it: dates as text parts, text as HTML."""

    label: str                       # 'row 3' or 'slide 4', for messages
    line: int = 0                    # where it starts in the file, when known
    start: dict = field(default_factory=dict)   # year, month, day, hour, minute, second, display_date...
    end: dict = field(default_factory=dict)
    headline: str = ""
    text: str = ""
    display_date: str = ""
    media: dict = field(default_factory=dict)   # url, credit, caption, thumbnail, link, alt...
    group: str = ""
    type: str = ""
    background: dict = field(default_factory=dict)
    unique_id: str = ""
    ignored: list = field(default_factory=list)  # what the file had that no field takes


@dataclass
class Imported:
    """A whole TimelineJS timeline: its title slide, its slides and eras, and what went wrong reading it."""

    path: str
    title: Slide | None = None
    slides: list[Slide] = field(default_factory=list)
    eras: list[Slide] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def read_text(self, utf8_hint: str) -> str | None:
        """Return the file's text (a byte-order mark dropped), or None after recording why it cannot be read."""
        try:
            return Path(self.path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            self.problem(None, f"cannot read the file: {exc.strerror or exc}", "check the path")
        except UnicodeDecodeError:
            self.problem(None, "the file is not UTF-8 text", utf8_hint)
        return None

    def problem(self, slide: Slide | None, message: str, hint: str = "", severity: str = "error",
                code: str = "import") -> None:
        """Record a problem with the file, or with one slide of it (named by its label and headline)."""
        if slide is not None:
            name = to_text(slide.headline)[:60]
            message = f"{slide.label}{f' ({name!r})' if name else ''}: {message}"
        self.problems.append(Problem(self.path, slide.line if slide else 0, 0, message, hint, severity, code))


def has_date(parts: dict) -> bool:
    """Return True when a date object gives any part of a date."""
    return any(str(parts.get(k, "")).strip() for k in DATE_PARTS)


def read_date(parts: dict, which: str, notes: list[str]) -> dates.Date:
    """Return a TimelineJS date object as a Dateline date at the precision it gives.

    Raise dates.DateError when Dateline cannot hold it (a year before the common era, a month
    without a year); append to `notes` what is dropped (seconds) or assumed (':00' minutes).
    """
    values = {}
    for key in DATE_PARTS:
        raw = str(parts.get(key, "") if parts.get(key) is not None else "").strip()
        if raw:
            if not re.fullmatch(r"[+-]?\d+", raw):
                raise dates.DateError(f"the {which} {key} {raw!r} is not a number",
                                      "write numbers only: Year 2019, Month 10, Day 13")
            values[key] = int(raw)
    year = values.get("year")
    if year is None:
        raise dates.DateError(f"the {which} date has no year", "give it a year: TimelineJS needs one too")
    if not 1 <= year <= 9999:
        when = "before the common era" if year < 1 else "after 9999"
        raise Beyond(f"the {which} year {year} is {when}", BEYOND)
    for small, big in (("day", "month"), ("hour", "day"), ("minute", "hour")):
        if small in values and big not in values:
            raise dates.DateError(f"the {which} date has a {small} but no {big}", f"give its {big} too")
    text = f"{year:04d}"
    if "month" in values:
        text += f"-{values['month']:02d}"
    if "day" in values:
        text += f"-{values['day']:02d}"
    if "hour" in values:
        if "minute" not in values:
            notes.append(f"the {which} time has an hour but no minutes: written as {values['hour']:02d}:00")
        text += f"T{values['hour']:02d}:{values.get('minute', 0):02d}"
        if values.get("second") or values.get("millisecond"):
            notes.append(f"the {which} time's seconds were dropped: Dateline keeps times to the minute")
        text += _zone(str(parts.get("display_date") or ""))
    text += _qualifier(str(parts.get("display_date") or ""))
    try:
        return dates.parse_iso(text)
    except dates.DateError as exc:  # an impossible day or time: say so in the slide's terms
        raise dates.DateError(f"the {which} date: {exc.message}", exc.hint) from None


def _qualifier(display: str) -> str:
    """Return the EDTF mark for a display date that says 'c. 1950' (~), '1950?' (?) or both (%)."""
    approximate, uncertain = bool(_CIRCA.match(display)), display.rstrip().endswith("?")
    return "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""


def _zone(display: str) -> str:
    """Return the time zone a display date names ('05:30 UTC+03:00' -> '+03:00', 'UTC' -> 'Z'), or ''."""
    m = _ZONE.search(display)
    if not m:
        return ""
    if not m["sign"]:
        return "Z"
    return f"{m['sign']}{int(m['h']):02d}:{m['m'] or '00'}"
