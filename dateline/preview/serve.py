"""`build.py serve`: a live preview that rebuilds on every save and reloads the open pages.

The preview builds into .dateline-cache/serve/site (never into output/), drafts included,
keeping the build memo in memory so a save re-renders only what it changed. The site is
served under its base path (e.g. /repo/, as GitHub Pages will), and `/` leads there. A build
that fails does not stop the server: every page shows the errors instead, with livereload's
script, so the browser comes back by itself once the files are fixed.

Only the preview's own names are answered: a page on a DNS-rebinding domain (evil.example
resolving to 127.0.0.1) makes the browser send `Host: evil.example`, which gets a 421, so it
cannot read the drafts. Its names are localhost, 127.0.0.1 and [::1], with any port, plus the
address given to `--host`; listening on every address (`--host 0.0.0.0` or `::`) adds any IP
address and this machine's host name (no DNS name can be rebound to an IP address). A URL
with a control character or an absurd length gets a 400 or a 414; nothing outside the private
folder is served, not even through a link in it.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import os
import re
import signal
import socket
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import livereload
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado import httpserver, netutil, web

from ..build import cache
from ..core.errors import Problem
from ..render.pages import THEME
from .session import OUTPUT, Preview, Rebuilds  # noqa: F401 - OUTPUT: where the preview builds
from .watch import Watch

LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
EVERYWHERE = frozenset({"", "0.0.0.0", "::"})
MAX_URL = 2048  # longer paths are refused (414) before they reach the file system
_HOST = re.compile(r"(?:\[(?P<ip6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9.\-]+))(?::[0-9]{1,5})?")


def error_page(problems: list[Problem]) -> bytes:
    """Return the page shown instead of the site while it has errors, every one of them listed."""
    items = []
    for p in problems:
        where = p.path + (f":{p.line}" if p.line else "") + (f":{p.col}" if p.line and p.col else "")
        hint = f'<p class="hint">{html.escape(p.hint)}</p>' if p.hint else ""
        items.append(f'<li><code class="where">{html.escape(where)}</code> '
                     f'<span class="message">{html.escape(p.message)}</span>{hint}</li>')
    count = f"{len(problems)} error{'s' if len(problems) != 1 else ''}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{count}: the site was not built</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
h1 {{ color: #a00; font-size: 1.5rem; }}
li {{ margin: 0 0 1rem; }}
.where {{ font-weight: bold; }}
.hint {{ margin: .25rem 0 0; color: #555; }}
</style>
</head>
<body>
<h1>{count}: the site was not built</h1>
<p>Fix the files below and save: this page reloads by itself.</p>
<ol class="errors">
{chr(10).join(items)}
</ol>
</body>
</html>
""".encode("utf-8")


def host_allowed(header: str, listening: str) -> bool:
    """Return True when a request's Host header names this preview, listening on `listening`."""
    m = _HOST.fullmatch(header.lower())
    if not m:
        return False
    name = m["ip6"] or m["name"]
    if name in LOCAL_NAMES or name == listening.lower().strip("[]"):
        return True
    if listening in EVERYWHERE:
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return name == socket.gethostname().lower()
    return False


class _WrongHost(web.RequestHandler):
    """The answer to a request for another host name (a DNS-rebinding page, a stray proxy)."""

    def prepare(self) -> None:
        self.set_status(421)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("421 Misdirected Request: this preview is not served to that host name; open it "
                    "at http://localhost:<port>/ (or pass --host NAME to listen under that name)\n")


