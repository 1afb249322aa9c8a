"""The timeline as plain, frozen data: sources, notes, events, taxonomies; accounts in claims.py."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote as urlquote

from .claims import QUALIFIERS, Account, Cite, Figure, Question  # noqa: F401 - part of the model
from .config import Config
from .dates import Date


@dataclass(frozen=True)
class Source:
    """One entry of the bibliography."""

    id: str
    title: str
    publisher: str = ""
    authors: tuple[str, ...] = ()
    url: str = ""
    published: Date | None = None
    accessed: Date | None = None
    archive_url: str = ""
    archive_date: Date | None = None
    url_status: str = ""  # "", live, dead, unfit or usurped (as Wikipedia's citations say)
    language: str = ""
    type: str = ""
    note: str = ""
    text: str = ""        # path of a stored copy of the source's text, for checking quotes
    path: str = ""
    handle: str = ""      # a post's: its author's account name on the platform ("@name")
    platform: str = ""    # a post's: where it was posted ("Twitter")
    words: str = ""       # a post's: its words, as posted (`text:` of a source of type post)

    @property
    def is_post(self) -> bool:
        """Return True for a social-media post, shown as a card of its own words."""
        return self.type.strip().lower() == "post"

    @property
    def archived_first(self) -> bool:
        """Return True when readers should be sent to the archived copy, not the original."""
        return bool(self.archive_url) and self.url_status in ("dead", "unfit", "usurped")

    @property
    def link(self) -> str:
        """Return where the title links: the original, its archived copy when that comes first, or nothing."""
        if self.archived_first:
            return self.archive_url
        return "" if self.url_status in ("unfit", "usurped") else self.url


@dataclass(frozen=True)
class Citation:
    """One `[@id, locator]` in a body, or one entry of `sources:` in front matter."""

    source_id: str
    locator: str = ""
    quote: str = ""
    line: int = 0


@dataclass(frozen=True)
class Pinpoint:
    """One place in a source that an event cites: its locator, the quote given for it, its anchor."""

    locator: str = ""
    quote: str = ""
    anchor: str = ""      # "note-3" when it is the whole note, "note-3-2" for the second place listed


@dataclass(frozen=True)
class Note:
    """One numbered entry in an event's reference list: one source, the places in it that are cited."""

    number: int
    source: Source
    pinpoints: tuple[Pinpoint, ...] = ()   # in order of first citation; the first may have no locator

    @property
    def anchor(self) -> str:
        return f"note-{self.number}"

    @property
    def places(self) -> tuple[Pinpoint, ...]:
        """Return the places listed under the note: none when only one place (or the whole) is cited."""
        return tuple(p for p in self.pinpoints if p.locator) if len(self.pinpoints) > 1 else ()

    @property
    def whole(self) -> Pinpoint:
        """Return what the note's own line shows: its single place, or the whole source (no locator)."""
        if len(self.pinpoints) == 1:
            return self.pinpoints[0]
        first = self.pinpoints[0] if self.pinpoints and not self.pinpoints[0].locator else None
        return first or Pinpoint(anchor=self.anchor)

    @property
    def link(self) -> str:
        """Return the source's URL, deep-linked to the quote of the note's own line when it has one."""
        return self.link_of(self.whole)

    def link_of(self, place: Pinpoint) -> str:
        """Return where a place links: the source's link, with a text fragment for its quote when possible."""
        link = self.source.link
        if not link or not place.quote or link != self.source.url:
            return link  # an archived copy is shown in a frame, where a text fragment finds nothing
        return f"{link}#:~:text={text_fragment(place.quote)}"


@dataclass(frozen=True)
class Media:
    """One image of an event: a file of the site or a remote URL, with its alt text and credits.

    `width`, `height` and `digest` are the file's, measured by the build (build/images.py),
    which reads image files; they stay 0 and "" for a remote image, never downloaded.
    """

    alt: str
    file: str = ""        # path from the site root, under content/
    url: str = ""         # a remote image, linked as it is
    caption: str = ""
    credit: str = ""
    licence: str = ""
    source: Source | None = None   # the source the image comes from
    line: int = 0
    width: int = 0
    height: int = 0
    digest: str = ""      # SHA-256 of the file's bytes


