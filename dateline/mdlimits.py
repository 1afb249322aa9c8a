"""Refuse, before any work, Markdown that Python-Markdown would read in minutes or not at all.

Python-Markdown reads blockquotes and lists by recursion (a few hundred levels exhaust the
stack), and some inline patterns rescan the rest of a paragraph from every candidate: each `[`
for its `]`, each `](` for its `)`, each run of backticks for a run as long, the emphasis
markers `*` and `_` against each other, and every inline element against the others of its
paragraph (its time grows with their square). No real text nests deeply, leaves thousands of
brackets open or puts thousands of elements in one paragraph, so the work these scans would do
is counted here in one pass (linear time), and a body over the limit is refused at the
paragraph that costs most. The weights are measured: `MAX_WORK` is about a second.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .citations import without_code

MAX_CHARS = 200_000      # Markdown reads ~100,000 characters a second: an entry is no book
MAX_NESTING = 32         # blockquotes and lists, one inside another
MAX_WORK = 1_500_000     # characters rescanned in a body (about a second of Markdown's time)
EMPHASIS_WEIGHT = 1 / 100  # a pair of emphasis markers costs this many characters' rescan
HTML_WEIGHT = 1 / 8      # the HTML parser (allow_html) scans a character this much faster
INLINE_WEIGHT = 1 / 40   # a pair of inline elements in one paragraph costs this many characters

_CONTAINER = re.compile(r"[ \t]*(?:>|[*+-][ \t]|\d{1,9}[.)][ \t])[ \t]?")
_DEEP = re.compile(r"^[ \t>*+\-\d.)]{%d}" % (MAX_NESTING + 1), re.MULTILINE)  # each level takes a character
_BLOCKS = re.compile(r"\n[ \t]*\n")
_BRACKETS = re.compile(r"[\[\]]")
_PARENS = re.compile(r"\]\(|[()]")
_QUOTES = re.compile(r"['\"]")
_TICKS = re.compile(r"(?<!\\)`+")
_EMPHASIS = re.compile(r"\*+|_+")
# what becomes an element or a placeholder: code, links, entities, escapes, breaks, HTML, smart quotes
_INLINE = re.compile(r"`+|\]\(|&#?\w+;|\\.|  +\n|<[A-Za-z/!?]|['\"]|--|\.\.\.")

CAUSES = {
    "[": ("`[` that never close or nest deep", "close them, or write `\\[` for a literal bracket"),
    "(": ("link targets `](` that never close (or hold a quote)", "close them with `)`, or write `\\(`"),
    "`": ("runs of backticks that no run as long closes", "close each code span, or write `\\``"),
    "*": ("emphasis markers `*` and `_`", "write `\\*` and `\\_` for literal ones"),
    "e": ("inline elements (code, links, entities, quotes, line breaks) in one paragraph",
          "split the paragraph with blank lines"),
    "<": ("HTML tags or comments that never close", "close them with `>` or `-->`, or write `&lt;`"),
}


def check(text: str, allow_html: bool = False) -> list[tuple[int, str, str]]:
    """Return (line offset in `text`, what is wrong, how to fix it) for a body over a limit;
    with `allow_html`, Markdown also parses its HTML."""
    if len(text) > MAX_CHARS:
        return [(0, f"text is {len(text):,} characters long, over the limit of {MAX_CHARS:,}",
                 "split it into several events, or cite the long text as a source")]
    problems = []
    for offset, line in enumerate(text.split("\n") if _DEEP.search(text) else ()):
        depth, pos = 0, 0
        while m := _CONTAINER.match(line, pos):
            indent = m.group()[:len(m.group()) - len(m.group().lstrip(" \t"))].expandtabs(4)
            depth, pos = depth + 1 + len(indent) // 4, m.end()  # 4 spaces more: a level more
        if depth > MAX_NESTING:
            problems.append((offset, f"blockquotes and lists nested {depth} deep, over the limit of {MAX_NESTING}",
                             "flatten them: Markdown reads each level by recursion"))
            break
    if not _could_be_slow(text, allow_html):
        return problems  # the usual case, found with counts alone
    total, worst = 0.0, (0.0, 0, "[")
    masked = without_code(text)  # what Markdown's inline patterns see: code spans are taken first
    start = 0
    for m in [*_BLOCKS.finditer(text), None]:
        end = m.start() if m else len(text)
        costs = {"[": _bracket_work(masked, start, end), "(": _paren_work(masked, start, end),
                 "`": _tick_work(text, start, end),
                 "*": EMPHASIS_WEIGHT * sum(1 for _ in _EMPHASIS.finditer(masked, start, end)) ** 2,
                 "e": INLINE_WEIGHT * sum(1 for _ in _INLINE.finditer(text, start, end)) ** 2}
        work = sum(costs.values())
        total += work
        if work > worst[0]:
            worst = (work, start, max(costs, key=costs.get))
        start = m.end() if m else end
    if allow_html:
        work, at = _html_work(text)
        total += HTML_WEIGHT * work
        if HTML_WEIGHT * work > worst[0]:
            worst = (HTML_WEIGHT * work, at, "<")
    if total > MAX_WORK:
        work, at, cause = worst
        what, fix = CAUSES[cause]
        problems.append((text.count("\n", 0, at), f"{what} make this body too slow to read: Markdown would "
                         f"rescan {int(total):,} characters (at most {MAX_WORK:,})", fix))
    return problems


def _could_be_slow(text: str, allow_html: bool) -> bool:
    """Return False when even the worst arrangement of this body's characters is under the limit."""
    n, count = len(text), text.count
    marks = count("*") + count("_")
    inline = (count("`") + count("]") + count("&") + count("\\") + count("<") + count("'") + count('"')
              + count("-") + count(".") + count("\n"))
    bound = (n * (count("[") + count("(") + count("`") + (count("<") * HTML_WEIGHT if allow_html else 0))
             + EMPHASIS_WEIGHT * marks ** 2 + INLINE_WEIGHT * inline ** 2)
    return bound > MAX_WORK


