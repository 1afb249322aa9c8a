"""An event with images and one citing a post, in the browser: axe-core finds nothing in light or
dark mode, the page fits 390 px and 1280 px, the browser picks a size from the srcset, and the
only request that leaves the site is the remote image its editor linked (never the platform)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dateline import pipeline as site
from .browser_support import Handler, describe, run_axe, save_screenshot

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "media" / "site"
PAGES = {"image": "events/2020-03-01-storm-floods-the-old-harbour/",
         "post": "events/2020-03-02-the-mayor-says-everyone-is-safe/", "sources": "sources/"}
REMOTE = "https://example.org/maps/harbour.png"  # the golden site's remote image
DOT = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082")


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    """Build the golden media site under /storm/ and serve it on 127.0.0.1."""
    docroot = tmp_path_factory.mktemp("www")
    fixture = Path(shutil.copytree(GOLDEN, tmp_path_factory.mktemp("media") / "site"))
    site.build(fixture, docroot / "storm", base_url="/storm/")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(docroot)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/storm/"
    server.shutdown()
    server.server_close()


def offsite(page, root: str) -> list[str]:
    """Answer every request that leaves the site with a 1-pixel PNG (no network here), and list them."""
    asked: list[str] = []

    def answer(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=DOT)

    host = urlsplit(root).netloc
    page.route(lambda url: urlsplit(url).netloc != host, answer)
    return asked


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_media_pages_pass_axe_and_ask_nothing_of_a_platform(page, media_root, node_modules, kind):
    asked = offsite(page, media_root)
    page.goto(media_root + PAGES[kind], wait_until="load")
    assert page.locator("iframe, script:not([type='application/ld+json'])").count() == 0  # before axe's own
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        violations = run_axe(page, node_modules)
        assert violations == [], f"{kind} ({scheme}):\n{describe(violations)}"
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # so a lazy image loads too
    page.wait_for_load_state("networkidle")
    assert asked == ([REMOTE] if kind == "image" else [])
    assert page.watch.problems == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_image_fits_and_the_browser_picks_a_size(browser, media_root, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    offsite(page, media_root)
    try:
        for kind in sorted(PAGES):
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                page.goto(media_root + PAGES[kind], wait_until="load")
                scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
                assert scroll <= inner, (kind, width, scroll, inner)
                save_screenshot(page, f"media-{kind}-{width}-{scheme}")
        page.goto(media_root + PAGES["image"], wait_until="load")
        image = page.locator("figure.media img").first
        chosen = image.evaluate("img => img.currentSrc")
        assert chosen.endswith(".webp")  # Chromium takes the WebP <source>
        assert chosen.endswith("-480.webp" if width == 390 else "-800.webp")
        box = image.bounding_box()
        assert abs(box["width"] / box["height"] - 800 / 500) < 0.02  # width and height keep its shape
    finally:
        context.close()
