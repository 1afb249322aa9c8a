"""The trees beside output/: the new site being written, the spare, and those left to remove.

write.py swaps a whole new tree in for output/. A small site's tree is made anew each time; a
big one's is the tree the last build replaced (the spare), brought up to date. Whatever a killed
build leaves beside output/ is put back or removed by the next build (`clean_stale`).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

from .claim import MARK, MARK_TEXT

# A site of this many files keeps the tree it replaces beside output/ (`.NAME.spare`), and the
# next build brings that tree up to date instead of making a new one: at 10,000 events, making
# 10,000 folders cost more than anything else in a one-entry rebuild; at 1,000, making the new
# tree and deleting the old one took 0.8 s of a 2.3 s rebuild.
SPARE = 1000


def _spare(output: Path) -> Path:
    return output.with_name(f".{output.name}.spare")


def new_tree(output: Path, files: dict[str, bytes | None], copies: dict[str, Path]) -> Path:
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
            remove_tree(tmp)  # then a new tree, as if there were no spare
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        _fill(tmp, output, files, copies, set())
    except BaseException:
        remove_tree(tmp)
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
    base, out = str(tree), str(output)  # paths as text: pathlib and relpath cost 0.6 s at 10,000 folders
    for top, dirs, names in os.walk(base, topdown=False):
        here = top[len(base):].lstrip(os.sep).replace(os.sep, "/")
        for name in names + [d for d in dirs if os.path.islink(os.path.join(top, d))]:
            rel_path = f"{here}/{name}" if here else name
            path = os.path.join(top, name)
            if files.get(rel_path, b"") is None and _same_file(path, os.path.join(out, rel_path)):
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
    base, out = str(tree), str(output)  # paths as text, as in _clear

    def folder_of(rel_path: str) -> str:
        parent = posixpath.dirname(rel_path)
        if parent and parent not in made:
            os.makedirs(os.path.join(base, parent), exist_ok=True)
            made.add(parent)
        return os.path.join(base, rel_path)
    for rel_path in sorted(copies):
        shutil.copyfile(copies[rel_path], folder_of(rel_path))
    for rel_path in sorted(files):
        if rel_path in kept:
            continue
        dest = folder_of(rel_path)
        if files[rel_path] is None:
            _link(os.path.join(out, rel_path), dest)
        else:
            with open(dest, "wb") as f:
                f.write(files[rel_path])


def retire(old: Path, output: Path, files: int) -> None:
    """Keep a big replaced site as the next build's spare; remove a small one."""
    if files < SPARE:
        remove_tree(old)
        return
    spare = _spare(output)
    if os.path.lexists(spare):
        _remove(spare, output)
    os.replace(old, spare)


def _remove(tree: Path, output: Path) -> None:
    """Remove a tree beside `output` in a detached `rm -rf`, so the build does not wait for it
    (clean_stale finishes it if killed)."""
    rm = shutil.which("rm")
    if rm is None:
        remove_tree(tree)
        return
    trash = output.with_name(f".{output.name}.trash-{os.getpid()}-{time.monotonic_ns()}")
    os.replace(tree, trash)
    subprocess.Popen([rm, "-rf", "--", str(trash)], start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def remove_tree(tree: Path) -> None:
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


def _link(old: Path | str, new: Path | str) -> None:
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
            remove_tree(path)
    for pattern in (f".{output.name}.new-*", f".{output.name}.trash-*"):
        for path in output.parent.glob(pattern):
            remove_tree(path)
