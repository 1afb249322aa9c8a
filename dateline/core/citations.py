"""Pandoc-style citations in Markdown, `[@id]`, `[@id, para 3]`, `[@a; @b]`, and safe HTML.

`find_citations` reads them from a body (with line numbers) so validation can check every id;
render/markdown.py turns them into numbered links while Markdown renders the body.
"""

from __future__ import annotations

import html
import re

ID = r"[A-Za-z0-9_][A-Za-z0-9_:.\-]*[A-Za-z0-9_]|[A-Za-z0-9_]"
_ITEM = re.compile(rf"\s*@(?P<id>{ID})\s*(?:,(?P<locator>[^;]*))?\s*\Z")  # greedy: no backtracking
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
    """Return (id, locator, line) for every citation in a Markdown body, in order; not in code."""
    found = []
    line, counted = first_line, 0
    for m in _CITE.finditer(without_code(body)):
        items = parse_items(m["items"])
        if items is None:
            continue
        line += body.count("\n", counted, m.start())
        counted = m.start()
        found.extend((sid, loc, line) for sid, loc in items)
    return found


def strip_citations(text: str) -> str:
    """Remove citation brackets (not those in code), with the white space before each, for
    summaries that show the numbers elsewhere.

    The white space is found by stepping back from each bracket, not by a pattern that starts
    with it: such a pattern is tried at every space of the text (0.1 ms a summary, a second at
    100,000 events for each export that shows them)."""
    out, end = [], 0
    for m in _CITE.finditer(without_code(text)):
        if parse_items(m["items"]) is not None:
            start = m.start()
            while start > end and text[start - 1].isspace():
                start -= 1
            out.append(text[end:start])
            end = m.end()
    return "".join(out) + text[end:]


# What Python-Markdown reads as code or escapes, so that a citation written there stays text:
# code spans (a run of backticks up to the next run as long, in one paragraph; `\`` is not
# one), indented blocks (4 spaces or a tab after a blank line, unless they continue a list
# item) and backslash escapes.
_TICKS = re.compile(r"(?<![\\`])`+(?!`)")
_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()>#+.!-]")  # Python-Markdown's escapable characters
_LIST_ITEM = re.compile(r" {0,3}(?:[*+-]|\d+[.)])[ \t]")
_INDENTED = re.compile(r"^(?: {4}|\t)", re.MULTILINE)  # a line that could open an indented code block


def without_code(text: str) -> str:
    """Return `text` with its code blanked out: the same length and the same lines.

    Text with no backtick, no backslash and no indented line has no code and nothing escaped:
    it comes back as it is, without the scan (most bodies and summaries: the scan was a fifth
    of checking an event, and of each export's plain text)."""
    if "`" not in text and "\\" not in text and not _INDENTED.search(text):
        return text
    return _blank_code(text)


def _blank_code(text: str) -> str:
    """`without_code`'s scan, line by line and paragraph by paragraph."""
    lines = text.split("\n")
    blank_before, in_list, in_code = True, False, False
    for i, line in enumerate(lines):
        blank, indented = not line.strip(), line.startswith(("    ", "\t"))
        in_code = (in_code and (indented or blank)) or (indented and not blank and blank_before and not in_list)
        if in_code:
            lines[i] = " " * len(line)
            continue
        if _LIST_ITEM.match(line):
            in_list = True
        elif not blank and not indented and blank_before:
            in_list = False
        blank_before = blank
    text = "".join(_without_code_spans(block) for block in re.split(r"(\n[ \t]*\n)", "\n".join(lines)))
    return _ESCAPE.sub("  ", text)  # `\[@word]` is the documented way to write a literal one


def _without_code_spans(block: str) -> str:
    """Blank the inside of every code span of one paragraph."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(block)]
    later: dict[int, list[int]] = {}  # run length -> indexes of the runs that long, last first
    for i in range(len(runs) - 1, -1, -1):
        later.setdefault(runs[i][1] - runs[i][0], []).append(i)
    out, done = [], 0
    for i, (start, end) in enumerate(runs):
        if start < done:
            continue
        same = later[end - start]
        while same and same[-1] <= i:
            same.pop()
        if same:
            close = runs[same[-1]][0]
            out.append(block[done:end] + " " * (close - end))
            done = close
    return "".join(out) + block[done:]


def is_safe_url(url: str) -> bool:
    """Return True for relative links and http, https and mailto URLs, read as a browser reads them."""
    # Markdown keeps character references in an href, and a browser decodes them (&#106; is 'j',
    # &colon; is ':') and skips tabs, newlines and control characters before reading the scheme.
    squashed = "".join(ch for ch in html.unescape(url) if ord(ch) > 32).lower()
    head = re.split(r"[/?#]", squashed, maxsplit=1)[0]
    return ":" not in head or squashed.startswith(SAFE_SCHEMES)
