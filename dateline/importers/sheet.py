"""Read a TimelineJS spreadsheet saved as CSV: the template's columns, one row a slide.

    Year, Month, Day, Time, End Year, End Month, End Day, End Time, Display Date, Headline, Text,
    Media, Media Credit, Media Caption, Media Thumbnail, Type, Group, Background

`Type` is `title` for the title slide and `era` for an era; any other row is a slide. Column
names are matched without regard to case or spaces, and columns may come in any order.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .slides import Imported, Slide

COLUMNS = ("Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
           "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
           "Background")
_TIME = re.compile(r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?::(?P<s>\d{2})(?:\.(?P<ms>\d+))?)?\s*(?P<ampm>[ap]\.?m\.?)?$",
                   re.IGNORECASE)


def _key(name: str) -> str:
    return "".join(name.split()).casefold()


def read(path: Path) -> Imported:
    """Read the CSV file into slides; problems (unreadable file, missing columns, bad times) in `.problems`."""
    out = Imported(str(path))
    text = out.read_text("save the spreadsheet as CSV in UTF-8")
    if text is None:
        return out
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        out.problem(None, "the file is empty", "save the TimelineJS template's sheet as CSV")
        return out
    known = {_key(c): c for c in COLUMNS}
    columns = {}
    for i, name in enumerate(header):
        if _key(name) in known:
            columns.setdefault(known[_key(name)], i)
        elif name.strip():
            out.problem(None, f"the column {name.strip()!r} is not one of TimelineJS's: it is not carried over",
                        severity="info")
    for needed in ("Year", "Headline"):
        if needed not in columns:
            out.problem(None, f"no {needed!r} column: this is not a TimelineJS sheet",
                        "the first row must name the columns: " + ", ".join(COLUMNS))
    if any(p.severity == "error" for p in out.problems):
        return out
    line, row_number = reader.line_num + 1, 1
    for cells in reader:
        row_number += 1
        row = {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()}
        slide = _slide(out, row, row_number, line)
        line = reader.line_num + 1
        if slide is None:
            continue
        kind = slide.type.casefold()
        if kind == "title" and out.title is None:
            out.title = slide
        elif kind == "era":
            out.eras.append(slide)
        else:
            out.slides.append(slide)
    return out


def _slide(out: Imported, row: dict, number: int, line: int) -> Slide | None:
    """Return one row as a Slide; None for a row with nothing in it (not a slide)."""
    if not any(row.values()):
        return None
    slide = Slide(label=f"row {number}", line=line, headline=row.get("Headline", ""), text=row.get("Text", ""),
                  display_date=row.get("Display Date", ""), group=row.get("Group", ""), type=row.get("Type", ""))
    slide.start = {k.lower(): row.get(k, "") for k in ("Year", "Month", "Day")}
    slide.end = {k[4:].lower(): row.get(k, "") for k in ("End Year", "End Month", "End Day")}
    for which, column in ((slide.start, "Time"), (slide.end, "End Time")):
        if row.get(column):
            which.update(_time(out, slide, column, row[column]))
    slide.media = {k: row.get(c, "") for k, c in (("url", "Media"), ("credit", "Media Credit"),
                                                  ("caption", "Media Caption"), ("thumbnail", "Media Thumbnail"))
                   if row.get(c)}
    background = row.get("Background", "")
    if background:
        slide.background = {"color" if background.startswith("#") else "url": background}
    return slide


def _time(out: Imported, slide: Slide, column: str, text: str) -> dict:
    """Return a Time cell ('15:45', '3:45 PM', '15:45:30') as hour, minute, second parts."""
    m = _TIME.match(text)
    hour = int(m["h"]) if m else 99
    if m and m["ampm"]:
        if not 1 <= hour <= 12:
            hour = 99
        else:
            hour = hour % 12 + (12 if m["ampm"].lower().startswith("p") else 0)
    if not m or hour > 23:
        out.problem(slide, f"the {column} {text!r} is not a time", "write it as 15:45 or 3:45 PM")
        return {}
    parts = {"hour": str(hour), "minute": m["m"] or ""}
    parts.update({"second": m["s"]} if m["s"] else {})
    parts.update({"millisecond": m["ms"]} if m["ms"] else {})
    return parts
