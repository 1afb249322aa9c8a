"""The command line: `dateline [build|check|new|new-source|archive|import|serve|init|links] ...` (also `build.py ...`).

The one place that prints errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import init, links_command, scaffold, pipeline as site
from .build import cache, progress
from .core import report
from .core.errors import BuildError


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", type=Path, default=Path("."), help="the site's folder (default: .)")
    p.add_argument("--base-url", default=os.environ.get("DATELINE_BASE_URL") or None,
                   help="override base_url from site.yaml (also $DATELINE_BASE_URL)")
    p.add_argument("--drafts", action="store_true", help="include entries marked draft: true")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="show no progress, even when it takes long (problems are still printed)")


EXAMPLES = (
    ("init mytimeline", "start a new timeline folder that builds at once"),
    ("build", "build the site in this folder into output/"),
    ("check --strict", "list every problem; warnings count as errors"),
    ("serve", "preview on http://127.0.0.1:8000, reloaded on every save"),
    ("links", "ask every source's url and archive_url whether it still answers"),
    ('new "Dam breaks" --date 2019-10-13 --source bbc-2019-10-13', "start an event file, as a draft"),
    ("archive --all", "store each source's article text, to verify quotes against"),
)
EXIT_CODES = """exit codes:
  0  success (check: no errors; warnings are allowed without --strict)
  1  errors in the content, settings or templates, or a file that could not be written
  2  wrong usage: an unknown command or option, a missing argument
"""


def epilog(prog: str) -> str:
    """Return the help's closing text: examples, then the exit codes."""
    width = len(prog) + 22
    lines = ["examples:"]
    for command, what in EXAMPLES:
        line = f"  {prog} {command}"
        lines += [line.ljust(width) + what] if len(line) < width else [line, " " * width + what]
    lines += ["", f"{prog} COMMAND --help tells more; with no command, {prog} builds.", "", EXIT_CODES]
    return "\n".join(lines)


def prog_name() -> str:
    """Return `build.py` when run through build.py, else `dateline` (the installed command)."""
    return "build.py" if Path(sys.argv[0]).name == "build.py" else "dateline"


