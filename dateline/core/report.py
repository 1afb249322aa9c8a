"""What `build.py check` reports: every problem, as text or JSON, and the exit code it earns.

Errors fail the check; warnings fail it only under `--strict`; notes ("info", such as how a
relative date was read) never do: they are there for the editor to read.
"""

from __future__ import annotations

import json
from dataclasses import replace

from .errors import Problem

SEVERITIES = ("error", "warning", "info")
_NAMES = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("note", "notes")}


def strict(problems: list[Problem]) -> list[Problem]:
    """Return the problems with every warning made an error, as `--strict` asks."""
    return [replace(p, severity="error") if p.severity == "warning" else p for p in problems]


def tidy(problems: list[Problem]) -> list[Problem]:
    """Return the problems sorted by file and line, each reported once."""
    return list(dict.fromkeys(sorted(problems)))


def exit_code(problems: list[Problem]) -> int:
    """Return 1 when any problem is an error, else 0."""
    return 1 if any(p.severity == "error" for p in problems) else 0


def summary(events: int | None, problems: list[Problem], quotes: tuple[int, int] = (0, 0)) -> str:
    """Return the closing line: 'checked 20 events: 0 errors, 1 warning, 10 notes'.

    `events` is None when errors kept the timeline from being made. `quotes` (verified, all)
    adds '; 3 of 5 quotes verified against stored texts' when there are quotes.
    """
    parts = []
    for severity in SEVERITIES:
        n = sum(p.severity == severity for p in problems)
        parts.append(f"{n} {_NAMES[severity][n != 1]}")
    what = "the site" if events is None else f"{events} event{'s' if events != 1 else ''}"
    verified, count = quotes
    said = f"; {verified} of {count} quote{'s' if count != 1 else ''} verified against stored texts" if count else ""
    return f"checked {what}: {', '.join(parts)}{said}"


def as_json(problems: list[Problem]) -> str:
    """Return the problems as a JSON list of objects, one a problem, for tools to read."""
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2) + "\n"
