"""Problems found in a site's input, kept as values until the command line prints them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) at a place in a file."""

    path: str
    line: int = 0
    col: int = 0
    message: str = ""
    hint: str = ""
    severity: str = "error"  # "error", "warning" or "info" (a note, such as how a date was read)
    code: str = ""

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict:
        """Return the problem as plain data for `--format json`."""
        return {
            "path": self.path, "line": self.line, "col": self.col, "severity": self.severity,
            "code": self.code, "message": self.message, "hint": self.hint,
        }


class BuildError(Exception):
    """Raised with every problem a stage found, so they are reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def rel(path: Path, root: Path) -> str:
    """Return `path` relative to `root` with forward slashes, for messages."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def nearest(word: str, choices) -> str:
    """Return a ' (did you mean ...)'-ready suggestion for a misspelt key, or ''."""
    import difflib

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else ""