def parser(prog: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser with one subcommand a command."""
    prog = prog or prog_name()
    p = argparse.ArgumentParser(prog=prog, description="Dateline: build a static website from a folder of dated "
                                "events, each citing its sources.", epilog=epilog(prog),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"dateline {init.version()}")
    sub = p.add_subparsers(dest="command")
    b = sub.add_parser("build", help="build the site into output/ (the default command)")
    _common(b)
    b.add_argument("--output", type=Path, default=None, help="where to write (default: SITE/output)")
    b.add_argument("--no-cache", action="store_true",
                   help="build everything afresh, without reading or writing SITE/.dateline-cache/")
    c = sub.add_parser("check", help="load and validate everything, write nothing")
    _common(c)
    c.add_argument("--strict", action="store_true", help="count warnings as errors (notes never fail)")
    c.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: print the problems on stdout as a JSON list")
    c.add_argument("--output", type=Path, default=None,
                   help="check that a build may write there, as build does (default: SITE/output)")
    n = sub.add_parser("new", help="start an event: content/events/<date>-<slug>.md, as a draft")
    n.add_argument("title", help="the event's title")
    n.add_argument("--date", required=True, help="e.g. 2019-10-13, '13 October 2019', 2019-10, or "
                   "'Saturday' read against the first --source")
    n.add_argument("--source", action="append", default=[], help="a source id it cites (repeatable)")
    n.add_argument("--place", default="", help="where it happened")
    n.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    n.add_argument("--site", type=Path, default=Path("."), help="the site's folder (default: .)")
    s = sub.add_parser("new-source", help="start a source: content/sources/<id>.yaml")
    s.add_argument("id", help="the source id, also its file name, e.g. bbc-2019-10-13")
    s.add_argument("--title", required=True, help="the headline or title, as published")
    s.add_argument("--publisher", required=True, help="e.g. BBC News")
    s.add_argument("--url", default="", help="http(s) address; leave out when not known")
    s.add_argument("--published", default="", help="publication date, e.g. 2019-10-13")
    s.add_argument("--site", type=Path, default=Path("."), help="the site's folder (default: .)")
    i = sub.add_parser("import", help="turn a TimelineJS timeline into draft entries (docs/editing.md)")
    i.add_argument("format", choices=("timelinejs", "sheet"),
                   help="timelinejs: its JSON file; sheet: its spreadsheet saved as CSV")
    i.add_argument("file", type=Path, help="the file to import")
    i.add_argument("--site", type=Path, default=Path("."), help="the site's folder (default: .)")
    a = sub.add_parser("archive", help="fetch a source's page and store its article's text, to verify quotes against")
    a.add_argument("ids", nargs="*", metavar="SOURCE-ID", help="the source(s) to archive")
    a.add_argument("--all", action="store_true", help="every source with a url and no stored text yet")
    a.add_argument("--force", action="store_true", help="fetch again a source that already has a stored text")
    a.add_argument("--site", type=Path, default=Path("."), help="the site's folder (default: .)")
    v = sub.add_parser("serve", help="preview the site, drafts included, rebuilt and reloaded on every save")
    v.add_argument("--site", type=Path, default=Path("."), help="the site's folder (default: .)")
    v.add_argument("--base-url", default=os.environ.get("DATELINE_BASE_URL") or None,
                   help="override base_url from site.yaml (also $DATELINE_BASE_URL)")
    v.add_argument("--host", "--bind", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1); requests for other host names get 421")
    v.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    links_command.arguments(sub.add_parser("links", help=links_command.HELP))
    i = sub.add_parser("init", help="start a new timeline folder: settings, an example event, README, "
                       "GitHub Pages workflow")
    i.add_argument("path", type=Path, help="the new timeline's folder (made if missing; must be empty)")
    i.add_argument("--title", help="the site's title (default: from the folder's name)")
    i.add_argument("--description", help="one sentence about the timeline")
    i.add_argument("--language", help="the site's language, a BCP 47 tag (default: en)")
    i.add_argument("--force", action="store_true",
                   help="write into a folder that is not empty, keeping every file already there")
    return p


def cmd_build(args) -> int:
    """Build the site and say where it went (only into a folder that is new, empty or an earlier build)."""
    store = None if args.no_cache else cache.Store(args.site / cache.FOLDER)
    shown = _progress(args)
    try:
        memo = cache.open_memo(store) if store else None
        result = site.build(args.site, args.output, args.base_url, args.drafts, memo=memo, progress=shown)
        if store:  # not after a failed build: that writes nothing, not even its cache
            shown("saving the cache")
            cache.save_memo(store, memo)
    finally:
        shown.close()
        for note in store.take_notes() if store else ():
            print(note, file=sys.stderr)
    _print_warnings(result.warnings)
    out = args.output or args.site / "output"
    reused = f" ({memo.counts['files kept']} unchanged)" if memo and memo.counts["files kept"] else ""
    print(f"built {counted(len(result.timeline.events), 'event')}, "
          f"{counted(len(result.files) + len(result.copies), 'file')} into {out}{reused}", file=sys.stderr)
    return 0


def cmd_check(args) -> int:
    """Run everything but the writing; list every error, warning and note; 1 if any error."""
    shown = _progress(args)
    try:  # the build's own pipeline, minus the writing
        result = site.run(args.site, None, args.base_url, args.drafts, progress=shown)
    finally:
        shown.close()
    timeline, problems = result.timeline, result.problems + site.output_problems(args.site, args.output)
    problems = report.tidy(report.strict(problems) if args.strict else problems)
    if args.format == "json":
        sys.stdout.write(report.as_json(problems))
    else:
        _print_warnings(problems)
    print(report.summary(len(timeline.events) if timeline else None, problems,
                         timeline.quote_counts if timeline else (0, 0)), file=sys.stderr)
    return report.exit_code(problems)


def cmd_new(args) -> int:
    """Start an event file; print its path on stdout, for an editor to open."""
    warnings: list = []
    path = scaffold.new_event(args.site, args.title, args.date, args.source, args.place, args.tag, warnings)
    _print_warnings(warnings)
    print(path)
    print("created as a draft: remove `draft: true` once it is written", file=sys.stderr)
    return 0


def cmd_new_source(args) -> int:
    """Start a source file; print its path on stdout."""
    print(scaffold.new_source(args.site, args.id, args.title, args.publisher, args.url, args.published))
    return 0


def cmd_init(args) -> int:
    """Start a new timeline folder; ask for its settings on a terminal; say what was written."""
    given = {k: getattr(args, k) for k in ("title", "description", "language") if getattr(args, k) is not None}
    settings = init.Settings(**{"title": init.default_title(args.path), **given})
    init.refuse(args.path, settings, args.force)  # before asking anything
    if sys.stdin.isatty():
        try:
            settings = init.ask(settings, set(given))
        except KeyboardInterrupt:
            print("\ninterrupted; nothing was written", file=sys.stderr)
            return 130
    result = init.create(args.path, settings, args.force)
    for rel in result.created:
        print(result.root / rel)
    if result.kept:
        print(f"kept, as they were already there: {', '.join(result.kept)}", file=sys.stderr)
    if result.placeholder and "requirements.txt" in result.created:
        print(f"note: {result.root / 'requirements.txt'} names no Dateline to install ({result.placeholder}): "
              f"put a pip requirement such as '{init.PLACEHOLDER}' there before publishing, "
              "or the GitHub Pages workflow stops and says so", file=sys.stderr)
    start = f"cd {result.root} && dateline serve" if args.prog == "dateline" else \
        f"python3 build.py serve --site {result.root}"
    done = f"created a timeline in {result.root}" if result.created else "nothing to add: every file was there"
    print(f"{done}; preview it: {start}", file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    """Write one draft entry a slide; print their paths on stdout and what did not come along on stderr."""
    from .importers import import_timeline  # markdownify loads only for this command

    result = import_timeline(args.format, args.file, args.site)
    _print_warnings(result.notes)
    for path in result.written:
        print(path)
    n, one = result.kept_in_comments, len(result.written) == 1
    kept = (f"; {n} {'keeps' if n == 1 else 'keep'} media, display dates or backgrounds as comments in "
            f"{'its' if n == 1 else 'their'} front matter" if n else "")
    print(f"imported {counted(len(result.written), 'slide')} from {args.file} as "
          f"{'a draft' if one else 'drafts'} in {args.site / 'content' / 'events'}{kept}; "
          f"{'it cites' if one else 'they cite'} no source yet: `check` lists {'it' if one else 'them'}",
          file=sys.stderr)
    return 0


def cmd_archive(args) -> int:
    """Store the text of the sources named (or of all); print the text files written on stdout."""
    from . import archive  # trafilatura loads only for this command

    if bool(args.ids) == args.all:
        print(f"{args.prog} archive: error: name the sources to archive, or pass --all (not both)", file=sys.stderr)
        return 2
    result = archive.archive(args.site, args.ids, every=args.all, force=args.force)
    _print_warnings(result.notes)
    for path in result.written:
        print(path)
    print(f"archived {counted(len(result.written), 'source')} into {args.site / archive.FOLDER}; "
          "`check` verifies their quotes", file=sys.stderr)
    return 0


def counted(n: int, noun: str) -> str:
    """Return '1 event', '2 events': a count with its noun in the singular or the plural."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _progress(args) -> progress.Progress:
    """Return the progress display of a build or check on stderr (showing nothing with --quiet)."""
    return progress.Progress(sys.stderr, enabled=not args.quiet)


def _print_warnings(warnings) -> None:
    for w in warnings:
        print(w, file=sys.stderr)


def cmd_links(args) -> int:
    """Ask every source address; print a warning at its file:line for each dead, moved or refused one."""
    return links_command.run(args, say=lambda text: print(text, file=sys.stderr))


def cmd_serve(args) -> int:
    """Serve a live preview until interrupted."""
    from .preview import serve  # livereload and tornado load only for this command

    return serve.run(args.site, args.host, args.port, args.base_url, say=lambda text: print(text, file=sys.stderr))


COMMANDS = {"build": cmd_build, "check": cmd_check, "new": cmd_new, "new-source": cmd_new_source,
            "serve": cmd_serve, "init": cmd_init, "import": cmd_import, "archive": cmd_archive,
            "links": cmd_links}


def main(argv: list[str] | None = None) -> int:
    """Run a command; turn every expected failure into a message and an exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "build")
    prog = prog_name()
    try:
        args = parser(prog).parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    args.prog = prog
    try:
        return COMMANDS[args.command](args)
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{counted(len(exc.problems), 'error')}; nothing was written", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; output/ was left as it was", file=sys.stderr)
        return 130
    except OSError as exc:  # the system refused a write: a full disk, a file where a folder must be...
        print(f"{exc.filename or '.'}: error: cannot write: {exc.strerror or exc} (is every folder on "
              f"the way a folder you can write to, on a disk with room?)", file=sys.stderr)
        return 1
