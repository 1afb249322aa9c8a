"""The inline pass that skips patterns: the needles it reads from each regex, and the same HTML as Python-Markdown's."""

from __future__ import annotations

import functools
import random
import re
import zlib
from pathlib import Path

import markdown
import pytest
from markdown.extensions.smarty import SmartyExtension

from dateline.render import markdown as dm
from dateline.render.mdinline import FastInline, needles

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("regex, expected", [
    (r"(?<!\!)\[", {"["}),
    (r"\!\[", {"!["}),
    (r"\*|_", {"*", "_"}),                             # a set of plain characters: either
    (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", {"\\\\", "`"}),  # each branch its own
    (r"(?<!\.)\.{3}(?!\.)", {"..."}),                  # a repeated character, as often as the least
    (r"(\s|&nbsp;|--)'(?=\w)", {"'"}),                 # a branch with a class says nothing; the quote does
    (r"<([^<> !]+@[^@<> ]+)>", {"<"}),
    (r"  \n", {"  \n"}),
    (r"abc", {"abc"}),
])
def test_needles_are_what_every_match_must_hold(regex, expected):
    assert needles(re.compile(regex)) == expected


@pytest.mark.parametrize("regex", [
    r"(?i)abc",          # a case-insensitive pattern matches "ABC" too
    r"(?i:abc)",         # so does a case-insensitive group
    r"[^\[\]]+",         # a negated set
    r"\w+",              # a class
    r"x*",               # may match nothing at all
    r"(?=a)b?",          # only a lookahead is plain, and it is not part of the match
])
def test_a_pattern_with_nothing_plain_to_look_for_has_no_needles(regex):
    assert needles(re.compile(regex)) is None


def _stock(allow_html: bool) -> markdown.Markdown:
    return markdown.Markdown(extensions=[dm.CitationExtension(allow_html=allow_html), SmartyExtension()],
                             output_format="html")


def _fast(allow_html: bool) -> markdown.Markdown:
    dm._convert("x", (), allow_html)
    md, _ext = dm._LOCAL.instances[allow_html]
    return md


PIECES = list("ab `*_[]()!<>&\"'-.\\\n:/@#;") + [
    "  \n", "...", "....", "--", "---", "<b>", "</b>", "&amp;", "&#8211;", "&nbsp;", "http://x.y",
    "<http://a.b>", "<a@b.c>", "[@src-1]", "[@src-1, p. 2]", "[@src-2]", "[x]: http://q\n", "\n\n",
    "***", "__", "``", "\\\\", "\\`", "![i](x.png)", "[l](http://z)", "[l][x]", "'90s", "\u2014", "\u2013"]


@functools.cache
def _texts() -> list[str]:
    rng = random.Random(7)
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 80))) for _ in range(6000)]
    for path in [*(ROOT / "content").rglob("*.md"), *(ROOT / "tests" / "fixtures").rglob("*.md")]:
        text = path.read_text(encoding="utf-8")
        texts += [text, *text.split("\n\n")]
    return texts


def test_every_inline_pass_is_the_fast_one_and_knows_its_needles():
    md = _fast(False)
    passes = [p for p in md.treeprocessors if isinstance(p, markdown.treeprocessors.InlineProcessor)]
    assert len(passes) == 2 and all(type(p) is FastInline for p in passes)   # its own and smarty's
    regexes = [p.compiled_re for tp in passes for p in tp.inlinePatterns]
    assert sum(needles(r) is not None for r in regexes) == len(regexes)      # none tried blind


def test_each_needle_is_in_every_match_of_its_pattern():
    md = _fast(True)
    regexes = [p.compiled_re for tp in md.treeprocessors if isinstance(tp, FastInline) for p in tp.inlinePatterns]
    matched = 0
    for text in _texts():
        for regex in regexes:
            for m in regex.finditer(text):
                matched += 1
                assert any(n in m.group(0) for n in needles(regex)), (regex.pattern, m.group(0))
    assert matched > 10_000


@pytest.mark.parametrize("allow_html", [False, True])
def test_the_html_is_python_markdowns_byte_for_byte(allow_html):
    stock = _stock(allow_html)
    stock_ext = next(e for e in stock.registeredExtensions if isinstance(e, dm.CitationExtension))
    cite_map = (("src-1|", 1, "note-1", ""), ("src-1|p. 2", 2, "note-2", "p.\u00a02"))
    compared = 0
    for text in _texts():
        stock.reset()
        for key, number, anchor, shown in cite_map:   # as `_convert` fills them
            sid, _, loc = key.partition("|")
            stock_ext.cite_map[(sid, loc)] = (number, anchor, shown)
            stock_ext.by_id.setdefault(sid, (number, f"note-{number}", ""))
        assert zlib.decompress(dm._convert(text, cite_map, allow_html)[0]).decode() == stock.convert(text), text
        compared += 1
    assert compared > 6000 and type(_fast(allow_html).treeprocessors["inline"]) is FastInline
