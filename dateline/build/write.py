"""The only code that writes the site: into a temporary folder, then swapped in whole; or, for a
small change, in place through a journal.

A failed or killed build leaves the previous output/ as it was, or the new one: the new site is
written beside it and exchanged with it in one atomic step (renameat2 RENAME_EXCHANGE on
Linux; elsewhere two renames, with the old site kept until the new one is in place). A change
to a quarter of the files or less is written into a journal, committed by one rename and then
applied file by file, and a killed build's committed journal is applied by the next build
(journal.py): every file is whole at every moment.

The output folder is Dateline's alone: a build replaces only a folder that is absent, empty,
or marked by an earlier build (`MARK`, a file of constant text in every build), and one
build at a time writes there (`lock`), another site's build being refused rather than mixed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import threading
from pathlib import Path

from ..core.errors import BuildError, Problem, rel
from .claim import MARK, MARK_TEXT, follow, refusal  # noqa: F401 - MARK_TEXT: what write_site writes
from . import disk, journal
from .trees import clean_stale, new_tree, remove_tree, retire, start_tree  # noqa: F401 - start_tree: the pipeline's

try:
    import fcntl
except ImportError:  # Windows: builds are not serialised there
    fcntl = None

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the platform cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _refuse(target: Path) -> None:
    """Raise BuildError when a build may not replace `target`."""
    problem = refusal(target, rel(target, Path.cwd()))
    if problem:
        raise BuildError([problem])


_held = threading.local()  # the folders this thread holds the lock of, so that it can nest
_LOCKS: set[int] = set()  # this process's descriptors of the output locks it holds


def _no_locks_in_child() -> None:
    """In a forked process (a worker, a cache file written beside): close its copies of the lock
    descriptors. A flock lasts while any copy is open: else the lock outlived the build that took
    it, held by a process writing the cache after it (closing a copy leaves the parent's lock)."""
    for fd in _LOCKS:
        with contextlib.suppress(OSError):
            os.close(fd)
    _LOCKS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_no_locks_in_child)


@contextlib.contextmanager
def lock(output: Path, site: Path | None = None):
    """Hold the lock on the output folder's parent while a build of `site` reads and writes `output`.

    Two builds at once (a live preview and `make site`): without the lock, one's clean_stale
    deletes the tree the other is writing, or one links pages of the other's site into its own;
    with it, every tree clean_stale finds is a killed build's. The same site waits its turn;
    another site is refused: `.NAME-lock` beside the output names the site that holds it.
    """
    target = follow(output)
    folder = target.parent
    held = _held.__dict__.setdefault("folders", set())
    if fcntl is None or folder in held:
        yield target
        return
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / f".{target.name}-lock"
    fd = os.open(folder, os.O_RDONLY)
    _LOCKS.add(fd)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_text(record)
            if site is not None and holder and holder != str(Path(site).resolve()):
                raise BuildError([Problem(rel(target, Path.cwd()), 0, 0, f"another site ({holder}) is being "
                                          "built into this output folder now", "wait for that build to end, "
                                          "or give each site its own --output")]) from None
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd is closed, or when the process dies
        if site is None:
            record.unlink(missing_ok=True)  # a killed build's: it must not make others refuse
        else:
            record.write_text(str(Path(site).resolve()), encoding="utf-8")
        held.add(folder)
        try:
            yield target
        finally:
            held.discard(folder)
            record.unlink(missing_ok=True)
    finally:
        _LOCKS.discard(fd)
        os.close(fd)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _one_at_a_time(write):
    """Run `write` on the folder `output` leads to (links followed), holding its `lock`."""
    @functools.wraps(write)
    def locked(output, *args, **kwargs):
        with lock(output) as target:
            return write(target, *args, **kwargs)
    return locked


@_one_at_a_time
def write_site(output: Path, files: dict[str, bytes | None], copies: dict[str, Path],
               gone: set[str] | None = None, tree: Path | None = None) -> bool:
    """Write `files` and copy `copies` into a new tree, then swap it in for `output`; or, when
    few files changed, update `output` in place through a journal (journal.py): then True.

    A file given as None is unchanged since the last build: it is hard-linked from `output`, or
    left there. `gone` names the files of `output` that this site does not have (None: not known,
    so a new tree). `tree`: the new tree the pages given as links.Written were written into as
    they were drawn (trees.start_tree). BuildError, with nothing written or moved, when `output`
    is not a folder a build may replace.
    """
    _refuse(output)
    clean_stale(output, keep={tree, *disk.spill_folders(files)})
    if tree is None and journal.fits(output, files, copies, gone) and journal.update(output, files, copies, gone):
        return True  # else, a rename refused half-way, the new tree below replaces what the journal did
    tmp = new_tree(output, files, copies, tree)
    try:
        tmp.chmod(0o755)
        if output.exists() and _exchange(tmp, output):
            retire(tmp, output, len(files))  # tmp now holds the old site
        elif output.exists():
            old = output.with_name(f".{output.name}.old-{os.getpid()}")
            os.replace(output, old)
            try:
                os.replace(tmp, output)
            except BaseException:
                os.replace(old, output)  # never leave the site missing
                raise
            retire(old, output, len(files))
        else:
            os.replace(tmp, output)
    except BaseException:
        remove_tree(tmp)
        raise
    return False


def _update_in_place(output: Path, files: dict[str, bytes | None], copies: dict[str, Path],
                     gone: set[str] | None = None) -> set[str]:
    """Bring `output` up to date in place: each changed file is replaced by a rename, the rest left.

    For the live preview's private folder only, never for output/: while it runs, a reader may
    see some pages new and others old. A file given as None is already there, unchanged; `gone`
    names the files to remove (None: every file under `output` that is not in the site). Return
    the files whose bytes changed, came or went (what an open browser may need to reload).
    """
    output = Path(output).absolute()
    output.mkdir(parents=True, exist_ok=True)
    if gone is None:
        gone = {(Path(top) / f).relative_to(output).as_posix()
                for top, _dirs, names in os.walk(output) for f in names} - set(files) - set(copies)
    for rel_path in sorted(gone):
        (output / rel_path).unlink(missing_ok=True)
        for folder in (output / rel_path).parents:  # drop the folders left empty
            if folder == output or any(folder.iterdir()):
                break
            folder.rmdir()
    changed = set(gone)
    for rel_path, data in [*((p, disk.read(d)) for p, d in files.items() if d is not None),
                           *((p, s.read_bytes()) for p, s in copies.items())]:
        dest = output / rel_path
        try:
            same = dest.stat().st_size == len(data) and dest.read_bytes() == data
        except OSError:
            same = False
        if not same:
            _replace(dest, data)
            changed.add(rel_path)
    return changed


update_site = _one_at_a_time(_update_in_place)


def update_pages(output: Path, files: dict[str, bytes]) -> set[str]:
    """Write a few pages into the preview's folder in place, as `update_site` does, but without
    the output's lock: the preview's first pages, written while its own rebuild may hold that
    lock, are kept apart from the rebuild's writes by the preview itself (`Preview.writing`)."""
    return _update_in_place(Path(output), files, {}, set())


def _replace(dest: Path, data: bytes) -> None:
    """Write a file through a temporary one beside it, so no reader ever sees half of it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    disk.write_bytes(tmp, data)
    os.replace(tmp, dest)
