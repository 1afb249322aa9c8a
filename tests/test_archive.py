"""`dateline archive`: a source's page fetched from a server on 127.0.0.1, its article's text stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dateline import archive

ARTICLE = """<!doctype html><html><head><meta charset="utf-8"><title>Convoy turned back</title></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe now</nav>
<article><h1>Convoy turned back at the border</h1>
<p>The ministry said on Saturday that “the convoy was turned back” at the border, after a
day of talks that led nowhere.</p>
<p>It’s the second time this month that aid has been stopped there, officials said, adding
that a third attempt would be made on Monday if the road stays open.</p></article>
<footer>Cookie settings. © 2019 Example News. All rights reserved.</footer></body></html>"""

PAGES = {
    "/story": (200, "text/html; charset=utf-8", ARTICLE.encode()),
    "/plain": (200, "text/plain; charset=utf-8", "Plain words, as published.\r\n".encode()),
    "/gone": (404, "text/html", b"<html><body>Not here</body></html>"),
    "/empty": (200, "text/html", b"<html><head><title>Video</title></head><body><video src=\"v.mp4\"></video></body></html>"),
    "/paper.pdf": (200, "application/pdf", b"%PDF-1.4 ..."),
    "/moved": (302, "text/html", b""),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.server.requests.append(self.path)
        status, media, body = PAGES.get(self.path, (404, "text/plain", b"no"))
        self.send_response(status)
        if self.path == "/moved":
            self.send_header("Location", "/story")
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """Serve PAGES on 127.0.0.1 (a free port) for the length of a test."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def site_for(server, make_site, *paths: str, extra: str = ""):
    base = f"http://127.0.0.1:{server.server_address[1]}"
    spec = ""
    for i, path in enumerate(paths):
        spec += f"""
-- content/sources/s{i}.yaml --
# Checked by the desk on 14 October.
title: Report {i}
publisher: Example News
url: {base}{path}
published: "2019-10-13"
note: |
  Two lines
  of note.
"""
    spec += """
-- content/events/e.md --
---
title: E
date: 2019-10-12
sources:
  - id: s0
    quote: "the convoy was turned back"
  - s1
accounts:
  - claim: It happened twice
    by: the ministry
    cite: "[@s0]"
    quote: "It's the second time this month"
---
Text [@s0].
""" if len(paths) >= 2 else ""
    return make_site(spec + extra)


TODAY = dt.date.today().isoformat()


def test_archive_stores_the_article_text_with_its_date_and_hash_keeping_every_other_line(server, make_site, run_cli):
    root = site_for(server, make_site, "/story", "/plain")
    before = (root / "content/sources/s0.yaml").read_text()
    code, out, err = run_cli("archive", "s0", "--site", root)
    assert (code, out) == (0, f"{root / 'sources-text/s0.txt'}\n")
    assert err == f"archived 1 source into {root / 'sources-text'}; `check` verifies their quotes\n"
    text = (root / "sources-text/s0.txt").read_text()
    assert "“the convoy was turned back” at the border" in text and "a third attempt" in text
    assert "Subscribe" not in text and "Cookie" not in text  # the page's furniture is left out
    sha = hashlib.sha256((root / "sources-text/s0.txt").read_bytes()).hexdigest()
    assert (root / "content/sources/s0.yaml").read_text() == before + (
        f"text: sources-text/s0.txt\naccessed: '{TODAY}'\ntext_sha256: {sha}\n")
    assert not (root / "output").exists()  # the text is the site's, never the build's
    code, _, err = run_cli("check", "--strict", "--site", root)
    assert (code, err.splitlines()[-1]) == (0, "checked 1 event: 0 errors, 0 warnings, 0 notes; 2 of 2 quotes "
                                               "verified against stored texts")


def test_archive_all_fetches_each_source_with_a_url_and_no_text_and_says_what_it_left(server, make_site, run_cli):
    root = site_for(server, make_site, "/story", "/plain", extra="""
-- content/sources/nourl.yaml --
title: A leaflet
-- content/sources/kept.yaml --
title: Kept
url: https://example.org/kept
text: mine.txt
-- mine.txt --
Typed by hand.
""")
    code, out, err = run_cli("archive", "--all", "--site", root)
    assert code == 0
    assert out.split() == [str(root / "sources-text/s0.txt"), str(root / "sources-text/s1.txt")]
    assert err.splitlines() == [
        "content/sources/kept.yaml:3: info: not archived: 'kept' already has a stored text (mine.txt) "
        "(pass --force to fetch it again and replace it)",
        "content/sources/nourl.yaml:1: info: not archived: 'nourl' has no url",
        f"archived 2 sources into {root / 'sources-text'}; `check` verifies their quotes",
    ]
    assert (root / "sources-text/s1.txt").read_text() == "Plain words, as published.\n"
    assert server.requests == ["/story", "/plain"]  # kept.yaml's url was not fetched
    assert (root / "mine.txt").read_text() == "Typed by hand.\n"


