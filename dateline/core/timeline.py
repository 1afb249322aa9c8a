"""Cross-file assembly: from everything `load` read to one Timeline, with every problem found.

Per-file checks are rules.py's; this adds what needs the whole site: slugs, aliases, canonical
names, terms, the sources' back-links and the warnings about the timeline as a whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from . import quotes
from .config import parse_config
from .errors import Problem
from .kinds import KINDS
from .load import SiteInput
from .model import Event, Source, Term, Timeline, slugify
from .checker import Checker
from .rules import check_event, check_source
from .yamlsrc import YMap

TAXONOMIES = tuple(kind.name for kind in KINDS)


def validate(site: SiteInput, base_url: str | None = None, drafts: bool = False,
             memo=None) -> tuple[Timeline | None, list[Problem]]:
    """Check everything read from disk; return the timeline (None on errors) and all problems.

    With a memo (build.cache.Memo, never imported here), an event whose entry, config and cited
    sources are unchanged is reused: `memo.check_event` wraps `check_event` from outside.
    """
    problems = list(site.problems)
    settings: list[Problem] = []
    config = parse_config(site.config, settings, base_url)
    if not any(p.path == "site.yaml" and p.severity == "error" for p in problems):
        problems.extend(settings)  # else site.yaml was unreadable: its settings' errors only repeat that
    sources = {}
    for sf in site.sources:
        source = check_source(sf, problems)
        if source is not None:
            sources[source.id] = source
    check = memo.check_event if memo is not None else _unmemoised
    events = [e for entry in site.events if (e := check(entry, config, sources, problems, check_event)) is not None]
    cited = {n.source.id for e in events for n in e.notes}  # a draft's sources are not forgotten files
    cited |= {m.source.id for e in events for m in e.all_media if m.source}  # nor is where an image comes from
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
    problems.extend(quotes.check(site.events, sources, site.texts) + quotes.changed(site.sources, site.texts))
    shown = {(e.path, e.line) for e in events}  # the quotes of what the site shows are counted and listed
    verified, unverified = quotes.verify([en for en in site.events if (en.path, en.data.line) in shown], sources,
                                         site.texts, config.strict_quotes)
    problems.extend(unverified)
    if any(p.severity == "error" for p in problems):
        return None, problems
    citing = defaultdict(list)
    for event in events:
        for sid in dict.fromkeys(n.source.id for n in event.notes):
            citing[sid].append(event.slug)
    timeline = Timeline.assemble(config, tuple(events), tuple(sources[k] for k in sorted(sources)),
                        {k: tuple(v) for k, v in citing.items()}, _taxonomies(events, aliases),
                        verified.pairs, (verified.verified, verified.quotes), verified.by_path)
    return timeline, problems


def revise(timeline: Timeline, path: str, entries: list, texts: dict[str, str],
           at: list[int] | None = None, found: list[Problem] | None = None,
           quoted: dict | None = None) -> Timeline | None:
    """Return `timeline` with the events of one file read again (`entries`) in place of their last
    version, so that their own pages can be drawn before the full build: None when only
    `validate` can tell what they become.

    The events are `validate`'s when each entry checks without an error, keeps its slug and its
    place in the order (so its neighbours are the same), names only tags, places and actors the
    timeline has, and shows no image (whose file a build measures). The pages that list them,
    the exports and the warnings are the full build's. `at` gives the positions of the file's
    events in `timeline.events` when known (`positions`); `found` receives the problems of the
    entries' own checks and quotes (`revise_files` adds the warnings about each event), and
    `quoted` the file's quotes as `quotes.Verified.by_path` counts them.
    """
    at = positions(timeline).get(path, []) if at is None else at
    where = {timeline.events[i].slug: i for i in at}  # the file's events, in time order
    if not entries or len(where) != len(entries):
        return None
    indices, sources = list(where.values()), {s.id: s for s in timeline.sources}
    # The aliases a term has are aliases.yaml's; one without any may or may not be listed there,
    # so an entry naming it by another spelling is left to `validate`.
    table = _canonical_table({kind.name: {t.name: t.aliases for t in timeline.taxonomies.get(kind.name, ())
                                          if t.aliases} for kind in KINDS})
    events, problems, changed = timeline.events, [], {}
    for entry in entries:
        event = check_event(entry, timeline.config, sources, problems)
        if event is None or any(p.severity == "error" for p in problems) or event.slug not in where:
            return None
        for kind in KINDS:
            for value in kind.values(event):
                term = timeline.term(kind.name, value)
                if term is None or (value != term.name and not term.aliases):
                    return None
        event, i = _canonical_names(event, table), where.pop(event.slug)  # each slug once
        if event.draft != events[i].draft or event.all_media:
            return None
        changed[i] = event
    for i in indices:  # still between the same neighbours
        event = changed[i]
        if (i > 0 and changed.get(i - 1, events[i - 1]).sort_key() >= event.sort_key()) or (
                i + 1 < len(events) and event.sort_key() >= changed.get(i + 1, events[i + 1]).sort_key()):
            return None
    cited = {sid for entry in entries for _line, _quote, ids in quotes.quoted(entry.data) for sid in ids}
    mine = {sid: text for sid, text in texts.items() if sid in cited}
    if quotes.check(entries, sources, mine):
        return None
    verified, notes = quotes.verify(entries, sources, mine, timeline.config.strict_quotes)
    if found is not None:
        found += problems + notes
    if quoted is not None:
        quoted.update(verified.by_path)
    return timeline.revised(changed, timeline.verified_quotes | verified.pairs)


def revise_files(timeline: Timeline, files: dict[str, list], texts: dict[str, str]
                 ) -> tuple[Timeline, dict[str, list[Problem]]] | None:
    """Return `timeline` with the events of several files read again (`files`: path -> entries),
    as `validate` would make it, and each file's problems; None when only `validate` can tell.

    Each file goes through `revise`; besides, each of its events must show the rest of the
    timeline what it showed before: the same line, title, day, sources and terms (what other
    events' warnings, the sources' and the terms' lists read of it). Its quotes are counted again.
    """
    at, problems = positions(timeline), {}
    quoted = dict(timeline.quote_files)
    for path, entries in files.items():
        found: list[Problem] = []
        quoted.pop(path, None)
        revised = revise(timeline, path, entries, texts, at.get(path, []), found, quoted)
        if revised is None or any(_shown(timeline.events[i]) != _shown(revised.events[i]) for i in at[path]):
            return None
        warned: list[Problem] = []
        for i in at[path]:
            _warn_event(revised.events[i], warned, {})
        # In `validate`'s order: the entries' checks, the warnings about the events, the quotes' notes.
        notes = [p for p in found if p.code == "quote-unverified"]
        found = [p for p in found if p.code != "quote-unverified"] + warned + notes
        problems[path], timeline = found, revised
    total = quotes.Verified.total(quoted)
    return timeline.revised({}, total.pairs, (total.verified, total.quotes), quoted), problems


def _shown(event: Event) -> tuple:
    """What other events' warnings, the bibliography and the terms' pages read of an event."""
    return (event.line, event.title.casefold(), event.date.iso[:10],
            frozenset(n.source.id for n in event.notes) | {m.source.id for m in event.all_media if m.source},
            tuple(tuple(kind.values(event)) for kind in KINDS))


def positions(timeline: Timeline) -> dict[str, list[int]]:
    """Return the positions of each file's events in `timeline.events` (from its column of paths,
    when it keeps one: build/lazy.py's events, read as they are used)."""
    out: dict[str, list[int]] = {}
    paths = getattr(timeline.events, "paths", None)
    for i, path in enumerate(paths if paths is not None else (e.path for e in timeline.events)):
        out.setdefault(path, []).append(i)
    return out


def _unmemoised(entry, config, sources, problems, check):
    return check(entry, config, sources, problems)


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
    for kind in KINDS:
        canonical = _canonical_table(aliases).get(kind.name, {})
        members: dict[str, tuple[str, dict[str, None]]] = {}  # slug -> (name first seen, event slugs)
        for event in events:
            for value in kind.values(event):
                name = canonical.get(slugify(value), value)
                _, slugs = members.setdefault(slugify(name), (name, {}))
                slugs[event.slug] = None  # an ordered set: a list's `in` made this quadratic
        terms = [Term(slug, name, aliases.get(kind.name, {}).get(name, ()), tuple(slugs))
                 for slug, (name, slugs) in members.items()]
        out[kind.name] = tuple(sorted(terms, key=lambda t: t.slug))
    return out


def after_sources(date, published: dict) -> str:
    """Return the warning for an event dated after a source it cites was published, or ''.

    A source published before the event cannot report it: a wrong date or a wrong citation.
    `published` maps each source id to its publication Date (or None); `new` warns with it too.
    """
    published = {sid: p for sid, p in published.items() if p is not None}
    early = {sid: p for sid, p in published.items() if date.first_day() > p.last_day()}
    if not early:
        return ""
    names = " and ".join(f"{sid} ({p.iso})" for sid, p in early.items())
    what = "its sources were" if early == published else f"{names} {'was' if len(early) == 1 else 'were'}"
    return f"event is dated {date.iso}, after {what} published"


def _warn_timeline(events: list[Event], sources: dict[str, Source], cited: set[str],
                   problems: list[Problem]) -> None:
    """Warnings that need the whole timeline: uncited sources, sourceless events, late dates."""
    for sid, source in sorted(sources.items()):
        if sid not in cited:
            problems.append(Problem(source.path, 1, 0, f"no event cites source '{sid}'",
                                    "cite it or delete the file", "warning", "uncited-source"))
    seen: dict[tuple, Event] = {}
    for event in events:
        _warn_event(event, problems, seen)


def _warn_event(event: Event, problems: list[Problem], seen: dict[tuple, Event]) -> None:
    """Warn of an event without sources, dated after them, or with the title and day of one `seen` before."""
    c = Checker(event.path, problems)
    if not event.notes:
        c.warn(event.line, f"event '{event.title}' cites no source", "add sources: [source-id]",
               "no-sources")
    late = after_sources(event.date, {n.source.id: n.source.published for n in event.notes})
    if late:
        c.warn(event.line, late, "check the date against the sources", "date-after-sources")
    key = (event.title.casefold(), event.date.iso[:10])
    other = seen.setdefault(key, event)
    if other is not event and other.slug != event.slug:  # the same slug is already an error
        c.warn(event.line, f"same title and day as {other.path}:{other.line}",
               "merge them or tell them apart", "duplicate-event")
