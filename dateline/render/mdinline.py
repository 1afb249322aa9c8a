"""Python-Markdown's inline pass, with each pattern skipped where its regex cannot match.

Python-Markdown tries every inline pattern (14 of its own, 18 of smarty's) on every piece of
text, each try a Python call and a regex search: about half of a clean build's Markdown time.
Most patterns need a character that most texts lack (a backtick, a bracket, a quote), so
`FastInline` first asks whether the text still holds one of the strings a match must contain,
worked out from the pattern's own regex (`needles`), and skips the pattern as Python-Markdown
does when it finds nothing: the same HTML, byte for byte (tests/test_mdinline.py compares them).
A pattern whose regex says nothing plain (a case-insensitive one, a set of classes) is tried
as before.
"""

from __future__ import annotations

import functools
import re

from markdown import inlinepatterns, treeprocessors, util

try:  # the regex parser `re` itself uses; without it every pattern is tried, as before
    from re import _constants as _c, _parser
except ImportError:  # pragma: no cover - Python versions before 3.11 are not supported
    _c = _parser = None


@functools.lru_cache(maxsize=None)
def needles(regex: re.Pattern) -> frozenset[str] | None:
    """Strings one of which every match of `regex` contains; None when that is not plain."""
    if _parser is None or regex.flags & re.IGNORECASE:
        return None
    try:
        return _required(list(_parser.parse(regex.pattern, regex.flags)))
    except Exception:  # noqa: BLE001 - an unforeseen form: try the pattern everywhere
        return None


def _required(items: list) -> frozenset[str] | None:
    """For a sequence of parsed items: the best set of strings one of which a match must hold."""
    best, run = None, ""
    for op, arg in items + [(None, None)]:
        if op is _c.LITERAL:
            run += chr(arg)
            continue
        if run:
            best = _better(best, frozenset([run]))
            run = ""
        best = _better(best, _item(op, arg))
    return best


def _item(op, arg) -> frozenset[str] | None:
    """The strings one of which a match of one parsed item must hold, or None."""
    if op is _c.SUBPATTERN:  # (group, flags added, flags taken away, items)
        return None if arg[1] & re.IGNORECASE else _required(list(arg[-1]))
    if op is _c.ATOMIC_GROUP:
        return _required(list(arg))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, body = arg
        if low >= 1 and len(body) == 1 and body[0][0] is _c.LITERAL:  # `\.{3}`: "..."
            return frozenset([chr(body[0][1]) * low])
        return _required(list(body)) if low >= 1 else None
    if op is _c.BRANCH:
        each = [_required(list(branch)) for branch in arg[1]]
        return None if any(e is None for e in each) else frozenset().union(*each)
    if op is _c.IN and all(o is _c.LITERAL for o, _ in arg):
        return frozenset(chr(a) for _, a in arg)
    return None


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more telling of two needle sets: fewer strings, then longer ones."""
    if a is None or b is None:
        return a if b is None else b
    return min(a, b, key=lambda s: (len(s), -min(map(len, s))))


class FastInline(treeprocessors.InlineProcessor):
    """Python-Markdown's InlineProcessor, with patterns skipped where no needle is left."""

    def run(self, tree, ancestors=None):
        self._tried = [(p, needles(p.compiled_re) if isinstance(p, inlinepatterns.InlineProcessor) else None)
                       for p in self.inlinePatterns]
        return super().run(tree, ancestors)

    # Python-Markdown's `__handleInline` (a name it mangles), with the one test added before
    # each pattern: a text that holds none of its needles from `start` on is not tried.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803
        if isinstance(data, util.AtomicString):
            return data
        tried, start = self._tried, 0
        while patternIndex < len(tried):
            pattern, needed = tried[patternIndex]
            if needed is not None:
                for needle in needed:
                    if data.find(needle, start) >= 0:
                        break
                else:  # not one of them is left: the pattern cannot match
                    patternIndex, start = patternIndex + 1, 0
                    continue
            data, matched, start = self._InlineProcessor__applyPattern(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def speed_up(md) -> None:
    """Replace a Markdown instance's inline passes (its own and smarty's) with `FastInline`."""
    if not hasattr(treeprocessors.InlineProcessor, "_InlineProcessor__applyPattern"):
        return  # a Python-Markdown whose inline pass is built otherwise: leave it as it is
    for item in list(md.treeprocessors._priority):
        old = md.treeprocessors[item.name]
        if type(old) is treeprocessors.InlineProcessor:
            new = FastInline(md)
            new.inlinePatterns = old.inlinePatterns
            md.treeprocessors.register(new, item.name, item.priority)
