"""The command line's grammar: every command and option of `dateline` (and `build.py`), with its help.

cli.py runs the commands; this module only describes them, so that it loads nothing heavy.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import links_command


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


class _Version(argparse.Action):
    """--version, reading the installed version only when asked."""

    def __call__(self, parser, namespace, values, option_string=None):
        from .init import version
        print(f"dateline {version()}")
        parser.exit()


def parser(prog: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser with one subcommand a command."""
    prog = prog or prog_name()
    p = argparse.ArgumentParser(prog=prog, description="Dateline: build a static website from a folder of dated "
                                "events, each citing its sources.", epilog=epilog(prog),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action=_Version, nargs=0, help="show Dateline's version and exit")
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