def test_a_source_with_a_text_is_fetched_again_only_with_force(server, make_site, run_cli):
    root = site_for(server, make_site, "/story")
    assert run_cli("archive", "s0", "--site", root)[0] == 0
    code, _, err = run_cli("archive", "s0", "--site", root)
    assert (code, err.splitlines()[0]) == (1, "content/sources/s0.yaml:9: error: 's0' already has a stored text "
                                              "(sources-text/s0.txt) (pass --force to fetch it again and replace it)")
    (root / "sources-text/s0.txt").write_text("edited\n")
    assert run_cli("archive", "s0", "--force", "--site", root)[0] == 0
    lines = (root / "content/sources/s0.yaml").read_text().splitlines()
    assert [line.split(":")[0] for line in lines[-3:]] == ["text", "accessed", "text_sha256"]  # replaced, not added
    assert "convoy" in (root / "sources-text/s0.txt").read_text()


@pytest.mark.parametrize("path, why, hint", [
    ("/gone", "the server answered 404 Not Found", "check the url in a browser; if the page is gone, point url at "
     "an archived copy (archive_url) or save the article's text by hand into sources-text/ and set text: to it"),
    ("/empty", "no article text was found in the page", archive.BY_HAND),
    ("/paper.pdf", "it is application/pdf, not a web page", archive.BY_HAND),
])
def test_a_page_that_cannot_be_archived_is_an_error_at_the_url_and_nothing_is_written(server, make_site, run_cli,
                                                                                       path, why, hint):
    root = site_for(server, make_site, path)
    before = (root / "content/sources/s0.yaml").read_text()
    code, out, err = run_cli("archive", "s0", "--site", root)
    url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"content/sources/s0.yaml:4: error: cannot archive {url}: {why} ({hint})",
                                "1 error; nothing was written"]
    assert (root / "content/sources/s0.yaml").read_text() == before
    assert not (root / "sources-text").exists()


def test_a_redirect_is_followed(server, make_site, run_cli):
    root = site_for(server, make_site, "/moved")
    assert run_cli("archive", "s0", "--site", root)[0] == 0
    assert server.requests == ["/moved", "/story"]


def test_no_answer_is_an_error_not_a_hang(make_site, run_cli):
    closed = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = closed.server_address[1]
    closed.server_close()  # nothing listens there now
    root = make_site(f"-- content/sources/s0.yaml --\ntitle: R\nurl: http://127.0.0.1:{port}/story\n")
    code, _, err = run_cli("archive", "s0", "--site", root)
    assert code == 1
    assert err.startswith(f"content/sources/s0.yaml:2: error: cannot archive http://127.0.0.1:{port}/story: no answer (")


def test_unknown_ids_and_wrong_usage_are_refused(make_site, run_cli):
    root = make_site("-- content/sources/afp-2019-10-11.yaml --\ntitle: R\n")
    code, _, err = run_cli("archive", "afp-2019-10-12", "reuters", "afp-2019-10-11", "--site", root)
    assert (code, err.splitlines()) == (1, [
        "archive: error: unknown source 'afp-2019-10-12' (did you mean 'afp-2019-10-11'?)",
        "archive: error: unknown source 'reuters' (start it with `dateline new-source reuters --title ... "
        "--publisher ... --url ...`)",
        "2 errors; nothing was written"])
    code, _, err = run_cli("archive", "afp-2019-10-11", "--site", root)
    assert (code, err.splitlines()[0]) == (1, "content/sources/afp-2019-10-11.yaml:1: error: source "
                                              "'afp-2019-10-11' has no url to fetch (add url: with the article's "
                                              "address, or save its text by hand and set text:)")
    assert run_cli("archive", "--site", root)[0] == 2
    assert run_cli("archive", "afp-2019-10-11", "--all", "--site", root)[0] == 2


def test_without_trafilatura_archive_says_how_to_install_it(server, make_site, run_cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import trafilatura now raises ImportError
    root = site_for(server, make_site, "/story")
    code, _, err = run_cli("archive", "s0", "--site", root)
    assert code == 1
    assert "archive needs trafilatura, which is not installed (pip install 'dateline[archive]'" in err
    assert run_cli("archive", "s0", "--site", site_for(server, make_site, "/plain"))  # plain text needs none


def test_a_stored_text_changed_since_it_was_archived_is_a_warning(server, make_site, run_cli):
    root = site_for(server, make_site, "/story", "/plain")
    assert run_cli("archive", "--all", "--site", root)[0] == 0
    path = root / "sources-text/s0.txt"
    path.write_text(path.read_text() + "A line added by hand.\n")
    code, _, err = run_cli("check", "--site", root)
    assert code == 0
    assert err.splitlines()[0] == (
        "content/sources/s0.yaml:12: warning: the stored text sources-text/s0.txt has changed since it was archived "
        "(its SHA-256 is not text_sha256's) (fetch it again with `dateline archive s0 --force`, or, if you "
        "corrected it on purpose, remove text_sha256:)")


def test_set_keys_rewrites_a_key_in_place_with_its_continuation_and_adds_the_others():
    text = "# note\ntitle: T\ntext: >\n  old/path.txt\nurl: https://x.org/\n"
    assert archive.set_keys(text, {"text": "sources-text/a.txt", "accessed": "2024-01-15"}) == (
        "# note\ntitle: T\ntext: sources-text/a.txt\nurl: https://x.org/\naccessed: '2024-01-15'\n")
