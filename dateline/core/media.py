"""An event's or an account's `media:`: images with their alt text, caption, credit, licence and source, checked.

Only what the entry says is checked here (keys, alt text, a path under content/, a URL, a known
source): the image files themselves are read and measured by the build (build/images.py).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from .checker import Checker, is_http_url
from .errors import nearest
from .model import Media, Source
from .yamlsrc import YList, YMap

MEDIA_KEYS = ("file", "url", "alt", "caption", "credit", "licence", "source")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
EXAMPLE = "write media: then '- file: content/media/photo.jpg' and 'alt: what the image shows'"


def read_media(data: YMap, c: Checker, sources: dict[str, Source]) -> tuple[Media, ...]:
    """Read the `media:` list of an event or an account (`data`) into Media, reporting every mistake at its line."""
    value = data.get("media")
    if value is None:
        return ()
    if not isinstance(value, YList):
        c.error(data.line_of("media"), "'media' must be a list of images", EXAMPLE, "bad-value")
        return ()
    found = []
    for item, line in zip(value, value.item_lines):
        if not isinstance(item, YMap):
            c.error(line, "each image must be a mapping with file: (or url:) and alt:", EXAMPLE, "bad-value")
            continue
        media = _one(item, c, sources)
        if media is not None:
            found.append(media)
    return tuple(found)


def _one(item: YMap, c: Checker, sources: dict[str, Source]) -> Media | None:
    """Read one image; None when it cannot be shown."""
    before = len(c.problems)
    c.unknown_keys(item, MEDIA_KEYS, "an image")
    alt = c.text(item, "alt")
    if "alt" not in item or item["alt"] is None:
        c.error(item.line, "image without 'alt'", "add alt: what the image shows, for readers who cannot "
                "see it", "missing-alt")
    elif not alt and isinstance(item["alt"], str):
        c.error(item.line_of("alt"), "'alt' is empty", "say what the image shows, for readers who cannot "
                "see it", "missing-alt")
    file, url = _file(item, c), _url(item, c)
    if "file" in item and "url" in item:
        c.error(item.line, "an image has 'file' or 'url', not both", "keep the one that is shown", "bad-value")
    elif "file" not in item and "url" not in item:
        c.error(item.line, "image without 'file' or 'url'", "add file: content/media/photo.jpg, or url: "
                "https://... for an image kept elsewhere", "missing-file")
    source = c.text(item, "source")
    if source and source not in sources:
        guess = nearest(source, sources)
        c.error(item.line_of("source"), f"unknown source '{source}'",
                f"did you mean '{guess}'?" if guess else f"add content/sources/{source}.yaml", "unknown-source")
    if len(c.problems) > before and any(p.severity == "error" for p in c.problems[before:]):
        return None
    return Media(alt=alt, file=file, url=url, caption=c.text(item, "caption"), credit=c.text(item, "credit"),
                 licence=c.text(item, "licence"), source=sources[source] if source else None, line=item.line)


def _file(item: YMap, c: Checker) -> str:
    """Return `file:` as a clean path under content/, or '' after reporting why it is not one."""
    name = c.text(item, "file")
    if not name:
        return ""
    line = item.line_of("file")
    path = PurePosixPath(name)
    if "\\" in name or path.is_absolute() or ".." in path.parts or path.parts[:1] != ("content",):
        c.error(line, f"'file' must be a path under content/, from the site's folder, not {name!r}",
                "put the image in the site, e.g. content/media/photo.jpg", "bad-path")
        return ""
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        c.error(line, f"{name!r} is not an image file Dateline can show",
                f"use a {', '.join(s[1:] for s in IMAGE_SUFFIXES)} file", "not-an-image")
        return ""
    return path.as_posix()


def _url(item: YMap, c: Checker) -> str:
    """Return `url:` when it is an http(s) URL, or '' after reporting it."""
    url = c.text(item, "url")
    if url and not is_http_url(url):
        c.error(item.line_of("url"), f"'url' must be an http or https URL, not {url[:60]!r}",
                "give the image's own address, https://...; or file: for an image kept in the site", "bad-url")
        return ""
    return url
