"""Formats to subscribe to: an Atom feed (RFC 4287) and an iCalendar file (RFC 5545).

Neither reads the clock: an entry's `updated` and an event's DTSTAMP are the newest date the
content gives for it (text.last_changed), so the same content always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import escape

from . import markdown
from ..core.dates import Date
from .exports import each
from .i18n import catalog
from ..core.model import Event, Media, Timeline
from .media import public_image, shown_size
from .text import changed_days, last_changed, plain_text, shown, timeline_changed
from .urls import absolute_url, event_path, ident, public_url

ATOM = "http://www.w3.org/2005/Atom"
# A feed announces what changed; events.json holds the whole timeline. Full text for every
# entry also costs a Markdown pass each (~2 ms): 50 keeps the feed small at any size of site.
FEED_ENTRIES = 50
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# --- Atom ---------------------------------------------------------------------------------

def atom(timeline: Timeline, parts=each, limit: int = FEED_ENTRIES) -> bytes:
    """Return an Atom feed of the `limit` most recently changed events, with full text and notes.

    Each entry is a part (exports.each): its HTML costs a Markdown pass, and the build takes an
    unchanged event's entry from the last build's feed instead."""
    config = timeline.config
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: config.language})
    _text(feed, "title", config.title)
    if config.description:
        _text(feed, "subtitle", config.description)
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": public_url(config)})
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml",
                                 "href": public_url(config, "feed.xml")})
    _text(feed, "id", ident(config))
    changed = changed_days(timeline)
    _text(feed, "updated", _instant(timeline_changed(timeline)))
    author = ET.SubElement(feed, "author")
    _text(author, "name", config.author or config.title)
    _text(feed, "generator", "Dateline")
    ET.indent(feed)
    head = ET.tostring(feed, encoding="unicode").removesuffix("</feed>")
    # newest change first, then latest in the timeline's order (its sort key's): indices from the
    # last, sorted by day alone, stably
    latest = sorted(range(len(changed) - 1, -1, -1), key=changed.__getitem__, reverse=True)[:limit]
    strings = catalog(config.language)
    events = timeline.events  # a view of lazy ones (build/lazy.py): their parts' keys known without reading them
    events = events.at(latest) if hasattr(events, "at") else [events[i] for i in latest]
    entries = parts("feed.xml", lambda event: _entry(timeline, event, strings), events)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + head + "".join(entries) + "</feed>\n").encode("utf-8")


def _entry(timeline: Timeline, event: Event, strings: dict) -> str:
    """Return an event's entry in the feed, indented as the feed's children are, with its newline."""
    config = timeline.config
    entry = ET.Element("entry")
    _text(entry, "title", event.title)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html",
                                  "href": public_url(config, event_path(event))})
    _text(entry, "id", ident(config, event_path(event)))
    _text(entry, "updated", _instant(last_changed(event)))
    _text(entry, "summary", plain_text(event.summary_md, config.allow_html) or event.title)
    content = _text(entry, "content", _entry_html(timeline, event, strings))
    content.set("type", "html")
    for tag in event.tags:
        ET.SubElement(entry, "category", {"term": tag})
    ET.indent(entry, level=1)
    return "  " + ET.tostring(entry, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _instant(day: dt.date) -> str:
    """Return an RFC 3339 timestamp for midnight UTC of `day`."""
    return f"{day.isoformat()}T00:00:00Z"


def _entry_html(timeline: Timeline, event: Event, strings: dict) -> str:
    """Return an entry's HTML: date, body with its note numbers linked to the page, numbered notes."""
    config = timeline.config
    page = public_url(config, event_path(event))
    body, _ = markdown.render(event.body_md, event.cite_map, config.allow_html)
    # Note links point at the notes on the event's page, as a feed reader shows no page around them.
    body = body.replace('href="#note-', f'href="{escape(page)}#note-')
    html = f"<p><time datetime=\"{event.date.iso}\">{escape(shown(event.date, event.end, strings))}</time>"
    html += f" · {escape(event.place)}</p>\n" if event.place else "</p>\n"
    html += "".join(_figure(config, m) for m in event.media)
    html += body
    if event.notes:
        html += f"\n<h2>{escape(strings['notes_count'])}</h2>\n<ol>\n"
        for note in event.notes:
            source = note.source
            title = f"<cite>{escape(source.title)}</cite>"
            if note.link:
                title = f'<a href="{escape(note.link)}">{title}</a>'
            parts = [escape(source.publisher)] if source.publisher else []
            places = [p.locator for p in note.pinpoints if p.locator]
            parts += [title] + ([escape("; ".join(places))] if places else [])
            html += f'<li value="{note.number}">{", ".join(parts)}</li>\n'
        html += "</ol>"
    return html


