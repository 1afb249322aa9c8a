"""The only code that writes the site: into a temporary folder, then swapped in whole.

A failed or killed build leaves the previous output/ exactly as it was: the new site is
written beside it and exchanged with it in one atomic step (renameat2 RENAME_EXCHANGE on
Linux; elsewhere two renames, with the old site kept until the new one is in place).

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
import posixpath
import shutil
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from ..core.errors import BuildError, Problem, rel
from .claim import MARK, MARK_TEXT, follow, refusal  # noqa: F401 - MARK_TEXT: what write_site writes

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
def write_site(output: Path, files: dict[str, bytes | None], copies: dict[str, Path]) -> None:
    """Write `files` and copy `copies` into a new tree, then swap it in for `output`.

    A file given as None is unchanged since the last build: it is hard-linked from `output`.
    BuildError, with nothing written or moved, when `output` is not a folder a build may replace.
    """
    _refuse(output)
    clean_stale(output)
    tmp = _new_tree(output, files, copies)
    try:
        tmp.chmod(0o755)
        if output.exists() and _exchange(tmp, output):
            _retire(tmp, output, len(files))  # tmp now holds the old site
        elif output.exists():
            old = output.with_name(f".{output.name}.old-{os.getpid()}")
            os.replace(output, old)
            try:
                os.replace(tmp, output)
            except BaseException:
                os.replace(old, output)  # never leave the site missing
                raise
            _retire(old, output, len(files))
        else:
            os.replace(tmp, output)
    except BaseException:
        _remove_tree(tmp)
        raise


# A site of this many files keeps the tree it replaces beside output/ (`.NAME.spare`), and the
# next build brings that tree up to date instead of making a new one: at 10,000 events, making
# 10,000 folders cost more than anything else in a one-entry rebuild.
SPARE = 5000


def _spare(output: Path) -> Path:
    return output.with_name(f".{output.name}.spare")


def _new_tree(output: Path, files: dict[str, bytes | None], copies: dict[str, Path]) -> Path:
    """Return a folder beside `output` holding the new site: the spare brought up to date, or a new one.

    The spare is renamed as a new tree first, so a killed build leaves it to `clean_stale`.
    """
    spare = _spare(output)
    if len(files) >= SPARE and output.is_dir() and spare.is_dir() and not spare.is_symlink():
        tmp = output.with_name(f".{output.name}.new-spare-{os.getpid()}")
        try:
            os.replace(spare, tmp)
            _fill(tmp, output, files, copies, _clear(tmp, output, files, copies))
            return tmp
        except OSError:
            _remove_tree(tmp)  # then a new tree, as if there were no spare
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        _fill(tmp, output, files, copies, set())
    except BaseException:
        _remove_tree(tmp)
        raise
    return tmp


def _clear(tree: Path, output: Path, files: dict[str, bytes | None], copies: dict[str, Path]) -> set[str]:
    """Empty an old tree of all but the files this build keeps; return those (relative paths).

    A file stays only when it is the very file `output` has (the same inode: hard-linked when it
    was kept), so nothing in `output` is ever written through it. Links are removed, never followed.
    """
    wanted_dirs = {""} | {posixpath.dirname(p) for p in (*files, *copies)}
    for d in list(wanted_dirs):
        while d:
            d = posixpath.dirname(d)
            wanted_dirs.add(d)
    kept = set()
    for top, dirs, names in os.walk(tree, topdown=False):
        here = os.path.relpath(top, tree).replace(os.sep, "/")
        here = "" if here == "." else here
        for name in names + [d for d in dirs if os.path.islink(os.path.join(top, d))]:
            rel_path = f"{here}/{name}" if here else name
            path = os.path.join(top, name)
            if files.get(rel_path, b"") is None and _same_file(path, output / rel_path):
                kept.add(rel_path)
            else:
                os.unlink(path)
        if here not in wanted_dirs:
            os.rmdir(top)
    return kept


def _same_file(a, b) -> bool:
    try:
        sa, sb = os.lstat(a), os.lstat(b)
    except OSError:
        return False
    return stat.S_ISREG(sa.st_mode) and (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev)


def _fill(tree: Path, output: Path, files: dict[str, bytes | None], copies: dict[str, Path], kept: set[str]) -> None:
    """Write the site into `tree`, which holds only the folders and the `kept` files it needs."""
    (tree / MARK).write_bytes(MARK_TEXT)
    made: set[str] = set()

    def folder_of(rel_path: str) -> Path:
        dest = tree / rel_path
        parent = posixpath.dirname(rel_path)
        if parent and parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(parent)
        return dest
    for rel_path in sorted(copies):
        shutil.copyfile(copies[rel_path], folder_of(rel_path))
    for rel_path in sorted(files):
        if rel_path in kept:
            continue
        dest = folder_of(rel_path)
        if files[rel_path] is None:
            _link(output / rel_path, dest)
        else:
            dest.write_bytes(files[rel_path])


def _retire(old: Path, output: Path, files: int) -> None:
    """Keep a big replaced site as the next build's spare; remove a small one."""
    if files < SPARE:
        _remove_tree(old)
        return
    spare = _spare(output)
    if os.path.lexists(spare):
        _remove(spare, output)
    os.replace(old, spare)


