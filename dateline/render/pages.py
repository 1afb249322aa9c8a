"""Render the timeline through Jinja templates into {output path: bytes}, one page at a time.

Every page is a pure function of the timeline and the templates, so pages can be rendered
independently, in any order, in parallel or from a cache.
"""

from __future__ import annotations

import posixpath
from bisect import bisect_left, bisect_right
import traceback
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..core import dates
from . import markdown as md
from . import calls, facets, formats, jsonld, overview
from .endnotes import endnotes, grouped_events
from .citing import cited_by
from .groups import Later, by_year, forget, group_events, made
from ..build import beside, disk, parallel
from .corrections import all_corrections
from . import media as media_html
from .minify import minified_html
from ..core.errors import BuildError, Problem, rel
from .direction import lang_attrs, text_dir
from .i18n import catalog, format_figure, format_number, plural
from .urls import event_path, page_root, term_path
from ..core.model import Event, Term, Timeline, slugify
from ..core.kinds import KINDS

THEME = Path(__file__).resolve().parent.parent / "theme"  # the default templates/ and static/ live here


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, which template draws it, and what it shows."""

    path: str                 # e.g. "events/2019-10-13-x/index.html"
    template: str
    context: dict = field(default_factory=dict, hash=False, compare=False)


def make_env(site_root: Path, compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Return a Jinja environment: the site's templates/ first, then the default theme's.

    `compiled` keeps the templates' compiled code between builds (build/templatereads.Compiled)."""
    folders = [p for p in (Path(site_root) / "templates", THEME / "templates") if p.is_dir()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in dict.fromkeys(folders)]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, bytecode_cache=compiled)
    env.context_class = calls.Context  # macros and plain functions called without asking what they take
    env.template_class = calls.Template  # values written as strings, not made Markup first
    # the blocks of calls.once made so far in this build; the site, to name a failing template from it
    env.extend(once={}, site_root=Path(site_root).resolve())
    env.filters["groupby_source"] = group_notes
    env.filters["number"] = format_number
    env.filters["figure_text"] = format_figure
    return env


def group_notes(notes) -> list[tuple]:
    """Group an event's notes by source, keeping the order of first appearance."""
    groups: dict[str, list] = {}
    for note in notes:
        groups.setdefault(note.source.id, []).append(note)
    return [(ns[0].source, ns) for ns in groups.values()]


# Above this many events the home page lists the years, each year on its own page: one page
# of 100,000 events would weigh ~250 MB, and any edit would redraw all of it.
INDEX_SPLIT = 5000


def plan(timeline: Timeline, around=None) -> list[Page]:
    """List every page of the site with its template and context; with `around` (build/unmoved.Around),
    only the pages that may show its events and the site's few others (the rest are the last build's)."""
    events, by_slug = timeline.events, timeline.by_slug
    headings: dict = {}  # each event's heading, worked out once for the home page and its terms', when grouped
    pages = [*home_pages(events, headings, around and around.years),
             Page("sources/index.html", "sources.html", {"sources": timeline.sources,
                                                          "cited_by": Later(partial(cited_by, timeline))}),
             Page("corrections/index.html", "corrections.html", {"changes": Later(partial(all_corrections, events))}),
             Page("404.html", "404.html", {})]
    pages += (event_page(events, i) for i in (range(len(events)) if around is None else around.positions))
    for kind in (k.name for k in KINDS):
        terms = timeline.taxonomies.get(kind, ())
        pages.append(Page(f"{kind}/index.html", "terms.html", {"kind": kind, "terms": terms}))
        for term in terms if around is None else (t for t in terms if not around.slugs.isdisjoint(t.events)):
            pages += term_pages(kind, term, by_slug.picked(term.events) if hasattr(by_slug, "picked")
                                else [by_slug[s] for s in term.events], headings)
    return pages


def event_page(events, i: int) -> Page:
    """Return the page of the `i`th event of `events` (in timeline order), between its neighbours."""
    return Page(event_path(events[i]) + "index.html", "event.html", {
        "event": events[i], "previous": events[i - 1] if i > 0 else None,
        "next": events[i + 1] if i + 1 < len(events) else None})


def home_pages(events, headings: dict | None = None, only: set | None = None) -> list[Page]:
    """Return the home page with every event, or above INDEX_SPLIT events the list of years and a page a year
    (with `only`, the pages of those years alone, found by bisection: the events are in order of year).

    Each chronology, and the list of years, is made when its page is drawn or keyed in full (`Later`)."""
    groups = Later(partial(group_events, events, headings))
    if len(events) <= INDEX_SPLIT:
        return [Page("index.html", "index.html", {"groups": groups})]
    year = lambda e: e.date.year  # noqa: E731
    years = by_year(events) if only is None else [
        (y, events[bisect_left(events, y, key=year):bisect_right(events, y, key=year)]) for y in sorted(only)]
    return [Page("index.html", "years.html", {"years": Later(lambda: [(y, len(evs)) for y, evs in by_year(events)]),
                                              "total": len(events), "groups": groups, "by_year": "years/"}),
            *(Page(f"years/{year}/index.html", "year.html", {
                "year": year, "groups": Later(partial(group_events, evs, headings)), "total": len(evs)})
              for year, evs in years if evs)]


