"""The one hash the cache's keys are made of."""

from __future__ import annotations

import hashlib


def digest(*parts: bytes | str) -> bytes:
    """Return a 16-byte hash of `parts`, each length-prefixed so no two sequences collide."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.digest()
