"""Nothing unsafe reaches a reader: script-injection payloads in every field, checked as a browser parses."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from PIL import Image

from dateline.core.citations import is_safe_url

P = """<script>alert(1)</script><img src=x onerror=alert(1)>"'><svg onload=alert(1)></script>"""
LINKS = [  # Markdown links and images whose target a browser would run
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)", "&#0000106;avascript:alert(1)", "javascript&colon;alert(1)",
    "java&#x09;script:alert(1)", "java&#9;script:alert(1)", "java&NewLine;script:alert(1)",
    "<javascript:alert(1)>", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "&#118;bscript:msgbox(1)",
]
RAW = [  # raw HTML that runs a script, which `allow_html: true` must not let through either
    '<a href="javascript:alert(1)">raw link</a> <a/href=javascript:alert(1)>slash</a> <a href="java&#x09;script:x">tab</a>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>',
    '<svg><a xlink:href="javascript:alert(1)"><text>svg</text></a><animate attributeName="href" to="javascript:alert(1)"/></svg>',
    '<img srcset="https://example.org/a.png 1x, javascript:alert(1) 2x"> <object data="javascript:alert(1)"></object>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe> <video poster="javascript:alert(1)"></video>',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<style>p {}</style x><script>alert(1)</script></style>',
    '<details open ontoggle="alert(1)">t</details> <math href="javascript:alert(1)">m</math>',
    '<div\nonclick="alert(1)">newline</div> <a href="&#x6A;avascript:alert(1)" ONMOUSEOVER=alert(1)>upper</a>',
]
BODY = "\n\n".join([
    f"Body text {P} [@evil, Locator {P}].",
    *(f"[link {i}]({target}) and ![image {i}]({target})" for i, target in enumerate(LINKS)),
    "[by reference][r]\n\n[r]: javascript:alert(1)",
    '<div class="raw" onclick="alert(1)">raw block</div>',
    'Inline <b class="raw" onmouseover="alert(1)">raw</b> and <a href="javascript:alert(1)">raw link</a>.',
    '<iframe src="javascript:alert(1)"></iframe>',
    *RAW,
])
IMAGE = """content/media/x"onerror=alert(1)'.jpg"""  # the file's name too
EVENT = {
    "title": f"Title {P}", "date": "2019-10-13", "summary": f"Summary {P} [s](javascript:alert(1))",
    "place": f"Place {P}", "actors": [f"Actor {P}"], "tags": [f"Tag {P}"], "lang": 'en" onfocus="alert(1)',
    "sources": [{"id": "evil", "quote": f"Quote {P}", "locator": f"RefLocator {P}"}],
    "accounts": [
        {"about": f"About {P}", "claim": f"Claim {P}", "by": f"By {P}", "cite": f"[@evil, CiteLocator {P}]",
         "quote": f"AccountQuote {P}", "value": 5, "qualifier": "at least", "counts": f"Counts {P}"},
        {"about": f"About {P}", "claim": f"Other claim {P}", "by": f"Other by {P}", "cite": "[@evil]", "value": 7,
         "counts": f"Other counts {P}", "disputes": True},
    ],
    "status": "developing",
    "corrections": [{"date": "2019-10-14", "what": f"CorrectionWhat {P}", "why": f"CorrectionWhy {P}"}],
    "media": [
        {"file": IMAGE, "alt": f"Alt {P}", "caption": f"Caption {P}", "credit": f"Credit {P}",
         "licence": f"Licence {P}", "source": "evil"},
        {"url": 'https://example.org/i.png"onerror="alert(1)', "alt": f"RemoteAlt {P}"},
    ],
}
POST = {
    "type": "post", "author": f"PostAuthor {P}", "handle": f"Handle {P}", "platform": f"Platform {P}",
    "text": f"PostText {P}", "url": 'https://social.example/p"onmouseover="alert(1)', "published": "2019-10-13",
}
SOURCE = {
    "title": f"SourceTitle {P}", "publisher": f"Publisher {P}", "author": f"Author {P}", "note": f"Note {P}",
    "url": 'https://example.org/x"onmouseover="alert(1)', "archive_url": "https://example.org/a'onblur='alert(1)",
    "published": "2019-10-13", "language": 'fr" onfocus="alert(1)',
    "url_status": "dead", "archive_date": "2019-10-14", "accessed": "2019-10-14", "remarks": f"Remarks {P}",
}
MARKERS = ["Title", "Summary", "Body text", "Place", "Actor", "Tag", "Quote", "RefLocator", "Locator",
           "Claim", "By", "AccountQuote", "About", "Counts", "CiteLocator", "SourceTitle", "Publisher", "Author",
           "Note", "SiteTitle", "Alt", "Caption", "Credit", "Licence", "RemoteAlt", "PostAuthor", "Handle", "Platform",
           "PostText", "CorrectionWhat", "CorrectionWhy"]
