"""The spreadsheet exports' rows: events.csv here, accounts.csv in accounts.py, one guard for both.

RFC 4180: CRLF rows, fields quoted where needed, lists joined with '; '. A text cell that a
spreadsheet would run as a formula starts with a quote (`csv_cell`).
"""

from __future__ import annotations

import csv
import io

from ..core.model import Event, Timeline
from .exports import each
from .text import plain_text, sources_of
from .urls import event_path, public_url

CSV_COLUMNS = ("date", "end", "precision", "approximate", "uncertain", "title", "place", "actors",
               "tags", "summary", "sources", "url")
# A spreadsheet runs a cell starting with one of these as a formula (some fold the full-width forms
# to ASCII, some strip a leading tab or carriage return first): OWASP's "CSV injection".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def events_csv(timeline: Timeline, parts=each) -> bytes:
    """Return one row per event (RFC 4180: CRLF rows, quoted fields); lists are joined with '; '."""
    config = timeline.config
    rows = CsvRows()

    def row(e: Event) -> str:
        text = [e.title, e.place, "; ".join(e.actors), "; ".join(e.tags), plain_text(e.summary_md, config.allow_html),
                "; ".join(s.id for s in sources_of(e)), public_url(config, event_path(e))]
        # the dates and flags are Dateline's own words (a year is never negative): only text is quoted
        return rows([[e.date.iso, e.end.iso if e.end else "", e.date.precision,
                      str(e.date.approximate).lower(), str(e.date.uncertain).lower(),
                      *(csv_cell(cell) for cell in text)]])
    return (rows([CSV_COLUMNS]) + "".join(parts("events.csv", row, timeline.events))).encode("utf-8")


class CsvRows:
    """Writes rows as RFC 4180 text: CRLF rows, fields quoted where needed."""

    def __init__(self):
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def __call__(self, rows) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerows(rows)
        return self.buffer.getvalue()


def csv_cell(text: str) -> str:
    """Return a text cell a spreadsheet shows as text: a leading quote before a formula's start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