class _Application(web.Application):
    """A tornado application that answers only requests for the preview's own names."""

    def __init__(self, listening: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.listening = listening

    def find_handler(self, request, **kwargs):
        if not host_allowed(request.headers.get("Host", ""), self.listening):
            return self.get_handler_delegate(request, _WrongHost)
        return super().find_handler(request, **kwargs)


class SiteHandler(web.StaticFileHandler):
    """Serve the preview under its base path, or the error page while the build is broken."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview
        super().initialize(path=str(preview.output), default_filename="index.html")

    async def get(self, path: str, include_body: bool = True) -> None:
        if len(path) > MAX_URL:
            raise web.HTTPError(414)
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in path):  # a NUL would reach os.stat
            raise web.HTTPError(400)
        preview, here = self.preview, "/" + path
        if preview.errors:
            return self._send(500, error_page(preview.errors), include_body)
        base = preview.base_path
        if not here.startswith(base):
            if here == "/" or here + "/" == base:
                return self.redirect(base)
            return self._send(404, self._not_found(), include_body)
        inside = here[len(base):]
        page = inside.removesuffix("index.html").rstrip("/") + "/"
        if page in preview.moved:  # a page gone since its entry's date or title changed: to the new one
            return self.redirect(base + preview.moved[page])
        await super().get(inside, include_body)

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        path = super().validate_absolute_path(root, absolute_path)
        top = os.path.realpath(root)
        if path is not None and not os.path.realpath(path).startswith(top.rstrip(os.sep) + os.sep):
            raise web.HTTPError(403)  # a link out of the private folder (tornado < 6.6 follows it)
        return path

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")  # a reload must show the new build

    def should_return_304(self) -> bool:
        return False

    def write_error(self, status_code: int, **kwargs) -> None:
        if status_code == 404:
            self.set_status(404)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(self._not_found())
        else:
            super().write_error(status_code, **kwargs)

    def _not_found(self) -> bytes:
        page = self.preview.output / "404.html"
        return page.read_bytes() if page.is_file() else b"<html><head></head><body>Not found</body></html>"

    def _send(self, status: int, body: bytes, include_body: bool) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(body if include_body else None)


class _Browser(LiveReloadHandler):
    """livereload's socket to an open page, which keeps the page's URL (livereload.js sends it)."""

    url = None

    def on_message(self, message) -> None:
        try:
            self.url = json.loads(message).get("url") or self.url
        except (ValueError, AttributeError):
            pass
        super().on_message(message)


def reload(preview: Preview, changed: set[str] | None) -> None:
    """Reload the open pages whose file is in `changed` (None: every page), or that a changed
    stylesheet, script or image may show."""
    message = {"command": "reload", "path": "*", "liveCSS": True, "liveImg": True}
    for browser in list(LiveReloadHandler.waiters):
        if changed is None or shows(browser.url, preview, changed):
            try:
                browser.write_message(message)
            except Exception:  # noqa: BLE001 - a closed socket: it has gone
                LiveReloadHandler.waiters.discard(browser)


def shows(url: str | None, preview: Preview, changed: set[str]) -> bool:
    """Return True when the page at `url` may look different after `changed` (output paths)."""
    if not changed:
        return False
    path, base = unquote(urlsplit(url or "").path), preview.base_path
    if url is None or not path.startswith(base) or any(not p.endswith(".html") and p.startswith("static/")
                                                       for p in changed):
        return True
    file = path[len(base):]
    file = file + "index.html" if not file or file.endswith("/") else file
    return file in changed or not (preview.output / file).is_file()  # a 404 may be found now


class _Server(livereload.Server):
    """livereload's server with Dateline's handler and watcher, on sockets bound beforehand."""

    def __init__(self, preview: Preview, watch: Watch, sockets: list):
        super().__init__(watcher=_StartWatch(watch))
        self.preview, self.sockets = preview, sockets

    def get_web_handlers(self, script):
        return [(r"/(.*)", SiteHandler, {"preview": self.preview})]

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        """What livereload's does (one port), with the Host check and the sockets already bound."""
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        script = (b'<script type="text/javascript">(function(){var s=document.createElement("script");'
                  b'var port=(window.location.port || (window.location.protocol == "https:" ? 443: 80));'
                  b's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
                  b'document.head.appendChild(s);})();</script>')

        class Inject(LiveScriptInjector):
            pass
        Inject.script = script
        app = _Application(host, [(r"/livereload", _Browser), (r"/forcereload", ForceReloadHandler),
                                  (r"/livereload.js", LiveReloadJSHandler), *self.get_web_handlers(script)],
                           transforms=[Inject])
        httpserver.HTTPServer(app).add_sockets(self.sockets)


class _StartWatch(Watcher):
    """Lets livereload start Dateline's watcher instead of polling with its own."""

    def __init__(self, watch: Watch):
        super().__init__()
        self.watch_ = watch
        self._tasks = {"site": None}  # else livereload watches the current folder

    def start(self, callback) -> bool:
        self.watch_.start()
        return True


def run(root: Path, host: str = "127.0.0.1", port: int = 8000, base_url: str | None = None, say=print) -> int:
    """Build the site, serve it on http://host:port/<base path>, rebuild and reload on each save.

    Return 1 at once if it cannot listen there (a busy port...), else 0 once stopped.
    """
    try:
        sockets = netutil.bind_sockets(port, host or None)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            say(f"error: port {port} is in use (pass --port N, or stop the other server)")
        else:
            say(f"error: cannot listen on {host}:{port}: {exc.strerror or exc} "
                f"(pass --host with an address of this machine, e.g. 127.0.0.1)")
        return 1
    preview = Preview(root, base_url, say)
    preview.rebuild()
    # While a rebuild runs on its thread, a request waits for the interpreter's lock after each of
    # its system calls for up to this long (5 ms by default: 30-120 ms a page at 10,000 events).
    sys.setswitchinterval(0.0005)
    rebuilds = Rebuilds(preview, lambda changed: reload(preview, changed))
    watch = Watch([preview.root, THEME], rebuilds.saved)
    say(f"serving http://{host}:{port}{preview.base_path} (Ctrl-C stops)")
    # SIGTERM and SIGHUP end the session as Ctrl-C does: the memo is saved for the next session.
    for number in filter(None, (signal.SIGTERM, getattr(signal, "SIGHUP", None))):
        signal.signal(number, signal.default_int_handler)
    sys.unraisablehook = _interrupt_again
    try:
        _Server(preview, watch, sockets).serve(port=port, host=host, open_url_delay=None)
    finally:
        rebuilds.close()
    cache.save_memo(preview.store, preview.memo)  # stopped: the next session starts from here
    return 0


def _interrupt_again(unraisable) -> None:
    """Send again an interrupt lost where Python cannot raise it (a weak reference's callback)."""
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        return sys.__unraisablehook__(unraisable)
    threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT)).start()
