"""An entry's record of change: `updated:`, `corrections:` and `status: developing`.

Every date here is the editor's: nothing reads the clock, so the same content gives the same site.
"""

from __future__ import annotations

from . import dates
from .checker import Checker
from .model import Correction
from .yamlsrc import YList, YMap

CORRECTION_KEYS = ("date", "what", "why")
STATUSES = ("developing",)


def editor_date(data: YMap, key: str, c: Checker, what: str = "") -> dates.Date | None:
    """Return the day an editor changed something: a date written in full, never relative."""
    try:
        date = dates.parse_date(data[key])
    except dates.DateError as exc:
        hint = "write the day of the change in full, e.g. 2019-10-14" if "relative" in exc.message else exc.hint
        c.error(data.line_of(key), f"'{key}'{what}: {exc.message}", hint, "bad-date")
        return None
    if date.precision not in ("day", "minute"):
        c.error(data.line_of(key), f"'{key}'{what} must give the day of the change, not only {date.iso}",
                f"write {key}: {date.iso}-DD with the day the entry changed", "bad-date")
        return None
    return date


def check_changes(data: YMap, c: Checker) -> tuple:
    """Return (updated, corrections newest first, status) from an event's front matter."""
    updated = editor_date(data, "updated", c) if data.get("updated") is not None else None
    status = c.text(data, "status")
    if status and status not in STATUSES:
        c.error(data.line_of("status"), f"unknown status '{status}'",
                "write status: developing while the story is still changing, or leave it out", "bad-value")
        status = ""
    found = []
    value = data.get("corrections")
    if value is not None and not isinstance(value, YList):
        c.error(data.line_of("corrections"), "'corrections' must be a list of changes",
                "write corrections: then '- date: 2019-10-14', 'what: ...' and 'why: ...' lines", "bad-value")
        value = None
    for item, line in zip(value or (), getattr(value, "item_lines", ())):
        if not isinstance(item, YMap):
            c.error(line, "each correction must be a mapping with date:, what: and why:",
                    "write '- date: 2019-10-14', then 'what: ...' on the next line, indented", "bad-value")
            continue
        c.unknown_keys(item, CORRECTION_KEYS, "a correction")
        when = None
        if item.get("date") is None:
            c.error(item.line, "a correction needs the date it was made", "add date: 2019-10-14", "missing-date")
        else:
            when = editor_date(item, "date", c, " of a correction")
        what = c.text(item, "what", required=True, what=" in a correction: say what was changed")
        if when and what:
            found.append((line, Correction(when, what, c.text(item, "why"))))
    if updated:
        for line, correction in found:
            if correction.date.sort_key() > updated.sort_key():
                c.error(line, f"this correction ({correction.date.iso}) is later than 'updated' ({updated.iso})",
                        f"set updated: {correction.date.iso}, or leave updated out: the latest correction "
                        "dates the entry", "bad-date")
    newest_first = sorted((c for _, c in found), key=lambda c: c.date.sort_key(), reverse=True)
    return updated, tuple(newest_first), status
