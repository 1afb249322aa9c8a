"""TimelineJS text is HTML; Dateline's bodies are Markdown and its titles plain text.

markdownify does the converting (links, emphasis, lists, quotes); this module decides what may
not come along: a link or image that is not http(s) (relative to the page the timeline was
embedded in, or a script) keeps its words and loses its target, and embedded players are
dropped. Each such loss is returned as a sentence, for the importer's notes.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

_SAFE = ("http://", "https://", "mailto:")
_EMBEDS = ("iframe", "script", "style", "object", "embed", "video", "audio", "form")
# Dateline reads `[@id]` as a citation; imported text cites nothing, so such words are escaped.
# (The pattern is citations.CITE_RE's: a bracket opening on `@`, not followed by a link target.)
_CITATION = re.compile(r"(?<!\\)\[(?=\s*@[^\[\]]*\](?!\())")
# '<b>' written as text in the HTML (&lt;b&gt;) must not become a tag in the Markdown.
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_BLOCKS = ("p", "div", "br", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
           "tr", "td", "th", "hr", "section", "figure", "figcaption")
_PLAIN = ("p", "div", "span", "br")  # tags whose loss loses nothing in one line of text
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}


class _Converter(MarkdownConverter):
    """markdownify with Dateline's escapes: citation brackets, tag-like text, odd characters in URLs."""

    def escape(self, text, parent_tags):
        text = super().escape(text, parent_tags)
        return _TAG_LIKE.sub("&lt;", _CITATION.sub(r"\\[", text))

    def convert_a(self, el, text, parent_tags):
        if el.get("href"):
            el["href"] = "".join(_URL_UNSAFE.get(c, c) for c in el["href"].strip())
        return super().convert_a(el, text, parent_tags)


def _soup(html: str, losses: list[str]) -> BeautifulSoup:
    """Parse `html`, unlinking unsafe links and images and dropping embeds; record each loss."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_EMBEDS):
        losses.append(f"an embedded <{tag.name}> was dropped")
        tag.decompose()
    for tag in soup.find_all(("a", "img")):
        if tag.name == "a":
            href = (tag.get("href") or "").strip()
            if href and not href.lower().startswith(_SAFE):
                losses.append(f"the link {href!r} (on {' '.join(tag.get_text().split())!r}) was dropped: "
                              "only http(s) and mailto links are kept")
                tag.unwrap()
        elif not (tag.get("src") or "").strip().lower().startswith(("http://", "https://")):
            losses.append(f"the image {tag.get('src', '')!r} was dropped: only http(s) images are kept")
            tag.decompose()
    return soup


def to_markdown(html: str, losses: list[str]) -> str:
    """Return `html` as Markdown, links kept; append to `losses` what could not come along."""
    if not html or not html.strip():
        return ""
    soup = _soup(html, losses)
    text = _Converter(heading_style="ATX", bullets="-", escape_misc=False).convert_soup(soup)
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return re.sub(r"\n{3,}", "\n\n", text)


def to_text(html: str, losses: list[str] | None = None, what: str = "text") -> str:
    """Return `html` as one line of plain text; note in `losses` when links or formatting were dropped."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:  # most headlines: no markup to parse
        return " ".join(html.split())
    soup = BeautifulSoup(html, "html.parser")
    if losses is not None:
        links = [a.get("href") for a in soup.find_all("a") if a.get("href")]
        if links:
            losses.append(f"the {what} is plain text: its link{'s' if len(links) > 1 else ''} "
                          f"({', '.join(links)}) {'were' if len(links) > 1 else 'was'} dropped")
        elif soup.find(lambda tag: tag.name not in _PLAIN):
            losses.append(f"the {what} is plain text: its HTML formatting was dropped")
    for tag in soup.find_all(_EMBEDS):
        tag.decompose()
    for tag in soup.find_all(_BLOCKS):  # words either side of a block stay apart; inline tags join
        tag.insert_before(" ")
        tag.insert_after(" ")
    return " ".join(soup.get_text().split())
