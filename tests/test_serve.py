"""The live preview: drafts shown and marked, errors shown in the browser, recovery on the next save.

The server runs as `build.py serve` in a subprocess on a free port of 127.0.0.1; every wait
is bounded and the server is always stopped.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dateline.preview import serve, session
from dateline.core.errors import Problem

REPO = Path(__file__).resolve().parent.parent

SITE = """
-- site.yaml --
title: Preview test
base_url: https://example.org/repo/
-- content/sources/bbc.yaml --
title: A report
publisher: BBC News
published: "2019-10-13"
-- content/events/escape.md --
---
title: Escape from the camp
date: 2019-10-13
sources: [bbc]
---
Hundreds escaped [@bbc].
-- content/events/unfinished.md --
---
title: Still being written
date: 2019-10-12
sources: [bbc]
draft: true
---
Work in progress [@bbc].
"""


def test_the_error_page_lists_every_error_escaped_with_livereload_room():
    page = serve.error_page([
        Problem("content/events/a.md", 3, 0, "unknown key '<script>' in an event", "did you mean 'tags'?"),
        Problem("templates/event.html", 12, 0, "template error & more"),
    ]).decode()
    assert "content/events/a.md:3" in page and "templates/event.html:12" in page
    assert "unknown key &#x27;&lt;script&gt;&#x27; in an event" in page and "<script>" not in page
    assert "did you mean &#x27;tags&#x27;?" in page and "template error &amp; more" in page
    assert "2 errors" in page
    assert "</head>" in page  # where livereload puts its script


def test_drafts_are_marked_in_the_preview_and_left_out_of_builds(make_site, run_cli, tmp_path):
    root = make_site(SITE)
    preview = serve.Preview(root, say=lambda text: None)
    assert preview.rebuild()
    shown = root / serve.OUTPUT / "events" / "2019-10-12-still-being-written" / "index.html"
    assert "draft-badge" in shown.read_text(encoding="utf-8")
    assert "draft" in (root / serve.OUTPUT / "index.html").read_text(encoding="utf-8").split(
        'id="2019-10-12-still-being-written"')[0].rsplit("<li", 1)[1]  # the index item is marked
    assert not (root / "output").exists()  # the preview never writes output/

    code, _, err = run_cli("build", "--site", root, "--output", tmp_path / "out")
    assert code == 0, err
    assert not (tmp_path / "out" / "events" / "2019-10-12-still-being-written").exists()
    assert "Still being written" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    code, _, err = run_cli("build", "--site", root, "--output", tmp_path / "with", "--drafts")
    assert code == 0, err
    assert "draft-badge" in (tmp_path / "with" / "events" / "2019-10-12-still-being-written" /
                             "index.html").read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    """GET `url`: (status, body); errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_for(url: str, check, seconds: float = 30) -> tuple[int, str]:
    """Fetch `url` until `check(status, body)` holds; fail after `seconds`."""
    deadline, last = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if check(*last):
                return last
        except OSError as exc:  # not listening yet
            last = (0, str(exc))
        time.sleep(0.1)
    pytest.fail(f"{url} never answered as expected; last answer: {last!r}"[:2000])


