"""Images on events and posts as sources: what the pages, exports and the cache make of them.

The whole output of a site with both is in tests/golden/media; these tests pin the rules
behind it: sizes made once and deterministically, without metadata, nothing loaded from a
platform, og:image only where the site's address is known.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from dateline import pipeline
from dateline.core.errors import BuildError
from dateline.build import cache, images
from dateline.core.load import load_site
from dateline.core.timeline import validate

GOLDEN = Path(__file__).parent / "golden" / "media" / "site"
STORM = "events/2020-03-01-storm-floods-the-old-harbour/index.html"
ALL_CLEAR = "events/2020-03-02-the-mayor-says-everyone-is-safe/index.html"


@pytest.fixture
def media_site(tmp_path) -> Path:
    return Path(shutil.copytree(GOLDEN, tmp_path / "site"))


def build(site: Path, out: Path, memo=None) -> dict[str, bytes]:
    return pipeline.build(site, out, memo=memo).files


def photo(path: Path, size=(1600, 1000), exif: bool = False, mode: str = "RGB") -> None:
    """Write a test photo; with `exif`, a camera's maker and an orientation turning it upright."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 120))
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "SecretCam"   # Make
        tags[0x0112] = 6             # Orientation: rotate 90 degrees
        image.save(path, "JPEG", exif=tags.tobytes())
    else:
        image.save(path)


def test_sizes_are_made_at_the_widths_below_the_image_and_its_own(media_site, tmp_path):
    photo(media_site / "content/media/harbour.jpg", (1600, 1000))
    files = build(media_site, tmp_path / "out")
    made = sorted(p for p in files if p.startswith("media/harbour"))  # the event's (an account has another)
    assert [re.sub(r"-[0-9a-f]{10}-", "-H-", p) for p in made] == [
        f"media/harbour-H-{w}.{ext}" for w in (1440, 480, 960) for ext in ("jpg", "webp")]
    for path in made:
        image = Image.open(io.BytesIO(files[path]))
        width = int(path.rsplit("-", 1)[1].split(".")[0])
        assert image.size == (width, round(1000 * width / 1600))
    page = files[STORM].decode()
    assert 'width="1440" height="900"' in page
    assert re.search(r'srcset="[^"]*-480\.jpg 480w, [^"]*-960\.jpg 960w, [^"]*-1440\.jpg 1440w"', page)
    assert 'type="image/webp"' in page and 'sizes="(min-width: 44rem) 42rem, 100vw"' in page


def test_the_first_image_loads_at_once_and_the_others_lazily(media_site, tmp_path):
    page = build(media_site, tmp_path / "out")[STORM].decode()
    imgs = re.findall(r"<img [^>]*>", page)
    assert len(imgs) == 3 and 'loading="lazy"' in imgs[2]  # the third, an account's, further down
    assert "loading=" not in imgs[0] and 'loading="lazy"' in imgs[1]
    assert 'src="https://example.org/maps/harbour.png"' in imgs[1]  # a remote image is linked as it is
    assert "width=" not in imgs[1]  # never downloaded, so never measured


def test_the_credit_caption_licence_and_source_are_shown_and_printed(media_site, tmp_path):
    page = build(media_site, tmp_path / "out")[STORM].decode()
    figcaption = re.search(r"<figcaption>(.*?)</figcaption>", page, re.S)[1]
    text = re.sub(r"<[^>]+>", "", figcaption)
    assert "The harbour wall at high tide." in text
    assert "Credit: Ana Lopes / Harbour Times · Licence: CC BY 4.0" in text
    assert 'href="../../sources/#harbour-times"' in figcaption
    css = (Path(pipeline.THEME) / "static/event.css").read_text()  # the event page's own rules
    printed = css[css.index("@media print"):]
    assert ".media .credit" in printed and ".media figcaption" not in re.findall(r"[^{}]*\{ display: none", printed)


