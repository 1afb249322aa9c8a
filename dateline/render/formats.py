"""The export formats, in one table: it makes the files, the footer's links, and what the tests check.

A new format is one line here (its path, the function of the timeline that makes its bytes, its
media type and its label), its maker in exports.py or feeds.py, and a paragraph in docs/exports.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import feeds
from .corrections import corrections_atom
from .accounts import accounts_csv
from .exports import csl_json, each, events_json, robots_txt, sitemap, timelinejs
from .spreadsheets import events_csv
from .text import once_each
from .urls import site_url
from ..core.model import Timeline


@dataclass(frozen=True)
class Format:
    """One machine-readable copy of the timeline, linked from every page's footer."""

    path: str                         # from the site root
    make: Callable[[Timeline], bytes]
    media_type: str                   # the link's type=""
    name: str                         # the footer's label, unless it is translated
    strings_key: str = ""             # the label's key in render/i18n.py, when it is translated
    by_event: bool = False            # made of a part per event: `make(timeline, parts)` (exports.each)

    def label(self, strings: dict) -> str:
        """Return the footer's label in the language of the catalog `strings`."""
        return strings[self.strings_key] if self.strings_key else self.name


FORMATS = (  # in the footer's order
    Format("feed.xml", feeds.atom, "application/atom+xml", "Atom", "feed", by_event=True),
    Format("events.ics", feeds.icalendar, "text/calendar", "iCalendar", "calendar", by_event=True),
    Format("events.json", events_json, "application/json", "JSON", by_event=True),
    Format("events.csv", events_csv, "text/csv", "CSV", by_event=True),
    Format("accounts.csv", accounts_csv, "text/csv", "CSV (accounts)", "accounts_csv", by_event=True),
    Format("timeline.json", timelinejs, "application/json", "TimelineJS", by_event=True),
    Format("sources.json", csl_json, "application/vnd.citationstyles.csl+json", "CSL-JSON"),
    Format("corrections.xml", corrections_atom, "application/atom+xml", "Corrections", "corrections_feed"),
)


def render_exports(timeline: Timeline, parts=each, put=None) -> dict[str, bytes]:
    """Return {output path: bytes} of every format and robots.txt (the sitemap: `render_sitemap`).

    `parts(path, make, events)` makes the formats' parts an event at a time, and `parts.finish(path,
    bytes)` puts them in the file (exports.each; build/parts.py's reuses the last build's).
    `put(path, data)`, when given, takes each file as soon as it is made, and its answer is kept
    instead of the bytes (a build writing its new tree: the exports are never all held at once);
    its `data` may be an iterable of the file's pieces, made as they are taken (build/parts.py)."""
    out = {}
    with once_each():  # each summary's plain text, kept for the formats that follow
        # In the footer's order. Made first, events.json's head was joined before the summaries'
        # plain texts were kept (68 MB less at a clean build's peak of 100,000 events), but a
        # one-entry rebuild then took 2 s more one time in two (docs/performance.md).
        for f in FORMATS:
            if not f.by_event:
                out[f.path] = f.make(timeline)
            else:
                out[f.path] = parts.finish(f.path, f.make(timeline, parts), whole=put is None)
                if out[f.path] is None:  # its parts did not come back one for each mark: made whole
                    out[f.path] = f.make(timeline, each)
            if put is not None:
                out[f.path] = put(f.path, out[f.path])
    out["robots.txt"] = robots_txt(timeline)
    return out


def render_sitemap(timeline: Timeline, pages) -> dict[str, bytes]:
    """Return {"sitemap.xml": the sitemap of `pages` (HTML)}, or nothing without the site's address.

    Made apart from the exports: it lists the pages, which the exports need not wait for."""
    if not site_url(timeline.config):  # sitemaps.org requires absolute URLs
        return {}
    return {"sitemap.xml": sitemap(timeline, pages)}
