"""Helpers for the adversarial suite: run check and build on one site and compare verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dateline.cli import main


@dataclass(frozen=True)
class Verdict:
    """What one command answered: its exit code and the `error:` lines it printed."""

    code: int
    errors: tuple[str, ...]
    stderr: str


def run(capsys, *argv) -> Verdict:
    """Run the command line in-process; fail the test if a traceback escaped."""
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    return Verdict(code, tuple(line for line in err.splitlines() if ": error: " in line), err)


def verdicts(capsys, site: Path, *build_args) -> tuple[Verdict, Verdict]:
    """Run `check` then `build` on `site`; assert they agree on pass or fail and on the errors."""
    check = run(capsys, "check", "--site", site)
    build = run(capsys, "build", "--site", site, *build_args)
    assert (check.code == 0) == (build.code == 0), (check, build)
    assert check.errors == build.errors, (check.errors, build.errors)
    return check, build