SCRIPT_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data", "srcset",
             "to", "from", "values"}


class Page(HTMLParser):
    """Record what a browser would make of a page: scripts, attributes, dangerous elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.elements: list[tuple[str, dict]] = []
        self._script: dict | None = None
        self._data: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self.attrs.extend((tag, name, value or "") for name, value in attrs)  # values arrive unescaped
        if tag == "script":
            self._script, self._data = dict(attrs), []

    def handle_data(self, data):
        if self._script is not None:
            self._data.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._data)))
            self._script = None


def browser_scheme_of(url: str) -> str:
    """Return a URL as a browser reads its scheme: without spaces or control characters, lowercased."""
    return "".join(ch for ch in url if ord(ch) > 32).lower()


def unsafe_things(path: str, body: bytes, output: Path, raw_allowed: bool = False) -> list[str]:
    """List every way page `path` could run a script that is not one of ours; `raw_allowed`: the
    site has `allow_html`, so frames and raw elements are the editor's, but never scripting."""
    page = Page()
    page.feed(body.decode("utf-8"))
    page.close()
    found = []
    for attrs, text in page.scripts:
        if attrs.get("type") == "application/ld+json":
            try:
                json.loads(text)
            except ValueError:
                found.append(f"{path}: JSON-LD that is not JSON: {text[:80]!r}")
        elif text.strip() or not (output / Path(path).parent / attrs.get("src", "")).resolve().is_relative_to(
                (output / "static").resolve()):
            found.append(f"{path}: a script that is not ours: {attrs} {text[:80]!r}")
    for tag, name, value in page.attrs:
        if name.startswith("on"):
            found.append(f"{path}: <{tag} {name}={value!r}>")
        urls = value.split(",") if name == "srcset" else value.split(";") if name == "values" else [value]
        if name in URL_ATTRS and any(browser_scheme_of(u).startswith(SCRIPT_SCHEMES) for u in urls):
            found.append(f"{path}: <{tag} {name}={value!r}>")
        if name == "srcdoc":
            found.append(f"{path}: <{tag} {name}={value!r}>")
    for tag, attrs in page.elements:
        if tag in ("base",) + (() if raw_allowed else ("iframe", "object", "embed", "frame")) or (
                tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh"):
            found.append(f"{path}: <{tag} {attrs}>")
        if "raw" in (attrs.get("class") or "").split() and not raw_allowed:
            found.append(f"{path}: raw HTML from Markdown became an element: <{tag} {attrs}>")
    return found


def write_site(root: Path, allow_html: bool = False) -> Path:
    """Write a site whose every content field carries a script-injection payload."""
    files = {
        "site.yaml": {"title": f"SiteTitle {P}", "description": f"Description {P}", "author": f"SiteAuthor {P}",
                      "base_url": "/", "allow_html": allow_html},
        "content/sources/evil.yaml": SOURCE,
        "content/sources/post.yaml": POST,
    }
    for rel_path, data in files.items():
        (root / rel_path).parent.mkdir(parents=True, exist_ok=True)
        (root / rel_path).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    events = root / "content/events"
    events.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(EVENT, allow_unicode=True, sort_keys=False)
    other = {**EVENT, "title": f"Second {P}", "date": "2019-10-14", "accounts": [], "sources": [*EVENT["sources"], "post"]}
    (root / IMAGE).parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (60, 40), "teal").save(root / IMAGE, "JPEG")
    texts = {"evil.md": f"---\n{front}---\n{BODY}\n",
             "second.md": f"---\n{yaml.safe_dump(other, allow_unicode=True)}---\nPlain [@evil].\n"}
    for name, text in texts.items():
        # raw HTML that is allowed must still link to something: the link check runs on it too
        (events / name).write_text(text.replace("src=x", "src=https://example.org/x") if allow_html else text)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from dateline.cli import main

    root = write_site(tmp_path_factory.mktemp("evil") / "site")
    assert main(["build", "--site", str(root)]) == 0
    return root / "output"


