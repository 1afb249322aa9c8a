"""Helpers for the preview's adversarial cases: a real `build.py serve` on a free port of 127.0.0.1.

Every wait is bounded and the server is always stopped; requests are sent raw on a socket, so
a test can send a Host header or a URL that urllib would refuse or tidy up.
"""

from __future__ import annotations

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


def get(port: int, target: str | bytes, host: str | bytes | None = None, timeout: float = 5,
        address: str = "127.0.0.1") -> tuple[int, bytes]:
    """Send `GET target` byte for byte (Host: `host`, else address:port); return (status, body)."""
    target = target.encode() if isinstance(target, str) else target
    host = f"{address}:{port}" if host is None else host
    host = host.encode() if isinstance(host, str) else host
    with socket.create_connection((address, port), timeout=timeout) as s:
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@contextmanager
def serving(root: Path, *args: str, seconds: float = 60, address: str = "127.0.0.1"):
    """Run `build.py serve` on `root`; yield (port, the process); stop it afterwards, output kept in .log."""
    port = free_port()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(root),
                               "--port", str(port), *args],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                get(port, "/", timeout=2, address=address)
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