@dataclass(frozen=True)
class Correction:
    """One change made to an entry after it was published: when (the editor's date), what, why."""

    date: Date
    what: str
    why: str = ""


@dataclass(frozen=True)
class Event:
    """A dated event with its text and the notes that back it."""

    slug: str
    title: str
    date: Date
    end: Date | None
    body_md: str
    summary_md: str
    notes: tuple[Note, ...]
    cite_map: tuple[tuple[str, int, str, str], ...]   # (citation key, note number, anchor, locator shown)
    place: str = ""
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    accounts: tuple[Account, ...] = ()
    media: tuple[Media, ...] = ()
    draft: bool = False
    lang: str = ""
    path: str = ""
    line: int = 0
    updated: Date | None = None                 # the editor's date of the last change
    corrections: tuple[Correction, ...] = ()    # newest first
    status: str = ""                            # "" or "developing"

    def sort_key(self) -> tuple:
        """Order for reading: by start date, what is known only to a month after that month's days
        and what is known only to a year after its months (a month-only event may fall on its
        last day), then by time in UTC, title and slug. Pages, exports and previous/next use it."""
        date, minutes = self.date, self.date.sort_key()[3]
        return (date.year, date.month is None, date.month or 0, date.day is None, date.day or 0, minutes,
                self.title.casefold(), self.slug)

    @property
    def all_media(self) -> tuple[Media, ...]:
        """Return the event's images, then its accounts' in order: every image file it shows."""
        return self.media + tuple(m for account in self.accounts for m in account.media)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Return the accounts grouped by the question they answer, in order of first appearance."""
        groups: dict[str, list[Account]] = {}
        for account in self.accounts:
            groups.setdefault(account.about, []).append(account)
        return tuple(Question(about, tuple(accounts)) for about, accounts in groups.items())

    @property
    def modified(self) -> Date | None:
        """Return the date of the latest change the editor recorded (`updated` or a correction), if any."""
        dates = [d for d in (self.updated, *(c.date for c in self.corrections)) if d is not None]
        return max(dates, key=lambda d: d.sort_key()) if dates else None

    @property
    def disputed(self) -> bool:
        """Return True when the accounts of one of its questions disagree."""
        return bool(self.accounts) and any(q.disputed for q in self.questions)  # most events have none


@dataclass(frozen=True)
class Term:
    """A tag, place or actor, with the other spellings that lead to it and its events."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    events: tuple[str, ...] = ()     # event slugs in timeline order