@pytest.mark.parametrize("watching", ["inotify", "polling"])
def test_serve_rebuilds_shows_errors_and_recovers(make_site, watching):
    root = make_site(SITE)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATELINE_POLL": "1" if watching == "polling" else ""}
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(root),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        status, home = wait_for(f"{base}/repo/", lambda status, body: status == 200)
        assert "Escape from the camp" in home and "livereload.js" in home
        assert "draft-badge" in home  # drafts are previewed, and marked

        assert fetch(f"{base}/")[1] == home  # / leads to the base path

        entry = root / "content" / "events" / "escape.md"
        good = entry.read_text(encoding="utf-8")
        entry.write_text(good.replace("sources: [bbc]", "sources: [bbc]\nplaec: <Hasaka>"), encoding="utf-8")
        status, page = wait_for(f"{base}/repo/events/2019-10-13-escape-from-the-camp/",
                                lambda status, body: status == 500)
        assert "content/events/escape.md:5" in page
        assert "unknown key &#x27;plaec&#x27; in an event" in page and "did you mean &#x27;place&#x27;?" in page
        assert "livereload.js" in page  # so the page reloads itself once fixed

        entry.write_text(good.replace("Hundreds escaped", "Hundreds of people escaped"), encoding="utf-8")
        status, page = wait_for(f"{base}/repo/events/2019-10-13-escape-from-the-camp/",
                                lambda status, body: status == 200)
        assert "Hundreds of people escaped" in page

        entry.write_text(good.replace("Hundreds escaped", "Many escaped"), encoding="utf-8")
        wait_for(f"{base}/repo/events/2019-10-13-escape-from-the-camp/", lambda status, body: "Many escaped" in body)
        wait_for(f"{base}/repo/", lambda status, body: "Many escaped" in body)  # the rest follows

        entry.write_text(good.replace("date: 2019-10-13", "date: 2019-10-14"), encoding="utf-8")
        wait_for(f"{base}/repo/events/2019-10-14-escape-from-the-camp/", lambda status, body: status == 200)
        # A tab left open there, reloaded when the build ends (livereload): the new page may be
        # written before the build ends, so its old address is asked until the build has ended.
        status, page = wait_for(f"{base}/repo/events/2019-10-13-escape-from-the-camp/",
                                lambda status, body: status == 200)
        assert status == 200 and "<h1>Escape from the camp</h1>" in page  # led to the page's new address
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        said = server.stdout.read().decode()
        server.stdout.close()
    assert "drew events/2019-10-13-escape-from-the-camp/index.html in" in said  # the saved page first
    assert server.returncode == 0, said  # stopped by SIGTERM as by Ctrl-C: the memo saved for the next session


def test_the_preview_updates_its_folder_in_place_to_what_a_clean_build_makes(make_site):
    from dateline import pipeline as site
    from dateline.render import pages as render

    def clean(root):
        from dateline.render.minify import minified
        files = render.render_site(site.check(root, drafts=True).timeline, root)
        static = site.static_files(root)
        files.update(minified(static))  # the CSS and JS as a build writes them
        return {**{p: s.read_bytes() for p, s in static.items()}, **files}

    def folder(root):
        out = root / serve.OUTPUT
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    root = make_site(SITE)
    preview = serve.Preview(root, say=lambda text: None)
    assert preview.rebuild() and folder(root) == clean(root)

    entry = root / "content" / "events" / "escape.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("Hundreds", "Thousands"), encoding="utf-8")
    assert preview.rebuild() and folder(root) == clean(root)
    assert preview.memo.counts["files kept"] > 0  # the pages that do not show the entry

    (root / "content" / "events" / "unfinished.md").unlink()
    assert preview.rebuild() and folder(root) == clean(root)
    assert not (root / serve.OUTPUT / "events" / "2019-10-12-still-being-written").exists()

    stray = root / serve.OUTPUT / "events" / "left-by-a-killed-session" / "index.html"
    stray.parent.mkdir()
    stray.write_text("old", encoding="utf-8")
    again = serve.Preview(root, say=lambda text: None)  # a new session starts from the cache on disk
    assert again.rebuild() and folder(root) == clean(root)


def test_the_preview_builds_without_the_cycle_collector_and_collects_between_saves(make_site, monkeypatch):
    import gc

    root = make_site("""
        -- content/events/a.md --
        ---
        title: A
        date: 2019-10-13
        ---
        Text.
        """)
    seen = []
    build = session.site.build
    monkeypatch.setattr(session.site, "build", lambda *a, **k: (seen.append(gc.isenabled()), build(*a, **k))[1])
    preview = serve.Preview(root, say=lambda text: None)
    assert preview.rebuild() and preview.rebuild()
    assert seen == [False, False] and gc.isenabled()