def _figure(config, media: Media) -> str:
    """Return an image as a feed shows it: the image at its public URL, its caption and credit."""
    width, height = shown_size(media)
    size = f' width="{width}" height="{height}"' if width else ""
    html = f'<figure><img src="{escape(public_image(config, media))}" alt="{escape(media.alt)}"{size}>'
    words = [escape(media.caption)] if media.caption else []
    words += [escape(x) for x in (media.credit, media.licence) if x]
    return html + (f"<figcaption>{' · '.join(words)}</figcaption>" if words else "") + "</figure>\n"


# --- iCalendar ----------------------------------------------------------------------------

def icalendar(timeline: Timeline, parts=each) -> bytes:
    """Return an iCalendar file with one VEVENT per event; dates known only to the month or
    the year become all-day spans over that month or year, and say so in their description."""
    config = timeline.config
    strings = catalog(config.language)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Dateline//Dateline timeline//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "NAME:" + ics_text(config.title),
             "X-WR-CALNAME:" + ics_text(config.title)]
    if config.description:
        lines += ["DESCRIPTION:" + ics_text(config.description), "X-WR-CALDESC:" + ics_text(config.description)]
    if absolute_url(config):
        lines.append("URL:" + absolute_url(config))
    events = parts("events.ics", lambda e: _folded(_vevent(timeline, e, strings)), timeline.events)
    return (_folded(lines) + "".join(events) + "END:VCALENDAR\r\n").encode("utf-8")


def _folded(lines: list[str]) -> str:
    return "".join(fold(line) + "\r\n" for line in lines)


def _vevent(timeline: Timeline, event: Event, strings: dict) -> list[str]:
    config = timeline.config
    url = absolute_url(config, event_path(event))
    lines = ["BEGIN:VEVENT", "UID:" + ident(config, event_path(event)),
             "DTSTAMP:" + last_changed(event).strftime("%Y%m%dT000000Z"), *_ics_span(event.date, event.end),
             "SUMMARY:" + ics_text(event.title)]
    when = shown(event.date, event.end, strings)
    if event.date.precision in ("month", "year"):
        when += f" ({strings['known_to_' + event.date.precision]})"
    parts = [when, plain_text(event.summary_md, config.allow_html)]
    sources = [", ".join(x for x in (n.source.publisher, n.source.title, n.source.url) if x)
               for n in {n.source.id: n for n in event.notes}.values()]
    if sources:
        parts.append(f"{strings['sources']}:\n" + "\n".join(f"- {s}" for s in sources))
    if url:
        parts.append(url)
    lines.append("DESCRIPTION:" + ics_text("\n\n".join(p for p in parts if p)))
    if event.place:
        lines.append("LOCATION:" + ics_text(event.place))
    if event.tags:
        lines.append("CATEGORIES:" + ",".join(ics_text(t) for t in event.tags))
    if url:
        lines.append("URL:" + url)
    lines.append("END:VEVENT")
    return lines


def _ics_span(start: Date, end: Date | None) -> list[str]:
    """Return DTSTART (and DTEND): times when both ends have one, else all-day, DTEND exclusive."""
    if start.precision == "minute" and (end is None or (end.precision == "minute" and bool(end.tz) == bool(start.tz))):
        return ["DTSTART:" + _ics_time(start)] + (["DTEND:" + _ics_time(end)] if end else [])
    last = (end or start).last_day() + dt.timedelta(days=1)
    return [f"DTSTART;VALUE=DATE:{start.first_day():%Y%m%d}", f"DTEND;VALUE=DATE:{last:%Y%m%d}"]


def _ics_time(date: Date) -> str:
    """Return a DATE-TIME: in UTC when the date has a zone, else floating (the reader's local time)."""
    moment = dt.datetime(date.year, date.month, date.day, date.hour, date.minute)
    if not date.tz:
        return f"{moment:%Y%m%dT%H%M%S}"
    offset = dt.timedelta(0)
    if date.tz != "Z":
        sign = -1 if date.tz[0] == "-" else 1
        offset = sign * dt.timedelta(hours=int(date.tz[1:3]), minutes=int(date.tz[4:6]))
    return f"{moment - offset:%Y%m%dT%H%M%SZ}"


def ics_text(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newline (RFC 5545 section 3.3.11)."""
    text = re.sub(r"\r\n?", "\n", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line into lines of at most `limit` octets, never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= limit:
        return line
    out, start, room = [], 0, limit
    while len(data) - start > room:  # cut by octets: ~25x faster than char by char at 100k events
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a continuation octet: cut before its character instead
            end -= 1
        out.append(data[start:end])
        start, room = end, limit - 1  # a continuation line starts with a space
    out.append(data[start:])
    return b"\r\n ".join(out).decode("utf-8")
