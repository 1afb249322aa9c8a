"""Check that every internal link and asset in the built site resolves, fragments included.

Run on the rendered files before anything is written, so a broken link fails the build with
the page and the link. Attributes are read with a regular expression: the templates and
Markdown always double-quote them, and it is ~50x faster than an HTML parser at 100k pages.
"""

from __future__ import annotations

import html
import html.entities
import posixpath
import re
import zlib
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from ..core.errors import Problem

_ATTR = re.compile(rb'\s(href|src|id)="([^"]*)"')
# In a page written by site.yaml's minify_html, a value may also be in single quotes or in none,
# and "&amp;" may be a bare "&" where HTML reads it as one. There the tags are found first (a quoted
# value may hold a ">"), then each tag's attributes in turn, every value consumed whole (a title
# may say "href=x"). About three times slower than the quoted path: for those pages only.
_TAG = re.compile(rb'<[a-zA-Z][^\s/>]*((?:[^>"\']|"[^"]*"|\'[^\']*\')*)>')
_ATTRS = re.compile(rb'([^\s=/>"\']+)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+)))?')
_REF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


def _unquoted_pairs(page: bytes) -> list[tuple[bytes, bytes]]:
    """Return the (name, value) of each href, src and id inside the tags of `page`."""
    return [(name.lower(), a or b or c) for attrs in _TAG.findall(page) for name, a, b, c in _ATTRS.findall(attrs)
            if name.lower() in (b"href", b"src", b"id")]


def _attribute_text(value: str) -> str:
    """Decode the character references of an attribute's value as HTML does there: a named one
    without ";" only when it is the whole run of letters and digits and no "=" follows it
    ("&notes" stays as it is, where html.unescape would make it "\u00acs")."""
    def one(m: re.Match) -> str:
        ref = m.group(1)
        if ref.startswith("#") or ref.endswith(";"):
            return html.unescape(m.group())
        if ref in html.entities.html5 and value[m.end():m.end() + 1] != "=":
            return html.entities.html5[ref]
        return m.group()
    return _REF.sub(one, value) if "&" in value else value


def extract(page: bytes, unquoted: bool = False) -> tuple[list[str], set[str]]:
    """Return (links, ids) of an HTML page; `unquoted`: its attribute values may lack quotes."""
    links, ids = [], set()
    for name, value in _unquoted_pairs(page) if unquoted else _ATTR.findall(page):
        raw = value.decode("utf-8", "replace")
        text = _attribute_text(raw) if unquoted else html.unescape(raw)
        (ids.add(text) if name == b"id" else links.append(text))
    return links, ids


class Written(NamedTuple):
    """A page already written into the new tree as it was drawn (build/parallel.py, on a big
    build), known here by what the check needs of it: its links and its ids, each kind joined by
    NUL into one string (which the content never holds, core/chars.py). Strings, not a list and
    a set per page: 100,000 pages' containers arriving while the cycle collector is on would be
    walked by every collection. The links are compressed (zlib's fastest level): read once by
    the check, they were 270 MB of a clean build's peak at 100,000 pages, and a quarter of that
    compressed (docs/performance.md, "Peak memory"); the ids, read again and again, are not."""

    links: bytes  # zlib-compressed, UTF-8
    ids: str

    @classmethod
    def of(cls, page: bytes, unquoted: bool = False) -> Written:
        links, ids = extract(page, unquoted)
        return cls(zlib.compress("\0".join(links).encode(), 1) if links else b"", "\0".join(sorted(ids)))


def found(page: bytes | Written, unquoted: bool = False) -> tuple[list[str], set[str]]:
    """Return (links, ids) of an HTML page, given as bytes or as already written."""
    if not isinstance(page, Written):
        return extract(page, unquoted)
    return ((zlib.decompress(page.links).decode().split("\0") if page.links else []),
            (set(page.ids.split("\0")) if page.ids else set()))


def resolve(page: str, link: str, base_url: str) -> tuple[str, str] | None:
    """Return (output path, fragment) for an internal link from `page`, or None if external."""
    parts = urlsplit(link)
    base = urlsplit(base_url)
    if parts.scheme or parts.netloc:
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not base.netloc:
            return None  # another site, mailto:, ...
        path = parts.path
    elif link.startswith("/"):
        path = parts.path
    else:
        if parts.path:
            path = posixpath.normpath(posixpath.join("/", posixpath.dirname(page), parts.path))
            if parts.path.endswith("/") and path != "/":
                path += "/"
        else:
            path = "/" + page
        path = base.path.rstrip("/") + path  # relative links live under the base path
    root = base.path or "/"
    if not path.startswith(root) and path + "/" != root:
        return ("\0outside", parts.fragment)
    rel = unquote(path[len(root):]) if path.startswith(root) else ""
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return rel, parts.fragment


def _resolved(page: str, link: str, base_url: str, memo: dict) -> tuple[str, str] | None:
    """`resolve`, remembered in `memo` (one memo for one base URL). A fragment alone resolves to
    the page itself; a link that climbs to the site's root ("../../static/style.css" from two
    folders down) resolves the same from every page it climbs out of, and most of a page's
    links do (the stylesheet, the menu, the terms, the events); any other link is remembered for
    the page's folder. A link with a fragment is remembered without it: a term page's links to
    its events' notes resolve once for each event, not once for each note. A link that urlsplit would clean first (a leading space or control
    character, a tab or newline anywhere) is resolved afresh: its text is not what is resolved."""
    if link[:1] <= " " or not link.isprintable():
        return resolve(page, link, base_url)
    if link[:1] == "#":
        key = (page, "#")
        found = memo.get(key) or memo.setdefault(key, resolve(page, "#", base_url))
        return found[0], link[1:]
    head, hashed, fragment = link.partition("#")
    if hashed:  # the page it points into resolves as the link without its fragment: remembered once
        found = _resolved(page, head, base_url, memo)
        return found and (found[0], fragment)
    depth, ups = page.count("/"), 0
    while link.startswith("../", 3 * ups):
        ups += 1
    if link[:1] == "?":
        key = (page, link)  # resolves to the page itself: remembered for that page
    elif ups >= depth:
        key = ("\0root", link)
    else:
        key = (posixpath.dirname(page), link)
    try:
        return memo[key]
    except KeyError:
        found = memo[key] = resolve(page, link, base_url)
        return found


