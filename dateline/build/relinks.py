"""A rebuild's link check: the links it could have broken, and only those when that is enough (incremental.Keep)."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import Problem
from ..render import links
from .parts import read_bytes


def check(old: dict, output: Path, files: dict, copies: dict, base_url: str, unquoted: bool, counts, as_written,
          spread) -> list[Problem]:
    """Check the links of `files` as `Keep.check_links` says: `old` is the last build's record of
    `output`, `as_written(path)` whether the output's file is the one it wrote, `spread` the link
    check's workers (None: one thread)."""

    def kept(path: str) -> bytes:  # a file kept from the last build, as the output holds it
        return (output / path).read_bytes()

    old_names = set(old.get("\0names", ())) | set(old.get("\0copies", ()))
    redrawn = sorted(p for p, b in files.items() if b is not None and p.endswith(".html"))
    pages = links.Found(files, kept, unquoted)
    lost = old_names - set(files) - set(copies)
    checked: dict[str, str] = {}  # page -> the links its last version had, checked then (NUL-joined)
    checked_as = base_url + ("\0unquoted" if unquoted else "")  # a page read the other way: checked anew
    same_base = old.get("\0base") == checked_as
    for path in redrawn:
        if lost or not old_names:
            break
        before = read_bytes(output, path) if path in old_names else None
        if before is None:
            continue
        old_links, old_ids = links.extract(before, unquoted)
        if old_ids - pages[path][1]:
            lost.add(path)
        elif same_base and as_written(path):
            checked[path] = "\0".join(old_links)
    if lost or not old_names:
        counts["pages link-checked"] += sum(1 for p in files if p.endswith(".html"))
        return links.check_links(files, base_url, copies, read=kept, unquoted=unquoted, spread=spread)
    counts["pages link-checked"] += len(redrawn)
    existing = set(files) | set(copies)
    problems, memo = [], {}
    for path in redrawn:
        known = set(checked[path].split("\0")) if path in checked else ()
        new = [link for link in pages[path][0] if link not in known]
        counts["links checked"] += len(new)
        problems += links._check_page(path, new, pages, existing, base_url,
                                      absolute_only=path == "404.html", memo=memo)
    return problems
