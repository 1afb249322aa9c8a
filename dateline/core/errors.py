"""Problems found in a site's input, kept as values until the command line prints them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


# What str.splitlines() breaks a line at, shown escaped in a message that quotes an editor's text.
_ONE_LINE = {c: f"\\u{c:04x}" for c in map(ord, "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")}


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
        """Return the problem as one line (`path:line:col: severity: message (hint)`), whatever the
        text it quotes holds: a character that breaks a line is written as its escape."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        text = f"{where}: {self.severity}: {self.message}"
        return (f"{text} ({self.hint})" if self.hint else text).translate(_ONE_LINE)

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


def nearest_id(word: str, ids) -> str:
    """Return the id `word` is a slip for, or '' when none is really near.

    Ids such as `bbc-2019-10-13` and `cbn-2019-10-13` look alike to a spelling matcher, yet name
    different articles: so ids are compared part by part (split at - and _), and one is near
    only when it differs in case or separators, in one part by a letter or two (a transposition
    counting one), or when `word` is the start of exactly one id (`afp` for `afp-2019-10-11`).
    """
    ids = sorted(ids)
    word_parts = _id_parts(word)
    near = []
    for candidate in ids:
        parts = _id_parts(candidate)
        if len(parts) != len(word_parts):
            continue
        diff = [(a, b) for a, b in zip(word_parts, parts) if a != b]
        if not diff:
            return candidate
        if len(diff) == 1:
            a, b = diff[0]
            longest = max(len(a), len(b))
            allowed = 2 if longest >= 6 else 1 if longest >= 3 or len(parts) >= 2 else 0
            if _edits(a, b) <= allowed:
                near.append(candidate)
    if near:
        return near[0]
    starting = [c for c in ids if _id_parts(c)[:len(word_parts)] == word_parts]
    return starting[0] if len(starting) == 1 else ""


def _id_parts(sid: str) -> list[str]:
    return sid.casefold().replace("_", "-").split("-")


def _edits(a: str, b: str) -> int:
    """Return the edits (insert, delete, replace, swap two neighbours) that make `a` into `b`."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            row.append(min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb)))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]
