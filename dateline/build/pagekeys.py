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
from jinja2 import meta, nodes

from ..core.dates import Date
from ..core.model import Event, Timeline

from ..render.groups import Groups
from ..render.pages import GLOBALS, PAGE, TERMS, TIMELINE

# From the table of template globals, each declared beside its definition with what it reads.
# Jinja's own names (loop, caller...) are the template's: nothing from outside.
ON_PAGE = frozenset([n for n, on in GLOBALS.items() if on == PAGE] + "loop caller varargs kwargs self".split())
ON_TERMS = frozenset(n for n, on in GLOBALS.items() if on == TERMS)
ON_TIMELINE = frozenset(n for n, on in GLOBALS.items() if on == TIMELINE)


class Unkeyable(Exception):
    """A value whose content cannot be hashed: the page is rendered every time."""


def digest(*parts: bytes | str) -> bytes:
    """Return a 16-byte hash of `parts`, each length-prefixed so no two sequences collide."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.digest()


class EventDigests:
    """The hash of each event, in a side table (never on the frozen event itself).

    Kept by the memo between the builds of a `serve` session, and pruned to the events of the
    last timeline (`keep_only`), so an unchanged event is hashed once per session; saved beside
    each validated event in the memo's files (cache.save_memo), so once per change across builds.
    """

    def __init__(self):
        self._table: dict[int, tuple[Event, bytes]] = {}  # id(event) -> (event, its hash)

    def __call__(self, event: Event) -> bytes:
        hit = self._table.get(id(event))
        if hit is not None and hit[0] is event:
            return hit[1]
        found = digest(repr(event))
        self._table[id(event)] = (event, found)
        return found

    def known(self, event: Event) -> bytes | None:
        """Return the hash of `event` if it was computed (or seeded), without computing it."""
        hit = self._table.get(id(event))
        return hit[1] if hit is not None and hit[0] is event else None

    def seed(self, event: Event, found: bytes) -> None:
        """Remember the hash of `event`, computed by an earlier build and saved with it in the memo."""
        self._table[id(event)] = (event, found)

    def keep_only(self, events) -> None:
        """Forget the events that are not in `events` (those of the timeline being built)."""
        ids = {id(e) for e in events}
        self._table = {k: v for k, v in self._table.items() if k in ids}


def event_digest(event: Event) -> bytes:
    """Return the hash of everything an event holds (not remembered: see `EventDigests`)."""
    return digest(repr(event))


_PLAIN = frozenset({str, int, float, bool, type(None)})
# Plain values and dates: a named tuple of these is hashed by its repr in one piece (the
# bibliography's thousands of citing events, `pages.Citing`: 0.1 s of a one-entry rebuild at
# 10,000 events, a call per field). A Date's repr shows every field.
_WHOLE = _PLAIN | {Date}
# A value's description is a sequence of parts joined by NUL and hashed once (a length prefix a
# part, 850,000 updates of the hash, was a tenth of a one-entry rebuild at 10,000 events). It
# reads back one way only: a part is an event (EVENT and its 16-byte hash), a run of events
# (EVENTS, their count in 4 bytes, their hashes), or a repr or a bracket, which holds neither
# NUL nor either mark (repr escapes control characters; UTF-8 has no byte below 0x80 in a
# character above it).
EVENT, EVENTS, NUL = b"\x01", b"\x02", b"\x00"


def feed(value, out: list, event_digest=event_digest) -> None:
    """Append the parts that describe `value` to `out`, descending into containers.

    The common shapes are taken first and without a call per item: a term page's context is
    thousands of (heading, events) pairs, and this runs for every page of every build."""
    kind = type(value)
    if kind in _PLAIN:
        out.append(repr(value).encode())
    elif kind is Event:
        out.append(EVENT + event_digest(value))
    elif kind is Groups:  # the headings follow from the events: hashed in one piece
        out.append(b"G")
        feed(value.events, out, event_digest)
    elif isinstance(value, (list, tuple)):
        if hasattr(kind, "_fields") and all(type(v) in _WHOLE for v in value):
            out.append(b"N" + repr(value).encode())
            return
        if value and all(type(v) is Event for v in value):
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


def templates_digest(env: jinja2.Environment) -> bytes:
    """Return the hash of every template the environment can load, by name."""
    parts = []
    for name in sorted(env.list_templates()):
        source, filename, _ = env.loader.get_source(env, name)
        parts += [name, source]
    return digest(*parts)


# (name, hash of its source) -> (reads, assigned, references). The memo keeps its own, saved
# between builds: parsing the theme's templates cost 0.4 s of every build.
_PARSED: dict[tuple[str, bytes], tuple] = {}


def template_reads(env: jinja2.Environment, name: str, parsed: dict | None = None) -> frozenset[str] | None:
    """Return the context names template `name` and those it extends, imports or includes read.

    None when that cannot be known: a template name computed at render time, or a syntax error.
    `parsed` keeps what each template's source was found to read (default: this process's).
    """
    parsed = _PARSED if parsed is None else parsed
    seen: set[str] = set()
    reads: set[str] = set()
    todo = [name]
    try:
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            source = env.loader.get_source(env, current)[0]
            key = (current, digest(source))
            if key not in parsed:
                ast = env.parse(source)
                parsed[key] = (meta.find_undeclared_variables(ast), _assigned(ast),
                               list(meta.find_referenced_templates(ast)))
            found, assigned, refs = parsed[key]
            reads |= found - assigned  # a name a template sets itself is not the context's
            if None in refs:
                return None
            todo.extend(refs)
    except jinja2.TemplateError:
        return None
    return frozenset(reads)


def _assigned(ast: nodes.Template) -> set[str]:
    """Return the names a template assigns anywhere: set, for, macros, their parameters, imports."""
    names = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {m.name for m in ast.find_all(nodes.Macro)}
    for imp in ast.find_all(nodes.FromImport):
        names |= {n if isinstance(n, str) else n[1] for n in imp.names}
    names |= {imp.target for imp in ast.find_all(nodes.Import)}
    return names


class Keys:
    """Computes page keys for one build: the parts shared by every page are hashed once."""

    def __init__(self, env: jinja2.Environment, timeline: Timeline, code: str, events: EventDigests | None = None,
                 parsed: dict | None = None):
        self.env, self.timeline, self.parsed = env, timeline, parsed
        self.base = digest(code, templates_digest(env), repr(timeline.config))
        self.reads: dict[str, frozenset[str] | None] = {}
        self.events = events if events is not None else EventDigests()
        self.events.keep_only(timeline.events)
        self._timeline: bytes | None = None  # the digests of the whole timeline, once computed
        self._terms: bytes | None = None

    def timeline_digest(self) -> bytes:
        if self._timeline is None:
            self._timeline = timeline_digest(self.timeline, self.events)
        return self._timeline

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
            parts.append(value_digest(context, self.events))
        except Unkeyable:
            return None
        return digest(*parts)

    def whole(self, name: str, *extra) -> bytes:
        """Return the key of a file made from the whole timeline (feeds, data exports)."""
        return digest(self.base, name, self.timeline_digest(), value_digest(list(extra), self.events))
