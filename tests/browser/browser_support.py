"""Helpers for the browser suite: the HTTP handler, a watch on page errors, axe-core, screenshots."""

from __future__ import annotations

import hashlib
import http.server
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent / "artifacts"
SUB_PATH = "repo"


def install_npm_packages() -> Path | None:
    """Install the pinned npm packages (axe-core, TimelineJS) once, again only when the lock file changes.

    Return their node_modules folder, or None when they must be installed and npm is missing.
    """
    folder = HERE / "node_modules"
    stamp = folder / ".dateline-lock-sha256"
    want = hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != want:
        npm = shutil.which("npm")
        if npm is None:
            return None
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)
        stamp.write_text(want)
    return folder


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serve files quietly; a missing page under the site gets its 404.html, as GitHub Pages does."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / SUB_PATH / "404.html"
        if code != 404 or not self.path.startswith(f"/{SUB_PATH}/") or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def make_timelinejs_page(folder: Path, node_modules: Path) -> None:
    """Write a page that loads the site's timeline.json into TimelineJS, from the pinned npm package."""
    dist = node_modules / "@knight-lab" / "timelinejs" / "dist"
    shutil.copytree(dist / "js", folder / "js")
    shutil.copytree(dist / "css", folder / "css")
    folder.joinpath("index.html").write_text(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS check</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="css/timeline.css">
<script src="js/timeline.js"></script></head>
<body><div id="timeline-embed" style="width: 100%; height: 600px"></div>
<script>
  window.timelineReady = false;
  window.timeline = new TL.Timeline("timeline-embed", "/{SUB_PATH}/timeline.json",
    {{ language: "en", font: null, script_path: new URL("js/", location.href).href }});
  window.timeline.on("loaded", function () {{ window.timelineReady = true; }});
</script></body></html>
""", encoding="utf-8")


@dataclass
class Watch:
    """What went wrong while a page loaded: console errors, page errors, failed requests."""

    problems: list = field(default_factory=list)
    expected_404: str = ""

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _failed(self, request) -> None:
        # ERR_ABORTED is the browser cancelling its own request (a reload or navigation while the
        # favicon was still loading), not the server failing: the responses are checked below.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"failed request: {request.url} {request.failure}")

    def _console(self, message) -> None:
        if message.type == "error":
            # A page served with status 404 logs it as a console error; that one is the point of 404.html.
            if self.expected_404 and message.location.get("url") == self.expected_404 and "404" in message.text:
                return
            self.problems.append(f"console error: {message.text} at {message.location.get('url')}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.url != self.expected_404:
            self.problems.append(f"HTTP {response.status}: {response.url}")


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact (tests/artifacts/, not committed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def run_axe(page, node_modules: Path) -> list[dict]:
    """Run axe-core on the page; return its violations as plain data."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(node_modules / "axe-core" / "axe.min.js"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, indent=1, ensure_ascii=False)


def assert_url(page, wanted) -> None:
    """The page's address becomes `wanted` (a string, or a compiled pattern matched in full).

    page.url follows history.replaceState through an event from the browser, which can arrive
    after the input that caused it: read at once, it may still be the old address."""
    from playwright.sync_api import expect
    expect(page).to_have_url(wanted, timeout=5000)
