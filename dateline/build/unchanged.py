"""A build that finds nothing changed since the last one: it says so and ends, by stat alone.

After a build that wrote the site, `record` keeps a fingerprint of its inputs and of the
output it left, with the warnings it printed and its summary. The next `build` first takes the
same two fingerprints (`replay`); when both match, the site on disk is the one this build would
write, so it prints the same warnings and stops, without reading a single file.

The inputs' fingerprint covers every file and folder the build could read (site.yaml,
content/, templates/ and static/ of the site and of the theme), each by path, size, inode,
mtime and ctime, plus the options and the code stamp (Dateline's code and its libraries'
versions): any edit, addition, removal, rename or `touch` changes it. The output's covers every
file the last build wrote the same way, so a page deleted or edited there brings a real build. The stored texts of sources (`text:`), which may lie anywhere in the site, are
fingerprinted by the paths the last build read. A fingerprint is recorded only when nothing
changed during the build and no input was modified in the two seconds before it started
(`RACY_NS`, as the memos': an edit within the same mtime tick could keep its stat), and while the
build still holds the output's lock. On Windows (no inode numbers from scandir) every build works. The record is a signed cache file like the memos (store.py).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from . import journal
from .claim import MARK

NAME = "unchanged"
INPUTS = ("site.yaml", "content", "templates", "static")
THEME = Path(__file__).resolve().parent.parent / "theme"
RACY_NS = 2_000_000_000  # as cache.RACY_NS
# marshal's version for the fingerprints: from version 3 it marks an object held more than once,
# so the same values could hash to other bytes (a kept page's stat is also held by the build's record)
REFLESS = 2


@dataclass(frozen=True)
class Fingerprint:
    digest: str
    newest_ns: int  # the latest mtime of a file, to tell a racy one
    taken_ns: int   # when it was taken
    content: list | None = None  # content/ as `listing` found it then, for build/snapshot.py's look


@dataclass(frozen=True)
class Record:
    inputs: str
    extras: tuple[str, ...]  # files read outside the folders above (sources' stored texts), by path
    extras_digest: str
    files: tuple[str, ...]   # the output's files, by path under it
    output: str
    lines: tuple[str, ...]  # the warnings and notes the build printed, in order
    summary: str            # "10,000 events, 10,356 files"


def listing(top: str) -> tuple[list, int] | None:
    """Return every entry under `top`, a folder as its path and a file as (path, size, inode, mtime,
    ctime), in the order found, and the newest mtime among the files; None when a folder under it
    is a link (it could lead anywhere, even back up: such a site always builds). Files are stat'ed
    through their links, as the build reads them; folders are not stat'ed (their listing is enough)."""
    found: list = []
    add, newest, skip = found.append, 0, len(top) + 1
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
                        add(entry.path[skip:])
                        continue
                    st = entry.stat()
                except OSError:
                    return None
                add((entry.path[skip:], st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
                if st.st_mtime_ns > newest:
                    newest = st.st_mtime_ns
    return found, newest


def inputs(root: Path, options: tuple, stamp: str) -> Fingerprint | None:
    """Return the fingerprint of what a build of `root` with these options would read (None: no telling)."""
    taken = time.time_ns()
    h = hashlib.sha256(repr((options, stamp)).encode())
    newest, content = 0, None
    for name in INPUTS:
        path = os.path.join(root, name)
        try:
            st = os.stat(path)
        except OSError:
            h.update(name.encode() + b"\0absent")
            continue
        if stat.S_ISDIR(st.st_mode):
            listed = None if os.path.islink(path) else listing(path)  # a linked folder could lead anywhere
            if listed is None:
                return None
            found, newest = listed[0], max(newest, listed[1])
            content = list(found) if name == "content" else content
        else:  # site.yaml
            found, newest = [], max(newest, st.st_mtime_ns)
        found.append(("", st.st_mode, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
        h.update(name.encode() + b"\0" + marshal.dumps(found, REFLESS))
    theme = listing(str(THEME))
    if theme is None:
        return None
    h.update(b"theme\0" + marshal.dumps(theme[0], REFLESS))
    return Fingerprint(h.hexdigest(), max(newest, theme[1]), taken, content)


def extras(root: Path, paths: tuple[str, ...]) -> tuple[str, int] | None:
    """Return the fingerprint of these files of the site (paths under it) and their newest mtime;
    None when one is missing."""
    try:
        stats = [(st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
                 for st in map(os.stat, (os.path.join(root, path) for path in paths))]
    except OSError:
        return None
    return (hashlib.sha256(marshal.dumps([list(paths), stats], REFLESS)).hexdigest(),
            max((st[2] for st in stats), default=0))


def output(folder: Path, files: tuple[str, ...], known: dict | None = None) -> str | None:
    """Return the fingerprint of these files of the output folder as they are on disk (None: one is gone).

    The files are the ones the last build wrote: stat'ed by name, not found by
    listing the folders, which at 10,000 pages costs four times as much. A file added to the
    output by hand is not looked for (a real build would remove it; the site still works).
    `known` gives the stat of files the build found unchanged and left as they were (at 100,000
    files, 0.3 s of stats not taken again): one edited since no longer matches it, and the next
    build works."""
    top = os.path.realpath(folder)
    known = known or {}
    try:
        stats = [known.get(name) or _stat(os.lstat(os.path.join(top, name))) for name in files]
    except OSError:
        return None
    return hashlib.sha256(os.fsencode(top) + b"\0" + marshal.dumps(stats, REFLESS)).hexdigest()


def _stat(st) -> tuple:
    return (st.st_mode, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)


def recorded(store) -> bool:
    """Return True when the last build left its record: only then may this one find nothing changed."""
    return os.path.isfile(store.folder / f"{NAME}.cache")


def replay(store, root: Path, folder: Path, options: tuple, found=None) -> tuple[Record | None, Fingerprint | None]:
    """Return the last build's record when nothing changed since, and the inputs' fingerprint now
    (`found()`'s unless None: build/survey.py's, taken by a process beside)."""
    if os.name == "nt":  # no inode numbers from scandir there, and ctime is the creation time
        return None, None
    now = (found() if found is not None else None) or inputs(root, options, store.stamp)
    last = store.read(NAME) if now else None
    if (isinstance(last, Record) and last.inputs == now.digest
            and not os.path.lexists(journal.committed(Path(os.path.realpath(folder))))  # a killed build's
            and (extras(root, last.extras) or ("",))[0] == last.extras_digest
            and last.output == output(folder, last.files)):
        return last, now
    return None, now


def record(store, root: Path, folder: Path, options: tuple, before: Fingerprint | None,
           lines: list[str], summary: str, wrote: set[str], read: tuple[str, ...] = (),
           known: dict | None = None) -> bool:
    """Keep the fingerprints of a build that has just written `folder`; False when it cannot be trusted.

    Called while the build still holds the output's lock, so that no other build's files are
    taken for its own. `before` is the inputs' fingerprint taken before the build read anything,
    `wrote` the output's files by path, `read` the other files it read (sources' texts), `known`
    the stat of those it left as they were (`output`). If the inputs changed while it ran, or any
    was modified within RACY_NS before it started (a later edit in the same clock tick could
    keep its stat), nothing is kept and an old record is dropped: the next build does the work."""
    if before is None or before.taken_ns - before.newest_ns < RACY_NS:  # known before looking again
        store.forget(NAME)
        return False
    after = inputs(root, options, store.stamp)
    more = extras(root, read) if after else None
    files = tuple(sorted({*wrote, MARK}))
    made = output(folder, files, known) if more else None
    if (not made or after.digest != before.digest
            or before.taken_ns - max(before.newest_ns, more[1]) < RACY_NS):
        store.forget(NAME)
        return False
    store.write(NAME, Record(after.digest, read, more[0], files, made, tuple(lines), summary))
    return True
