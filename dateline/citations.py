"""Pandoc-style citations in Markdown, `[@id]`, `[@id, para 3]`, `[@a; @b]`, and safe HTML.

`find_citations` reads them from a body (with line numbers) so validation can check every id;
`CitationExtension` turns them into numbered links while Markdown renders the body.
"""

from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from . import rawhtml

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


_STRIP = re.compile(r"\s*" + CITE_RE)


def strip_citations(text: str) -> str:
    """Remove citation brackets (not those in code), for summaries that show the numbers elsewhere."""
    out, end = [], 0
    for m in _STRIP.finditer(without_code(text)):
        if parse_items(m["items"]) is not None:
            out.append(text[end:m.start()])
            end = m.end()
    return "".join(out) + text[end:]


# What Python-Markdown reads as code or escapes, so that a citation written there stays text:
# code spans (a run of backticks up to the next run as long, in one paragraph; `\`` is not
# one), indented blocks (4 spaces or a tab after a blank line, unless they continue a list
# item) and backslash escapes.
_TICKS = re.compile(r"(?<![\\`])`+(?!`)")
_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()>#+.!-]")  # Python-Markdown's escapable characters
_LIST_ITEM = re.compile(r" {0,3}(?:[*+-]|\d+[.)])[ \t]")


def without_code(text: str) -> str:
    """Return `text` with its code blanked out: the same length and the same lines."""
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


class _CitePattern(InlineProcessor):
    """Replace `[@id, loc]` with superscript links to the event's numbered notes."""

    def __init__(self, ext: "CitationExtension"):
        super().__init__(CITE_RE)
        self.ext = ext

    def handleMatch(self, m, data):  # noqa: N802 - Markdown's API name
        items = parse_items(m["items"])
        if items is None or any(self.ext.lookup(sid, loc) is None for sid, loc in items):
            return None, None, None
        sup = etree.Element("sup", {"class": "cite"})
        for i, (sid, loc) in enumerate(items):
            number = self.ext.lookup(sid, loc)
            anchors = self.ext.anchors.setdefault(number, [])
            anchor = f"cite-{number}-{len(anchors) + 1}"
            anchors.append(anchor)
            link = etree.SubElement(sup, "a", {"href": f"#note-{number}", "id": anchor,
                                               "class": "cite-link"})
            link.text = f"[{number}]"
            if i < len(items) - 1:
                link.tail = "\u2009"
        return sup, m.start(0), m.end(0)


class _SafeLinks(Treeprocessor):
    """Drop link and image targets with a scripting scheme (javascript:, data:, vbscript:...)."""

    def run(self, root):
        for el in root.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None and not is_safe_url(value):
                    del el.attrib[attr]


class _SafeRawHtml(Postprocessor):
    """Take scripting out of raw HTML (`allow_html`) before Markdown puts it back in the page."""

    def run(self, text):
        stash = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(stash):
            if isinstance(block, str):
                stash[i] = rawhtml.sanitise(block, is_safe_url)
        return text


def is_safe_url(url: str) -> bool:
    """Return True for relative links and http, https and mailto URLs, read as a browser reads them."""
    # Markdown keeps character references in an href, and a browser decodes them (&#106; is 'j',
    # &colon; is ':') and skips tabs, newlines and control characters before reading the scheme.
    squashed = "".join(ch for ch in html.unescape(url) if ord(ch) > 32).lower()
    head = re.split(r"[/?#]", squashed, maxsplit=1)[0]
    return ":" not in head or squashed.startswith(SAFE_SCHEMES)


class CitationExtension(Extension):
    """Numbered citations and link sanitising; per-document state is cleared in `reset()`."""

    def __init__(self, **kwargs):
        self.config = {"allow_html": [False, "let raw HTML through instead of showing it as text"]}
        super().__init__(**kwargs)
        self.cite_map: dict[tuple[str, str], int] = {}
        self.by_id: dict[str, int] = {}
        self.anchors: dict[int, list[str]] = {}

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        md.registerExtension(self)
        md.inlinePatterns.register(_CitePattern(self), "citation", 175)
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 1)
        md.postprocessors.register(_SafeRawHtml(md), "safe_raw_html", 35)  # before raw_html (30)
        if not self.getConfig("allow_html"):
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")

    def reset(self):
        self.cite_map, self.by_id, self.anchors = {}, {}, {}

    def lookup(self, sid: str, loc: str) -> int | None:
        """Return the note number for a citation; without a locator, the source's first note."""
        if (sid, loc) in self.cite_map:
            return self.cite_map[(sid, loc)]
        return self.by_id.get(sid) if not loc else None


_INSTANCES: dict[bool, tuple[markdown.Markdown, CitationExtension]] = {}


# Rendered Markdown by a hash of its text, citations and allow_html. Python-Markdown costs ~2 ms
# a body and a summary shows on several pages; cache.py keeps the memo between builds.
MEMO: dict[bytes, tuple[str, dict[int, list[str]]]] = {}
USED: set[bytes] = set()     # keys asked for during this build (cache.Memo.start() clears it)
CHANGED: set[bytes] = set()  # keys added or dropped since the memo was last saved
LOAD_MORE = None             # cache.py's reader of the memo on disk: LOAD_MORE(key or None for all)


def render(text: str, cite_map: tuple[tuple[str, int], ...] = (), allow_html: bool = False):
    """Render a Markdown body to (html, {note number: [citation anchors]})."""
    key = hashlib.blake2b(f"{allow_html}{cite_map!r}\0{text}".encode(), digest_size=16).digest()
    hit = MEMO.get(key)
    if hit is None and LOAD_MORE is not None:
        LOAD_MORE(key)  # the memo on disk is read a part at a time, when first needed
        hit = MEMO.get(key)
    if hit is None:
        hit = MEMO[key] = _convert(text, cite_map, allow_html)
        CHANGED.add(key)
    USED.add(key)
    return hit[0], {n: list(a) for n, a in hit[1].items()}


def drop_unused() -> None:
    """Drop what this build did not ask for: call it after a build that rendered every page."""
    gone = MEMO.keys() - USED
    for key in gone:
        del MEMO[key]
    CHANGED.update(gone)


def take_changes() -> set[bytes]:
    """Return the keys added or dropped since the last call (for saving the memo)."""
    changed = set(CHANGED)
    CHANGED.clear()
    return changed


def _convert(text: str, cite_map: tuple[tuple[str, int], ...], allow_html: bool):
    """Run Python-Markdown with the citation extension on one document."""
    if allow_html not in _INSTANCES:
        ext = CitationExtension(allow_html=allow_html)
        _INSTANCES[allow_html] = (markdown.Markdown(extensions=[ext, "smarty"], output_format="html"), ext)
    md, ext = _INSTANCES[allow_html]
    md.reset()  # clears the extension too: citation numbers never leak between documents
    for key, number in cite_map:
        sid, _, loc = key.partition("|")
        ext.cite_map[(sid, loc)] = number
        ext.by_id.setdefault(sid, number)
    html = md.convert(text)
    return html, {n: list(a) for n, a in ext.anchors.items()}


def render_inline(text: str, allow_html: bool = False) -> str:
    """Render one paragraph of Markdown without the surrounding <p>."""
    html, _ = render(text, (), allow_html)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