def test_an_account_shows_its_image_with_its_credits_in_its_card(media_site, tmp_path):
    photo(media_site / "content/media/breach.png", (1200, 800))
    files = build(media_site, tmp_path / "out")
    made = sorted(re.sub(r"-[0-9a-f]{10}-", "-H-", p) for p in files if p.startswith("media/breach"))
    assert made == [f"media/breach-H-{w}.{ext}" for w in (1200, 480, 960) for ext in ("jpg", "webp")]
    assert Image.open(io.BytesIO(files[next(p for p in files if p.endswith("-480.jpg") and "breach" in p)])).size == (480, 320)
    page = files[STORM].decode()
    cards = re.findall(r'<li class="account">.*?</li>', page, re.S)
    assert len(cards) == 2 and "<figure" not in cards[1]  # only the account that has an image shows one
    card = cards[0]
    assert card.index("gave way north of the quays") < card.index("<figure class=\"media\">")
    img = re.search(r"<img [^>]*>", card)[0]
    assert 'alt="Water pouring through a gap in the harbour wall"' in img and 'width="1200" height="800"' in img
    assert 'sizes="(min-width: 44rem) 20rem, 100vw"' in img and 'loading="lazy"' in img  # a card, below the fold
    text = re.sub(r"<[^>]+>", "", re.search(r"<figcaption>(.*?)</figcaption>", card, re.S)[1])
    assert "Credit: Rui Santos / Harbour Times · Licence: CC BY 4.0" in text and "From: Harbour Times" in text


def test_an_accounts_image_is_checked_as_an_events(media_site, tmp_path):
    (media_site / "content/media/breach.png").write_bytes(b"not a picture")
    with pytest.raises(BuildError) as caught:
        build(media_site, tmp_path / "out")
    (problem,) = caught.value.problems
    storm = (media_site / "content/events/storm.md").read_text().splitlines()
    assert problem.path.endswith("storm.md") and storm[problem.line - 1].strip() == "- file: content/media/breach.png"
    assert "is not an image" in problem.message


def test_sizes_carry_no_metadata_and_are_turned_upright(media_site, tmp_path):
    photo(media_site / "content/media/harbour.jpg", (1000, 600), exif=True)
    files = build(media_site, tmp_path / "out")
    for path in (p for p in files if p.startswith("media/harbour")):  # the photo with EXIF
        assert b"SecretCam" not in files[path] and b"Exif" not in files[path], path
        image = Image.open(io.BytesIO(files[path]))
        assert image.height > image.width  # the orientation was applied, then dropped
    assert 'width="600" height="1000"' in files[STORM].decode()


def test_a_transparent_png_is_shown_on_white(media_site, tmp_path):
    (media_site / "content/media/harbour.jpg").unlink()
    photo(media_site / "content/media/harbour.png", (500, 300), mode="RGBA")
    page = media_site / "content/events/storm.md"
    page.write_text(page.read_text().replace("harbour.jpg", "harbour.png"))
    files = build(media_site, tmp_path / "out")
    jpeg = next(p for p in files if p.endswith("-500.jpg"))
    assert Image.open(io.BytesIO(files[jpeg])).mode == "RGB"


def test_the_same_image_gives_the_same_bytes_in_every_build(media_site, tmp_path):
    first = build(media_site, tmp_path / "a")
    second = build(media_site, tmp_path / "b")
    made = {p: b for p, b in first.items() if p.startswith("media/")}
    assert made and made == {p: b for p, b in second.items() if p.startswith("media/")}


def test_a_rebuild_takes_the_sizes_from_the_cache(media_site, tmp_path, monkeypatch):
    store = cache.Store(media_site / cache.FOLDER)
    memo = cache.open_memo(store)
    first = build(media_site, tmp_path / "out", memo)
    cache.save_memo(store, memo)
    monkeypatch.setattr(images, "sizes_of", lambda *a: pytest.fail("an image was resized again"))
    monkeypatch.setattr(images, "decode", lambda *a: pytest.fail("an image was decoded again"))
    memo = cache.open_memo(cache.Store(media_site / cache.FOLDER))
    second = build(media_site, tmp_path / "out", memo)
    assert {p: b for p, b in second.items() if p.startswith("media/")} == \
           {p: b for p, b in first.items() if p.startswith("media/")}


def test_a_new_image_in_the_same_file_gets_new_addresses(media_site, tmp_path):
    before = {p for p in build(media_site, tmp_path / "a") if p.startswith("media/harbour")}
    photo(media_site / "content/media/harbour.jpg", (700, 400))
    after = {p for p in build(media_site, tmp_path / "b") if p.startswith("media/harbour")}
    assert before and after and not before & after


