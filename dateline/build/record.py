"""The record of what each output folder holds (incremental.Keep.record), kept as a whole file and
a patch of what changed since.

The record names every file of the output with its key and stat: at 100,000 events, 102,000
entries, 38 MB of pickle that took 0.24 s to write again after each rebuild, for the twenty-odd
entries an edited entry changes; the build waited for it before it ended. A rebuild now writes
only the entries that changed since the whole file was written, with the ones that went (the
patch, tied to that file by a token); the next build reads both and puts the patch in place. The
whole record is written again once the patch holds more than LIMIT entries, or a twentieth of
the record, or when the folders recorded change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

NAME, PATCH = "outputs", "outputs-patch"
LIMIT = 2000  # entries changed or gone in a patch, at most
SHARE = 20  # and at most a twentieth of the record


@dataclass
class Held:
    """What a memo knows of the record on disk: the whole file's token, the records as written or
    read (to tell what changed since), and the patch on top of that file."""

    token: str | None = None
    read: dict = field(default_factory=dict)   # folder -> {path: entry}, a copy as on disk
    patch: dict = field(default_factory=dict)  # folder -> ({path: entry} changed, {path} gone) since the whole


def read(store) -> tuple[dict, Held]:
    """Return the record of every output folder in `store` ({} if none), the patch put in place, and
    what the memo keeps of it for `save`."""
    found, patch = store.read(NAME), store.read(PATCH)
    if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], dict)):
        return {}, Held()
    token, outputs = found
    patched = isinstance(patch, tuple) and len(patch) == 2 and patch[0] == token and patch[1].keys() <= outputs.keys()
    for folder, (changed, gone) in patch[1].items() if patched else ():
        record = outputs[folder]
        record.update(changed)
        for path in gone:
            record.pop(path, None)
    return outputs, Held(token, _copied(outputs), patch[1] if patched else {})


def save(store, outputs: dict, held: Held, beside: int) -> None:
    """Write the record of `outputs` as a patch over the whole file when small enough, else whole:
    from `beside` entries in a process of its own while the build saves the rest
    (Store.write_beside; 0.5 s at 100,000 files). `held` follows what is on disk."""
    patch = _patch(outputs, held) if held.token is not None and outputs.keys() == held.read.keys() else None
    if patch is not None:
        store.write(PATCH, (held.token, patch))
    else:
        store.forget(PATCH)
        held.token, patch = os.urandom(8).hex(), {}
        whole = {NAME: (held.token, outputs)}
        if sum(map(len, outputs.values())) >= beside:
            store.write_beside(whole)
        else:
            store.write(NAME, whole[NAME])
    held.read, held.patch = _copied(outputs), patch


def _patch(outputs: dict, held: Held) -> dict | None:
    """Return the patch over the whole file that gives `outputs`: `held`'s, with what changed since
    it was read; None when it grows past LIMIT or a twentieth of the record."""
    patch, size, total = {}, 0, 0
    for folder, record in outputs.items():
        before = held.read[folder]
        changed, gone = held.patch.get(folder, ({}, set()))
        changed, gone = dict(changed), set(gone)
        for path, entry in record.items():
            old = before.get(path, before)  # `before` itself when there is none: never an entry
            if old is not entry and old != entry:
                changed[path] = entry
                gone.discard(path)
        for path in before.keys() - record.keys():
            changed.pop(path, None)
            gone.add(path)
        patch[folder] = (changed, gone)
        size, total = size + len(changed) + len(gone), total + len(record)
    return None if size > LIMIT or size * SHARE > total else patch


def _copied(outputs: dict) -> dict:
    """Return each folder's record copied (a build replaces a record; the preview also edits one in place)."""
    return {folder: dict(record) for folder, record in outputs.items()}
