"""What each output file was made from, as one hash: an unchanged key means unchanged bytes.

A page's key covers the code, every template, the config, its template and path, the values
in its own context (an event with its neighbours, the events of a term...) and whatever else
its templates read. Which globals a template reads is found from its source, and what each
global reads is declared beside its definition (render/pages.py's GLOBALS): one that reads the
timeline makes the page depend on the whole timeline; one that reads the terms, on the table of
terms; a name in no table makes the page always re-rendered, so a mistake is only slow.
"""

from __future__ import annotations

import dataclasses
import hashlib

import jinja2

from ..core.dates import Date
from ..core.model import Event, Term, Timeline

from ..render.groups import Groups, Later
from ..render.citing import CitedBy
from ..render.pages import GLOBALS, PAGE, TERMS, TIMELINE
from .hashing import digest
from .templatereads import in_theme, template_files, template_reads, templates_digest

# From the table of template globals, each declared beside its definition with what it reads.
# Jinja's own names (loop, caller...) are the template's: nothing from outside.
ON_PAGE = frozenset([n for n, on in GLOBALS.items() if on == PAGE] + "loop caller varargs kwargs self".split())
ON_TERMS = frozenset(n for n, on in GLOBALS.items() if on == TERMS)
ON_TIMELINE = frozenset(n for n, on in GLOBALS.items() if on == TIMELINE)


class Unkeyable(Exception):
    """A value whose content cannot be hashed: the page is rendered every time."""


class EventDigests:
    """The hashes of each event, in a side table (never on the frozen event itself): of all it holds
    (`__call__`), and of what a list of events shows of it (`listed`: not its body; see LISTS).

    Kept by the memo between the builds of a `serve` session, and pruned to the events of the
    last timeline (`keep_only`), so an unchanged event is hashed once per session; saved beside
    each validated event in the memo's files (cache.save_memo) and in the last timeline
    (build/snapshot.py), so once per change across builds.
    """

    def __init__(self):
        self._table: dict[int, list] = {}  # id(event) -> [event, its hash, its listed hash or None]

    def _row(self, event: Event) -> list:
        row = self._table.get(id(event))
        if row is None or row[0] is not event:
            row = self._table[id(event)] = [event, *_digests(event)]
        return row

    def __call__(self, event: Event) -> bytes:
        return self._row(event)[1]

    def listed(self, event: Event) -> bytes:
        """Return the hash of what a list shows of `event`: all it holds but UNLISTED."""
        row = self._row(event)
        if row[2] is None:  # seeded by a build that did not need it
            row[2] = listed_digest(event)
        return row[2]

    def known(self, event: Event) -> bytes | None:
        """Return the hashes of `event` computed (or seeded) so far, without computing any: its hash,
        followed by its listed hash once that is known too."""
        row = self._table.get(id(event))
        return None if row is None or row[0] is not event else row[1] + (row[2] or b"")

    def both(self, event: Event) -> bytes:
        """Return `known`'s answer, both hashes computed if need be (kept with the last timeline)."""
        self.listed(event)
        return self.known(event)

    def seed(self, event: Event, found: bytes) -> None:
        """Remember the hashes of `event` (`known`'s answer), computed by an earlier build."""
        self._table[id(event)] = [event, found[:16], found[16:32] or None]

    def keep_only(self, events) -> None:
        """Forget the events that are not in `events` (those of the timeline being built; of lazy
        events, build/lazy.py's, those read so far: the others are told as they are read)."""
        ids = {id(e) for e in (events.loaded() if hasattr(events, "loaded") else events)}
        self._table = {k: v for k, v in self._table.items() if k in ids}


# What no list of events shows of an event (the pages of LISTS): its body and the line it starts
# on (a citation added to the body changes its notes, which lists count and link to). A page of
# a list is drawn again when anything else of an event it lists changes, so an edit to a body
# redraws the event's page and not its year's, its terms' or the home page's list of years with
# its overview of every event (at 100,000 events, pages of up to 5,000 events each; the home
# page, 0.15 s of a one-entry rebuild at 10,000). tests/test_listed_pages.py renders those pages
# with every event's body and line changed, and finds the same bytes.
UNLISTED = frozenset({"body_md", "line"})
_LISTED = tuple(f.name for f in dataclasses.fields(Event) if f.name not in UNLISTED)
LISTS = frozenset({"years.html", "year.html", "term.html", "corrections.html"})  # the theme's such pages


