"""This user's key for the cache's signatures (store.py): 32 random bytes in a private file.

It lives in `$XDG_CACHE_HOME/dateline/key` (else `~/.cache/dateline/key`), never in a site: a
site's folder may come from anyone (a pull request, `git add -f`), the key from this user alone.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def key_path() -> Path:
    """Return where this user's cache key lives: $XDG_CACHE_HOME/dateline/key, else ~/.cache/dateline/key."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "dateline" / "key"


def user_key(site: Path) -> tuple[bytes | None, str]:
    """Return this user's cache key, made on first use, or None and why there is none."""
    try:
        path = key_path()
        if path.resolve().is_relative_to(Path(site).resolve()):
            return None, (f"no private place for the cache's key ({path} is inside the site; set "
                          f"XDG_CACHE_HOME to a folder outside it); building without a cache")
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not os.path.lexists(path):
            _make_key(path)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            st, key = os.fstat(f.fileno()), f.read(33)
    except (OSError, RuntimeError) as exc:  # RuntimeError: no home folder
        return None, (f"no private place for the cache's key ({getattr(exc, 'strerror', None) or exc}; "
                      f"set XDG_CACHE_HOME to a folder you can write); building without a cache")
    if (not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077 or len(key) != 32
            or hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return None, f"{path} is not a private key of yours (delete it: a new one is made); building without a cache"
    return key, ""


def _make_key(path: Path) -> None:
    """Create the key file whole, 0600; if another build made it first, keep theirs."""
    fd, tmp = tempfile.mkstemp(prefix=".key.", dir=path.parent)  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)
