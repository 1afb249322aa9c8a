"""Reading one file of a site: only regular files inside it, of a sane size, as UTF-8 text.

Every refusal (a link out of the site, a FIFO, a huge file, bytes that are not UTF-8, hidden
direction marks) is a Problem at the file's path; load.py reads everything through here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from . import chars
from .errors import Problem, rel

MAX_FILE_BYTES = 2_000_000  # an entry is a short text; a bigger file is a mistake
_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device",
          stat.S_IFBLK: "a device", stat.S_IFDIR: "a folder"}


def read_text(path: Path, root: Path, problems: list[Problem], bidi: bool = True) -> str | None:
    """Return a file's text with `\\n` newlines, or None after recording why it cannot be read.

    `bidi` refuses directional controls left open on their line (see chars.py): every file that
    is published; a source's stored text (`text:`) is only compared with quotes.
    """
    where = rel(path, root)
    raw = _read_bytes(path, root, where, problems)
    if raw is None:
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark is harmless: editors on Windows add it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(where, line, 0, "file is not UTF-8 text",
                                "save it as UTF-8: is it a binary file, or text in another encoding?"))
        return None
    if "\x00" in text:
        problems.append(Problem(where, text[: text.index("\x00")].count("\n") + 1, 0,
                                "file contains a NUL byte", "is it a binary file?"))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = chars.CONTROL.search(text)
    if bad:
        problems.append(Problem(where, *_line_col(text, bad.start()), f"character U+{ord(bad[0]):04X} is not allowed",
                                "delete it: it is invisible, perhaps pasted from a PDF or a web page"))
        return None
    found = chars.unbalanced_bidi(text) if bidi else None
    if found:
        problems.append(Problem(where, *_line_col(text, found[0]), found[1], chars.BIDI_HINT))
        return None
    return text


def _line_col(text: str, index: int) -> tuple[int, int]:
    """Return the 1-based line and column of `index` in `text`."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _read_bytes(path: Path, root: Path, where: str, problems: list[Problem]) -> bytes | None:
    """Return the bytes of a regular file inside the site, at most MAX_FILE_BYTES of them.

    Anything else is refused before it is opened (a FIFO would block for ever), and the size is
    checked before reading and again while reading, in case the file grows meanwhile.
    """
    link = link_problem(path, root, where)
    if link is not None:
        problems.append(link)
        return None
    try:
        kind = _KINDS.get(stat.S_IFMT(os.stat(path).st_mode))
        if kind is None:  # a regular file: open it without blocking, and check what was opened
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
            with os.fdopen(fd, "rb") as f:
                info = os.fstat(fd)
                kind = _KINDS.get(stat.S_IFMT(info.st_mode))
                if kind is None and info.st_size > MAX_FILE_BYTES:
                    problems.append(Problem(where, 0, 0, f"file is {info.st_size:,} bytes, over the limit of "
                                            f"{MAX_FILE_BYTES:,}", "split it or shorten it"))
                    return None
                raw = f.read(MAX_FILE_BYTES + 1) if kind is None else b""
    except OSError as exc:
        problems.append(Problem(where, 0, 0, f"cannot read file: {exc.strerror}",
                                f"let your user read it: chmod u+r {where}" if isinstance(exc, PermissionError)
                                else ""))
        return None
    if kind is not None:
        problems.append(Problem(where, 0, 0, f"{kind} is not a file", "a site is made of plain files: remove it"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(where, 0, 0, f"file is over the limit of {MAX_FILE_BYTES:,} bytes",
                                "split it or shorten it"))
        return None
    return raw


def link_problem(path: Path, root: Path, where: str, what: str = "file") -> Problem | None:
    """Return why a symbolic link may not be followed (a loop, nothing at its end, outside the site)."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        return Problem(where, 0, 0, "symbolic link leads nowhere",
                       "it loops, or what it points to is missing: remove it or fix its target")
    if not is_inside(target, root.resolve()):
        return Problem(where, 0, 0, "symbolic link points outside the site", f"copy the {what} into the site instead")
    return None


def is_inside(path: Path, root: Path) -> bool:
    """Return True when `path` lies under `root`."""
    return path == root or root in path.parents