def listed_digest(event: Event) -> bytes:
    """Return the hash of all an event holds but UNLISTED."""
    return digest(_listed_repr(event))


def _listed_repr(event: Event) -> str:
    return repr([getattr(event, name) for name in _LISTED])


def event_digest(event: Event) -> bytes:
    """Return the hash of everything an event holds (not remembered: see `EventDigests`)."""
    return _digests(event)[0]


def _digests(event: Event) -> tuple[bytes, bytes]:
    """Return the hashes of all an event holds and of what a list shows of it, from one repr of
    its fields (an event's repr, its notes' sources within, was two fifths of a clean build's keys)."""
    listed = _listed_repr(event)
    return digest("\0".join((listed, *(repr(getattr(event, name)) for name in sorted(UNLISTED))))), digest(listed)


_PLAIN = frozenset({str, int, float, bool, type(None)})
# Plain values and dates: a named tuple of these is hashed by its repr in one piece (the
# bibliography's thousands of citing events, `pages.Citing`: 0.1 s of a one-entry rebuild at
# 10,000 events, a call per field). A Date's repr shows every field.
_WHOLE = _PLAIN | {Date}
# A value's description is a sequence of parts joined by NUL and hashed once (a length prefix a
# part, 850,000 updates of the hash, was a tenth of a one-entry rebuild at 10,000 events). It
# reads back one way only: a part is an event (EVENT and its 16-byte hash), a run of events
# (EVENTS, their count in 4 bytes, their hashes), a list of plain values (P and its repr), a term
# (T, the repr of its fields and its count of events, and their slugs, which hold no space, each
# after a space), or a repr or a bracket, which holds neither NUL nor either mark (repr escapes control characters;
# UTF-8 has no byte below 0x80 in a character above it).
EVENT, EVENTS, NUL = b"\x01", b"\x02", b"\x00"
_EVENT_ONLY = {Event}


