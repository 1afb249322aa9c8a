"""A small change to output/ made in place, through a journal that the next build rolls forward.

An edited entry changes some thirty files of a 10,000-page site. Writing a whole new tree to swap
in costs a file operation per page (at 10,000 events, a second of a one-entry rebuild; at
100,000, five); the journal costs one per changed file:

1. the changed files are written into a folder beside output/ (`.NAME.journal-PID`), with a
   manifest of where each goes and which files of output/ go away;
2. one rename commits it (`.NAME.journal`);
3. it is applied: each file moved into place by a rename (a reader sees the old file or the new,
   never half of one), new and changed files first and removals last, so that a link on any
   page, old or new, finds its target at every moment; then the journal is removed.

An export that keeps the last one's first megabytes as they were (disk.Tail: an edit near the
end of a running timeline) is no new file: its new end is journaled, then written over the old
end in place, the only write that is not a rename (at 100,000 events, a few kilobytes instead of
640 MB copied). Doing it again gives the same file, so a killed build's is rolled forward like
the rest; a reader that opens that export in the milliseconds it takes may see it half-written.
The ends are written last, so that the new tree written when a rename is refused still finds
each export's first part; a file with another name (a hard link) is written whole, and one
touched or edited while the build ran stops it before output/ changes (disk.whole).

A build killed before the commit leaves output/ as it was (the next build removes the
journal); one killed after it leaves a committed journal, which the next build applies before
it looks at output/ (`roll_forward`, from trees.clean_stale). Only a build killed in the
milliseconds of step 3 leaves old and new pages side by side, each whole; Ctrl-C waits for it to
end. output/ must be on the disk of the folder that holds it (else a new tree is swapped in, as
it always is when the change is big).

Which files go away is known from the record of the last build (incremental.Keep.gone), so a
journal is only written over the very site that record describes: every write names its build
in the cache (incremental.Keep.writing), forgotten before the write begins and set once it is
done. A write cut short, a build whose record was not saved, two builds one after the other
from the same old record, a copy of output/ put back: the names differ, and a new tree is
written, which holds exactly the site's files. A change too big for that (more
than a quarter of the files) is written as a new tree swapped in whole (write.write_site).
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import shutil
import signal
import stat
from pathlib import Path

from . import disk

MANIFEST = "manifest.json"
SHARE = 4  # a change to more than 1 / SHARE of the files is written as a new tree
# A file of output/ this big that the journal replaces is freed by the system in the background:
# at 100,000 events the renames over the five last exports (640 MB) took 0.4 s of a 6.9 s
# rebuild, 0.13 s of it while the system freed the old files (the rest, ext4 placing the new
# files' blocks on the disk, which it does before a rename over a file: its auto_da_alloc).
FREED_APART = 1 << 20


def committed(output: Path) -> Path:
    """Return where `output`'s committed journal lies."""
    return output.with_name(f".{output.name}.journal")


def fits(output: Path, files: dict[str, bytes | None], copies: dict[str, Path], gone: set[str] | None) -> bool:
    """Return True when the change from the site in `output` is small enough to be journaled, and
    every file it writes or removes is in a real folder of `output` that it may write (no link to
    follow, no folder in a file's place); else the site is written as a new tree. `gone` must come
    from the record of the very build whose site `output` holds (incremental.Keep.gone)."""
    if gone is None or not output.is_dir() or output.is_symlink() or not _one_disk(output):
        return False
    writes = [p for p, b in files.items() if b is not None]
    if (len(writes) + len(copies) + len(gone)) * SHARE > len(files) + len(copies):
        return False
    top = str(output)
    if not all(_safe(top, path) for path in (*writes, *copies, *gone)):
        return False
    return not any(os.path.isdir(os.path.join(top, p)) and not os.path.islink(os.path.join(top, p))
                   for p in (*writes, *copies))


def _safe(top: str, path: str) -> bool:
    """Return True when each folder above `path` in `top` is a real folder this process may write
    into, or does not exist yet: a link there would lead the write or the removal out of `top`."""
    folder = posixpath.dirname(path)
    while folder:
        full = os.path.join(top, folder)
        if os.path.islink(full) or (os.path.lexists(full) and not (os.path.isdir(full) and os.access(full, os.W_OK))):
            return False
        folder = posixpath.dirname(folder)
    return True


def _one_disk(output: Path) -> bool:
    """Return True when `output` is on the disk of the folder that holds it (not a mount point), so
    that a file in the journal beside it moves into it by a rename."""
    try:
        return os.stat(output).st_dev == os.stat(output.parent).st_dev
    except OSError:
        return False


