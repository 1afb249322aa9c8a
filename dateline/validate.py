"""Turn what `load` read into the model, checking every field and collecting every problem."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from urllib.parse import urlsplit

from . import cache, citations, dates, mdlimits, quotes
from .config import Config, parse_config
from .errors import Problem, nearest
from .load import Entry, SiteInput, SourceFile
from .model import Account, Citation, Event, Note, Source, Term, Timeline, slugify
from .yamlsrc import YList, YMap

EVENT_KEYS = ("title", "date", "end", "place", "actors", "tags", "summary", "sources", "accounts",
              "draft", "slug", "date_from", "lang", "body")
SOURCE_KEYS = ("title", "publisher", "author", "authors", "url", "published", "accessed",
               "archive_url", "language", "type", "note", "text")
REF_KEYS = ("id", "quote", "locator")
ACCOUNT_KEYS = ("claim", "by", "sources", "quote", "value")
TAXONOMIES = ("tags", "places", "actors")


class Checker:
    """Collects problems for one file, so each check is one line."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path, self.problems = path, problems

    def error(self, line: int, message: str, hint: str = "", code: str = "") -> None:
        self.problems.append(Problem(self.path, line, 0, message, hint, "error", code))

    def warn(self, line: int, message: str, hint: str = "", code: str = "") -> None:
        self.problems.append(Problem(self.path, line, 0, message, hint, "warning", code))

    def info(self, line: int, message: str, hint: str = "", code: str = "") -> None:
        """Record a note for the editor to read: not a fault, so even --strict passes it."""
        self.problems.append(Problem(self.path, line, 0, message, hint, "info", code))

    def unknown_keys(self, data: YMap, known: tuple[str, ...], what: str) -> None:
        """Report every key that is not one of `known`, suggesting the nearest."""
        for key in data:
            if key not in known:
                guess = nearest(key, known)
                hint = f"did you mean '{guess}'?" if guess else f"{what} keys are: {', '.join(known)}"
                self.error(data.line_of(key), f"unknown key '{key}' in {what}", hint, "unknown-key")

    def text(self, data: YMap, key: str, required: bool = False, what: str = "") -> str:
        """Return data[key] as stripped text, reporting a missing or non-text value."""
        if key not in data or data[key] is None:
            if required:
                self.error(data.line, f"missing '{key}'{what}", f"add a line `{key}: ...`", f"missing-{key}")
            return ""
        value = data[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(data.line_of(key), f"'{key}' must be text", "quote it if needed", "bad-value")
            return ""
        return value.strip()

    def names(self, data: YMap, key: str) -> tuple[str, ...]:
        """Return a list of names (or a single name) as a tuple of stripped strings."""
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(data.line_of(key), f"'{key}' must be a list of names", f"write {key}: [one, two]",
                       "bad-value")
            return ()
        return tuple(dict.fromkeys(v.strip() for v in value))

    def url(self, data: YMap, key: str) -> str:
        """Return an http(s) URL, reporting any other scheme."""
        value = self.text(data, key)
        if value and not is_http_url(value):
            self.error(data.line_of(key), f"'{key}' must be an http or https URL, not {value[:60]!r}",
                       "leave it out when the source has no URL: never invent one", "bad-url")
            return ""
        return value


def is_http_url(url: str) -> bool:
    """Return True for an absolute http(s) URL without spaces."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in url)


_SOURCE_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?")


def is_source_id(sid: str) -> bool:
    """Return True when `sid` can name a source file, a citation and an anchor as it is."""
    return bool(_SOURCE_ID.fullmatch(sid))


def validate(site: SiteInput, base_url: str | None = None, drafts: bool = False,
             memo=None) -> tuple[Timeline | None, list[Problem]]:
    """Check everything read from disk; return the timeline (None on errors) and all problems.

    With a `cache.Memo`, an event whose entry, config and cited sources are unchanged is reused.
    """
    problems = list(site.problems)
    settings: list[Problem] = []
    config = parse_config(site.config, settings, base_url)
    if not any(p.path == "site.yaml" and p.severity == "error" for p in problems):
        problems.extend(settings)  # else site.yaml was unreadable: its settings' errors only repeat that
    sources = {}
    for sf in site.sources:
        source = _source(sf, problems)
        if source is not None:
            sources[source.id] = source
    events = [e for entry in site.events
              if (e := cache.validated(memo, entry, config, sources, problems, _event)) is not None]
    cited = {n.source.id for e in events for n in e.notes}  # a draft's sources are not forgotten files
    if not drafts:
        for e in events:  # left out of the site, but what they still need is listed
            if e.draft and not e.notes:
                problems.append(Problem(e.path, e.line, 0, f"draft '{e.title}' cites no source yet",
                                        "add sources: [source-id] before removing draft: true", "info",
                                        "draft-no-sources"))
        events = [e for e in events if not e.draft]
    events.sort(key=Event.sort_key)
    _check_slugs(events, problems)
    aliases = _aliases(site.aliases, problems)
    table = _canonical_table(aliases)
    events = [_canonical_names(e, table) for e in events]
    _warn_timeline(events, sources, cited, problems)
    problems.extend(quotes.check(site.events, sources, site.texts))
    if any(p.severity == "error" for p in problems):
        return None, problems
    citing = defaultdict(list)
    for event in events:
        for sid in dict.fromkeys(n.source.id for n in event.notes):
            citing[sid].append(event.slug)
    timeline = Timeline(config, tuple(events), tuple(sources[k] for k in sorted(sources)),
                        {k: tuple(v) for k, v in citing.items()}, _taxonomies(events, aliases))
    return timeline, problems


def _source(sf: SourceFile, problems: list[Problem]) -> Source | None:
    """Build one Source from content/sources/<id>.yaml."""
    c = Checker(sf.path, problems)
    data = sf.data
    before = len(problems)
    c.unknown_keys(data, SOURCE_KEYS, "a source")
    if not is_source_id(sf.id):
        c.error(1, f"source id '{sf.id}' (the file name) may hold only letters, digits, - and _",
                "rename the file", "bad-id")
    authors = c.names(data, "authors") + c.names(data, "author")
    published = accessed = None
    for key in ("published", "accessed"):
        if key in data:
            try:
                value = dates.parse_date(data[key])
            except dates.DateError as exc:
                c.error(data.line_of(key), f"'{key}': {exc.message}", exc.hint, "bad-date")
                continue
            published, accessed = (value, accessed) if key == "published" else (published, value)
    source = Source(
        id=sf.id, title=c.text(data, "title", required=True, what=" in a source"),
        publisher=c.text(data, "publisher"), authors=authors, url=c.url(data, "url"),
        published=published, accessed=accessed, archive_url=c.url(data, "archive_url"),
        language=c.text(data, "language"), type=c.text(data, "type"), note=c.text(data, "note"),
        text=c.text(data, "text"), path=sf.path)
    return source if len(problems) == before or all(p.severity != "error" for p in problems[before:]) else None


def _event(entry: Entry, config: Config, sources: dict[str, Source], problems: list[Problem]) -> Event | None:
    """Build one Event from its front matter and body."""
    c = Checker(entry.path, problems)
    data = entry.data
    before = len(problems)
    known = EVENT_KEYS if entry.path.endswith((".yaml", ".yml")) else EVENT_KEYS[:-1]
    c.unknown_keys(data, known, "an event")
    if "body" in known:
        c.text(data, "body")  # load keeps only a text body: report any other kind of value
    title = c.text(data, "title", required=True, what=": every event needs one")
    refs = _refs(data, c, sources)
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        c.error(data.line_of("draft"), "'draft' must be true or false", "write draft: true or draft: false",
                "bad-value")
    date = end = None
    if "date" not in data or data["date"] in (None, ""):
        c.error(data.line_of("date"), "missing 'date'", "add a line `date: 2019-10-13`, or `2019-10` or `2019` when the day is not known",
                "missing-date")
    else:
        date = _date(data, "date", c, config, refs, sources)
    if "end" in data:
        end = _date(data, "end", c, config, refs, sources)
        if date and end and end.sort_key() < date.sort_key():
            c.error(data.line_of("end"), f"'end' ({end.iso}) is before 'date' ({date.iso})",
                    "swap them or correct one", "bad-date")
    body = entry.body
    for offset, what, fix in mdlimits.check(body, config.allow_html):  # before Markdown ever reads it
        c.error(entry.body_line + offset, what, fix, "body-too-complex")
    if isinstance(data.get("summary"), str):
        for _offset, what, fix in mdlimits.check(data["summary"], config.allow_html):
            c.error(data.line_of("summary"), "in 'summary': " + what, fix, "body-too-complex")
    cites = citations.find_citations(body, entry.body_line)
    for sid, _loc, line in cites:
        if sid not in sources:
            c.error(line, f"citation of unknown source '@{sid}'", _source_hint(sid, sources), "unknown-source")
    notes, cite_map = _notes(cites, refs, sources)
    accounts = _accounts(data, c, sources, notes)
    if accounts:
        have = {n.source.id for n in notes}
        extra = [Citation(s) for a in accounts for s in a[2] if s not in have]
        notes, cite_map = _notes(cites, refs + extra, sources)
        number = {n.source.id: n.number for n in reversed(notes)}
        accounts = [Account(a[0], a[1], tuple(dict.fromkeys(number[s] for s in a[2])), a[3], a[4])
                    for a in accounts]
    slug = _slug(data, c, title, date)
    summary = c.text(data, "summary") or first_paragraph(body)
    lang = c.text(data, "lang")
    if len(problems) > before and any(p.severity == "error" for p in problems[before:]):
        return None
    return Event(slug=slug, title=title, date=date, end=end, body_md=body,
                 summary_md=citations.strip_citations(summary), notes=tuple(notes),
                 cite_map=tuple(cite_map), place=c.text(data, "place"), actors=c.names(data, "actors"),
                 tags=c.names(data, "tags"), accounts=tuple(accounts), draft=bool(draft), lang=lang,
                 path=entry.path, line=data.line)


def _source_hint(sid: str, sources: dict) -> str:
    """Suggest the nearest known source id, or how to add one."""
    guess = nearest(sid, sources)
    return f"did you mean '{guess}'?" if guess else f"add content/sources/{sid}.yaml"


def _refs(data: YMap, c: Checker, sources: dict[str, Source]) -> list[Citation]:
    """Read `sources:`: plain ids or mappings with id, quote and locator."""
    value = data.get("sources")
    if value is None:
        return []
    if isinstance(value, str):
        value = YList([value])
        value.line, value.item_lines = data.line_of("sources"), [data.line_of("sources")]
    if not isinstance(value, YList):
        c.error(data.line_of("sources"), "'sources' must be a list of source ids",
                "write sources: [bbc-2019-10-13]", "bad-value")
        return []
    refs = []
    for item, line in zip(value, value.item_lines):
        if isinstance(item, YMap):
            c.unknown_keys(item, REF_KEYS, "a source reference")
            sid, quote, loc = c.text(item, "id", required=True), c.text(item, "quote"), c.text(item, "locator")
        elif isinstance(item, str):
            sid, quote, loc = item.strip(), "", ""
        else:
            c.error(line, "each source must be an id or a mapping with id:", code="bad-value")
            continue
        if sid and sid not in sources:
            c.error(line, f"unknown source '{sid}'", _source_hint(sid, sources), "unknown-source")
        elif sid:
            refs.append(Citation(sid, loc, quote, line))
    return refs


def _date(data: YMap, key: str, c: Checker, config: Config, refs: list[Citation],
          sources: dict[str, Source]) -> dates.Date | None:
    """Parse `date` or `end`; relative words are read against a source's publication date."""
    base, label = None, ""
    anchor = data.get("date_from") or (refs[0].source_id if refs else None)
    if anchor is not None and not isinstance(anchor, str):
        anchor = None
    if "date_from" in data and not isinstance(data["date_from"], str):
        c.error(data.line_of("date_from"), "'date_from' must be the id of one source",
                "write date_from: bbc", "bad-value")
    elif "date_from" in data and anchor not in sources:
        c.error(data.line_of("date_from"), f"date_from names unknown source '{anchor}'",
                _source_hint(str(anchor), sources), "unknown-source")
    elif anchor in sources and sources[anchor].published is not None:
        published = sources[anchor].published
        if published.precision in ("day", "minute"):
            base = published.first_day()
            label = f"{anchor} (published {published.iso})"
    try:
        date = dates.parse_date(data[key], config.date_languages, base, label)
    except dates.DateError as exc:
        c.error(data.line_of(key), f"'{key}': {exc.message}", exc.hint, "bad-date")
        return None
    if date.resolved_from:
        # A note, not a warning: writing the source's own words is the point; the editor
        # only needs to see what they were read as.
        c.info(data.line_of(key), f"{key} '{date.text}' read as {date.iso} against {date.resolved_from}",
               code="relative-date")
    return date


def _notes(cites: list, refs: list[Citation], sources: dict[str, Source]) -> tuple[list[Note], list]:
    """Number the notes: body citations in order of first use, then the other listed sources."""
    by_id = {}
    for ref in refs:
        by_id.setdefault(ref.source_id, ref)
    order: dict[tuple[str, str], Citation] = {}
    for sid, loc, _line in cites:
        if sid not in sources:
            continue
        ref = by_id.get(sid)
        if not loc and ref is not None:
            key = (sid, ref.locator)
            order.setdefault(key, ref)
        else:
            quote = ref.quote if ref is not None and ref.locator == loc else ""
            order.setdefault((sid, loc), Citation(sid, loc, quote))
    for ref in refs:
        order.setdefault((ref.source_id, ref.locator), ref)
    notes, cite_map = [], []
    for number, ((sid, loc), ref) in enumerate(order.items(), start=1):
        notes.append(Note(number, sources[sid], loc, ref.quote))
        cite_map.append((f"{sid}|{loc}", number))
    return notes, cite_map


def _accounts(data: YMap, c: Checker, sources: dict[str, Source], notes: list[Note]) -> list[tuple]:
    """Read `accounts:` as (claim, by, source ids, quote, value) tuples."""
    value = data.get("accounts")
    if value is None:
        return []
    if not isinstance(value, YList):
        c.error(data.line_of("accounts"), "'accounts' must be a list of claims",
                "write accounts: then '- claim: ...' lines", "bad-value")
        return []
    out = []
    for item, line in zip(value, value.item_lines):
        if not isinstance(item, YMap):
            c.error(line, "each account must be a mapping with claim:, by: and sources:", code="bad-value")
            continue
        c.unknown_keys(item, ACCOUNT_KEYS, "an account")
        claim, by = c.text(item, "claim", required=True), c.text(item, "by", required=True)
        ids = c.names(item, "sources")
        if not ids:
            c.error(item.line, "an account needs sources: the source(s) that report it",
                    "add sources: [source-id]", "missing-sources")
        for sid in ids:
            if sid not in sources:
                c.error(item.line_of("sources"), f"unknown source '{sid}'", _source_hint(sid, sources),
                        "unknown-source")
        number = item.get("value")
        if number is not None:
            number = decimal_number(number)
            if number is None:
                c.error(item.line_of("value"), "'value' must be a number", "e.g. value: 785", "bad-value")
        out.append((claim, by, [s for s in ids if s in sources], c.text(item, "quote"), number))
    return out


_DECIMAL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def decimal_number(text) -> int | float | None:
    """Return a number written in decimals (`785`, `-3.5`, `1e3`); None for anything else."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text.strip()):
        return None  # YAML 1.1 would also read 0x1F, 1:30, 010 (octal) and .inf: not a count
    text = text.strip()
    return int(text) if text.lstrip("+-").isdigit() else float(text)


def _slug(data: YMap, c: Checker, title: str, date: dates.Date | None) -> str:
    """Return the event's slug: `slug:` if given and safe, else date plus title."""
    if "slug" in data:
        slug = c.text(data, "slug")
        if not slug or slugify(slug) != slug:
            c.error(data.line_of("slug"), f"slug {slug!r} is not a safe path segment",
                    f"use lowercase letters, digits and hyphens, e.g. {slugify(slug or title)!r}", "bad-slug")
        return slug
    prefix = date.iso[:10] if date else "undated"
    return f"{prefix}-{slugify(title)}"


def first_paragraph(body: str) -> str:
    """Return the first paragraph of a Markdown body that is not a heading."""
    for block in body.strip().split("\n\n"):
        block = block.strip()
        if block and not block.startswith(("#", "```", "    ", ">", "<")):
            return " ".join(block.split())
    return ""


def _check_slugs(events: list[Event], problems: list[Problem]) -> None:
    """Report two events that would be written to the same page."""
    seen: dict[str, Event] = {}
    for event in events:
        other = seen.setdefault(event.slug, event)
        if other is not event:
            problems.append(Problem(event.path, event.line, 0,
                                    f"two events have the slug '{event.slug}' (the other is "
                                    f"{other.path}:{other.line})",
                                    "change one title or set `slug:` on one of them", "error", "duplicate-slug"))


def _aliases(data: YMap | None, problems: list[Problem]) -> dict[str, dict[str, tuple[str, ...]]]:
    """Read content/aliases.yaml: {taxonomy: {canonical name: (aliases...)}}."""
    out: dict[str, dict[str, tuple[str, ...]]] = {k: {} for k in TAXONOMIES}
    if data is None:
        return out
    c = Checker("content/aliases.yaml", problems)
    c.unknown_keys(data, TAXONOMIES, "aliases.yaml")
    seen: dict[tuple[str, str], str] = {}
    for kind in TAXONOMIES:
        table = data.get(kind) or YMap()
        if not isinstance(table, YMap):
            c.error(data.line_of(kind), f"'{kind}' must map each name to its aliases", code="bad-value")
            continue
        for name in table:
            names = c.names(table, name)
            for alias in (name, *names):
                key = (kind, slugify(alias))
                if key in seen and seen[key] != name:
                    c.error(table.line_of(name), f"'{alias}' is an alias of both '{seen[key]}' and '{name}'",
                            "keep it under one of them", "duplicate-alias")
                seen[key] = name
            out[kind][name] = names
    return out


def _canonical_table(aliases: dict) -> dict[str, dict[str, str]]:
    """Map each taxonomy's spellings (as slugs) to the canonical name."""
    return {kind: {slugify(n): canonical for canonical, names in table.items() for n in (canonical, *names)}
            for kind, table in aliases.items()}


def _canonical_names(event: Event, table: dict[str, dict[str, str]]) -> Event:
    """Show a place or actor under its canonical name, whichever spelling the entry used."""
    def canon(kind: str, name: str) -> str:
        return table[kind].get(slugify(name), name)
    place = canon("places", event.place) if event.place else ""
    actors = tuple(dict.fromkeys(canon("actors", a) for a in event.actors))
    if (place, actors) == (event.place, event.actors):
        return event  # the same object: what was learnt about it (cache, page keys) stays with it
    return replace(event, place=place, actors=actors)


def _taxonomies(events: list[Event], aliases: dict) -> dict[str, tuple[Term, ...]]:
    """Group events by tag, place and actor, merging aliases into one term each."""
    out = {}
    for kind in TAXONOMIES:
        canonical = _canonical_table(aliases).get(kind, {})
        members: dict[str, tuple[str, dict[str, None]]] = {}  # slug -> (name first seen, event slugs)
        for event in events:
            values = {"tags": event.tags, "places": (event.place,) if event.place else (), "actors": event.actors}[kind]
            for value in values:
                name = canonical.get(slugify(value), value)
                _, slugs = members.setdefault(slugify(name), (name, {}))
                slugs[event.slug] = None  # an ordered set: a list's `in` made this quadratic
        terms = [Term(slug, name, aliases.get(kind, {}).get(name, ()), tuple(slugs))
                 for slug, (name, slugs) in members.items()]
        out[kind] = tuple(sorted(terms, key=lambda t: t.slug))
    return out


def _warn_timeline(events: list[Event], sources: dict[str, Source], cited: set[str],
                   problems: list[Problem]) -> None:
    """Warnings that need the whole timeline: uncited sources, sourceless events, late dates."""
    for sid, source in sorted(sources.items()):
        if sid not in cited:
            problems.append(Problem(source.path, 1, 0, f"no event cites source '{sid}'",
                                    "cite it or delete the file", "warning", "uncited-source"))
    seen: dict[tuple, Event] = {}
    for event in events:
        c = Checker(event.path, problems)
        if not event.notes:
            c.warn(event.line, f"event '{event.title}' cites no source", "add sources: [source-id]",
                   "no-sources")
        # A source published before the event cannot report it: a wrong date or a wrong citation.
        published = {n.source.id: n.source.published for n in event.notes if n.source.published}
        early = {sid: p for sid, p in published.items() if event.date.first_day() > p.last_day()}
        if early:
            names = " and ".join(f"{sid} ({p.iso})" for sid, p in early.items())
            what = "its sources were" if early == published else f"{names} {'was' if len(early) == 1 else 'were'}"
            c.warn(event.line, f"event is dated {event.date.iso}, after {what} published",
                   "check the date against the sources", "date-after-sources")
        key = (event.title.casefold(), event.date.iso[:10])
        other = seen.setdefault(key, event)
        if other is not event and other.slug != event.slug:  # the same slug is already an error
            c.warn(event.line, f"same title and day as {other.path}:{other.line}",
                   "merge them or tell them apart", "duplicate-event")
