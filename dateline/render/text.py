"""The timeline's text as other programs see it: plain text, dates shown, source kinds, dates of change.

Shared by the exports (exports.py, feeds.py) and the structured data in pages (jsonld.py); their
URLs are urls.py's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import re
import weakref
from functools import lru_cache

from ..core import citations
from .markdown import render as render_markdown
from ..core.dates import Date, display_span
from ..core.model import Event, Source, Timeline

# When nothing in the content says when anything changed (an empty timeline), feeds need a date.
EPOCH = dt.date(1970, 1, 1)


def shown(date: Date, end: Date | None, strings: dict) -> str:
    """Return a date or span as the site shows it, in the language of the catalog `strings`."""
    return display_span(date, end, strings["months"], strings["circa"])


_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre|tr)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


_EACH: dict | None = None  # while the exports are made (`once_each`): every summary's plain text


def plain_text(markdown_text: str, allow_html: bool = False) -> str:
    """Return Markdown as plain text: no citations or tags, paragraphs separated by a blank line."""
    if _EACH is None:
        return _plain(markdown_text, allow_html)
    found = _EACH.get((markdown_text, allow_html))
    if found is None:
        found = _EACH[(markdown_text, allow_html)] = _plain.__wrapped__(markdown_text, allow_html)
    return found


@contextlib.contextmanager
def once_each():
    """While the exports are made: each summary converted once for all of them. They ask for every
    summary, one export after another: with room for 65,536, a timeline of 100,000 events pushed
    each out before the next export asked (16 s of a clean build at that size). Let go after."""
    global _EACH
    _EACH = {}
    try:
        yield
    finally:
        _EACH = None


@lru_cache(maxsize=65536)  # a page's JSON-LD, and the preview's pages between two exports
def _plain(markdown_text: str, allow_html: bool = False) -> str:
    rendered, _ = render_markdown(citations.strip_citations(markdown_text), (), allow_html)
    blocks = _BLOCK_END.sub("\n\n", rendered)
    text = html.unescape(_TAG.sub("", blocks))
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def sources_of(event: Event) -> list[Source]:
    """Return the distinct sources an event cites, in the order of its notes."""
    return list({note.source.id: note.source for note in event.notes}.values())


# Source `type` is free text (docs/writing.md); these words map to CSL item types. Dateline is
# for news timelines, so a bare "article" is a newspaper article.
CSL_TYPES = {
    "article": "article-newspaper", "news": "article-newspaper", "newspaper": "article-newspaper",
    "wire": "article-newspaper", "journal": "article-journal", "paper": "article-journal",
    "magazine": "article-magazine", "report": "report", "book": "book", "chapter": "chapter",
    "statement": "document", "press release": "document", "document": "document",
    "video": "broadcast", "tv": "broadcast", "radio": "broadcast", "broadcast": "broadcast",
    "podcast": "broadcast", "post": "post", "tweet": "post", "blog": "post-weblog",
    "web": "webpage", "webpage": "webpage", "website": "webpage", "interview": "interview",
    "speech": "speech", "law": "legislation", "legislation": "legislation", "map": "map",
    "dataset": "dataset", "thesis": "thesis",
}
CSL_ITEM_TYPES = frozenset(CSL_TYPES.values()) | {
    "article-newspaper", "article-magazine", "article-journal", "bill", "classic", "collection",
    "entry", "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "legal_case", "manuscript", "motion_picture", "musical_score", "pamphlet", "paper-conference",
    "patent", "performance", "periodical", "personal_communication", "post-weblog", "regulation",
    "review", "review-book", "software", "song", "standard", "treaty"}


def csl_type(source: Source) -> str:
    """Return the CSL item type of a source: a CSL type as written, a known word, else 'document'."""
    kind = " ".join(source.type.lower().replace("_", " ").split())
    if source.type in CSL_ITEM_TYPES:
        return source.type
    return CSL_TYPES.get(kind, "document")


def last_changed(event: Event, by_source: dict | None = None) -> dt.date:
    """Return the newest date the content gives for an event: its own, its editor's (`updated`,
    corrections), or its sources' (published, accessed). `by_source` keeps each source's newest
    day by id, for a pass over many events (`changed_days`)."""
    day = event.date.first_day()
    if event.end:
        day = max(day, event.end.first_day())
    if event.updated or event.corrections:
        modified = event.modified
        day = max(day, modified.first_day()) if modified else day
    for note in event.notes:
        source = note.source
        newest = by_source.get(source.id) if by_source is not None else None
        if newest is None:
            newest = max([d.first_day() for d in (source.published, source.accessed) if d is not None],
                         default=dt.date.min)
            if by_source is not None:
                by_source[source.id] = newest
        if newest > day:
            day = newest
    return day


def changed_days(timeline: Timeline) -> list[dt.date]:
    """Return each event's `last_changed`, in the timeline's order.

    The feed and the corrections' feed both need them: the last timeline's are kept (a pass over
    10,000 events took 0.1 s, each source's days read for each of its citations). Events that
    keep them (build/lazy.py's, read as they are used) give theirs."""
    if _CHANGED[0]() is not timeline:
        by_source: dict = {}
        kept = getattr(timeline.events, "changed_days", None)
        _CHANGED[:] = [weakref.ref(timeline), kept(lambda e: last_changed(e, by_source)) if kept else
                       [last_changed(e, by_source) for e in timeline.events]]
    return _CHANGED[1]


_CHANGED: list = [lambda: None, []]  # [a weak reference to the last timeline asked about, its days]


def timeline_changed(timeline: Timeline) -> dt.date:
    """Return the newest date of change of any event, else of any source, else 1970-01-01."""
    if timeline.events:
        return max(changed_days(timeline))
    days = [d.first_day() for s in timeline.sources for d in (s.published, s.accessed) if d is not None]
    return max(days, default=EPOCH)
