"""The link checker, and the fixture site served under a sub-path with no broken link."""

from __future__ import annotations

import pytest

from dateline import pipeline as site
from dateline.render.links import Found, Written, _resolved, check_links, extract, found, resolve


def test_resolve_relative_links_against_the_page():
    assert resolve("events/x/index.html", "../../sources/#bbc", "/") == ("sources/index.html", "bbc")
    assert resolve("index.html", "events/x/", "/repo/") == ("events/x/index.html", "")
    assert resolve("events/x/index.html", "#note-1", "/") == ("events/x/index.html", "note-1")


def test_resolve_absolute_links_under_the_base_path():
    assert resolve("404.html", "/repo/static/style.css", "https://u.github.io/repo/") == ("static/style.css", "")
    assert resolve("404.html", "/static/style.css", "https://u.github.io/repo/")[0] == "\0outside"
    assert resolve("index.html", "https://u.github.io/repo/tags/", "https://u.github.io/repo/") == ("tags/index.html", "")
    assert resolve("index.html", "https://example.org/x", "https://u.github.io/repo/") is None


def test_remembered_resolutions_are_the_ones_resolve_gives_from_every_page():
    # One memo for a whole site: a link is remembered for the pages it resolves the same from.
    pages = ["index.html", "404.html", "about.html", "tags/index.html", "tags/a/index.html",
             "events/x/index.html", "events/x/other.html", "events/y/index.html", "years/2019/index.html",
             "events/x/deep/index.html"]
    links = ["#note-1", "#", "?q=1", "?x#y", "./#x", "./", "..", "../..", "../../static/style.css", "../../",
             "../", "../b/", "a/", "other.html#n", "../../../x/", "../../../../../../", "/repo/tags/", "/static/",
             "//u.github.io/repo/", "https://u.github.io/repo/x/", "https://u.github.io#x", "https://e.org/",
             "mailto:a@b.org", "events/x/#a", "../../sources/#bbc", "%2e%2e/x/",
             "x#a#b", "../../events/y/#note-1", "https://e.org/#x", "?#", "x#", "../../../../../../#f", "/x/#",
             " #top", "\t#top", "\n#top", "#to\tp", "#a\nb", " ?q", "x\n/"]  # urlsplit cleans these first
    for base in ("/", "/repo/", "/repo", "", "https://u.github.io/repo/", "https://u.github.io"):
        for order in range(3):  # whichever page asks first, the others get their own answer
            memo, shuffled = {}, pages[order:] + pages[:order]
            for _ in range(2):  # the second round answers from the memo
                for page in shuffled:
                    for link in links:
                        assert _resolved(page, link, base, memo) == resolve(page, link, base), (page, link, base)


def test_broken_links_and_fragments_are_reported_with_the_page():
    files = {
        "index.html": b'<a href="events/a/">a</a> <a href="events/b/">b</a> <a href="events/a/#nope">n</a>',
        "events/a/index.html": b'<p id="note-1"><a href="../../">home</a></p>',
    }
    messages = [p.message for p in check_links(files, "/")]
    assert messages == ["broken link 'events/b/': no events/b/index.html in the site",
                        "broken link 'events/a/#nope': events/a/index.html has no id 'nope'"]
    assert check_links(files, "/")[0].path == "output/index.html"


def test_links_and_ids_are_read_with_their_values_quoted_or_not():
    """minify_html writes an attribute without quotes where HTML allows: its links are checked all the same,
    and only what is inside a tag is read as an attribute (prose may say href=x)."""
    page = (b"""<a href=events/a/>a</a><a title="1 > 0, href=gone" href='events/b/#x'>b</a><p id=note-1 class=x>"""
            b"""<a href="#note-1">1</a> and in prose: href=nowhere id=none<img alt="an id=fake" src=q&notes.png>"""
            b"""<a href=a?x=1&amp;y=&not></a></p>""")
    assert extract(page, unquoted=True) == (
        ["events/a/", "events/b/#x", "#note-1", "q&notes.png", "a?x=1&y=\u00ac"], {"note-1"})
    assert extract(page) == (["#note-1"], set())  # a page the templates wrote as they are: quotes only
    files = {"index.html": page, "events/a/index.html": b"<p id=y>", "events/b/index.html": b"<p id='y'>",
             "q&notes.png": b"", "a": b""}
    assert [p.message for p in check_links(files, "/", unquoted=True)] == [
        "broken link 'events/b/#x': events/b/index.html has no id 'x'"]


def test_pages_links_are_found_a_few_at_a_time_and_every_fragment_still_checked(monkeypatch):
    # 40 pages pointing at each other's anchors, written already or kept from the last build
    # (read when asked): with room for 3 pages' links and ids, every broken fragment is still found.
    monkeypatch.setattr(Found, "KEEP", 3)
    files, kept, read = {}, {}, []
    for n in range(40):
        body = (f'<p id="n{n}"><a href="../p{(n + 7) % 40}/#n{(n + 7) % 40}">a</a>'
                f'<a href="../p{(n + 3) % 40}/#gone">b</a><a href="#n{n}">c</a></p>').encode()
        path = f"p{n}/index.html"
        files[path] = Written.of(body) if n % 3 == 0 else None if n % 3 == 1 else body
        kept[path] = body
    sizes, asked = [], Found.__getitem__

    def counting(self, path):
        sizes.append(len(self.kept))
        return asked(self, path)
    monkeypatch.setattr(Found, "__getitem__", counting)

    def reading(path):
        read.append(path)
        return kept[path]
    problems = check_links(files, "/", read=reading)
    assert sorted(p.path for p in problems) == sorted(f"output/p{n}/index.html" for n in range(40))
    assert {p.message for p in problems} == {f"broken link '../p{(n + 3) % 40}/#gone': p{(n + 3) % 40}/index.html "
                                             f"has no id 'gone'" for n in range(40)}
    # a kept page is read for its own links, and at most once before for the ids a link asked
    # for: never again, however many pages point into it
    assert set(read) == {p for p, body in files.items() if body is None}
    assert max(read.count(p) for p in read) <= 2
    assert len(sizes) > 40 and max(sizes) <= 3


