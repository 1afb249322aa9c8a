"""Corrections, gathered from every entry: the list the corrections page shows and its Atom feed.

A correction's date is the editor's (core/changes.py); nothing here reads the clock.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html import escape

from ..core.model import Correction, Event, Timeline
from .feeds import ATOM, FEED_ENTRIES, XML_LANG, _instant, _text
from .i18n import catalog
from .text import timeline_changed
from .urls import event_path, ident, public_url


def anchor(number: int) -> str:
    """Return the fragment of a correction on its event's page: numbered from the oldest, so it lasts."""
    return f"correction-{number}"


def all_corrections(events) -> list[tuple[Event, int, Correction]]:
    """Return (event, its number in the event, correction) for every correction, newest first (of
    events that know which of them have any, build/lazy.py's, read as they are used: those alone)."""
    events = [events[i] for i in events.corrected()] if hasattr(events, "corrected") else events
    found = [(event, len(event.corrections) - i, c) for event in events if event.corrections  # most have none
             for i, c in enumerate(event.corrections)]
    return sorted(found, key=lambda found: found[2].date.sort_key(), reverse=True)  # stable: timeline order on a tie


def corrections_atom(timeline: Timeline, limit: int = FEED_ENTRIES) -> bytes:
    """Return an Atom feed of the `limit` newest corrections, each linking to its place on the event page."""
    config = timeline.config
    strings = catalog(config.language)
    found = all_corrections(timeline.events)
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: config.language})
    _text(feed, "title", strings["corrections_of"].format(config.title))
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html",
                                 "href": public_url(config, "corrections/")})
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml",
                                 "href": public_url(config, "corrections.xml")})
    _text(feed, "id", ident(config, "corrections.xml"))
    newest = found[0][2].date.first_day() if found else timeline_changed(timeline)
    _text(feed, "updated", _instant(newest))
    author = ET.SubElement(feed, "author")
    _text(author, "name", config.author or config.title)
    _text(feed, "generator", "Dateline")
    for event, number, correction in found[:limit]:
        path = f"{event_path(event)}#{anchor(number)}"
        entry = ET.SubElement(feed, "entry")
        _text(entry, "title", strings["correction_to"].format(event.title))
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": public_url(config, path)})
        _text(entry, "id", ident(config, path))
        _text(entry, "updated", _instant(correction.date.first_day()))
        _text(entry, "summary", correction.what)
        html = f"<p>{escape(correction.what)}</p>"
        if correction.why:
            html += f"\n<p>{escape(strings['correction_why'])}: {escape(correction.why)}</p>"
        _text(entry, "content", html).set("type", "html")
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"