@_one_at_a_time
def update_site(output: Path, files: dict[str, bytes | None], copies: dict[str, Path],
                gone: set[str] | None = None) -> None:
    """Bring `output` up to date in place: each changed file is replaced by a rename, the rest left.

    For the live preview's private folder only, never for output/: while it runs, a reader may
    see some pages new and others old. A file given as None is already there, unchanged; `gone`
    names the files to remove (None: every file under `output` that is not in the site).
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
    for rel_path, data in files.items():
        if data is not None:
            _replace(output / rel_path, data)
    for rel_path, source in copies.items():
        data, dest = source.read_bytes(), output / rel_path
        if not dest.is_file() or dest.read_bytes() != data:
            _replace(dest, data)


def _replace(dest: Path, data: bytes) -> None:
    """Write a file through a temporary one beside it, so no reader ever sees half of it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, dest)


def _remove(tree: Path, output: Path) -> None:
    """Remove a tree beside `output` in a detached `rm -rf`, so the build does not wait for it
    (clean_stale finishes it if killed)."""
    rm = shutil.which("rm")
    if rm is None:
        _remove_tree(tree)
        return
    trash = output.with_name(f".{output.name}.trash-{os.getpid()}-{time.monotonic_ns()}")
    os.replace(tree, trash)
    subprocess.Popen([rm, "-rf", "--", str(trash)], start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _remove_tree(tree: Path) -> None:
    """Remove a tree of ours (a replaced site, a killed build's), its read-only folders included."""
    shutil.rmtree(tree, ignore_errors=True)
    if os.path.islink(tree) or not os.path.isdir(tree):
        return  # gone; or a file someone named so: not a tree of ours
    # Someone made folders of the old site read-only: it is ours to delete, so make them writable.
    with contextlib.suppress(OSError):
        os.chmod(tree, stat.S_IRWXU)
    for top, dirs, _files in os.walk(tree):
        for name in dirs:
            path = os.path.join(top, name)
            if not os.path.islink(path):  # chmod follows links: never reach outside the tree
                with contextlib.suppress(OSError):
                    os.chmod(path, stat.S_IRWXU)
    shutil.rmtree(tree, ignore_errors=True)


def _link(old: Path, new: Path) -> None:
    """Hard-link a file of the old site into the new one; copy it where links are not possible."""
    try:
        os.link(old, new)
    except OSError:
        shutil.copyfile(old, new)


def clean_stale(output: Path) -> None:
    """Remove temporary trees left by a build that was killed, and restore a lost output/."""
    for path in output.parent.glob(f".{output.name}.old-*"):
        if not output.exists():
            os.replace(path, output)  # killed between the two renames: put the old site back
        else:
            _remove_tree(path)
    for pattern in (f".{output.name}.new-*", f".{output.name}.trash-*"):
        for path in output.parent.glob(pattern):
            _remove_tree(path)
