"""The `links` command's options and its run, for cli.py: what it asks, what it says, its exit code.

The network is links_check.py's, imported only when the command runs: the build never imports it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .core import report

HELP = "check that every source's url and archive_url still answer (never during a build); report dead and moved ones"


def positive(kind):
    """Return an argparse type: a number of `kind` above zero."""
    def read(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be a number above 0, not {text!r}")
        return value
    return read


def arguments(p: argparse.ArgumentParser) -> None:
    """Declare the command's options."""
    p.add_argument("--site", type=Path, default=Path("."), help="the site's folder (default: .)")
    p.add_argument("--timeout", type=positive(float), default=10.0, help="seconds to wait for each answer (default: 10)")
    p.add_argument("--workers", type=positive(int), default=8, help="addresses asked at once (default: 8)")
    p.add_argument("--write", action="store_true",
                   help="set url_status: dead (or live again) in the source files; without it nothing is written")
    p.add_argument("--strict", action="store_true", help="exit 1 when any address is dead, moved or refused")


def run(args, say) -> int:
    """Ask every source address; `say` a warning at its file:line for each dead, moved or refused one."""
    from . import links_check

    result = links_check.check(args.site, args.timeout, args.workers, args.write)
    problems = report.tidy(report.strict(result.problems) if args.strict else result.problems)
    for problem in problems:
        say(str(problem))
    for path in result.written:
        say(f"{path}: url_status written")
    bad = len(result.problems)
    say(f"checked {result.checked} address{'es' if result.checked != 1 else ''}: {bad} to look at"
        + ("" if args.write or not bad else "; nothing was written (--write sets url_status)"))
    return report.exit_code(problems)
