"""Hostile requests to `build.py serve`: a page on another domain, odd URLs, a busy port.

A page on a DNS-rebinding domain (evil.example resolving to 127.0.0.1) makes the browser send
`Host: evil.example`: the preview answers only its own names, so it cannot read the drafts.
Each case runs a real server on a free port of 127.0.0.1 (served.py), stopped afterwards.
"""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from conftest import write_tree
from served import REPO, free_port, get, serving

SITE = """
-- site.yaml --
title: Preview test
base_url: https://example.org/repo/
-- content/sources/bbc.yaml --
title: A report
publisher: BBC News
published: "2019-10-13"
-- content/events/unfinished.md --
---
title: A secret draft
date: 2019-10-12
sources: [bbc]
draft: true
---
Work in progress [@bbc].
"""


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """One preview of the site for the whole module: (port, the server process)."""
    root = write_tree(tmp_path_factory.mktemp("preview") / "site", SITE)
    with serving(root) as (port, server):
        yield port, server
    assert "Traceback" not in server.log, server.log


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "localhost",
                                  "LOCALHOST:{port}", "127.0.0.1"])
def test_its_own_names_are_answered(preview, host):
    port, _ = preview
    status, body = get(port, "/repo/", host=host.format(port=port))
    assert status == 200 and b"A secret draft" in body


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "localhost.evil.example:{port}",
                                  "127.0.0.1.nip.io:{port}", "localhost:{port}@evil.example", ""])
@pytest.mark.parametrize("target", ["/repo/", "/repo/events/2019-10-12-a-secret-draft/", "/livereload.js",
                                    "/forcereload"])
def test_another_host_gets_421_and_no_page(preview, host, target):
    port, _ = preview
    status, body = get(port, target, host=host.format(port=port))
    assert status == 421 or status == 400 and "@" in host, (status, body[:200])  # tornado: 400 to a malformed Host
    assert b"secret" not in body and (status == 400 or b"not served to that host name" in body)


@pytest.mark.parametrize("target", [
    b"/%00", b"/repo/%00", b"/repo/static/%00.css", b"/repo/events%00/", b"/repo/" + b"a" * 20_000,
    b"/repo/" + b"a/" * 3000, b"/repo/%2e%2e/%2e%2e/%2e%2e/etc/passwd", b"/repo/..%2f..%2f..%2fetc/passwd",
    b"/repo/%2E%2E%5C%2E%2E%5Cetc%5Cpasswd", b"/repo/%zz", b"/repo/%", b"/repo/%ff%fe.html",
    b"/repo/\xff\xfe.html", b"/repo/%c0%ae%c0%ae/", b"/repo/%01%02", b"/%0d%0aSet-Cookie:%20a=b"])
def test_an_odd_url_gets_a_4xx_never_a_traceback(preview, target):
    port, _ = preview
    status, body = get(port, target)
    assert 400 <= status < 500, (target, status, body[:200])
    assert b"root:" not in body and b"Traceback" not in body
    assert get(port, "/repo/")[0] == 200  # and the server still answers


def test_another_listening_address_is_answered_by_its_own_name_too(tmp_path):
    root = write_tree(tmp_path / "site", SITE)
    with serving(root, "--host", "127.0.0.2", address="127.0.0.2") as (port, server):
        assert get(port, "/repo/", address="127.0.0.2")[0] == 200  # Host: 127.0.0.2:port
        assert get(port, "/repo/", host="localhost", address="127.0.0.2")[0] == 200
        assert get(port, "/repo/", host="evil.example", address="127.0.0.2")[0] == 421
    assert "Traceback" not in server.log, server.log


def test_a_busy_port_is_said_before_serving(tmp_path):
    root = write_tree(tmp_path / "site", SITE)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--site", str(root),
                               "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done
    assert done.stderr == f"error: port {port} is in use (pass --port N, or stop the other server)\n"
    assert "serving" not in done.stdout + done.stderr


def test_an_address_it_cannot_listen_on_is_said(tmp_path):
    root = write_tree(tmp_path / "site", SITE)
    port = free_port()
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--site", str(root),
                           "--host", "192.0.2.1", "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done
    assert done.stderr.startswith(f"error: cannot listen on 192.0.2.1:{port}: "), done.stderr
    assert "Traceback" not in done.stderr and "serving" not in done.stderr