def test_404_page_must_use_absolute_links():
    files = {"404.html": b'<a href="static/style.css">x</a>', "static/style.css": b""}
    assert [p.message for p in check_links(files, "/repo/")] == ["relative link 'static/style.css' on the 404 page"]


def test_a_whole_site_has_no_broken_link_under_a_sub_path(fixture_site, tmp_path):
    result = site.build(fixture_site, tmp_path / "out", base_url="https://someone.github.io/fork-name/")
    files = {p.relative_to(tmp_path / "out").as_posix(): p.read_bytes()
             for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert check_links(files, "https://someone.github.io/fork-name/") == []
    assert len(result.timeline.events) >= 12 and any(e.disputed for e in result.timeline.events)
    page404 = files["404.html"].decode()
    assert 'href="/fork-name/static/style.css"' in page404 and 'href="/fork-name/"' in page404


@pytest.mark.parametrize("minified", [False, True])
def test_the_build_fails_on_a_broken_link_in_a_template(make_site, run_cli, minified):
    """Also in a page written by minify_html, its attributes unquoted."""
    root = make_site(("-- site.yaml --\ntitle: T\nminify_html: true\n" if minified else "") + """
-- content/events/a.md --
---
title: A
date: 2019
---
-- templates/index.html --
{% extends "base.html" %}
{% block main %}<h1>x</h1><a href="{{ url('nowhere/') }}">gone</a>{% endblock %}
""")
    code, _, err = run_cli("build", "--site", root)
    assert code == 1
    assert "output/index.html: error: broken link 'nowhere/': no nowhere/index.html in the site" in err
    assert not (root / "output").exists()


def test_the_check_spread_over_workers_finds_the_same_problems_in_the_same_order(monkeypatch):
    # parallel.spread: slices of the pages checked in forked workers, joined in order
    from dateline.build import parallel
    monkeypatch.setattr(parallel, "MIN_PAGES", 0)
    files = {}
    for n in range(60):
        body = (f'<p id="n{n}"><a href="../p{(n + 7) % 60}/#n{(n + 7) % 60}">a</a>'
                + (f'<a href="../p{n + 100}/">gone</a><a href="#x{n}">b</a>' if n % 7 == 0 else "") + "</p>").encode()
        files[f"p{n}/index.html"] = Written.of(body) if n % 2 else body
    files["404.html"] = b'<a href="static/style.css">s</a>'
    spread = []

    def spreading(work, count):
        spread.append(count)
        return parallel.spread(work, count, jobs=2)
    alone = [str(p) for p in check_links(files, "/repo/")]
    assert [str(p) for p in check_links(files, "/repo/", spread=spreading)] == alone
    assert spread == [60] and len(alone) == 2 * 9 + 1


def test_a_written_page_keeps_its_links_compressed_and_gives_them_back_as_drawn():
    nav = "".join(f'<a href="../year-{y}/#m{y}">{y}</a>' for y in range(1900, 2000))
    body = f'<nav>{nav}</nav><p id="a">x</p><h2 id="b">y</h2><a href="#a">z</a>'.encode()
    written = Written.of(body)
    links, ids = extract(body)
    assert isinstance(written.links, bytes) and len(written.links) * 4 < len("\0".join(links))
    assert found(written) == (links, ids) and found(Written.of(b"<p>no links</p>")) == ([], set())


def test_the_links_remembered_as_resolved_stay_few_and_change_no_finding(monkeypatch):
    # a term page's links to thousands of events resolve once each: the memo starts afresh past
    # MEMO entries, and the check finds what it finds with a memo as large as it likes
    from dateline.render import links
    files = {}
    for n in range(40):
        body = "".join(f'<a href="../../events/e{n}-{k}/#note-1">e</a>' for k in range(30))
        files[f"tags/t{n}/index.html"] = (body + f'<a href="../../events/e{n}-0/#gone">x</a>').encode()
        for k in range(30):
            files[f"events/e{n}-{k}/index.html"] = b'<p id="note-1">n</p>'
    unbounded = [str(p) for p in check_links(files, "/")]
    sizes, real = [], links._check_page

    def checking(page, found, pages, existing, base_url, absolute_only=False, memo=None):
        sizes.append(len(memo))
        return real(page, found, pages, existing, base_url, absolute_only, memo)
    monkeypatch.setattr(links, "_check_page", checking)
    monkeypatch.setattr(links, "MEMO", 100)
    assert [str(p) for p in check_links(files, "/")] == unbounded and len(unbounded) == 40
    assert 90 <= max(sizes) <= 100 and sizes.count(0) > 2  # as a page starts: cleared once past MEMO


def test_links_into_one_page_resolve_once_whatever_their_fragments(monkeypatch):
    from dateline.render import links
    asked = []
    real = links.resolve
    monkeypatch.setattr(links, "resolve", lambda page, link, base: asked.append(link) or real(page, link, base))
    memo = {}
    found = [_resolved("tags/a/index.html", f"../../events/x/#note-{n}", "/repo/", memo) for n in range(50)]
    assert found == [("events/x/index.html", f"note-{n}") for n in range(50)] and asked == ["../../events/x/"]
