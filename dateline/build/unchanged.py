"""A build that finds nothing changed since the last one: it says so and ends, by stat alone.

After a build that wrote the site, `record` keeps a fingerprint of its inputs and of the
output it left, with the warnings it printed and its summary. The next `build` first takes the
same two fingerprints (`replay`); when both match, the site on disk is the one this build would
write, so it prints the same warnings and stops, without reading a single file.

The inputs' fingerprint covers every file and folder the build could read (site.yaml,
content/, templates/ and static/ of the site and of the theme), each by path, size, inode,
mtime and ctime, plus the options and the code stamp (Dateline's code and its libraries'
versions): any edit, addition, removal, rename or `touch` changes it. The output's covers every
file under the output folder the same way, so a file deleted or edited there brings a real
build. A fingerprint is recorded only when nothing changed during the build and no input was
modified in the last two seconds (`RACY_NS`, as the memos': an edit within the same mtime tick
could keep its stat). The record is a signed cache file like the memos (store.py).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from dataclasses import dataclass
from pathlib import Path

NAME = "unchanged"
INPUTS = ("site.yaml", "content", "templates", "static")
THEME = Path(__file__).resolve().parent.parent / "theme"
RACY_NS = 2_000_000_000  # as cache.RACY_NS


@dataclass(frozen=True)
class Fingerprint:
    digest: str
    newest_ns: int  # the latest mtime of a file, to tell a racy one


@dataclass(frozen=True)
class Record:
    inputs: str
    output: str
    lines: tuple[str, ...]  # the warnings and notes the build printed, in order
    summary: str            # "10,000 events, 10,356 files"


def listing(top: str) -> tuple[list[tuple], int] | None:
    """Return every file under `top` as (path, size, inode, mtime, ctime), sorted, and the newest
    mtime among them; None when a folder under it is a link (it could lead anywhere, even
    back up: such a site always builds). Files are stat'ed through their links, as the build reads
    them; folders are not stat'ed at all (their listing is enough)."""
    files: list[tuple] = []
    newest, skip = 0, len(top) + 1
    folders = [top]
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except FileNotFoundError:
            continue
        except OSError:
            return None
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir():
                        if entry.is_symlink():
                            return None
                        folders.append(entry.path)
                        files.append((entry.path[skip:], -1))
                        continue
                    st = entry.stat()
                except OSError:
                    return None
                files.append((entry.path[skip:], st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
                newest = max(newest, st.st_mtime_ns)
    files.sort()
    return files, newest


def inputs(root: Path, options: tuple, stamp: str) -> Fingerprint | None:
    """Return the fingerprint of what a build of `root` with these options would read (None: no telling)."""
    h = hashlib.sha256(repr((options, stamp)).encode())
    newest = 0
    for name in INPUTS:
        path = os.path.join(root, name)
        if os.path.islink(path) and os.path.isdir(path):
            return None
        listed = listing(path) if os.path.isdir(path) else ([], 0)
        if listed is None:
            return None
        try:
            st = os.stat(path)
            listed[0].append(("", st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns, os.path.isdir(path)))
            newest = newest if os.path.isdir(path) else max(newest, st.st_mtime_ns)
        except OSError:
            listed[0].append(("", "absent"))
        h.update(name.encode() + b"\0" + marshal.dumps(listed[0]))
        newest = max(newest, listed[1])
    theme = listing(str(THEME))
    if theme is None:
        return None
    h.update(b"theme\0" + marshal.dumps(theme[0]))
    return Fingerprint(h.hexdigest(), max(newest, theme[1]))


def output(folder: Path) -> str | None:
    """Return the fingerprint of the output folder as it is on disk (None: no telling)."""
    listed = listing(os.path.realpath(folder))
    if listed is None:
        return None
    return hashlib.sha256(os.fsencode(os.path.realpath(folder)) + b"\0" + marshal.dumps(listed[0])).hexdigest()


def replay(store, root: Path, folder: Path, options: tuple) -> tuple[Record | None, Fingerprint]:
    """Return the last build's record when nothing changed since, and the inputs' fingerprint now."""
    now = inputs(root, options, store.stamp)
    last = store.read(NAME) if now else None
    if isinstance(last, Record) and last.inputs == now.digest and last.output == output(folder):
        return last, now
    return None, now


def record(store, root: Path, folder: Path, options: tuple, before: Fingerprint,
           lines: list[str], summary: str) -> bool:
    """Keep the fingerprints of a build that has just written `folder`; False when it cannot be trusted.

    `before` is the inputs' fingerprint taken before the build read anything: if the inputs
    changed while it ran, or too recently for their stat to show the next change, nothing is kept
    (and an old record is dropped), so the next build does the work."""
    after = inputs(root, options, store.stamp)
    made = output(folder) if after else None
    if not made or after != before or time.time_ns() - after.newest_ns < RACY_NS:
        store.forget(NAME)
        return False
    store.write(NAME, Record(after.digest, made, tuple(lines), summary))
    return True