def test_the_image_reaches_timelinejs_the_feed_json_ld_and_open_graph(media_site, tmp_path):
    files = build(media_site, tmp_path / "out")
    slide = json.loads(files["timeline.json"])["events"][0]
    assert slide["media"]["url"].startswith("https://timeline.example/storm/media/harbour-")
    assert slide["media"]["alt"] == "Waves breaking over the harbour wall under a grey sky"
    assert "Ana Lopes" in slide["media"]["credit"] and slide["media"]["caption"]
    assert "&lt;img src=&quot;https://timeline.example/storm/media/harbour-" in files["feed.xml"].decode() \
        or '&lt;img src="https://timeline.example/storm/media/harbour-' in files["feed.xml"].decode()
    page = files[STORM].decode()
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert ld["image"][0]["contentUrl"] == slide["media"]["url"] and ld["image"][0]["creditText"]
    assert '<meta property="og:image" content="https://timeline.example/storm/media/harbour-' in page
    assert "og:image" not in files[ALL_CLEAR].decode()


def test_no_og_image_without_the_sites_address(media_site, tmp_path):
    (media_site / "site.yaml").write_text("title: Media timeline\nbase_url: /storm/\n")
    page = build(media_site, tmp_path / "out")[STORM].decode()
    assert "og:image" not in page and "<picture>" in page


def test_a_post_is_a_card_with_its_words_and_nothing_from_the_platform(media_site, tmp_path):
    files = build(media_site, tmp_path / "out")
    for path in (ALL_CLEAR, "sources/index.html"):
        page = files[path].decode()
        card = re.search(r'<figure class="post-card">(.*?)</figure>', page, re.S)[1]
        assert "The harbour wall held.<br>Everyone is safe; stay away from the quay until noon." in card
        assert "Jo Marsh" in card and "@jomarsh" in card and "Mastodon" in card
        assert '<time datetime="2020-03-02T09:15Z">2 March 2020, 09:15 UTC</time>' in card
        assert '<a href="https://social.example/@jomarsh/1001">View the post</a>' in card
        assert not re.search(r'<script(?! type="application/ld\+json")|<iframe\b', page)  # data, never code
        assert not re.search(r'src="https://social\.example', page)  # nothing is loaded from the platform
    assert files[STORM].decode().count("post-card") == 0


def test_a_post_keeps_its_line_breaks_in_a_minified_page(media_site, tmp_path):
    """minify_html makes every newline a space: the break is a <br>, which it keeps."""
    (media_site / "site.yaml").write_text((media_site / "site.yaml").read_text() + "minify_html: true\n")
    card = re.search(r'<figure class=post-card>(.*?)</figure>', build(media_site, tmp_path / "out")[ALL_CLEAR].decode())[1]
    assert "The harbour wall held.<br>Everyone is safe" in card


def test_a_post_without_url_has_no_link_out(media_site, tmp_path):
    post = media_site / "content/sources/mayor-post.yaml"
    post.write_text(post.read_text().replace("url: https://social.example/@jomarsh/1001\n", ""))
    page = build(media_site, tmp_path / "out")[ALL_CLEAR].decode()
    card = re.search(r'<figure class="post-card">(.*?)</figure>', page, re.S)[1]
    assert "<a " not in card and "cite=" not in card


def test_a_quote_of_a_post_is_checked_against_its_words(media_site):
    event = media_site / "content/events/all-clear.md"
    event.write_text(event.read_text().replace('quote: "Everyone is safe"', 'quote: "Everybody is safe"'))
    _, problems = validate(load_site(media_site))
    assert [str(p) for p in problems if p.severity == "error"] == [
        "content/events/all-clear.md:8: error: quote not found in mayor-post's text "
        "(content/sources/mayor-post.yaml): \"Everybody is safe\" (check the wording against the stored "
        "text: a quote must be copied exactly, only white space and quote marks may differ)"]


def test_events_json_lists_media_and_post_fields(media_site, tmp_path):
    data = json.loads(build(media_site, tmp_path / "out")["events.json"])
    media = data["events"][0]["media"]
    assert [m["file"] for m in media] == ["content/media/harbour.jpg", ""]
    assert media[0]["width"] == 800 and media[1]["url"] == "https://example.org/maps/harbour.png"
    post = next(s for s in data["sources"] if s["id"] == "mayor-post")
    assert (post["handle"], post["platform"], post["csl_type"]) == ("@jomarsh", "Mastodon", "post")