def feed(value, out: list, event_digest=event_digest) -> None:
    """Append the parts that describe `value` to `out`, descending into containers.

    The common shapes are taken first and without a call per item: a term page's context is
    thousands of (heading, events) pairs, and this runs for every page of every build."""
    kind = type(value)
    if kind in _PLAIN:
        out.append(repr(value).encode())
    elif kind is Event:
        out.append(EVENT + event_digest(value))
    elif kind is Later:  # made for its key: the page is keyed in full
        feed(value.made(), out, event_digest)
    elif kind is Groups:  # the headings follow from the events: hashed in one piece
        out.append(b"G")
        feed(value.events, out, event_digest)
    elif kind is Term:  # its events are slugs (letters, digits, hyphens): joined, not repr'd (26 MB at 100,000 events)
        out.append(b"T" + repr((value.slug, value.name, value.aliases, len(value.events))).encode() + b" "
                   + " ".join(value.events).encode())
    elif kind is CitedBy:  # the sources' lists of slugs, and each citing event's Citing once, in one piece
        out.append(b"C" + repr(value.slugs).encode() + NUL + repr(value.rows()).encode())
    elif isinstance(value, (list, tuple)):
        if hasattr(kind, "_fields") and all(type(v) in _WHOLE for v in value):
            out.append(b"N" + repr(value).encode())
            return
        kinds = set(map(type, value))
        if kinds <= _PLAIN:  # the names of the pages, a term's slugs: one repr, made in C
            out.append(b"P" + repr(value).encode())
            return
        if kinds == _EVENT_ONLY:
            # the events of a month on a term page: thousands at 100,000 events, so in one piece
            out.append(EVENTS + len(value).to_bytes(4, "little") + b"".join([event_digest(v) for v in value]))
            return
        out.append(b"[")
        for item in value:
            if type(item) in _PLAIN:
                out.append(repr(item).encode())
            else:
                feed(item, out, event_digest)
        out.append(b"]")
    elif isinstance(value, (set, frozenset)):  # in a set's own order would differ between runs
        feed(sorted(value), out, event_digest)
    elif isinstance(value, dict):
        out.append(b"{")
        for k, v in value.items():
            feed(k, out, event_digest)
            feed(v, out, event_digest)
        out.append(b"}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(repr(value).encode())  # Source, Term, Date, Config: reprs show every field
    else:
        raise Unkeyable(type(value).__name__)


def value_digest(value, event_digest=event_digest) -> bytes:
    """Return the hash of a page context or any other plain value."""
    out: list = []
    feed(value, out, event_digest)
    return hashlib.blake2b(NUL.join(out), digest_size=16).digest()


def timeline_digest(timeline: Timeline, event_digest=event_digest) -> bytes:
    """Return the hash of the whole timeline: every field it compares by, so a new field is covered."""
    values = [getattr(timeline, f.name) for f in dataclasses.fields(timeline) if f.compare]
    return value_digest([sorted(v.items()) if isinstance(v, dict) else v for v in values], event_digest)


def terms_digest(timeline: Timeline) -> bytes:
    """Return the hash of every term's slug, name and spellings (not of its events)."""
    return value_digest([(kind, [(t.slug, t.name, t.aliases) for t in terms])
                         for kind, terms in sorted(timeline.taxonomies.items())])


class Keys:
    """Computes page keys for one build: the parts shared by every page are hashed once."""

    def __init__(self, env: jinja2.Environment, timeline: Timeline, code: str, events: EventDigests | None = None,
                 parsed: dict | None = None):
        self.env, self.timeline, self.parsed = env, timeline, parsed
        self.base = digest(code, templates_digest(env), repr(timeline.config))
        self.reads: dict[str, frozenset[str] | None] = {}
        self.events = events if events is not None else EventDigests()
        self.events.keep_only(timeline.events)
        self.whole_timeline: bytes | None = None  # the hash of the whole timeline, once computed (or given)
        self._terms: bytes | None = None
        self._lists: dict[str, bool] = {}

    def timeline_digest(self) -> bytes:
        if self.whole_timeline is None:
            self.whole_timeline = timeline_digest(self.timeline, self.events)
        return self.whole_timeline

    def terms_digest(self) -> bytes:
        if self._terms is None:
            self._terms = terms_digest(self.timeline)
        return self._terms

    def _reads(self, template: str) -> frozenset[str] | None:
        if template not in self.reads:
            self.reads[template] = template_reads(self.env, template, self.parsed)
        return self.reads[template]

    def local(self, template: str, names) -> bool:
        """Return True when the key of a page of `template` whose context has these `names` is made of
        the base, its path, the terms and its context alone (nothing of the whole timeline, nothing unknown)."""
        reads = self._reads(template)
        if reads is None:
            return False
        others = reads - ON_PAGE - set(self.env.globals) - set(names)
        return not others - ON_TERMS

    def lists(self, template: str) -> bool:
        """Return True when a page of `template` shows of its events what a list does (LISTS): the
        theme's own template, and every template it draws on the theme's, none of the site's."""
        if template not in self._lists:
            files = template_files(self.env, template, self.parsed) if template in LISTS else None
            self._lists[template] = files is not None and all(in_theme(f) for f in files)
        return self._lists[template]

    def page(self, path: str, template: str, context: dict) -> bytes | None:
        """Return the key of a page, or None when it must be rendered whatever happened."""
        reads = self._reads(template)
        if reads is None:
            return None
        parts = [self.base, path, template]
        others = reads - ON_PAGE - set(self.env.globals) - set(context)
        if others & ON_TIMELINE:
            parts.append(self.timeline_digest())
        if others & ON_TERMS:
            parts.append(self.terms_digest())
        if others - ON_TIMELINE - ON_TERMS:
            return None  # a global this module does not know: never reuse the page
        try:
            parts.append(value_digest(context, self.events.listed if self.lists(template) else self.events))
        except Unkeyable:
            return None
        return digest(*parts)

    def whole(self, name: str, *extra, timeline: bool = True) -> bytes:
        """Return the key of a file made from the whole timeline (feeds, data exports) and `extra`,
        or (`timeline` False) from `extra` alone (the sitemap, of the pages' names)."""
        return digest(self.base, name, self.timeline_digest() if timeline else b"", value_digest(list(extra), self.events))