def term_pages(kind: str, term: Term, events: list, headings: dict | None = None) -> list[Page]:
    """Return a term's page with its events, or above INDEX_SPLIT events (a tag of a long archive)
    its years, each with a page, as the home page does: an edit redraws one year of the term."""
    folder = term_path(kind, term.slug)
    whole = {"kind": kind, "term": term, "groups": Later(partial(group_events, events, headings)),
             "total": len(events), "year": None, "years": None, "by_year": ""}
    if len(events) <= INDEX_SPLIT:
        return [Page(folder + "index.html", "term.html", whole)]
    years = by_year(events)
    return [Page(folder + "index.html", "term.html", {**whole, "years": [(year, len(evs)) for year, evs in years],
                                                       "by_year": folder}),
            *(Page(f"{folder}{year}/index.html", "term.html", {
                **whole, "groups": Later(partial(group_events, evs, headings)), "total": len(evs), "year": year,
                # the term as this page shows it: its key, and so the page, leaves out the other years
                "term": replace(term, events=tuple(getattr(evs, "slugs", None) or [e.slug for e in evs]))})
              for year, evs in years)]


# What each template global reads besides its arguments, for the page keys (build/pagekeys.py):
# PAGE, the config and the page's path only; TERMS, also every term's slug, name and spellings;
# TIMELINE, anything in the timeline. A global missing here fails tests/test_pagekeys.py.
PAGE, TERMS, TIMELINE = "page", "terms", "timeline"
GLOBALS = {
    "site": PAGE, "timeline": TIMELINE, "page": PAGE, "here": PAGE, "url": PAGE, "event_url": PAGE, "_": PAGE,
    "term_url": TERMS, "show_date": PAGE, "month_name": PAGE, "markdown": PAGE, "inline": PAGE,
    "body": PAGE, "text_dir": PAGE, "lang_attrs": PAGE, "facets": TERMS, "endnotes": PAGE,
    "kinds": PAGE, "exports": PAGE, "once": PAGE, "image_set": PAGE, "absolute_image": PAGE, "plural": PAGE, "overview": PAGE,
    **jsonld.GLOBALS,
}


