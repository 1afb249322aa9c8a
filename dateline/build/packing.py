"""The bytes of a cache file (store.py): compressed and signed as they are written, inflated as they are read."""

from __future__ import annotations

import collections
import threading

import zstandard

from . import disk

# Zstandard's level 1. A memo takes a sixth of the room, its HMAC is checked over a sixth of the
# bytes, and inflating is no longer what reading waits for: at 100,000 events the last timeline's
# 309 MB of pickle inflate in 0.21 s (zlib's fastest level: 1.03 s), compress in 0.51 s (1.59 s),
# and take 51.5 MB on disk (58.7 MB). Level 0 stores the pickle as it is (`STORED`): for what is
# compressed already, the Markdown memo's HTML.
LEVEL = 1
PIECE = 1 << 20  # compressed bytes inflated at a time, for the reader to unpickle meanwhile
ZSTD, STORED = b"z", b"="  # the stream's first byte: how the rest is packed


class Inflated:
    """A file for pickle.load: the pickle of a signed file, as the thread that reads it inflates it.

    The thread says first whether the file is signed (`start`), then gives the pickle piece by
    piece (`put`) and ends (`end`); `read` waits for what it asks for. Every piece is kept until
    read, so the thread never waits for the reader, and ends even when nobody reads."""

    def __init__(self):
        self._ready = threading.Condition()
        self._pieces: collections.deque = collections.deque()
        self._state: tuple[bool, bool] | None = None  # (signed, foreign), once known
        self._ended = self._failed = False
        self._piece, self._at = b"", 0

    def start(self, signed: bool, foreign: bool) -> None:
        with self._ready:
            self._state = (signed, foreign)
            self._ready.notify_all()

    def put(self, piece: bytes) -> None:
        if piece:
            with self._ready:
                self._pieces.append(piece)
                self._ready.notify_all()

    def fill(self, packed) -> None:
        """Inflate `packed` (a Zstandard frame, or the pickle as it is: see Signed) into the
        pickle, a piece at a time. ValueError (zstandard.ZstdError, for a frame that is not one)
        when the frame, its checksum included, is not whole; the caller takes any error for a miss."""
        kind, packed = bytes(packed[:1]), packed[1:]
        if kind == STORED:
            for at in range(0, len(packed), PIECE):
                self.put(bytes(packed[at:at + PIECE]))
            return
        if kind != ZSTD:
            raise ValueError("not a packing of this version")
        inflate = zstandard.ZstdDecompressor().decompressobj()
        for at in range(0, len(packed), PIECE):
            self.put(inflate.decompress(packed[at:at + PIECE]))
        if not inflate.eof or inflate.unused_data:
            raise ValueError("the compressed stream ends early, or goes on after its end")

    def end(self, failed: bool = False) -> None:
        with self._ready:
            self._ended, self._failed = True, failed
            self._state = self._state or (False, True)
            self._ready.notify_all()

    def whole(self) -> bool:
        """Wait for the end of the stream; return True when it was inflated whole, its end and checksum found."""
        with self._ready:
            self._ready.wait_for(lambda: self._ended)
            return not self._failed

    def signed(self) -> tuple[bool, bool]:
        """Wait until the file's HMAC is checked: (whether it is ours, whether it was a stranger's)."""
        with self._ready:
            self._ready.wait_for(lambda: self._state is not None)
            return self._state

    def _next(self) -> bool:
        """Take the next piece once inflated; False at the end. Raise ValueError if inflating failed."""
        with self._ready:
            self._ready.wait_for(lambda: self._pieces or self._ended)
            if self._pieces:
                self._piece, self._at = self._pieces.popleft(), 0
                return True
            if self._failed:
                raise ValueError("the cache file could not be inflated")
            return False

    def read(self, size: int = -1) -> bytes:
        out = []
        while size:
            if self._at == len(self._piece) and not self._next():
                break
            end = len(self._piece) if size < 0 else min(len(self._piece), self._at + size)
            out.append(self._piece[self._at:end])
            size -= (end - self._at) if size > 0 else 0
            self._at = end
        return out[0] if len(out) == 1 else b"".join(out)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def readline(self) -> bytes:  # pickle.load asks for it; the protocols used here never call it
        out = []
        while self._at < len(self._piece) or self._next():
            end = self._piece.find(b"\n", self._at)
            end = len(self._piece) if end < 0 else end + 1
            out.append(self._piece[self._at:end])
            self._at = end
            if out[-1].endswith(b"\n"):
                break
        return b"".join(out)


class Signed:
    """A file for pickle.dump: what it is given goes out compressed (one Zstandard frame with its
    checksum; `level` 0: as it is), through the HMAC, after `head`, gathered in writes of 1 MB.
    Neither the pickle nor its compressed bytes are ever held whole: at 100,000 events the
    timeline's pickle (build/snapshot.py) is some 300 MB."""

    def __init__(self, f, mac, head: bytes, level: int = LEVEL):
        self.mac, self.out = mac, disk.Gathered(f)
        self.zip = zstandard.ZstdCompressor(level=level, write_checksum=True).compressobj() if level else None
        self._out(head + (ZSTD if level else STORED))

    def write(self, data) -> int:
        self._out(self.zip.compress(data) if self.zip else data)
        return len(data)

    def _out(self, data: bytes) -> None:
        self.mac.update(data)
        self.out.write(data)

    def close(self) -> None:
        """Write what is left, and the end of the compressed stream."""
        if self.zip:
            self._out(self.zip.flush())
        self.out.close()
