"""The trees beside output/: the new site being written, and those left to remove.

write.py swaps a whole new tree in for output/ when much changed (else journal.py updates it in
place). Whatever a killed build leaves beside output/ is put back, rolled forward or removed by
the next build (`clean_stale`).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import stat
import tempfile
from pathlib import Path

from . import disk, journal
from .claim import MARK, MARK_TEXT
from ..render.links import Written

# A replaced tree of this many files is removed in the background (a detached `rm -rf`) rather
# than while the build waits.
BACKGROUND = 1000


def start_tree(output: Path) -> Path:
    """Return a new empty folder beside `output`, for a new tree (a killed build's is `clean_stale`'s)."""
    return Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))


def new_tree(output: Path, files: dict[str, bytes | None], copies: dict[str, Path], tree: Path | None = None) -> Path:
    """Return a new folder beside `output` holding the new site, unchanged files linked from `output`:
    `tree` when given, which holds the pages written as they were drawn (links.Written)."""
    tmp = start_tree(output) if tree is None else tree
    try:
        _fill(tmp, output, files, copies)
    except BaseException:
        remove_tree(tmp)
        raise
    return tmp


def _fill(tree: Path, output: Path, files: dict[str, bytes | None], copies: dict[str, Path]) -> None:
    """Write the site into `tree`, empty but for the pages already written (links.Written), linking
    the unchanged files (None) from `output`."""
    (tree / MARK).write_bytes(MARK_TEXT)
    made: set[str] = set()
    base, out = str(tree), str(output)  # paths as text: pathlib's / cost 0.6 s at 10,000 folders

    def folder_of(rel_path: str) -> str:
        parent = posixpath.dirname(rel_path)
        if parent and parent not in made:
            os.makedirs(os.path.join(base, parent), exist_ok=True)
            made.add(parent)
        return os.path.join(base, rel_path)
    for rel_path in sorted(copies):
        shutil.copyfile(copies[rel_path], folder_of(rel_path))
    for rel_path in sorted(files):
        data = files[rel_path]
        if isinstance(data, Written):
            continue  # written there as it was drawn
        dest = folder_of(rel_path)
        if data is None:
            _link(os.path.join(out, rel_path), dest)
        elif isinstance(data, disk.Spilled):
            disk.move(data.path, dest)
        elif isinstance(data, disk.Tail):
            disk.whole(data, dest)
        else:
            disk.write_bytes(dest, data)


def retire(old: Path, output: Path, files: int) -> None:
    """Remove a replaced site: a big one in the background."""
    if files < BACKGROUND:
        remove_tree(old)
    else:
        _remove(old, output)


def _remove(tree: Path, output: Path) -> None:
    """Remove a tree beside `output` in a detached `rm -rf`, so the build does not wait for it
    (clean_stale finishes it if killed)."""
    if shutil.which("rm") is None:
        remove_tree(tree)
        return
    trash = disk.trash_folder(output)
    os.replace(tree, trash)
    disk.remove_detached(trash)


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


def clean_stale(output: Path, keep=()) -> None:
    """Remove temporary trees left by a build that was killed (not those in `keep`, this build's),
    and restore a lost output/."""
    for path in output.parent.glob(f".{output.name}.old-*"):
        if not output.exists():
            os.replace(path, output)  # killed between the two renames: put the old site back
        else:
            remove_tree(path)
    if output.is_dir():
        journal.roll_forward(output)  # committed by a killed build: its change is made
    # A killed build's new tree, uncommitted journal or exports (beside.Exports.spill), a removal
    # it did not finish, and the spare tree that builds before the journal kept beside output/.
    for pattern in (f".{output.name}.new-*", f".{output.name}.trash-*", f".{output.name}.journal*",
                    f".{output.name}.exports-*", f".{output.name}.spare"):
        for path in output.parent.glob(pattern):
            if path not in keep:
                remove_tree(path)