def render_page(env: jinja2.Environment, timeline: Timeline, page: Page) -> bytes:
    """Render one page to bytes; a template error becomes a Problem naming template and line."""
    context = {**template_globals(timeline, page), **made(page.context)}
    try:
        html = env.get_template(page.template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError([Problem(_template_name(env, exc.filename, exc.name), exc.lineno, 0,
                                  f"template syntax error: {exc.message}")]) from None
    except Exception as exc:  # noqa: BLE001 - any error inside a template is reported at its line
        raise BuildError([_template_problem(env, exc, page)]) from None
    return (minified_html(html) if timeline.config.minify_html else html).encode("utf-8")


def template_globals(timeline: Timeline, page: Page) -> dict:
    """Return what every template gets on `page` (each declared in GLOBALS with what it reads)."""
    config = timeline.config
    strings = catalog(config.language)
    root = page_root(config, page.path)
    here = posixpath.dirname(page.path)

    def url(target: str = "") -> str:
        """Return a link from this page to `target` (a path from the site root)."""
        return root + target

    def term_url(kind: str, name: str | Term) -> str:
        """Return the link to the page of a tag, place or actor: a Term, or any of its spellings."""
        term = name if isinstance(name, Term) else timeline.term(kind, name)
        return url(term_path(kind, term.slug if term else slugify(name)))

    def show(date, end=None) -> str:
        return dates.display_span(date, end, strings["months"], strings["circa"])

    return {
        "site": config, "timeline": timeline, "page": page.path, "here": here, "url": url,
        "event_url": lambda event: url(event_path(event)),
        "_": strings, "term_url": term_url, "show_date": show, "month_name": lambda m: strings["months"][m - 1],
        "markdown": lambda text: Markup(md.render(text, (), config.allow_html)[0]),
        "inline": lambda text: Markup(md.render_inline(text, config.allow_html)),
        "body": lambda event: _body(event, config.allow_html),
        "text_dir": text_dir, "lang_attrs": lambda lang: lang_attrs(lang, config.language),
        "facets": lambda event: facets.event_facets(timeline, event),
        "endnotes": lambda groups: endnotes(grouped_events(groups)),
        "kinds": KINDS, "exports": formats.FORMATS, "once": calls.once,
        "image_set": lambda media: media_html.image_set(root, media),
        "absolute_image": lambda media: media_html.absolute_image(config, media),
        "plural": lambda n, one, other: plural(strings, n, one, other),
        "overview": lambda groups: overview.of_groups(groups, page.context.get("by_year", ""), url, strings),
        **jsonld.page_context(timeline, page.path),
    }


def _body(event: Event, allow_html: bool) -> tuple[Markup, dict[str, list[str]]]:
    """Render an event's body: (html, {anchor of a note or place: anchors of the citations pointing at it}).

    The accounts' citations are among them, after the body's: every note links back to all of its citing points.
    """
    html, anchors = md.render(event.body_md, event.cite_map, allow_html)
    for account in event.accounts:
        for cite in account.cites:
            anchors.setdefault(cite.anchor, []).append(cite.id)
    return Markup(html), anchors


def _template_name(env: jinja2.Environment, filename: str | None, name: str | None) -> str:
    """Name a template as the site's other files are: from the site root (the theme's in full)."""
    if filename:
        return rel(Path(filename).resolve(), env.site_root)
    return f"templates/{name}"


def _template_problem(env: jinja2.Environment, exc: Exception, page: Page) -> Problem:
    """Find the innermost template frame of a rendering error and report it."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template not found: {exc.name}"
        hint = "templates are looked for in templates/ and then in the default theme"
    else:
        message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
        # Name the content's types as the editor's docs do (dateline.config.Config), not by layer.
        message = message.replace("'dateline.core.", "'dateline.")
        message = f"template error while rendering {page.path}: {message}"
        hint = ("check the variable's name; see docs/templates.md for what each template receives"
                if isinstance(exc, jinja2.UndefinedError) else "")
    if frames:
        return Problem(_template_name(env, frames[-1].filename, None), frames[-1].lineno or 0, 0, message, hint)
    return Problem(f"templates/{page.template}", 0, 0, message, hint)


def render_site(timeline: Timeline, site_root: Path, keep=None, progress=None, sink=None) -> dict[str, bytes | None]:
    """Render every page of the site (on every core), collecting template problems across pages.

    With `keep` (incremental.Keep), a file whose inputs did not change since the last build
    maps to None instead of bytes, for the writer to link from the last build's output.
    `progress(stage, done, total)` hears how far it has got. `sink(pages to draw, pages)` may
    return a folder (the new tree) for the pages, and the exports, to be written into as they are
    made: they then map to links.Written (build/parallel.py).
    """
    progress = progress or (lambda stage, done=0, total=0: None)
    env = make_env(site_root, keep.compiled() if keep is not None else None)
    # The exports first: on a rebuild they are made beside this process while it plans the pages
    exports = beside.Exports(keep, env, timeline, lambda into: formats.render_exports(
        timeline, keep.parts(timeline), into)) if keep is not None else None
    pages, every = keep.plan(env, timeline, plan) if keep is not None else (plan(timeline), None)
    out: dict[str, bytes | None] = dict.fromkeys(every or [p.path for p in pages])  # in plan order
    names, made, tree = list(out), {}, None

    def put(path: str, data):  # into the new tree once there is one; an export may come in pieces (parts.py)
        return parallel.put(tree, path, data, timeline.config.minify_html) if tree else data if isinstance(data, bytes) else disk.joined(data)

    def compared(i: int, page: Page) -> bool:  # True: kept from the last build
        return progress("comparing with the last build", i, len(pages)) or keep.page(env, timeline, page)
    # No last build to compare with (a clean build): every page is drawn, and what each is made
    # of is noted for the next build while the workers draw them (7 s of one core at 100,000 pages).
    fresh = keep is not None and not keep.old

    def make_exports() -> None:  # while the pages render on the other cores
        for page in pages if fresh else ():  # first: the exports' own key and parts need what they share
            keep.page(env, timeline, page)
            forget(page.context)  # the workers draw it (one core: made again): 10 MB at 10,000 events
        progress("making exports")
        made.update(exports(put) if exports else formats.render_exports(timeline, put=put))
        sitemap = lambda: {p: put(p, data) for p, data in formats.render_sitemap(timeline, names).items()}  # noqa: E731
        made.update(keep.whole("sitemap", names, sitemap, timeline=False) if keep is not None else sitemap())
    try:
        todo = pages if keep is None or fresh else [p for i, p in enumerate(pages) if not compared(i, p)]
        tree = sink(len(todo), len(names)) if sink else None
        if tree and exports:
            exports.streams()
        rendered, problems = parallel.render_pages(env, timeline, todo, render_page, progress=progress,
                                                   meanwhile=None if exports and exports.apart else make_exports,
                                                   texts=lambda: md.texts_of(timeline), sink=tree)
        if exports and exports.apart:
            make_exports()
    finally:
        if exports:
            exports.close()
    if problems:  # one report per template line, not per page
        raise BuildError(problems)
    out.update({**rendered, **made})
    out[".nojekyll"] = b""
    if timeline.config.cname:
        out["CNAME"] = timeline.config.cname.encode() + b"\n"
    return out
