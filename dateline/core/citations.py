"""Pandoc-style citations in Markdown, `[@id]`, `[@id, para 3]`, `[@a; @b]`, and safe HTML.

`find_citations` reads them from a body (with line numbers) so validation can check every id;
render/markdown.py turns them into numbered links while Markdown renders the body.
"""

from __future__ import annotations

import html
import re

ID = r"[A-Za-z0-9_][A-Za-z0-9_:.\-]*[A-Za-z0-9_]|[A-Za-z0-9_]"
_ITEM = re.compile(rf"^\s*@(?P<id>{ID})\s*(?:,\s*(?P<locator>[^;]*?))?\s*$")
# A bracket whose every `;`-separated item is `@id` or `@id, locator`; not a link `[...](...)`,
# nor an escaped bracket `\[@word]` (Markdown shows that as text, so validation must not look it up).
CITE_RE = r"(?<!\\)\[(?P<items>\s*@[^\[\]]*?)\](?!\()"
_CITE = re.compile(CITE_RE)
SAFE_SCHEMES = ("http:", "https:", "mailto:")


def parse_items(text: str) -> list[tuple[str, str]] | None:
    """Split the inside of `[...]` into (id, locator) pairs, or None if it is not a citation."""
    items = []
    for part in text.split(";"):
        m = _ITEM.match(part)
        if not m:
            return None
        items.append((m["id"], (m["locator"] or "").strip()))
    return items


def find_citations(body: str, first_line: int) -> list[tuple[str, str, int]]:
    """Return (id, locator, line) for every citation in a Markdown body, in order."""
    found = []
    for m in _CITE.finditer(body):
        items = parse_items(m["items"])
        if items is None:
            continue
        line = first_line + body.count("\n", 0, m.start())
        found.extend((sid, loc, line) for sid, loc in items)
    return found


def strip_citations(text: str) -> str:
    """Remove citation brackets, for summaries that show the numbers elsewhere."""
    return re.sub(r"\s*" + CITE_RE, lambda m: "" if parse_items(m["items"]) is not None else m[0], text)


def is_safe_url(url: str) -> bool:
    """Return True for relative links and http, https and mailto URLs, read as a browser reads them."""
    # Markdown keeps character references in an href, and a browser decodes them (&#106; is 'j',
    # &colon; is ':') and skips tabs, newlines and control characters before reading the scheme.
    squashed = "".join(ch for ch in html.unescape(url) if ord(ch) > 32).lower()
    head = re.split(r"[/?#]", squashed, maxsplit=1)[0]
    return ":" not in head or squashed.startswith(SAFE_SCHEMES)
