"""Readers' side, without a browser: the index's filter data, text direction, printed endnotes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import write_tree
from dateline import pipeline as site
from dateline.render.endnotes import endnotes
from dateline.render.facets import fold
from dateline.render.direction import lang_attrs, text_dir

REPO = Path(__file__).resolve().parent.parent

SITE = """
-- site.yaml --
title: Reading test
base_url: /
language: en
-- content/aliases.yaml --
places:
  Qamishli: [Qamichli]
actors:
  SDF: [Syrian Democratic Forces]
-- content/sources/afp.yaml --
title: Des détenus s'évadent
publisher: AFP
language: fr
url: https://example.org/afp
-- content/sources/rudaw.yaml --
title: هەواڵ
publisher: Rudaw
language: ckb
url: https://example.org/rudaw
-- content/events/escape.md --
---
title: Five detainees escape near Qamishli
date: 2019-10-11
place: Qamichli
actors: [Syrian Democratic Forces]
tags: [prisons, escapes]
summary: Five *detainees* broke out, [AFP said](https://example.org/afp).
sources: [afp, rudaw]
---
Body [@afp].
-- content/events/truce.md --
---
title: A truce is agreed
date: 2020-01
end: 2021-02
tags: [diplomacy]
sources: [afp]
---
Body.
-- content/events/arabic.md --
---
title: هجوم على السجن
date: 2020-02-03
lang: ar
place: Hasaka
sources: [rudaw]
---
نص الخبر [@rudaw].
"""


class Elements(HTMLParser):
    """Collect every element's attributes, keyed by id, and the li.event elements in order."""

    def __init__(self, html: str):
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.events: list[dict] = []
        self.all: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.all.append((tag, attrs))
        if "id" in attrs:
            self.by_id[attrs["id"]] = {"tag": tag, **attrs}
        if tag == "li" and "event" in (attrs.get("class") or "").split():
            self.events.append(attrs)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("reading")
    write_tree(root, SITE)
    result = site.build(root, write=False)
    return {path: data.decode() for path, data in result.files.items()}


def test_fold_drops_case_accents_and_extra_space():
    assert fold("  Qamichlí  ÉVASION\n") == "qamichli evasion"
    assert fold("Erdoğan") == "erdogan"


def test_each_index_event_carries_its_filter_data(built):
    events = {e["id"]: e for e in Elements(built["index.html"]).events}
    escape = events["2019-10-11-five-detainees-escape-near-qamishli"]
    assert escape["data-places"] == "qamishli"          # the alias used in the entry leads to the canonical term
    assert escape["data-actors"] == "sdf"
    assert escape["data-tags"] == "prisons escapes"
    assert escape["data-year"] == "2019"
    # What the search adds to the item's own text is written once a page, not once an event:
    # the terms' other names on the form's options, the sources' titles in the endnotes.
    assert "data-search" not in built["index.html"]
    item = re.search(r'<li class="event" id="2019-10-11-five-detainees-escape-near-qamishli".*?</li>',
                     built["index.html"], re.S).group(0)
    assert "Five detainees escape" in item and "AFP said" in item
    places = re.search(r'<select id="filter-place".*?</select>', built["index.html"], re.S).group(0)
    assert re.search(r'<option value="qamishli" data-also="[^"]*Qamichli[^"]*">Qamishli \(1\)</option>', places)
    actors = re.search(r'<select id="filter-actor".*?</select>', built["index.html"], re.S).group(0)
    assert re.search(r'<option value="sdf" data-also="[^"]*Syrian Democratic Forces[^"]*">', actors)
    ref = re.search(r'<a href="[^"]*" data-n="(\d+)">', item).group(1)
    endnote = re.search(rf'<li value="{ref}">(.*?)</li>', built["index.html"], re.S).group(1)
    assert "AFP" in endnote and "tenus s" in endnote   # the source's title ("Des détenus s'évadent...")
    truce = events["2020-01-a-truce-is-agreed"]
    assert truce["data-year"] == "2020 2021"             # a span is found under every year it covers
    assert "data-places" not in truce                    # no place: no empty attribute


def test_the_filter_form_is_hidden_until_the_script_reveals_it(built):
    page = Elements(built["index.html"])
    box, form = page.by_id["filters-box"], page.by_id["filters"]
    # Folded in a <details> (the script opens it on a wide screen), and hidden without the script.
    assert box["tag"] == "details" and "hidden" in box and "open" not in box and form["role"] == "search"
    assert re.search(r'<details [^>]*id="filters-box"[^>]*>\s*<summary>Filter the events</summary>\s*<form ',
                     built["index.html"])
    # "Show all events" waits for a filter to hide something.
    assert re.search(r'<p class="filter filter-clear" hidden><button type="button" id="filter-clear">',
                     built["index.html"])
    for control in ("filter-q", "filter-tag", "filter-place", "filter-actor", "filter-year"):
        assert any(tag == "label" and a.get("for") == control for tag, a in page.all), control
    assert page.by_id["event-count"]["role"] == "status"
    assert '<script src="static/filter.js" defer></script>' in built["index.html"]
    places = re.search(r'<select id="filter-place".*?</select>', built["index.html"], re.S).group(0)
    assert re.search(r'<option value="qamishli"[^>]*>Qamishli \(1\)</option>', places)
    # Term pages list every event with no script and no form.
    assert "filters" not in Elements(built["places/qamishli/index.html"]).by_id
    assert "data-search" not in built["places/qamishli/index.html"]


def test_the_home_page_names_the_site_once_and_other_pages_in_their_header(built):
    home = built["index.html"]
    body = home[home.index("<body>"):]
    assert body.count("Reading test") == 1 and "<h1>Reading test</h1>" in body
    assert 'class="site-title"' not in home
    event = built["events/2019-10-11-five-detainees-escape-near-qamishli/index.html"]
    assert '<p class="site-title"><a href="../../">Reading test</a></p>' in event


def test_year_filter_appears_only_when_there_is_a_choice(make_site):
    root = make_site("""
    -- content/events/a.md --
    ---
    title: Only one
    date: 2019-10-11
    ---
    Body.
    """)
    html = site.build(root, write=False).files["index.html"].decode()
    assert 'id="filter-year"' not in html and 'id="filter-place"' not in html
    assert 'id="filter-q"' in html


@pytest.mark.parametrize("lang, direction", [
    ("ar", "rtl"), ("fa", "rtl"), ("he", "rtl"), ("ur", "rtl"), ("ckb", "rtl"), ("ku-Arab", "rtl"),
    ("ar-SY", "rtl"), ("AR", "rtl"), ("pa-Arab", "rtl"), ("ku", "ltr"), ("ku-Latn", "ltr"),
    ("en", "ltr"), ("fr-FR", "ltr"), ("az-Latn", "ltr"), ("ar-Latn", "ltr"), ("", "ltr")])
def test_text_dir_follows_language_and_script(lang, direction):
    assert text_dir(lang) == direction


def test_lang_attrs_only_say_what_differs_from_the_surrounding_text():
    assert lang_attrs("", "en") == "" and lang_attrs("en", "en") == ""
    assert lang_attrs("fr", "en") == ' lang="fr"'
    assert lang_attrs("ar", "en") == ' lang="ar" dir="rtl"'
    assert lang_attrs("en", "ar") == ' lang="en" dir="ltr"'
    assert lang_attrs('x"><script>', "en") == ' lang="x&#34;&gt;&lt;script&gt;"'


def test_arabic_entries_and_kurdish_titles_are_marked_right_to_left(built):
    event = Elements(next(html for path, html in built.items() if path.startswith("events/2020-02-03")))
    heading = next(a for tag, a in event.all if tag == "h1")
    assert (heading.get("lang"), heading.get("dir")) == ("ar", "rtl")
    body = next(a for tag, a in event.all if tag == "div" and a.get("class") == "body")
    assert (body.get("lang"), body.get("dir")) == ("ar", "rtl")
    cites = [a for tag, a in event.all if tag == "cite"]
    assert cites == [{"lang": "ckb", "dir": "rtl"}]
    index = Elements(built["index.html"])
    titles = [a for tag, a in index.all if tag == "h4" and a.get("lang")]
    assert titles == [{"id": titles[0]["id"], "class": "event-title", "lang": "ar", "dir": "rtl"}]
    sources = Elements(built["sources/index.html"])
    assert {"lang": "fr"} in [a for tag, a in sources.all if tag == "cite"]      # French is not right to left
    assert {"lang": "ckb", "dir": "rtl"} in [a for tag, a in sources.all if tag == "cite"]
    english = Elements(built["events/2019-10-11-five-detainees-escape-near-qamishli/index.html"])
    assert "dir" not in next(a for tag, a in english.all if tag == "h1")
    assert 'dir="rtl"' not in built["index.html"].split("<body>")[0]        # the page itself stays left to right


def test_an_arabic_site_is_right_to_left(make_site):
    root = make_site("-- site.yaml --\ntitle: تسلسل\nlanguage: ar\n")
    html = site.build(root, write=False).files["index.html"].decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_endnotes_number_each_source_once_in_order_of_first_citation(built):
    html = built["index.html"]
    section = re.search(r'<section class="endnotes".*?</section>', html, re.S).group(0)
    assert section.index("Des détenus") < section.index("هەواڵ")
    assert '<li value="1">' in section and '<li value="2">' in section and 'value="3"' not in section
    assert 'href="https://example.org/afp"' in section
    # Each event names its sources with the endnote number a printed page leads to (written by
    # the print stylesheet from data-n: nothing on screen, 28 bytes less a citation).
    assert re.search(r'<a href="[^"]*" data-n="1">AFP</a>', html)
    assert re.search(r'<a href="[^"]*" data-n="2">Rudaw</a>', html)
    assert "endnote-ref" not in html


def test_endnotes_helper_keeps_first_citation_order():
    from dateline.core.model import Note, Source
    from types import SimpleNamespace
    a, b = Source("a", "A"), Source("b", "B")
    events = [SimpleNamespace(notes=(Note(1, b),)), SimpleNamespace(notes=(Note(1, a), Note(2, b)))]
    assert [(k, n) for k, (n, _) in endnotes(events).items()] == [("b", 1), ("a", 2)]


def test_print_stylesheet_hides_screen_parts_and_shows_urls():
    static = REPO / "dateline" / "theme" / "static"
    css = (static / "style.css").read_text() + (static / "event.css").read_text()  # what an event page loads
    screen = re.search(r"@media screen \{(.*?)\n\}", css, re.S).group(1)
    assert ".endnotes" in screen
    printed = "".join(re.findall(r"@media print \{(.*?)\n\}", css, re.S))  # each file's blocks
    assert '.cites a[data-n]::after { content: " [" attr(data-n) "]"; }' in printed
    assert ".filters" in printed and ".backref" in printed
    assert '.endnotes a[href^="http"]::after' in printed and 'attr(href)' in printed
