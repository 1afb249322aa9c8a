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
import os
import re
import socket
import time
import traceback
from pathlib import Path

import livereload
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado import httpserver, netutil, web

from .. import pipeline as site
from ..build import cache, parallel
from ..core.errors import BuildError, Problem
from ..render.markdown import CONVERTER
from ..render.pages import THEME
from .watch import Watch

OUTPUT = Path(cache.FOLDER) / "serve" / "site"
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
EVERYWHERE = frozenset({"", "0.0.0.0", "::"})
MAX_URL = 2048  # longer paths are refused (414) before they reach the file system
_HOST = re.compile(r"(?:\[(?P<ip6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9.\-]+))(?::[0-9]{1,5})?")


class Preview:
    """The site as last built for the preview, or the errors that stopped the last build."""

    def __init__(self, root: Path, base_url: str | None = None, say=print):
        self.root = Path(root).absolute()
        self.output = self.root / OUTPUT
        self.base_url, self.say = base_url, say
        self.store = cache.Store(self.root / cache.FOLDER)
        self.memo = cache.open_memo(self.store)
        # The folder may hold files a killed session wrote after its last record: look at all of
        # them once (the first build then removes what the site no longer has).
        self.memo.outputs.get(str(self.output), {}).pop("\0names", None)
        self.base_path = "/"
        self.errors: list[Problem] = []
        self.builds = 0

    def rebuild(self) -> bool:
        """Build the site, drafts included; on failure keep the errors to show. True if it built."""
        started = time.perf_counter()
        try:
            with parallel.collector_off():
                result = site.build(self.root, self.output, self.base_url, drafts=True, memo=self.memo,
                                    in_place=True)
        except BuildError as exc:
            self.errors = exc.problems or [Problem("site", 0, 0, "the build failed")]
        except Exception as exc:  # noqa: BLE001 - a bug in a build must not stop the preview
            self.errors = [Problem("dateline", 0, 0, f"internal error: {exc!r}",
                                   "please report it with the traceback printed by `build.py serve`")]
            self.say(traceback.format_exc())
        else:
            self.errors = []
            self.base_path = result.timeline.config.base_path
            if self.memo.complete:
                CONVERTER.drop_unused()  # keep the memory to what the site uses
            self.memo.forget_unseen()
            if not self.builds:
                cache.save_memo(self.store, self.memo)  # the next session starts from here
        self.builds += 1
        seconds = time.perf_counter() - started
        for note in self.store.take_notes():
            self.say(note)
        if self.errors:
            self.say(f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''} "
                     f"({seconds:.2f} s); the browser shows them:")
            for problem in self.errors:
                self.say(f"  {problem}")
        else:
            rendered = self.memo.counts['files rendered']
            self.say(f"built in {seconds:.2f} s: {rendered} file{'s' if rendered != 1 else ''} rendered, "
                     f"{self.memo.counts['files kept']} unchanged")
        return not self.errors


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
        await super().get(here[len(base):], include_body)

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
        app = _Application(host, [(r"/livereload", LiveReloadHandler), (r"/forcereload", ForceReloadHandler),
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

    def on_change() -> None:
        preview.rebuild()
        LiveReloadHandler.reload_waiters("*")

    watch = Watch([preview.root, THEME], on_change)
    say(f"serving http://{host}:{port}{preview.base_path} (Ctrl-C stops)")
    _Server(preview, watch, sockets).serve(port=port, host=host, open_url_delay=None)
    cache.save_memo(preview.store, preview.memo)  # stopped: the next session starts from here
    return 0