def _bracket_work(text: str, start: int, end: int) -> int:
    """Characters scanned for the `]` of every `[` of one paragraph."""
    work, opened = 0, []
    for m in _BRACKETS.finditer(text, start, end):
        if m.group() == "[":
            opened.append(m.start())
        elif opened:
            work += m.start() - opened.pop()
    return work + sum(end - p for p in opened)


def _paren_work(text: str, start: int, end: int) -> int:
    """Characters scanned for the `)` of every link target `](` of one paragraph; a quote inside
    one sends the scan to the end of the paragraph, looking for a title."""
    quotes = [m.start() for m in _QUOTES.finditer(text, start, end)]
    work, opened = 0, []  # (position, is a link target)
    for m in _PARENS.finditer(text, start, end):
        if m.group() != ")":
            opened.append((m.end() - 1, m.group() == "]("))
        elif opened:
            p, target = opened.pop()
            if target:
                quoted = bisect_left(quotes, p) < bisect_left(quotes, m.start())
                work += (end if quoted else m.start()) - p
    return work + sum(end - p for p, target in opened if target)


def _tick_work(text: str, start: int, end: int) -> int:
    """Characters scanned for the closing run of every run of backticks of one paragraph."""
    runs = [(m.start(), m.end() - m.start()) for m in _TICKS.finditer(text, start, end)]
    work, seen = 0, set()
    for p, length in reversed(runs):  # a run is closed if a run as long comes after it
        if length not in seen:
            work += end - p
        seen.add(length)
    return work


_HTML = re.compile(r"<!--|-->|<[A-Za-z/?!]|[>\"']")


def _html_work(text: str) -> tuple[int, int]:
    """Return (characters the HTML parser scans, where the costliest tag starts): each tag to its
    `>` (not one inside quotes), each comment to its `-->`. One left open is retried from every
    later `<`, each scanning to the end."""
    work, opened, inside, quote, comment = 0, None, [], None, False
    for m in _HTML.finditer(text):
        token = m.group()
        if opened is None:
            if token.startswith("<"):
                opened, inside, quote, comment = m.start(), [], None, token == "<!--"
        elif token.startswith("<"):
            inside.append(m.start())
        elif comment:
            if token == "-->":
                work, opened = work + m.start() - opened, None
        elif token in "\"'":
            quote = None if quote == token else quote or token
        elif token == ">" and quote is None:
            work, opened = work + m.start() - opened, None
    if opened is None:
        return work, 0
    return work + sum(len(text) - p for p in [opened, *inside]), opened
