"""Pages carry schema.org JSON-LD, a canonical link, Open Graph and Twitter tags, the feed's
autodiscovery link and links to every export; JSON-LD cannot be broken out of."""

from __future__ import annotations

import json
import posixpath
from html.parser import HTMLParser

import pytest

from conftest import write_tree
from export_site import INJECTION, build

BASE = "https://example.org/tl/"
TALKS = "events/2019-10-13-talks-in-geneva-switzerland-fail/"


class Head(HTMLParser):
    """Collect JSON-LD scripts, <link> and <meta> elements and footer links of a page."""

    def __init__(self, page: bytes):
        super().__init__()
        self.scripts, self.links, self.meta, self.anchors = [], [], {}, []
        self._in_ld = False
        self.feed(page.decode("utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.scripts.append("")
        elif tag == "script":
            self.scripts.append(None)  # any other script: counted, so an injected one shows
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        elif tag == "a":
            self.anchors.append(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.scripts[-1] += data

    def json_ld(self) -> list[dict]:
        return [json.loads(s) for s in self.scripts if s is not None]

    def link(self, rel: str) -> dict | None:
        return next((l for l in self.links if l.get("rel") == rel), None)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("structured")
    return build(lambda spec, name: write_tree(root / name, spec))


def page(files, path: str) -> Head:
    return Head(files[path])


def test_event_page_carries_a_schema_org_event_with_its_sources(files):
    (data,) = page(files, TALKS + "index.html").json_ld()
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == 'Talks in "Geneva, Switzerland" fail'
    assert data["startDate"] == "2019-10-13" and "endDate" not in data
    assert data["location"] == {"@type": "Place", "name": "Geneva, Switzerland"}
    assert data["description"].startswith("The talks failed, “again”")
    assert data["url"] == BASE + TALKS
    assert data["citation"] == [{
        "@type": "NewsArticle", "name": "Talks collapse in Geneva",
        "author": [{"@type": "Person", "name": "Doe, Jane"}, {"@type": "Person", "name": "Reuters staff"}],
        "publisher": {"@type": "Organization", "name": "Global Wire"},
        "url": "https://news.example.com/talks?id=1&lang=en", "datePublished": "2019-10-13", "inLanguage": "en"}]


def test_event_dates_keep_their_precision(files):
    flood = page(files, "events/2019-10-09-river-floods-the-valley/index.html").json_ld()[0]
    assert (flood["startDate"], flood["endDate"]) == ("2019-10-09", "2019-10-13")
    assert [c["@type"] for c in flood["citation"]] == ["CreativeWork", "Report"]
    assert flood["citation"][1]["datePublished"] == "2019-11"
    autumn = page(files, "events/2019-10-a-wet-autumn/index.html").json_ld()[0]
    assert autumn["startDate"] == "2019-10" and "location" not in autumn
    warning = page(files, "events/2019-10-13-warning-issued/index.html").json_ld()[0]
    assert warning["startDate"] == "2019-10-13T05:30+03:00"


def test_home_page_lists_the_events(files):
    (data,) = page(files, "index.html").json_ld()
    assert data["@type"] == "ItemList" and data["name"] == "Test timeline"
    items = data["itemListElement"]
    assert data["numberOfItems"] == len(items) == 6
    assert [i["position"] for i in items] == [1, 2, 3, 4, 5, 6]
    # A summary page's list: each item points to its event's page, whose own JSON-LD names and dates it.
    assert items[0] == {"@type": "ListItem", "position": 1, "url": BASE + "events/2018-dam-built/"}
    for item in items:
        path = item["url"][len(BASE):] + "index.html"
        assert path in files
        (event,) = page(files, path).json_ld()
        assert event["@type"] == "Event" and event["name"] and event["startDate"]


def test_json_ld_cannot_close_its_script(files):
    path = next(p for p in files if p.startswith("events/2019-10-14-"))
    raw = files[path].decode()
    head = Head(files[path])
    assert head.scripts.count(None) == 0  # no <script> but the JSON-LD one
    (data,) = head.json_ld()
    assert data["name"] == INJECTION
    assert data["description"] == "A summary with </script> in it & more."
    start = raw.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    ld = raw[start:raw.index("</script>", start)]
    assert not {"<", ">", "&"} & set(ld)
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in ld


def test_sharing_tags_with_an_absolute_base_url(files):
    head = page(files, TALKS + "index.html")
    assert head.link("canonical")["href"] == BASE + TALKS
    assert head.meta["og:url"] == BASE + TALKS
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == 'Talks in "Geneva, Switzerland" fail'
    assert head.meta["og:site_name"] == "Test timeline"
    assert head.meta["og:description"].startswith("The talks failed")
    assert head.meta["twitter:card"] == "summary"
    home = page(files, "index.html")
    assert home.link("canonical")["href"] == BASE
    assert (home.meta["og:type"], home.meta["og:title"]) == ("website", "Test timeline")
    assert home.meta["og:description"] == "Events for the export tests."
    assert page(files, "404.html").link("canonical") is None


def test_no_canonical_or_og_url_without_a_host(make_site):
    files = build(make_site, base_url="/repo/")
    head = page(files, TALKS + "index.html")
    assert head.link("canonical") is None and "og:url" not in head.meta
    assert head.json_ld()[0]["url"] == "/repo/" + TALKS  # a path from the host's root


@pytest.mark.parametrize("path", ["index.html", TALKS + "index.html", "sources/index.html"])
def test_feed_autodiscovery_and_export_links_lead_to_the_files(files, path):
    head = page(files, path)
    feed = head.link("alternate")
    assert feed["type"] == "application/atom+xml"
    assert posixpath.normpath(posixpath.join(posixpath.dirname(path), feed["href"])) == "feed.xml"
    targets = {posixpath.normpath(posixpath.join(posixpath.dirname(path), a["href"]))
               for a in head.anchors if "type" in a}
    assert targets == {"feed.xml", "events.ics", "events.json", "events.csv", "accounts.csv", "timeline.json",
                       "sources.json", "corrections.xml"}
    assert targets <= set(files)


def test_json_ld_escapes_every_character_that_could_end_its_script_or_line():
    from dateline.render import jsonld
    data = {"name": "a</script><b>&c", "text": "line\u2028separator\u2029paragraph"}
    html = str(jsonld.script(data))
    inner = html.split(">\n", 1)[1].rsplit("\n<", 1)[0]
    assert not set("<>&\u2028\u2029") & set(inner)
    assert json.loads(inner) == data
