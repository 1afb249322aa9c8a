"""The browser suite: Debian's Chromium driven by Playwright, on the fixture site (tests/fixtures/site,
never content/) served over HTTP under a sub-path (/repo/), as GitHub Pages serves a project site.

Skipped, with the reason, only where /usr/bin/chromium is absent and not under CI; CI installs
Chromium (.ci/run), so there a missing browser is a failure. Playwright never downloads a
browser here: it launches Debian's through `executable_path`.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import copy_fixture_site
from .browser_support import SUB_PATH, Handler, Watch, install_npm_packages, make_timelinejs_page
from dateline import pipeline as site
from dateline.core.model import Timeline

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("DATELINE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's Chromium (needs /usr/bin/chromium)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


def missing(what: str, how: str) -> None:
    """Skip with the reason on a developer's machine; fail under CI, which must have everything."""
    message = f"{what} is not installed ({how})"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must install it (.ci/run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        missing(f"Chromium at {CHROMIUM}", "apt-get install -y chromium")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """Install the pinned npm packages (axe-core, TimelineJS) once, again only when the lock file changes."""
    folder = install_npm_packages()
    if folder is None:
        missing("npm", "apt-get install -y nodejs npm")
    return folder


@dataclass
class Served:
    """The fixture site, built and served: its URL and what the build knew."""

    root: str                       # e.g. http://127.0.0.1:PORT/repo/
    folder: Path                    # the built site on disk
    origin: str                     # http://127.0.0.1:PORT, which also serves /timelinejs/, /years/ and /min/
    timeline: Timeline
    pages: dict = field(default_factory=dict)   # page kind -> path under root


# A small site over three years, for the year filter with exact counts.
YEARS_SITE = {"site.yaml": "title: Three years\nbase_url: /years/\n"} | {
    f"content/events/{slug}.md": f"---\ntitle: {title}\ndate: {date}\n---\nBody.\n"
    for slug, title, date in [("a", "Spring flood", "2018-04-02"), ("b", "Second flood", "2019-05-06"),
                              ("c", "Dam opens", "2019-09-10"), ("d", "Third flood", "2020-03-01")]}


@pytest.fixture(scope="session")
def served(tmp_path_factory, node_modules) -> Served:
    """Build the fixture site under /repo/, add a TimelineJS test page beside it, serve both on 127.0.0.1."""
    docroot = tmp_path_factory.mktemp("www")
    out = docroot / SUB_PATH
    fixture = copy_fixture_site(tmp_path_factory.mktemp("fixture") / "site")
    result = site.build(fixture, out, base_url=f"/{SUB_PATH}/")
    make_timelinejs_page(docroot / "timelinejs", node_modules)
    years = tmp_path_factory.mktemp("years")
    for rel, text in YEARS_SITE.items():
        (years / rel).parent.mkdir(parents=True, exist_ok=True)
        (years / rel).write_text(text, encoding="utf-8")
    site.build(years, docroot / "years", base_url="/years/")
    minified = copy_fixture_site(tmp_path_factory.mktemp("minified") / "site")  # site.yaml's minify_html
    (minified / "site.yaml").write_text((minified / "site.yaml").read_text() + "minify_html: true\n")
    site.build(minified, docroot / "min", base_url="/min/")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(docroot)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    timeline = result.timeline
    first = lambda kind: timeline.taxonomies[kind][0].slug  # noqa: E731
    disputed = next(e for e in timeline.events if e.disputed)
    pages = {
        "index": "", "event": f"events/{disputed.slug}/", "sources": "sources/", "tags-index": "tags/",
        "tag": f"tags/{first('tags')}/", "place": "places/nordhavn/", "actor": f"actors/{first('actors')}/",
        "404": "no/such/page/", "corrections": "corrections/",
    }
    yield Served(f"{origin}/{SUB_PATH}/", out, origin, timeline, pages)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.watch = Watch()
    page.watch.attach(page)
    return page