def test_no_payload_in_any_field_can_run_a_script(built):
    pages = {p.relative_to(built).as_posix(): p.read_bytes() for p in built.rglob("*.html")}
    assert len(pages) > 5
    found = [thing for path, body in sorted(pages.items()) for thing in unsafe_things(path, body, built)]
    assert found == []


def test_every_payload_reached_the_pages_as_text(built):
    """The test above proves something only if the payloads were rendered, escaped, somewhere."""
    text = "".join(p.read_text() for p in built.rglob("*.html"))
    missing = [m for m in MARKERS if f"{m} &lt;script&gt;alert(1)&lt;/script&gt;" not in text]
    assert missing == []
    for i in range(len(LINKS)):
        assert f">link {i}</a>" in text  # the link is kept as text, its target dropped
    assert "Remarks" not in text  # an editor's remark is never published, escaped or not


def test_raw_html_in_markdown_is_shown_as_text_unless_allowed(built, tmp_path):
    from dateline.cli import main

    event = (built / "events").glob("2019-10-13-*/index.html")
    page = next(event).read_text()
    assert "&lt;b class=" in page and "&lt;div class=" in page
    root = write_site(tmp_path / "allowed", allow_html=True)
    assert main(["build", "--site", str(root)]) == 0
    page = next((root / "output/events").glob("2019-10-13-*/index.html")).read_bytes()
    parsed = Page()
    parsed.feed(page.decode())
    assert ("b", {"class": "raw"}) in parsed.elements  # the editor's choice, without its event handler
    assert ("div", {"class": "raw"}) in parsed.elements


def test_allowed_raw_html_keeps_its_markup_but_nothing_that_runs(tmp_path):
    from dateline.cli import main

    root = write_site(tmp_path / "allowed", allow_html=True)
    assert main(["build", "--site", str(root)]) == 0
    output = root / "output"
    pages = {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*.html")}
    found = [thing for path, body in sorted(pages.items())
             for thing in unsafe_things(path, body, output, raw_allowed=True)]
    assert found == []
    text = "".join(body.decode() for body in pages.values())
    for kept in (">raw link</a>", ">slash</a>", "<form>", "<svg>", ">go</button>", "<details open>", ">newline</div>"):
        assert kept in text


@pytest.mark.parametrize("raw", ["<![>", "<!----><![>", "<b>bold</b> <![> <script>x</script>"])
def test_raw_html_the_parser_refuses_is_shown_as_text(raw):
    from dateline.render import rawhtml

    shown = rawhtml.sanitise(raw, is_safe_url)
    assert "<" not in shown and shown.startswith("&lt;")  # as typed, nothing parsed as markup


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "\tjava\nscript:alert(1)", "\x01javascript:alert(1)",
    "&#106;avascript:alert(1)", "&#x6a;avascript:alert(1)", "&#0000106;avascript:alert(1)",
    "javascript&colon;alert(1)", "java&#x09;script:alert(1)", "java&Tab;script:alert(1)",
    "data:text/html,x", "vbscript:x", "&#x64;ata:text/html,x",
])
def test_scripting_urls_are_unsafe_however_written(url):
    assert not is_safe_url(url)


@pytest.mark.parametrize("url", [
    "https://example.org/a?b=c#d", "http://example.org", "mailto:desk@example.org", "../sources/#bbc",
    "#note-1", "events/2019-10-13-x/", "/repo/static/style.css", "?q=a:b", "a/b:c", "&amp;#106;avascript:x",
])
def test_ordinary_links_stay_safe(url):
    assert is_safe_url(url)
