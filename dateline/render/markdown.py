"""Markdown to HTML: Python-Markdown with numbered citations and safe links, and its memo.

The memo (rendered HTML by a hash of the text, its citations and allow_html) is owned by a
`Converter`; a process has one, `CONVERTER`. The build layer keeps it between builds through
its methods (`attach`, `begin`, `merge`, `drop_unused`, `take_changes`), never by reaching in.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from itertools import islice
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.extensions.smarty import SmartyExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from ..core.citations import CITE_RE, is_safe_url, parse_items
from . import mdinline, rawhtml


class _CitePattern(InlineProcessor):
    """Replace `[@id, loc]` with superscript links to the event's notes, each locator beside its number."""

    def __init__(self, ext: "CitationExtension"):
        super().__init__(CITE_RE)
        self.ext = ext

    def handleMatch(self, m, data):  # noqa: N802 - Markdown's API name
        items = parse_items(m["items"])
        if items is None or any(self.ext.lookup(sid, loc) is None for sid, loc in items):
            return None, None, None
        sup = etree.Element("sup", {"class": "cite"})
        for i, (sid, loc) in enumerate(items):
            number, target, shown = self.ext.lookup(sid, loc)
            self.ext.counts[number] = self.ext.counts.get(number, 0) + 1
            anchor = f"cite-{number}-{self.ext.counts[number]}"
            self.ext.anchors.setdefault(target, []).append(anchor)
            link = etree.SubElement(sup, "a", {"href": f"#{target}", "id": anchor, "class": "cite-link"})
            link.text = f"[{number}]"
            last = link
            if shown:  # as Wikipedia's {{rp}}: the place in the source, beside the note's number
                last = etree.SubElement(sup, "span", {"class": "rp"})
                last.text = f":\u00a0{shown}"
            if i < len(items) - 1:
                last.tail = "\u2009"
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


class CitationExtension(Extension):
    """Numbered citations and link sanitising; per-document state is cleared in `reset()`."""

    def __init__(self, **kwargs):
        self.config = {"allow_html": [False, "let raw HTML through instead of showing it as text"]}
        super().__init__(**kwargs)
        self.cite_map: dict[tuple[str, str], tuple[int, str, str]] = {}   # (id, locator) -> (number, anchor, shown)
        self.by_id: dict[str, tuple[int, str, str]] = {}
        self.anchors: dict[str, list[str]] = {}   # a note's (or a place's) anchor -> the citations' anchors
        self.counts: dict[int, int] = {}          # note number -> citations of it so far

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        md.registerExtension(self)
        md.inlinePatterns.register(_CitePattern(self), "citation", 175)
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 1)
        md.postprocessors.register(_SafeRawHtml(md), "safe_raw_html", 35)  # before raw_html (30)
        if not self.getConfig("allow_html"):
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")

    def reset(self):
        self.cite_map, self.by_id, self.anchors, self.counts = {}, {}, {}, {}

    def lookup(self, sid: str, loc: str) -> tuple[int, str, str] | None:
        """Return (note number, anchor, locator shown) for a citation; without a locator, the source's note."""
        if (sid, loc) in self.cite_map:
            return self.cite_map[(sid, loc)]
        return self.by_id.get(sid) if not loc else None


# A Markdown instance holds the document it converts: one per thread (the live preview draws a
# saved page on its server's thread while its rebuild converts on another).
_LOCAL = threading.local()


def _convert(text: str, cite_map: tuple[tuple[str, int, str, str], ...], allow_html: bool):
    """Run Python-Markdown with the citation extension on one document."""
    instances = _LOCAL.__dict__.setdefault("instances", {})
    if allow_html not in instances:
        ext = CitationExtension(allow_html=allow_html)
        # smarty as an instance: by its name, Markdown looks it up among every installed
        # package's entry points first (~25 ms in each process that converts)
        md = markdown.Markdown(extensions=[ext, SmartyExtension()], output_format="html")
        mdinline.speed_up(md)
        instances[allow_html] = (md, ext)
    md, ext = instances[allow_html]
    md.reset()  # clears the extension too: citation numbers never leak between documents
    for key, number, anchor, shown in cite_map:
        sid, _, loc = key.partition("|")
        ext.cite_map[(sid, loc)] = (number, anchor, shown)
        ext.by_id.setdefault(sid, (number, f"note-{number}", ""))
    html = md.convert(text)
    # kept 200,000 times: the HTML compressed, the anchors in tuples, not a dict of lists
    return zlib.compress(html.encode(), 1), tuple((n, tuple(a)) for n, a in ext.anchors.items())


KEY_SIZE = 16  # bytes of a memo key