@dataclass(frozen=True)
class Timeline:
    """The whole site's data, ready to render."""

    config: Config
    events: tuple[Event, ...]                        # or build/lazy.Events: read as they are used
    sources: tuple[Source, ...]                      # sorted by id
    citing: dict = field(default_factory=dict)       # source id -> tuple of event slugs
    taxonomies: dict = field(default_factory=dict)   # "tags"/"places"/"actors" -> tuple[Term]
    verified_quotes: frozenset = frozenset()         # (source id, quote) pairs found in the source's stored text
    quote_counts: tuple = field(default=(0, 0), compare=False, repr=False)   # (verified, all) quotes, for check
    quote_files: dict = field(default_factory=dict, compare=False, repr=False)  # event file -> (quotes, verified, pairs)
    # Lookup tables, built once by `assemble` (derived from the fields above, so left out of ==).
    by_slug: dict = field(default_factory=dict, compare=False, repr=False)   # slug -> Event
    terms: dict = field(default_factory=dict, compare=False, repr=False)     # (kind, slug of any spelling) -> Term

    @classmethod
    def assemble(cls, config: Config, events: tuple, sources: tuple, citing: dict, taxonomies: dict,
                 verified_quotes: frozenset = frozenset(), quote_counts: tuple = (0, 0),
                 quote_files: dict | None = None) -> Timeline:
        """Return a Timeline with its lookup tables filled in (events that find themselves by slug,
        build/lazy.py's, read as they are used, give their own `by_slug()`)."""
        terms = {(kind, slugify(name)): term for kind, found in taxonomies.items()
                 for term in found for name in (term.name, *term.aliases)}
        return cls(config, events, sources, citing, taxonomies, verified_quotes, quote_counts, quote_files or {},
                   by_slug=events.by_slug() if hasattr(events, "by_slug") else {e.slug: e for e in events}, terms=terms)

    def __reduce__(self):
        """Pickle the fields, not the lookup tables: `assemble` makes them again (build/snapshot.py)."""
        return Timeline.assemble, (self.config, self.events, self.sources, self.citing, self.taxonomies,
                                   self.verified_quotes, self.quote_counts, self.quote_files)

    def with_events(self, events: tuple) -> Timeline:
        """Return this timeline with `events` in place of its own (the same slugs), every other field kept."""
        return Timeline.assemble(self.config, events, self.sources, self.citing, self.taxonomies,
                                 self.verified_quotes, self.quote_counts, self.quote_files)

    def revised(self, changed: dict[int, Event], verified_quotes: frozenset, quote_counts: tuple | None = None,
                quote_files: dict | None = None) -> Timeline:
        """Return this timeline with the events at some positions replaced (the same slugs, in the
        same order) and its quotes' record; its lookup tables copied, not built again (lazy ones' their own)."""
        if hasattr(self.events, "replaced"):
            events, by_slug = self.events.replaced(changed), None
        else:
            events = tuple(changed.get(i, e) for i, e in enumerate(self.events)) if changed else self.events
            by_slug = {**self.by_slug, **{e.slug: e for e in changed.values()}}
        return Timeline(self.config, events, self.sources, self.citing, self.taxonomies, verified_quotes,
                        self.quote_counts if quote_counts is None else quote_counts,
                        self.quote_files if quote_files is None else quote_files,
                        by_slug=events.by_slug() if by_slug is None else by_slug, terms=self.terms)

    def event(self, slug: str) -> Event:
        """Return the event with `slug`."""
        return self.by_slug[slug]

    def verified(self, event: Event, quote: str, numbers: tuple[int, ...]) -> bool:
        """Return True when `quote` was found in the stored text of the sources of each of `numbers` (an event's notes)."""
        ids = {n.source.id for n in event.notes if n.number in numbers}
        return bool(quote and ids) and all((sid, quote) in self.verified_quotes for sid in ids)

    def term(self, kind: str, name: str) -> Term | None:
        """Return the term of `kind` that `name` (or any of its spellings) names, if any."""
        return self.terms.get((kind, slugify(name)))


_UNSAFE = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=1 << 16)  # the same names are slugified for every event and page
def slugify(text: str) -> str:
    """Return a lowercase ASCII path segment for `text`, with a hash when letters had no ASCII form."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode()
    slug = _UNSAFE.sub("-", ascii_text.lower()).strip("-")[:80].strip("-")
    # Dropped letters (Arabic, Cyrillic...) would make "هجوم 2019" and "مقتل 2019" both "2019":
    # a hash of the whole text keeps titles that differ only in those letters apart.
    if slug and not any(ch.isalnum() and not ch.isascii() for ch in decomposed):
        return slug
    if not text:
        return "untitled"
    digest = "x" + hashlib.sha1(text.encode()).hexdigest()[:10]
    return f"{slug}-{digest}" if slug else digest


def text_fragment(quote: str) -> str:
    """Encode a quote for a `#:~:text=` fragment (dashes, commas and ampersands escaped)."""
    words = " ".join(quote.split())
    return urlquote(words, safe="").replace("-", "%2D")
