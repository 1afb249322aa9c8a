"""Raw HTML in Markdown (`allow_html: true`), with everything that runs a script taken out.

Each piece of raw HTML is parsed with the standard library's HTML parser and written again from
what it parsed: tags with their attributes double-quoted and escaped, text escaped. A browser
then reads the same tags the parser read, and a trick that makes two parsers disagree (an
unquoted attribute, `</style x>`, a tag inside an attribute) stays text. What is taken out:
`on*` event handlers, `srcdoc`, URL attributes with a scheme other than http, https and mailto
(`javascript:`, `vbscript:`, `data:`...), and the elements `script` (with its content), `base`
and `meta` (a `<base>` anywhere moves every relative link, scripts included; `<meta>` refreshes).
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

# Attributes a browser reads as a URL; SVG's <animate>/<set> write `to`, `from`, `by`, `values`
# into another attribute (an href), so they count too.
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data",
    "srcset", "longdesc", "lowsrc", "dynsrc", "codebase", "classid", "archive", "usemap", "profile",
    "manifest", "icon", "ping", "to", "from", "by", "values", "xml:base",
})
DROPPED_ELEMENTS = frozenset({"script", "base", "meta"})
_NAME = re.compile(r"[a-z_:][-a-z0-9_:.]*\Z")


def sanitise(html: str, is_safe_url) -> str:
    """Return raw HTML written again without scripting; `is_safe_url(url)` judges each URL."""
    if "<" not in html:
        return html  # text and character references only: nothing to parse
    writer = _Rewriter(is_safe_url)
    try:
        writer.feed(html)
        writer.close()
    except AssertionError:  # how the parser refuses a declaration it cannot read (`<![>`): all shown as text
        return escape(html, quote=False)
    return "".join(writer.out)


def _safe_attributes(attrs, is_safe_url) -> list[tuple[str, str | None]]:
    kept = []
    for name, value in attrs:
        if not _NAME.match(name) or name.startswith("on") or name == "srcdoc":
            continue
        if value is not None and name in URL_ATTRIBUTES:
            urls = [c.strip().split(" ")[0] for c in value.split(",")] if name in ("srcset", "ping") else [value]
            if not all(is_safe_url(url) for url in urls):
                continue
        kept.append((name, value))
    return kept


class _Rewriter(HTMLParser):
    def __init__(self, is_safe_url):
        super().__init__(convert_charrefs=False)
        self.is_safe_url = is_safe_url
        self.out: list[str] = []
        self.skipping = 0  # inside <script>: its content goes too

    def _tag(self, tag, attrs, end=">"):
        if tag in DROPPED_ELEMENTS or not _NAME.match(tag):
            return
        parts = [tag] + [name if value is None else f'{name}="{escape(value)}"'
                         for name, value in _safe_attributes(attrs, self.is_safe_url)]
        self.out.append(f"<{' '.join(parts)}{end}")

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.skipping += 1
        elif not self.skipping:
            self._tag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        if not self.skipping:
            self._tag(tag, attrs, " />")

    def handle_endtag(self, tag):
        if tag == "script":
            self.skipping = max(0, self.skipping - 1)
        elif not self.skipping and tag not in DROPPED_ELEMENTS and _NAME.match(tag):
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.skipping:
            return
        if self.cdata_elem:  # inside <style>: CSS's own escape, so no `</style x>` ends it early
            self.out.append(data.replace("<", "\\3c "))
        else:
            self.out.append(data.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))

    def handle_entityref(self, name):
        if not self.skipping:
            self.out.append(f"&{name};")

    def handle_charref(self, name):
        if not self.skipping:
            self.out.append(f"&#{name};")

    def handle_comment(self, data):
        # kept only when no parser could read it another way; declarations, processing
        # instructions and CDATA sections are dropped
        if not self.skipping and not re.search(r"--|[<>]|^-", data):
            self.out.append(f"<!--{data}-->")