def update(output: Path, files: dict[str, bytes | None], copies: dict[str, Path], gone: set[str]) -> bool:
    """Write the files that changed (bytes given; copies whose bytes differ) into a journal, commit it,
    apply it. A file given as None is in `output` already, unchanged. False when the system refused
    a rename while it was applied: the journal is dropped, and the caller writes a new tree instead."""
    staging = output.with_name(f".{output.name}.journal-{os.getpid()}")
    if os.path.lexists(staging):
        shutil.rmtree(staging)
    staging.mkdir()
    put: list[tuple[str, str]] = []
    tails: list[tuple[str, str, int]] = []  # (name in the journal, path, where it goes in the file)
    try:
        for path, data in files.items():
            if isinstance(data, disk.Tail) and _patchable(output / path, data):
                disk.link(data.path, staging / f"tail-{len(tails)}")  # as a Spilled, below
                tails.append((f"tail-{len(tails)}", path, data.at))
            elif isinstance(data, disk.Tail):
                disk.whole(data, staging / str(len(put)))
                put.append((str(len(put)), path))
            elif isinstance(data, disk.Spilled):  # written beside already (the exports): linked, so
                disk.link(data.path, staging / str(len(put)))  # the new tree that replaces a refused journal has it too
                put.append((str(len(put)), path))
            elif data is not None:
                disk.write_bytes(staging / str(len(put)), data)
                put.append((str(len(put)), path))
        for path, source in sorted(copies.items()):
            if not _same_bytes(source, output / path):
                shutil.copyfile(source, staging / str(len(put)))
                put.append((str(len(put)), path))
        (staging / MANIFEST).write_text(json.dumps({"tails": tails, "put": put, "gone": sorted(gone)}),
                                        encoding="utf-8")
        freed = _held(output, [path for _, path in put])
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        with _interrupt_after():  # Ctrl-C waits the milliseconds it takes: output/ is never left half-changed
            os.replace(staging, committed(output))  # the commit: from here on the change is made, or rolled forward
            return roll_forward(output)
    finally:
        if freed is not None:
            disk.remove_detached(freed)


def _patchable(target: Path, tail: disk.Tail) -> bool:
    """Return True when `target` is the file `tail` was taken from, as it was then, and has no other
    name (a hard link elsewhere, to an older tree or a copy, would see the change too)."""
    try:
        st = os.lstat(target)
    except OSError:
        return False
    return (str(target) == tail.last and stat.S_ISREG(st.st_mode) and st.st_nlink == 1
            and disk.same_bytes(disk.stat_of(st), tail.stat))


def _held(output: Path, paths: list[str]) -> Path | None:
    """Give the big files of `output` at `paths` a second name in a folder of their own, so that
    the renames over them only drop a name, and the system frees them when that folder is removed,
    in the background. Return the folder (None when no file is that big)."""
    folder, held = None, 0
    for path in paths:
        full = os.path.join(output, path)
        try:
            if os.path.islink(full) or os.path.getsize(full) < FREED_APART:
                continue
            if folder is None:
                folder = disk.trash_folder(output)
                folder.mkdir()
            os.link(full, folder / str(held))
            held += 1
        except OSError:  # not there, or no link possible: freed where it is replaced
            continue
    return folder


@contextlib.contextmanager
def _interrupt_after():
    """Hold back Ctrl-C (SIGINT) until the block ends, then raise it; elsewhere than in the main
    thread, where signals cannot be handled, run the block as it is."""
    heard = []
    try:
        before = signal.signal(signal.SIGINT, lambda *_: heard.append(True))
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
    if heard:
        raise KeyboardInterrupt


def roll_forward(output: Path) -> bool:
    """Apply the committed journal beside `output`, if any (a killed build's: its files already
    moved are skipped); return False when a file could not be put in place or removed: the system
    refused it (a folder made read-only, a file where a folder must be...), or a link leads out of
    output/ on its way (never followed). The journal is dropped either way, and after False the
    next write is a new tree: output/ is no longer any build's site (incremental.Keep.writing)."""
    journal = committed(output)
    try:
        manifest = json.loads((journal / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        if os.path.lexists(journal):
            shutil.rmtree(journal, ignore_errors=True)  # not a journal of ours: never applied
        return True
    top, made, whole = str(output), set(), True
    try:
        for name, path in manifest["put"]:
            source = os.path.join(journal, name)
            if not os.path.lexists(source):
                continue  # moved before the build was killed
            if not _safe(top, path):
                whole = False  # a link planted since, or a folder made read-only: left alone
                continue
            parent = posixpath.dirname(path)
            if parent not in made:
                os.makedirs(os.path.join(top, parent), exist_ok=True)
                made.add(parent)
            os.replace(source, os.path.join(top, path))
        for path in manifest["gone"]:
            full = os.path.join(top, path)
            if not _safe(top, path):
                whole = False
                continue
            if os.path.islink(full) or os.path.isfile(full):
                os.unlink(full)
            folder = posixpath.dirname(path)
            while folder:  # drop the folders left empty
                try:
                    os.rmdir(os.path.join(top, folder))
                except OSError:
                    break
                folder = posixpath.dirname(folder)
    except OSError:
        shutil.rmtree(journal, ignore_errors=True)
        return False
    try:  # last, each export's new end written over the old: should a rename be refused above,
        # the new tree written instead still finds each export's first part as it was
        for name, path, at in manifest.get("tails", ()):
            source = os.path.join(journal, name)
            if not os.path.lexists(source):
                continue  # written before the build was killed
            if not _safe(top, path):
                whole = False
                continue
            disk.put_tail(source, os.path.join(top, path), at)
            os.unlink(source)
    finally:  # a write refused midway (a full disk) is the system's error, as elsewhere; the next build writes it whole
        shutil.rmtree(journal, ignore_errors=True)
    return whole


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return os.path.getsize(a) == os.path.getsize(b) and Path(a).read_bytes() == Path(b).read_bytes()
    except OSError:
        return False
