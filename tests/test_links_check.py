"""`dateline links` against a local HTTP server on 127.0.0.1, started here and stopped after:
dead and moved addresses are reported at their file:line, nothing is written unless asked, and a
build never asks the network anything."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from dateline import links_check
from dateline import pipeline as site
from dateline.cli import main

from conftest import write_tree


class Handler(http.server.BaseHTTPRequestHandler):
    """A site with a page, a gone page, a moved one, one that only answers GET and a slow one."""

    seen: list = []

    def answer(self, body: bool) -> None:
        type(self).seen.append((self.command, self.path))
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path in ("/ok", "/slow"):
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/for-now":
            self.send_response(302)
            self.send_header("Location", "/ok")
        elif self.path == "/get-only" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/get-only":
            self.send_response(200)
        elif self.path == "/robots-out":
            self.send_response(403)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Handler.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def sources(base: str) -> str:
    return f"""
-- content/sources/gone.yaml --
title: A page that is gone
publisher: The Paper
url: {base}/gone
-- content/sources/moved.yaml --
title: A page that moved
url: {base}/moved
archive_url: {base}/ok
-- content/sources/fine.yaml --
title: Fine pages
url: {base}/for-now
archive_url: {base}/get-only
-- content/sources/refused.yaml --
title: A site that turns robots away
url: {base}/robots-out
-- content/sources/dead-archive.yaml --
title: An archive that is gone
url: {base}/ok
archive_url: {base}/also-gone
url_status: live  # checked by hand
-- content/events/e.md --
---
title: E
date: 2019-10-13
sources: [gone, moved, fine, refused, dead-archive]
---
Body.
"""


def test_dead_and_moved_links_are_reported_at_their_line(server, tmp_path, capsys):
    root = write_tree(tmp_path, sources(server))
    before = {p: p.read_bytes() for p in (root / "content/sources").iterdir()}
    assert main(["links", "--site", str(root), "--timeout", "5"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"content/sources/dead-archive.yaml:3: warning: 'archive_url' {server}/also-gone is dead: HTTP 404 Not Found "
        "(find another copy of the page, or leave archive_url out)",
        f"content/sources/gone.yaml:3: warning: 'url' {server}/gone is dead: HTTP 404 Not Found (find a copy in a "
        "web archive: add archive_url:, archive_date: and url_status: dead)",
        f"content/sources/moved.yaml:2: warning: 'url' {server}/moved has moved permanently to {server}/ok "
        f"(write url: {server}/ok)",
        f"content/sources/refused.yaml:2: warning: 'url' {server}/robots-out refused the check (HTTP 403 Forbidden) "
        "(open it in a browser: the site may turn robots away)",
        "checked 7 addresses: 4 to look at; nothing was written (--write sets url_status)",
    ]
    assert {p: p.read_bytes() for p in (root / "content/sources").iterdir()} == before
    # HEAD first; GET only where HEAD was refused; each address asked once
    assert ("GET", "/get-only") in Handler.seen and ("GET", "/gone") not in Handler.seen
    assert sum(1 for m, p in Handler.seen if p == "/ok" and m == "HEAD") == 3  # itself, and after 2 redirects


def test_strict_fails_on_a_dead_link(server, tmp_path, capsys):
    root = write_tree(tmp_path, sources(server))
    assert main(["links", "--site", str(root), "--strict"]) == 1
    assert f"content/sources/gone.yaml:3: error: 'url' {server}/gone is dead" in capsys.readouterr().err


def test_write_sets_url_status_and_keeps_every_other_line(server, tmp_path, capsys):
    root = write_tree(tmp_path, sources(server))
    gone = root / "content/sources/gone.yaml"
    gone.write_text(gone.read_text() + "note: A note.  # with a comment\n")
    dead_archive = (root / "content/sources/dead-archive.yaml").read_bytes()
    assert main(["links", "--site", str(root), "--write"]) == 0
    assert "content/sources/gone.yaml: url_status written" in capsys.readouterr().err
    assert gone.read_text() == (f"title: A page that is gone\npublisher: The Paper\nurl: {server}/gone\n"
                                "url_status: dead\nnote: A note.  # with a comment\n")
    assert (root / "content/sources/dead-archive.yaml").read_bytes() == dead_archive  # its url is live
    assert "url_status" not in (root / "content/sources/fine.yaml").read_text()      # live needs no line
    assert "url_status" not in (root / "content/sources/refused.yaml").read_text()   # refused is not dead
    assert site.check(root).timeline is not None  # the file still reads
    # and a dead link that answers again is live once more, its comment kept
    gone.write_text(gone.read_text().replace("/gone", "/ok").replace("url_status: dead", "url_status: dead  # 2019"))
    assert links_check.probe(f"{server}/ok").kind == "ok"
    assert links_check.set_status(gone, "live")
    assert "url_status: live  # 2019\n" in gone.read_text()


def test_a_timeout_of_zero_is_wrong_usage(tmp_path, capsys):
    assert main(["links", "--site", str(tmp_path), "--timeout", "0"]) == 2
    assert "must be a number above 0" in capsys.readouterr().err


def test_an_editors_unfit_or_usurped_is_never_overwritten(tmp_path):
    path = tmp_path / "x.yaml"
    for status in ("unfit", "usurped"):
        path.write_text(f"title: X\nurl: https://example.org/\nurl_status: {status}\n")
        assert not links_check.set_status(path, "dead") and not links_check.set_status(path, "live")


def test_a_dead_status_goes_after_a_url_written_on_several_lines(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("title: X\nurl: >-\n  https://example.org/a\n  -long\npublished: 2019-10-13\n")
    assert links_check.set_status(path, "dead")
    assert path.read_text() == ("title: X\nurl: >-\n  https://example.org/a\n  -long\nurl_status: dead\n"
                                "published: 2019-10-13\n")


def test_a_slow_address_times_out_and_a_closed_port_is_dead(server):
    started = time.monotonic()
    slow = links_check.probe(f"{server}/slow", timeout=0.3)
    assert slow.kind == "dead" and "no answer within 0.3 s" in slow.detail
    assert time.monotonic() - started < 1.4
    import socket
    with socket.socket() as s:  # a port nobody listens on: bound, never listening
        s.bind(("127.0.0.1", 0))
        closed = links_check.probe(f"http://127.0.0.1:{s.getsockname()[1]}/", timeout=2)
    assert closed.kind == "dead"


def test_addresses_are_asked_concurrently(server, tmp_path):
    spec = "".join(f"-- content/sources/s{i}.yaml --\ntitle: S{i}\nurl: {server}/slow?{i}\n" for i in range(6))
    root = write_tree(tmp_path, spec.replace("/slow?", "/slow#"))  # the handler sees /slow for each
    started = time.monotonic()
    report = links_check.check(root, timeout=5, workers=6)
    assert report.checked == 6 and report.problems == []
    assert time.monotonic() - started < 1.5 * 3  # six waits of 1.5 s, at once rather than one after another


def test_a_build_never_asks_the_network(server, tmp_path):
    root = write_tree(tmp_path, sources(server))
    assert site.build(root, write=False).timeline.sources
    assert Handler.seen == []
