"""Per-file checks: one event entry or one source file into the model, every problem collected.

Cross-file assembly (ids, aliases, terms, back-links) is timeline.py's; numbering notes, notes.py's.
"""

from __future__ import annotations

import re

from . import accounts as _accounts, citations, dates, mdlimits
from .lasting import check_lasting
from .changes import check_changes
from .media import read_media
from .config import Config
from .errors import Problem, nearest_id
from .load import Entry, SourceFile
from .model import Citation, Event, Source, slugify
from .checker import Checker
from .notes import number_notes as _notes
from .yamlsrc import YList, YMap


EVENT_KEYS = ("title", "date", "end", "place", "actors", "tags", "summary", "sources", "accounts",
              "draft", "slug", "date_from", "lang", "media", "updated", "corrections", "status",
              "body")  # body last: only a .yaml entry has it
SOURCE_KEYS = ("title", "publisher", "author", "authors", "url", "published", "accessed",
               "archive_url", "archive_date", "url_status", "language", "type", "note", "remarks", "text",
               "handle", "platform", "text_sha256")
REF_KEYS = ("id", "quote", "locator")
TAXONOMIES = ("tags", "places", "actors")


_SOURCE_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?")


def is_source_id(sid: str) -> bool:
    """Return True when `sid` can name a source file, a citation and an anchor as it is."""
    return bool(_SOURCE_ID.fullmatch(sid))


def check_source(sf: SourceFile, problems: list[Problem]) -> Source | None:
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
    kind = c.text(data, "type")
    post = kind.lower() == "post"  # its `text:` is its words, not the path of a stored copy
    words = c.text(data, "text", required=post, what=": a post's words, exactly as posted") if post else ""
    title = c.text(data, "title", required=not post, what=" in a source") or (post_title(words) if post else "")
    url, archive_url = c.url(data, "url"), c.url(data, "archive_url")
    archive_date, url_status = check_lasting(data, c, url, archive_url)
    source = Source(
        id=sf.id, title=title,
        publisher=c.text(data, "publisher"), authors=authors, url=url,
        published=published, accessed=accessed, archive_url=archive_url, archive_date=archive_date,
        url_status=url_status, language=c.text(data, "language"), type=kind, note=c.text(data, "note"),
        text="" if post else c.text(data, "text"), path=sf.path, handle=c.text(data, "handle"),
        platform=c.text(data, "platform"), words=words)
    sha = c.text(data, "text_sha256")
    if sha and not re.fullmatch(r"[0-9a-f]{64}", sha):
        c.error(data.line_of("text_sha256"), "'text_sha256' must be 64 hexadecimal digits, the SHA-256 of the "
                "stored text", f"run `dateline archive {sf.id} --force` to fetch the text again, or remove the line",
                "bad-value")
    elif sha and not source.text:
        c.error(data.line_of("text_sha256"), "'text_sha256' is the hash of a stored text, but there is no 'text'",
                "add text: with the file's path, or remove text_sha256:", "bad-value")
    return source if len(problems) == before or all(p.severity != "error" for p in problems[before:]) else None


def post_title(words: str) -> str:
    """Return a post's title when it has none: its first words, as a citation shows them."""
    words = " ".join(words.split())
    return words if len(words) <= 60 else words[:60].rsplit(" ", 1)[0] + "…"


def check_event(entry: Entry, config: Config, sources: dict[str, Source], problems: list[Problem]) -> Event | None:
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
    drafts = _accounts.read(data, c, sources)
    notes, cite_map = _notes(cites, refs, sources, [(*pair, d.quote) for d in drafts for pair in d.cites])
    located = {n.source.id: [p.locator for p in n.pinpoints if p.locator] for n in notes}
    accounts = _accounts.build(drafts, cite_map, located, c)
    slug = _slug(data, c, title, date)
    updated, corrections, status = check_changes(data, c)
    summary = c.text(data, "summary") or first_paragraph(body)
    lang = c.text(data, "lang")
    media = read_media(data, c, sources)
    if len(problems) > before and any(p.severity == "error" for p in problems[before:]):
        return None
    return Event(slug=slug, title=title, date=date, end=end, body_md=body,
                 summary_md=citations.strip_citations(summary), notes=tuple(notes),
                 cite_map=cite_map, place=c.text(data, "place"), actors=c.names(data, "actors"),
                 tags=c.names(data, "tags"), accounts=accounts, media=media, draft=bool(draft), lang=lang,
                 path=entry.path, line=data.line, updated=updated, corrections=corrections, status=status)


def _source_hint(sid: str, sources: dict) -> str:
    """Suggest the known source id `sid` is a slip for, or how to add it."""
    guess = nearest_id(sid, sources)
    if guess:
        return f"did you mean '{guess}'?"
    if not is_source_id(sid):
        return "a source id is the name of its file in content/sources/, without .yaml"
    return f"add it with `dateline new-source {sid} --title ... --publisher ...`, or correct the id"


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
