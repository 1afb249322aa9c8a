"""Helpers for the preview's adversarial cases: a real `build.py serve` on a free port of 127.0.0.1.

Every wait is bounded and the server is always stopped; requests are sent raw (http.client), so
a test can send a Host header or a URL that urllib would refuse or tidy up.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, target: str, host: str | None = None, timeout: float = 5) -> tuple[int, bytes]:
    """Send `GET target` as is to 127.0.0.1:port (Host: `host`, else 127.0.0.1:port); return (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@contextmanager
def serving(root: Path, *args: str, seconds: float = 60):
    """Run `build.py serve` on `root`; yield (port, the process); stop it afterwards, output kept in .log."""
    port = free_port()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(root),
                               "--port", str(port), *args],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                get(port, "/", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the preview did not start: {server.stdout.read().decode()}")
                time.sleep(0.1)
        yield port, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        server.log = server.stdout.read().decode(errors="replace")
        server.stdout.close()