class Found:
    """{HTML page: (links, ids)} of `files`, found when asked from the page's bytes, or read with
    `read(path)` for a file kept from the last build (None in `files`); only the last KEEP asked
    for are kept. Not all at once: at 100,000 pages their lists and sets took 1 GB more than the
    pages' strings (docs/performance.md, "Streaming"). A link check asks for each page's links
    once; the ids of the pages its fragments point to (`ids`), again and again: a term page
    links to thousands of events' notes. So each page's ids stay known as one NUL-joined string
    (a written page's own), and the last KEEP pages' as sets."""

    KEEP = 256

    def __init__(self, files: dict, read=None, unquoted: bool = False):
        self.files, self.read, self.unquoted = files, read, unquoted
        self.kept: dict[str, tuple[list[str], set[str]]] = {}
        self.id_sets: dict[str, set[str]] = {}
        self.joined: dict[str, str] = {}  # the ids of each page parsed here (not a written page's)

    def __contains__(self, path) -> bool:
        return path in self.files and path.endswith(".html")

    def __getitem__(self, path: str) -> tuple[list[str], set[str]]:
        found_ = self.kept.pop(path, None)
        if found_ is None:
            body = self.files[path]
            found_ = found(self.read(path) if body is None else body, self.unquoted)
            if not isinstance(body, Written):
                self.joined[path] = "\0".join(sorted(found_[1]))
        _remember(self.kept, path, found_, self.KEEP)
        return found_

    def ids(self, path: str) -> set[str]:
        """Return the ids of page `path`, parsing it only the first time it is asked for."""
        if path in self.kept:
            return self.kept[path][1]
        body = self.files[path]
        text = body.ids if isinstance(body, Written) else self.joined.get(path)
        if text is None:
            return self[path][1]
        ids = self.id_sets.pop(path, None)
        if ids is None:
            ids = set(text.split("\0")) if text else set()
        _remember(self.id_sets, path, ids, self.KEEP)
        return ids


def _remember(table: dict, key, value, most: int) -> None:
    """Put `value` last in `table`, dropping the entry asked for least recently beyond `most`."""
    table[key] = value
    if len(table) > most:
        del table[next(iter(table))]


# Links remembered as resolved (`_resolved`) by a check before it starts afresh: a term page's
# links to its 5,000 events' notes resolve once each, and at 100,000 events the links a share of
# the check had remembered grew its process by 220 MB (docs/performance.md, "Peak memory").
MEMO = 20_000


def check_links(files: dict, base_url: str, also_exist=(), read=None, unquoted: bool = False,
                spread=None) -> list[Problem]:
    """Report every internal link in `files` whose target or fragment is missing.

    A page is given as bytes, as `Written`, or as None with `read(path)` returning its bytes;
    `unquoted`: the pages were minified (site.yaml's minify_html). `spread(check, count)` may
    run `check(slice)` over slices of the `count` pages, in order, on other cores (the build's
    parallel.spread), and return their problems joined in that order."""
    pages = Found(files, read, unquoted)
    existing = set(files) | set(also_exist)
    order = sorted(p for p in files if p.endswith(".html") and p != "404.html")  # 404.html: below

    def check(share: slice) -> list[Problem]:
        memo: dict = {}
        problems = []
        for page in order[share]:
            if len(memo) > MEMO:
                memo.clear()
            problems += _check_page(page, pages[page][0], pages, existing, base_url, memo=memo)
        return problems
    problems = spread(check, len(order)) if spread else check(slice(0, len(order)))
    if "404.html" in pages:  # with the base path, as GitHub serves it at any depth
        problems.extend(_check_page("404.html", pages["404.html"][0], pages, existing, base_url, absolute_only=True))
    return problems


def _check_page(page, links, pages, existing, base_url, absolute_only=False, memo=None) -> list[Problem]:
    problems, memo = [], {} if memo is None else memo
    for link in links:
        if link.startswith("#:~:") or link == "":
            continue
        if absolute_only and not link.startswith(("/", "#", "http:", "https:", "mailto:")):
            problems.append(Problem(f"output/{page}", 0, 0, f"relative link '{link}' on the 404 page",
                                    "404.html is served at any depth: use absolute paths"))
            continue
        target = _resolved(page, link, base_url, memo)
        if target is None:
            continue
        path, fragment = target
        if path == "\0outside":
            problems.append(Problem(f"output/{page}", 0, 0, f"link '{link}' leaves the site's base path",
                                    f"links must stay under {urlsplit(base_url).path or '/'}"))
        elif path not in existing:
            problems.append(Problem(f"output/{page}", 0, 0, f"broken link '{link}': no {path} in the site",
                                    "check the template or the content that made it"))
        elif fragment and not fragment.startswith(":~:") and path in pages and unquote(fragment) not in pages.ids(path):
            problems.append(Problem(f"output/{page}", 0, 0, f"broken link '{link}': {path} has no id '{fragment}'",
                                    "check the template or the content that made it"))
    return problems
