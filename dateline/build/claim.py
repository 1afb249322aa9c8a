"""Whether a build may replace a folder: the mark of an earlier build, and the refusals.

Reads only (stat, listdir): write.py, the only writer, asks here before it replaces anything.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..core.errors import BuildError, Problem, rel

# Written into every build, so that the next one knows the folder is a site it may replace whole.
# The same bytes everywhere (no path, no time): builds stay reproducible.
MARK = ".dateline-output"
MARK_TEXT = (b"This folder is a site built by Dateline. A build replaces it whole: keep nothing else here.\n"
             b"Dateline builds only into a folder that is new, empty, or holds this file.\n")


def follow(output: Path) -> Path:
    """Return the absolute folder `output` names, every symbolic link followed.

    A link is never replaced by a folder: the folder it leads to is the output, checked by the
    same rules as any other. BuildError when the links loop.
    """
    try:
        return Path(output).resolve()
    except (RuntimeError, OSError):  # RuntimeError up to Python 3.12, OSError (ELOOP) after
        raise BuildError([Problem(str(output), 0, 0, "the output folder is a symbolic link that loops",
                                  "point it at a folder, or remove it")]) from None


def _read_only(path: Path, mode: int) -> bool:
    """Return True when `path` cannot be written, or its mode says nobody may (root included)."""
    return not os.access(path, os.W_OK | os.X_OK) or not mode & 0o222


def refusal(target: Path, shown: str) -> Problem | None:
    """Return why a build may not replace the folder `target` (links followed), or None if it may.

    `shown` is the output as the command line named it, for the message.
    """
    linked = Path(shown).absolute() != target and Path(shown).is_symlink()
    what = f"the output folder (a link to {target})" if linked else "the output folder"
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError:
        return None  # a file on the way: making the folder fails with the system's own message
    if info is not None:
        if not stat.S_ISDIR(info.st_mode):
            return Problem(shown, 0, 0, f"{what} is a file, not a folder",
                           "a build never replaces a file: name a folder of its own with --output")
        try:
            names = sorted(os.listdir(target))
        except OSError as exc:
            return Problem(shown, 0, 0, f"{what} cannot be read: {exc.strerror}",
                           "make it readable, or build elsewhere with --output")
        if names and not _marked(target):
            return Problem(shown, 0, 0, f"{what} holds files that are not a Dateline build, such as {names[0]}",
                           "build into a new or empty folder, or delete this one if an older Dateline built it")
        if _read_only(target, info.st_mode):
            return Problem(shown, 0, 0, f"{what} is read-only",
                           f"make it writable: chmod -R u+w {shown}; or build elsewhere with --output")
    parent = target.parent  # the new site is written there first: it must be a folder we may write
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.is_dir() and _read_only(parent, parent.stat().st_mode):
        return Problem(rel(parent, Path.cwd()), 0, 0, "the folder that holds the output folder is read-only, "
                       "and a build writes the new site there before swapping it in",
                       "make it writable, or build elsewhere with --output")
    return None


def _marked(folder: Path) -> bool:
    """Return True when `folder` holds the mark of a Dateline build (a plain file, not a link)."""
    try:
        return stat.S_ISREG(os.lstat(folder / MARK).st_mode)
    except OSError:
        return False
