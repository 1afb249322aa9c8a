"""The content's memo and the checked timeline written as soon as the content is checked, so that
the build lets go of the memo.

The memo of the content files (cache.py: each file's parsed entries, each event checked) is
written at the end of a build. Until then the build held every entry's YAML maps and lists,
which nothing reads once `validate` is done: at 100,000 events, a quarter of the memory the
build's process holds while it draws the pages (docs/performance.md, "Peak memory").

On a big build (`cache.BESIDE` files or more) of `build.py build`, whose store writes beside,
`let_go` forks a process that writes the shards that changed, each event with its hash for the
page keys (which that process computes, as the build does again for its pages: the same
function, so the same bytes), and the build forgets them. The same process then writes the
timeline build/snapshot.py keeps, with those hashes: written at the end, it was pickled by a
process forked from the build at its largest (at 100,000 events the build's peak, 1.95 GB).
The preview keeps its memo (its next build starts from it), and a small build writes both at the
end as before. A build killed before that process is done leaves the last files, which the next
build finds stale by their files' stats: the memo is never wrong, only older.
"""

from __future__ import annotations

from . import cache, snapshot
from .cache import Memo, shard


def let_go(memo: Memo | None, timeline, whole=None) -> bool:
    """Write the content's memo now, beside, and forget it here; return whether it was. With
    `whole()`, what build/snapshot.py keeps of the timeline (its `whole`), that too, after them."""
    store = getattr(memo, "store", None)
    if store is None or not store.beside or len(memo.files) < cache.BESIDE:
        return False
    kept = whole() if whole is not None else None  # the inputs stat'ed again here, before the fork
    memo.forget_unseen()
    among = {id(event) for event in timeline.events}  # not a draft left out: the build never hashes it
    names = [f"content-{i:x}" for i in range(cache.SHARDS)]  # any it may write: those that changed

    def shards() -> dict:  # in the forked process
        hashed(memo, among)
        found = content_shards(memo)
        if kept is not None:  # each event with its hashes, computed once for both
            kept.digests = [memo.digests.both(event) for event in timeline.events]
            found[snapshot.NAME] = snapshot.pieces(kept)
        return found
    store.write_beside(dict.fromkeys(names + [snapshot.NAME] * (kept is not None)), shards)
    memo.files, memo.events, memo.dirty = {}, {}, set()
    return True


def hashed(memo: Memo, among: set | None = None) -> None:
    """Keep each event's hash for the page keys with it in the memo, once known; computed here for
    each event of `among` (their ids: the timeline's), as a build that wrote its site would have."""
    for where, hit in memo.events.items():
        found = memo.digests.both(hit[3]) if among and id(hit[3]) in among else memo.digests.known(hit[3])
        if found is not None and hit[5:] != (found,):
            memo.events[where] = (*hit[:5], found)
            memo.dirty.add(shard(where[0]))


def content_shards(memo: Memo) -> dict[str, tuple[dict, dict]]:
    """Return the content's shards that changed: {name: (files, events)}."""
    return {f"content-{i:x}": ({k: v for k, v in memo.files.items() if shard(k) == i},
                               {k: v for k, v in memo.events.items() if shard(k[0]) == i}) for i in sorted(memo.dirty)}
