"""Machine-readable copies of the timeline: data files, TimelineJS, sitemap; feeds in feeds.py.

Each format is one pure function of the timeline returning bytes; formats.py's table maps
output paths to them. Nothing reads the clock; docs/exports.md describes every file.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import quote

from . import markdown
from .accounts import accounts_data, notes_data, questions_data
from ..core.dates import Date
from .i18n import catalog
from ..core.model import Event, Media, Source, Timeline
from .media import public_image
from .text import csl_type, plain_text, shown, sources_of
from .urls import absolute_url, event_path, page_path, public_url, site_url


class Each:
    """Makes the parts of an export an event at a time: `each(name, make, events)` returns
    `make(event)` for each event, the parts of export `name` that one event makes.

    The build passes its own (build/parts.py), which takes an unchanged event's part from the
    last build's file and hands out marks that its `finish` replaces with the parts' bytes. So a
    part may read only its event, the config and the quotes verified in its event's sources,
    anything else belongs in the file's head or tail; and a maker puts every string it is given
    into its file once, in the order given, as it is: no escaping, folding, filtering or sorting.
    What it writes around them (`around`) reads only the config, sources, terms and what lists show of events.
    """

    def __call__(self, name: str, make, events) -> list[str]:
        return [make(e) for e in events]

    def finish(self, name: str, data: bytes, whole: bool = True) -> bytes:
        """Return export `name` as its maker wrote it: here the parts are already in it (`whole=False`
        allows an iterable of the file's pieces instead: build/parts.py's)."""
        return data

    def around(self, name: str, make):
        """Return what export `name`'s maker writes around its parts, `make()` (build/parts.py's: see there)."""
        return make()


each = Each()


class Raw(str):
    """A JSON text already encoded (an event's part), written as it is."""


def _json(data) -> bytes:
    """Serialise as UTF-8 JSON with a final newline: the first two levels indented, each item below
    them on one line (an event a line in events.json, so a diff shows which changed).

    Python's JSON encoder runs in C only without `indent`: indenting everything made events.json
    a tenth of a 10,000-event rebuild. The pieces are joined once: joined level by level, with
    the brackets and the newline added after, the 37 MB that events.json has around its parts at
    100,000 events were copied four times, two copies held at once."""
    pieces: list[str] = []
    _lines(data, 0, pieces.append)
    pieces.append("\n")
    return "".join(pieces).encode("utf-8")


def _lines(value, depth: int, out) -> None:
    """Hand `value`'s JSON to `out` in pieces (see `_json`)."""
    if type(value) is Raw:
        return out(value)
    if depth >= 2 or not value or not isinstance(value, (dict, list)):
        return out(_encode(value))
    pad, inner = "  " * depth, "  " * (depth + 1)
    out("{\n" if isinstance(value, dict) else "[\n")
    for i, item in enumerate(value.items() if isinstance(value, dict) else value):
        out(",\n" + inner if i else inner)
        if isinstance(value, dict):
            out(f"{json.dumps(item[0], ensure_ascii=False)}: ")
            item = item[1]
        _lines(item, depth + 1, out)
    out(f"\n{pad}}}" if isinstance(value, dict) else f"\n{pad}]")


# --- TimelineJS 3 -------------------------------------------------------------------------

def timelinejs(timeline: Timeline, parts=each) -> bytes:
    """Return the timeline in TimelineJS 3's JSON format: a title slide and one slide per event."""
    config = timeline.config
    strings = catalog(config.language)
    title = {"text": {"headline": escape(config.title),
                      "text": f"<p>{escape(config.description)}</p>" if config.description else ""}}

    def slide_of(event: Event) -> str:
        slide = {"unique_id": event.slug, "start_date": _tl_date(event.date, strings),
                 "text": {"headline": escape(event.title), "text": _slide_html(timeline, event, strings)}}
        if event.end:
            slide["end_date"] = _tl_date(event.end, strings)
            if _qualified(event.date) or _qualified(event.end):
                slide["display_date"] = shown(event.date, event.end, strings)
        if event.media:  # a slide has one media: the event's first image
            slide["media"] = _tl_media(config, event.media[0])
        return _encode(slide)
    slides = [Raw(s) for s in parts("timeline.json", slide_of, timeline.events)]
    return parts.around("timeline.json", lambda: _json({"title": title, "events": slides}))


def _encode(value) -> str:
    """Return JSON on one line, as _lines writes the items below its second level."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _tl_media(config, media: Media) -> dict:
    """Return a TimelineJS media object: the image's URL, its alt text, caption and credit (HTML)."""
    out = {"url": public_image(config, media), "alt": media.alt}
    if media.caption:
        out["caption"] = escape(media.caption)
    credit = " · ".join(escape(x) for x in (media.credit, media.licence) if x)
    if credit:
        out["credit"] = credit
    return out


def _qualified(date: Date) -> bool:
    """Return True when a date needs its own wording: approximate, uncertain, or in a time zone."""
    return date.approximate or date.uncertain or bool(date.tz)


def _tl_date(date: Date, strings: dict) -> dict:
    """Return a TimelineJS date object with only the parts the date has, as strings."""
    parts = {"year": str(date.year)}
    for name in ("month", "day", "hour", "minute"):
        value = getattr(date, name)
        if value is not None:
            parts[name] = str(value)
    if _qualified(date):
        parts["display_date"] = shown(date, None, strings)
    return parts


def _slide_html(timeline: Timeline, event: Event, strings: dict) -> str:
    """Return a slide's HTML: the summary, the sources with their links, the link to the entry."""
    config = timeline.config
    html = f"<p>{markdown.render_inline(event.summary_md, config.allow_html)}</p>" if event.summary_md else ""
    refs = [_source_link(s) for s in sources_of(event)]
    if refs:
        html += f'<p class="sources">{escape(strings["sources"])}: {"; ".join(refs)}</p>'
    link = escape(public_url(config, event_path(event)))
    return html + f'<p class="more"><a href="{link}">{escape(strings["read_more"])}</a></p>'


def _source_link(source: Source) -> str:
    """Return 'Publisher, <cite>Title</cite>' with the title linked to the source when it has a URL."""
    title = f"<cite>{escape(source.title)}</cite>"
    if source.link:
        title = f'<a href="{escape(source.link)}">{title}</a>'
    return f"{escape(source.publisher)}, {title}" if source.publisher else title


# --- events.json --------------------------------------------------------------------------

def events_json(timeline: Timeline, parts=each) -> bytes:
    """Return the whole timeline as JSON: events with notes and accounts, sources, taxonomies.

    docs/events.schema.json describes it; `version` changes when a field changes meaning."""
    config = timeline.config
    strings = catalog(config.language)
    events = [Raw(s) for s in parts("events.json", lambda e: _encode(_event_data(timeline, e, strings)), timeline.events)]
    return parts.around("events.json", lambda: _json({
        "version": 2, "title": config.title, "description": config.description, "author": config.author,
        "language": config.language, "url": public_url(config), "events": events,
        "sources": [_source_data(timeline, s, strings) for s in timeline.sources],
        "taxonomies": {kind: Raw("[" + ", ".join(map(_term_data, terms)) + "]")
                       for kind, terms in sorted(timeline.taxonomies.items())},
    }))


def _term_data(term) -> str:
    """Return a term as JSON on one line, as `_encode` would: its events are slugs (letters, digits
    and hyphens), written as they are (at 100,000 events, 600,000 of them: json.dumps took 0.2 s)."""
    events = '["' + '", "'.join(term.events) + '"]' if term.events else "[]"
    return (f'{{"slug": {_encode(term.slug)}, "name": {_encode(term.name)}, "aliases": {_encode(list(term.aliases))}, '
            f'"events": {events}}}')


def _date_data(date: Date | None, strings: dict):
    """Return a date as {iso, edtf, precision, approximate, uncertain, display}, or None."""
    if date is None:
        return None
    return {"iso": date.iso, "edtf": date.edtf, "precision": date.precision,
            "approximate": date.approximate, "uncertain": date.uncertain, "display": shown(date, None, strings)}


def _event_data(timeline: Timeline, event: Event, strings: dict) -> dict:
    config = timeline.config
    return {
        "slug": event.slug, "url": public_url(config, event_path(event)), "title": event.title,
        "date": _date_data(event.date, strings), "end": _date_data(event.end, strings), "place": event.place,
        "actors": list(event.actors), "tags": list(event.tags), "summary": event.summary_md,
        "summary_text": plain_text(event.summary_md, config.allow_html), "body": event.body_md,
        "lang": event.lang or config.language, "draft": event.draft, "disputed": event.disputed,
        "notes": [notes_data(n, lambda q, n=n: _verified(timeline, event, q, (n.number,))) for n in event.notes],
        "accounts": accounts_data(event, strings, lambda q, numbers: _verified(timeline, event, q, numbers)),
        "questions": questions_data(event, strings),
        "media": [{"url": public_image(config, m), "file": m.file, "alt": m.alt, "caption": m.caption,
                   "credit": m.credit, "licence": m.licence, "source": m.source.id if m.source else None,
                   "width": m.width or None, "height": m.height or None} for m in event.media],
        **_changes_data(event, strings),
    }


def _changes_data(event: Event, strings: dict) -> dict:
    """Return an event's record of change: status, updated, the latest change, corrections newest first."""
    return {"status": event.status, "updated": _date_data(event.updated, strings),
            "modified": _date_data(event.modified, strings),
            "corrections": [{"date": _date_data(c.date, strings), "what": c.what, "why": c.why}
                            for c in event.corrections]}


def _verified(timeline: Timeline, event: Event, quote: str, numbers: tuple[int, ...]) -> bool | None:
    """Return whether a quote was found in its sources' stored texts; None when there is no quote."""
    return timeline.verified(event, quote, numbers) if quote else None


def _source_data(timeline: Timeline, source: Source, strings: dict) -> dict:
    return {
        "id": source.id, "title": source.title, "publisher": source.publisher,
        "authors": list(source.authors), "url": source.url, "published": _date_data(source.published, strings),
        "accessed": _date_data(source.accessed, strings), "archive_url": source.archive_url,
        "archive_date": _date_data(source.archive_date, strings), "url_status": source.url_status,
        "language": source.language, "type": source.type, "csl_type": csl_type(source),
        "note": source.note, "cited_by": list(timeline.citing.get(source.id, ())),
        **({"handle": source.handle, "platform": source.platform, "text": source.words} if source.is_post else {}),
    }


# --- sources.json (CSL-JSON) --------------------------------------------------------------

def csl_json(timeline: Timeline) -> bytes:
    """Return the bibliography as CSL-JSON, for Zotero, Pandoc and citeproc."""
    return _json([csl_item(s) for s in timeline.sources])


def csl_item(source: Source) -> dict:
    """Return one source as a CSL-JSON item; 'Family, Given' authors are split, others kept whole."""
    kind = csl_type(source)
    item: dict = {"id": source.id, "type": kind, "title": source.title}
    if source.publisher:
        # a newspaper or website is the container of an article; for a report or book, its publisher
        item["container-title" if kind.startswith(("article", "post", "webpage")) else "publisher"] = source.publisher
    if source.authors:
        item["author"] = [_csl_name(a) for a in source.authors]
    if source.url:
        item["URL"] = source.url
    for key, date in (("issued", source.published), ("accessed", source.accessed)):
        if date is not None:
            item[key] = _csl_date(date)
    if source.language:
        item["language"] = source.language
    if source.note:
        item["note"] = source.note
    return item


def _csl_name(name: str) -> dict:
    family, comma, given = name.partition(",")
    if comma and family.strip() and given.strip():
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": name}


def _csl_date(date: Date) -> dict:
    parts = [p for p in (date.year, date.month, date.day) if p is not None]
    out: dict = {"date-parts": [parts]}
    if date.approximate or date.uncertain:
        out["circa"] = True
    return out


# --- sitemap.xml and robots.txt -----------------------------------------------------------

def sitemap(timeline: Timeline, pages) -> bytes:
    """Return a sitemaps.org sitemap of every HTML page but 404.html, with absolute URLs."""
    config = timeline.config
    urls = sorted(absolute_url(config, quote(page_path(p))) for p in pages
                  if p.endswith(".html") and p != "404.html")
    rows = "".join(f"  <url><loc>{escape(u, quote=False)}</loc></url>\n" for u in urls)  # &, < and >
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{rows}</urlset>\n").encode("utf-8")


def robots_txt(timeline: Timeline) -> bytes:
    """Return a robots.txt that allows everything and names the sitemap when there is one."""
    text = "User-agent: *\nDisallow:\n"
    root = site_url(timeline.config)
    if root:
        text += f"\nSitemap: {root}sitemap.xml\n"
    return text.encode("utf-8")
