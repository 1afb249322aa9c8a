"""The signed files of .dateline-cache/: each read back only if this user's key signed it.

The memos are pickles, which can run code when loaded, and the folder may arrive with the site
(a pull request, `git add -f`). So every file carries an HMAC-SHA256 of its name and contents,
made with a key that never lives in a site: `$XDG_CACHE_HOME/dateline/key` (else
`~/.cache/dateline/key`), 32 random bytes created 0600 on first use. A file is unpickled only
once its HMAC checks out; anything else (another machine's key, a planted pickle, a truncated
or corrupt file, a link or a FIFO in place of a file) is a miss, with one note per build. With
no private place for the key, the build runs without a cache (also with a note).
Why not a data-only format: the memos hold the loader's and validator's own objects (entries
with the line of every key, events, problems); writing and reading them as JSON would cost
more than the work they save, while checking an HMAC costs about 0.6 ms a megabyte.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import importlib.util
import pickle
import stat
import sys
import tempfile
import threading
from pathlib import Path

from . import packing, pieces
from .packing import Inflated, Signed
from .cachekey import key_path, user_key  # noqa: F401 - key_path: the cache's, for callers

FORMAT = 3  # 3: the pickles compressed (a code stamp of another format never matches: a quiet miss)
FOLDER = ".dateline-cache"
MAGIC = b"dateline-cache 2\n"  # then the HMAC (32 bytes), the code stamp (64), how the rest is packed (1:
# packing.ZSTD or STORED), the pickle (or a run of them: pieces.py), compressed or as it is
FOREIGN = "ignored a cache this machine did not write; building afresh"
UNWRITTEN = "a cache file could not be written; the next build does more work"
_CODE = Path(__file__).resolve().parent.parent  # the whole package, every subfolder


# The libraries whose code shapes the output beside Dateline's own: templates, Markdown, YAML,
# escaping, the dates read from words, the images' bytes.
LIBRARIES = ("jinja2", "markdown", "yaml", "markupsafe", "dateparser", "PIL", "rjsmin", "_rjsmin", "rcssmin",
             "_rcssmin", "calmjs", "ply", "minify_html")


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """Return a hash of Dateline's code and of the libraries that shape its output.

    Dateline's own code is hashed whole (a checkout of another commit starts afresh). The
    libraries are found, not imported (a build with nothing to do never loads them), and each
    of their files is taken by name, size and modification time: installing another version,
    or the same one again, starts afresh."""
    h = hashlib.sha256(f"{FORMAT} {sys.version_info[:2]}".encode())
    for path in sorted(_CODE.rglob("*.py")):
        h.update(path.relative_to(_CODE).as_posix().encode() + b"\0" + path.read_bytes())
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        folder = Path(spec.submodule_search_locations[0]) if spec and spec.submodule_search_locations else None
        h.update(f"\0{name}\0{folder}\0".encode())
        if spec and spec.origin and folder is None and os.path.isfile(spec.origin):  # a module of one file
            st = os.stat(spec.origin)
            h.update(f"{spec.origin}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        skip = len(str(folder)) + 1  # a path under it, less the folder: os.path.relpath's answer, 20 times faster
        for top, folders, files in os.walk(folder) if folder else ():
            folders[:] = sorted(f for f in folders if f != "__pycache__")  # written by Python itself
            for name in sorted(files):
                path = os.path.join(top, name)
                st = os.stat(path)
                h.update(f"{path[skip:]}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


class Store:
    """Memos in a folder, pickled and signed; anything unsigned, foreign or stale reads as empty.

    `key` is for tests (a cache from another machine); by default it is this user's key.
    What was wrong is kept in `notes`, one at most, for the command line to print."""

    beside = False  # may `write_beside` fork: `build.py build` says so, and waits before it ends
    before_fork = None  # called before `write_beside` forks (`build.py build`: parallel.trim_heap)

    def __init__(self, folder: Path, key: bytes | None = None):
        self.folder = Path(folder)
        self.stamp = code_stamp()
        why = ""
        if key is None:
            key, why = user_key(self.folder.parent)
        if key is not None and (self.folder.is_symlink() or self.folder.exists() and not self.folder.is_dir()):
            key, why = None, f"{FOLDER} is not a folder of the site (delete it); building without a cache"
        self.key = key
        self.notes: list[str] = [why] if why else []
        self._noted, self._tidied = bool(why), False
        self._ahead: dict = {}  # name -> (thread, Inflated) of `prefetch`
        self._beside: dict = {}  # name -> the process `write_beside` forked to write it

    def note(self, text: str) -> None:
        """Keep a note for the command line, once per store."""
        if not self._noted:
            self._noted = True
            self.notes.append(text)

    def take_notes(self) -> list[str]:
        """Return the notes not yet shown, as `.dateline-cache: note: ...` lines."""
        notes, self.notes = self.notes, []
        return [f"{FOLDER}: note: {text}" for text in notes]

    def _mac(self, name: str, signed=b""):
        """Return the HMAC of file `name` over `signed`, to be updated with the rest if any."""
        mac = hmac.new(self.key, name.encode() + b"\0", hashlib.sha256)
        mac.update(signed)
        return mac

    def prefetch(self, *names: str) -> None:
        """Start reading these files on a thread of their own, for `read` to take: reading, checking
        the HMAC and inflating let other threads run, so a build imports its modules meanwhile
        (10,000 events: 0.15 s of the 6 MB timeline's 0.4 s). `read` unpickles on its own thread."""
        if self.key is None:
            return
        for name in names:
            if name not in self._ahead and name not in self._beside:  # being written: read it when written
                self._ahead[name] = self._reading(name)

    def _reading(self, name: str) -> tuple[threading.Thread, Inflated]:
        """Start a thread that reads file `name`, checks its HMAC, and inflates it into the stream returned."""
        stream = Inflated()
        thread = threading.Thread(target=self._inflate, args=(name, stream), name=f"dateline-cache-{name}",
                                  daemon=True)
        thread.start()
        return thread, stream

    def _inflate(self, name: str, stream: Inflated) -> None:
        """Fill `stream` with the pickle of file `name`, once its HMAC checks out."""
        try:
            packed, foreign = self._unpacked(name)
            stream.start(packed is not None, foreign)
            if packed is not None:
                stream.fill(packed)
        except BaseException:  # noqa: BLE001 - signed by us yet unreadable (or no memory to inflate it): a miss
            stream.end(failed=True)
        else:
            stream.end()

    def _drop_ahead(self, name: str) -> tuple[threading.Thread, Inflated] | None:
        """Take the read of file `name` started ahead, if any, once any write of it beside is over."""
        reading = self._ahead.pop(name, None)
        if name in self._beside:  # being written beside: what it holds is that write's
            self._wait(self._beside[name])
        return reading

    def _forget_ahead(self, name: str) -> None:
        """Drop the read of file `name` started ahead, once its thread is over (settle's promise)."""
        reading = self._drop_ahead(name)
        if reading is not None:
            reading[0].join()

    def settle(self, writes: bool = True) -> None:
        """Wait for the reads `prefetch` started (before a fork: no thread of ours runs across it),
        and for the writes `write_beside` started (before the build ends)."""
        for thread, _ in list(self._ahead.values()):
            thread.join()
        while writes and self._beside:
            self._wait(next(iter(self._beside.values())))

    def _wait(self, pid: int) -> None:
        self._beside = {name: p for name, p in self._beside.items() if p != pid}
        with contextlib.suppress(ChildProcessError):  # reaped already (SIGCHLD ignored by our parent)
            if os.waitpid(pid, 0)[1] != 0:
                self.note(UNWRITTEN)

    def write_beside(self, files: dict, make=None) -> None:
        """`write` each of {name: obj} in a process forked for them while this one goes on (`settle`
        waits for it); here unless `beside` (`build`, whose command settles before it ends) or when
        another thread runs (a fork keeps none of them, nor the locks they hold). With `make`,
        `files` gives only the names, and the objects are what `make()` returns where they are
        written (in the forked process, its work is not this one's)."""
        self.settle(writes=False)
        for pid in {self._beside[name] for name in files if name in self._beside}:
            self._wait(pid)  # an earlier write of the same file: this one comes after it
        self._ahead = {name: v for name, v in self._ahead.items() if name not in files}  # read before: stale
        fork = files and self.beside and self.key is not None and threading.active_count() == 1
        if fork and self.before_fork is not None:
            self.before_fork()
        pid = os.fork() if fork and hasattr(os, "fork") else None
        if pid:
            self._beside.update(dict.fromkeys(files, pid))
            return
        self._beside = {} if pid == 0 else self._beside  # the child waits for no sibling
        try:  # in the child (fork gave 0), or here
            for name, obj in (files if make is None else make()).items():
                self.write(name, obj)
        finally:
            if pid == 0:  # pragma: no cover - the child, seen by its files
                os._exit(0 if sys.exc_info()[0] is None else 1)  # never this build's exit handlers

    def read(self, name: str):
        """Return the object saved under `name`, or None.

        The pickle is read as it is inflated, on another thread (`_reading`): at 100,000 events the
        timeline's 309 MB take 0.21 s to inflate (Zstandard; zlib took 1.0 s) and 1.3 s to unpickle,
        which overlap. The inflated pieces wait to be read: zlib kept pace with the unpickling,
        Zstandard runs ahead of it, yet reading the timeline alone peaked at 841 MB either way."""
        if self.key is None:
            return None
        # taken once: a later read is of what this build may have written since
        thread, stream = self._drop_ahead(name) or self._reading(name)
        try:
            signed, foreign = stream.signed()
            if foreign:
                self.note(FOREIGN)
            if not signed:
                return None
            try:
                found = pickle.load(stream)  # only once signed: never a stranger's
                if isinstance(found, pieces.Head):
                    found = found.rest(stream)
            except Exception:  # noqa: BLE001 - signed by us yet unreadable: only a miss
                found = stream
            if found is stream or not stream.whole():  # or the pickle ended before its compressed stream
                self.note(FOREIGN)
                return None
            return found
        finally:
            thread.join()

    def _unpacked(self, name: str) -> tuple[memoryview | None, bool]:
        """Return the compressed pickle saved under `name` once its HMAC checks out (None if there
        is none), and whether a file was there that this machine did not sign."""
        try:  # never follow a link, never wait on a FIFO: only a plain file is read
            fd = os.open(self.folder / f"{name}.cache", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            return None, False
        except OSError:
            return None, True
        with os.fdopen(fd, "rb") as f:
            data = f.read() if stat.S_ISREG(os.fstat(f.fileno()).st_mode) else b""
        head = len(MAGIC) + 32
        signed = memoryview(data)[head:]
        mac = self._mac(name, signed).digest()
        if not data.startswith(MAGIC) or not hmac.compare_digest(data[len(MAGIC):head], mac):
            return None, True
        if bytes(signed[:64]) != self.stamp.encode():
            return None, False  # written by another version of Dateline: start afresh, quietly
        return signed[64:], False

    def forget(self, name: str) -> None:
        """Delete what was saved under `name`, if anything."""
        self._forget_ahead(name)
        if self.key is not None:
            (self.folder / f"{name}.cache").unlink(missing_ok=True)

    def write(self, name: str, obj, level: int = packing.LEVEL) -> None:
        """Save `obj` under `name` atomically: a killed build leaves the old file or the new one.
        `level`: Zstandard's (0 stores what is compressed already: packing.STORED)."""
        self._forget_ahead(name)  # read ahead before this: no longer what the file holds
        if self.key is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self._tidied:  # the unsigned pickles of earlier versions are never read again
            self._tidied = True
            for old in self.folder.glob("*.pickle"):
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(MAGIC + bytes(32))  # the HMAC's place, filled in once the rest is written
                mac = self._mac(name)
                signed = Signed(f, mac, self.stamp.encode(), level)
                if isinstance(obj, pieces.Pieces):
                    pieces.dump(obj, signed)
                else:
                    pickle.dump(obj, signed, protocol=pickle.HIGHEST_PROTOCOL)
                signed.close()
                f.seek(len(MAGIC))
                f.write(mac.digest())
            os.replace(tmp, self.folder / f"{name}.cache")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