class Converter:
    """Renders Markdown, remembering each result: ~2 ms a body, and a summary shows on several pages."""

    # Each text's HTML is kept compressed (zlib's fastest level), as UTF-8: at 100,000 events the
    # memo's 200,000 texts took 210 MB as strings, 75 MB so, in the build's process and in every
    # process forked from it (docs/performance.md, "Peak memory"). Inflating one takes 5 us, a
    # page draws most of its texts once; and pickle, asked for a string's UTF-8 form when it
    # writes the memo, made CPython keep it in every string with a character beyond ASCII (half
    # of them: the typography's no-break spaces), 170 MB more at the end of a clean build.

    def __init__(self):
        self.memo: dict[bytes, tuple[bytes, tuple[tuple[str, tuple[str, ...]], ...]]] = {}  # html (zlib, UTF-8), anchors
        self.used: set[bytes] = set()     # keys asked for during this build (`begin` clears it)
        self.changed: set[bytes] = set()  # keys added or dropped since the memo was last saved
        self.load_more = None             # the reader of a memo on disk: load_more(key or None for all)
        self.where = None                 # which memo on disk that is (`attach`)

    @staticmethod
    def key(text: str, cite_map: tuple[tuple[str, int, str, str], ...] = (), allow_html: bool = False) -> bytes:
        """Return the memo's key for a text converted with these citations."""
        return hashlib.blake2b(f"{allow_html}{cite_map!r}\0{text}".encode(), digest_size=KEY_SIZE).digest()

    def render(self, text: str, cite_map: tuple[tuple[str, int, str, str], ...] = (), allow_html: bool = False):
        """Render a Markdown body to (html, {anchor of a note or place: [anchors of the citations]})."""
        key = self.key(text, cite_map, allow_html)
        hit = self.memo.get(key)
        if hit is None and self.load_more is not None:
            self.load_more(key)  # the memo on disk is read a part at a time, when first needed
            hit = self.memo.get(key)
        if hit is None:
            hit = self.memo[key] = _convert(text, cite_map, allow_html)
            self.changed.add(key)
        self.used.add(key)
        return zlib.decompress(hit[0]).decode(), {n: list(a) for n, a in hit[1]}

    def render_inline(self, text: str, allow_html: bool = False) -> str:
        """Render one paragraph of Markdown without the surrounding <p>."""
        html, _ = self.render(text, (), allow_html)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return html[3:-4]
        return html

    def missing(self, texts) -> dict[bytes, tuple]:
        """Return {key: (text, cite_map, allow_html)} of the `texts` (such triples) the memo lacks."""
        todo = {}
        for args in texts:
            key = self.key(*args)
            if key not in self.memo and key not in todo:
                if self.load_more is not None:
                    self.load_more(key)
                    if key in self.memo:
                        continue
                todo[key] = args
        return todo

    @staticmethod
    def convert(todo: dict[bytes, tuple]) -> dict:
        """Convert each text of `missing`'s answer, keeping nothing: {key: result}, for `merge`."""
        return {key: _convert(*args) for key, args in todo.items()}

    def attach(self, load_more, where=None) -> None:
        """Read from a memo on disk when a key is missing (`load_more(key)`, or None for all).

        `where` names that memo (its folder): when it is not the one this process last read and
        saved, all that is held here counts as changed, for that memo lacks it (a second site
        built by the same process would otherwise keep only the bodies it alone had)."""
        if where != self.where:
            self.changed.update(self.memo)
            self.where = where
        self.load_more = load_more

    def load_all(self) -> None:
        """Read all of the memo on disk now (before forking workers, so each starts with it)."""
        if self.load_more is not None:
            self.load_more(None)

    def add(self, found: dict) -> None:
        """Take results read from disk, keeping those already here."""
        for key, value in found.items():
            self.memo.setdefault(key, value)

    def begin(self) -> None:
        """Start a build: the keys asked for from now on are this build's."""
        self.used.clear()

    def mark(self) -> int:
        """Return a mark of what the memo holds now, for `since`."""
        return len(self.memo)

    def since(self, mark: int) -> tuple[dict, set]:
        """Return what was added since `mark` and the keys used, and forget the latter (in a worker)."""
        added = len(self.memo) - mark
        fresh = dict(islice(reversed(self.memo.items()), added)) if added > 0 else {}
        used = set(self.used)
        self.used.clear()
        return fresh, used

    def since_changed(self, changed: set) -> tuple[dict, set]:
        """Return what was converted since `changed` was this memo's `changed`, and the keys used
        (in a forked process, whatever it read from disk meanwhile)."""
        return {k: self.memo[k] for k in self.changed - changed if k in self.memo}, set(self.used)

    def merge(self, fresh: dict, used: set) -> None:
        """Take what a worker rendered and used."""
        self.memo.update(fresh)
        self.changed.update(fresh)
        self.used.update(used)

    def drop_unused(self) -> None:
        """Drop what this build did not ask for: call it after a build that rendered every page."""
        gone = self.memo.keys() - self.used
        for key in gone:
            del self.memo[key]
        self.changed.update(gone)

    def take_changes(self) -> set[bytes]:
        """Return the keys added or dropped since the last call (for saving the memo)."""
        changed = set(self.changed)
        self.changed.clear()
        return changed

    def shards(self, wanted, count: int):
        """Yield (i, the part of the memo whose keys' first byte is i modulo `count`) for each i
        of `wanted`, the files of the memo on disk, its keys sorted out in one pass: a pass for
        each of 64 files took 0.96 s at the end of a clean build of 100,000 events, 0.10 s so."""
        keys: dict[int, list] = {i: [] for i in wanted}
        for key in self.memo:
            found = keys.get(key[0] % count)
            if found is not None:
                found.append(key)
        for i, listed in keys.items():
            yield i, {key: self.memo[key] for key in listed}


CONVERTER = Converter()  # this process's; forked workers inherit it and send back what they add
render = CONVERTER.render
render_inline = CONVERTER.render_inline


def texts_of(timeline) -> list[tuple[str, tuple, bool]]:
    """Return what the pages convert for every event of a timeline (its body, its summary), as `render`'s arguments."""
    allow = timeline.config.allow_html
    return [args for e in timeline.events for args in ((e.body_md, e.cite_map, allow), (e.summary_md, (), allow))
            if args[0]]
