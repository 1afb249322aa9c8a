"""The only code that writes the site: into a temporary folder, then swapped in whole.

A failed or killed build leaves the previous output/ exactly as it was: the new site is
written beside it and exchanged with it in one atomic step (renameat2 RENAME_EXCHANGE on
Linux; elsewhere two renames, with the old site kept until the new one is in place).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

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


def _one_at_a_time(write):
    """Run `write` holding a lock on output/'s folder, so that builds swap one at a time."""
    # Two builds at once (a live preview and `make site`): without the lock, one's clean_stale
    # deletes the tree the other is writing; with it, every tree clean_stale finds is a killed build's.
    @functools.wraps(write)
    def locked(output, *args, **kwargs):
        folder = Path(output).absolute().parent
        folder.mkdir(parents=True, exist_ok=True)
        if fcntl is None:
            return write(output, *args, **kwargs)
        fd = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd is closed, or when the process dies
            return write(output, *args, **kwargs)
        finally:
            os.close(fd)
    return locked


@_one_at_a_time
def write_site(output: Path, files: dict[str, bytes | None], copies: dict[str, Path]) -> None:
    """Write `files` and copy `copies` into a new tree, then swap it in for `output`.

    A file given as None is unchanged since the last build: it is hard-linked from `output`.
    """
    output = Path(output).absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(output)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for rel_path in sorted(copies):
            dest = tmp / rel_path
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(copies[rel_path], dest)
        for rel_path in sorted(files):
            dest = tmp / rel_path
            dest.parent.mkdir(parents=True, exist_ok=True)
            if files[rel_path] is None:
                _link(output / rel_path, dest)
            else:
                dest.write_bytes(files[rel_path])
        tmp.chmod(0o755)
        if output.exists() and _exchange(tmp, output):
            _remove(tmp, len(files))  # tmp now holds the old site
        elif output.exists():
            old = output.with_name(f".{output.name}.old-{os.getpid()}")
            os.replace(output, old)
            try:
                os.replace(tmp, output)
            except BaseException:
                os.replace(old, output)  # never leave the site missing
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


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


# An old site of more files than this is removed by a separate process once the new one is in
# place, so the build does not wait for it: deleting 100,000 folders takes minutes on some disks.
BACKGROUND = 5000


def _remove(tree: Path, files: int) -> None:
    """Remove a replaced site: a big one in a detached `rm -rf` (clean_stale finishes it if killed)."""
    rm = shutil.which("rm")
    if files < BACKGROUND or rm is None:
        shutil.rmtree(tree, ignore_errors=True)
        return
    trash = tree.with_name(tree.name.replace(".new-", ".trash-", 1))
    os.replace(tree, trash)
    subprocess.Popen([rm, "-rf", "--", str(trash)], start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
            shutil.rmtree(path, ignore_errors=True)
    for pattern in (f".{output.name}.new-*", f".{output.name}.trash-*"):
        for path in output.parent.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)
