"""The command line: `build.py [build|check|new|new-source] ...`. The one place that prints errors."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import cache, report, scaffold, site
from .errors import BuildError


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", type=Path, default=Path("."), help="the site's folder (default: .)")
    p.add_argument("--base-url", default=os.environ.get("DATELINE_BASE_URL") or None,
                   help="override base_url from site.yaml (also $DATELINE_BASE_URL)")
    p.add_argument("--drafts", action="store_true", help="include entries marked draft: true")


def parser() -> argparse.ArgumentParser:
    """Return the argument parser with one subcommand a command."""
    p = argparse.ArgumentParser(prog="build.py", description="Build a Dateline timeline site.")
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
    v = sub.add_parser("serve", help="preview the site, drafts included, rebuilt and reloaded on every save")
    v.add_argument("--site", type=Path, default=Path("."), help="the site's folder (default: .)")
    v.add_argument("--base-url", default=os.environ.get("DATELINE_BASE_URL") or None,
                   help="override base_url from site.yaml (also $DATELINE_BASE_URL)")
    v.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    v.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    return p


def cmd_build(args) -> int:
    """Build the site and say where it went."""
    store = None if args.no_cache else cache.Store(args.site / cache.FOLDER)
    memo = cache.open_memo(store) if store else None
    result = site.build(args.site, args.output, args.base_url, args.drafts, memo=memo)
    if store:  # not after a failed build: that writes nothing, not even its cache
        cache.save_memo(store, memo)
    _print_warnings(result.warnings)
    out = args.output or args.site / "output"
    reused = f" ({memo.counts['files kept']} unchanged)" if memo and memo.counts["files kept"] else ""
    print(f"built {len(result.timeline.events)} events, {len(result.files) + len(result.copies)} files "
          f"into {out}{reused}", file=sys.stderr)
    return 0


def cmd_check(args) -> int:
    """Run everything but the writing; list every error, warning and note; 1 if any error."""
    timeline, problems = site.inspect(args.site, args.base_url, args.drafts)
    problems = report.tidy(report.strict(problems) if args.strict else problems)
    if args.format == "json":
        sys.stdout.write(report.as_json(problems))
    else:
        _print_warnings(problems)
    print(report.summary(len(timeline.events) if timeline else None, problems), file=sys.stderr)
    return report.exit_code(problems)


def cmd_new(args) -> int:
    """Start an event file; print its path on stdout, for an editor to open."""
    path = scaffold.new_event(args.site, args.title, args.date, args.source, args.place, args.tag)
    print(path)
    print("created as a draft: remove `draft: true` once it is written", file=sys.stderr)
    return 0


def cmd_new_source(args) -> int:
    """Start a source file; print its path on stdout."""
    print(scaffold.new_source(args.site, args.id, args.title, args.publisher, args.url, args.published))
    return 0


def cmd_import(args) -> int:
    """Write one draft entry a slide; print their paths on stdout and what did not come along on stderr."""
    from .importers import import_timeline  # markdownify loads only for this command

    result = import_timeline(args.format, args.file, args.site)
    _print_warnings(result.notes)
    for path in result.written:
        print(path)
    kept = (f"; {result.kept_in_comments} keep media, display dates or backgrounds as comments in their "
            f"front matter" if result.kept_in_comments else "")
    print(f"imported {len(result.written)} slides from {args.file} as drafts in "
          f"{args.site / 'content' / 'events'}{kept}; they cite no source yet: `check` lists them",
          file=sys.stderr)
    return 0


def _print_warnings(warnings) -> None:
    for w in warnings:
        print(w, file=sys.stderr)


def cmd_serve(args) -> int:
    """Serve a live preview until interrupted."""
    from . import serve  # livereload and tornado load only for this command

    serve.run(args.site, args.host, args.port, args.base_url, say=lambda text: print(text, file=sys.stderr))
    return 0


COMMANDS = {"build": cmd_build, "check": cmd_check, "new": cmd_new, "new-source": cmd_new_source,
            "serve": cmd_serve, "import": cmd_import}


def main(argv: list[str] | None = None) -> int:
    """Run a command; turn every expected failure into a message and an exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    try:
        return COMMANDS[args.command](args)
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} error{'s' if count != 1 else ''}; nothing was written", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; output/ was left as it was", file=sys.stderr)
        return 130
    except OSError as exc:  # the system refused a write: a full disk, a file where a folder must be...
        print(f"{exc.filename or '.'}: error: cannot write: {exc.strerror or exc} (is every folder on "
              f"the way a folder you can write to, on a disk with room?)", file=sys.stderr)
        return 1
