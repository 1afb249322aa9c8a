"""Every URL of the site, built here: page paths, links between pages, public absolute URLs.

Used by Python (exports, feeds, JSON-LD, the page plan) and by templates, through the globals
`url`, `event_url` and `term_url` that render/pages.py makes from these functions.
"""

from __future__ import annotations

import uuid

from ..core.config import Config
from ..core.model import Event, Media, slugify

MEDIA_WIDTHS = (480, 960, 1440)  # the widths an image is made at: a phone, a column, a wide screen


def relative_root(path: str) -> str:
    """Return the prefix that leads from page `path` back to the site root, e.g. '../../'."""
    depth = path.count("/")
    return "../" * depth


def page_root(config: Config, path: str) -> str:
    """Return what links on page `path` start with: relative, but the base path on 404.html.

    GitHub Pages serves 404.html at any depth, so its links must be absolute paths.
    """
    return config.base_path if path == "404.html" else relative_root(path)


def event_path(event: Event) -> str:
    """Return an event page's address from the site root."""
    return f"events/{event.slug}/"


def term_path(kind: str, slug: str) -> str:
    """Return the address of a tag's, place's or actor's page from the site root."""
    return f"{kind}/{slug}/"


def site_url(config: Config) -> str:
    """Return the site's absolute URL: base_url, else https://<cname><base path>, else ''."""
    if config.absolute:
        return config.base_url
    if config.cname:
        return f"https://{config.cname}{config.base_path}"
    return ""


def page_path(output_path: str) -> str:
    """Return the address of an output file from the site root: 'events/x/index.html' -> 'events/x/'."""
    if output_path == "index.html":
        return ""
    return output_path[:-len("index.html")] if output_path.endswith("/index.html") else output_path


def absolute_url(config: Config, path: str = "") -> str:
    """Return the absolute URL of `path` (from the site root), or '' when the host is unknown."""
    root = site_url(config)
    return root + path if root else ""


def public_url(config: Config, path: str = "") -> str:
    """Return the absolute URL of `path`, or its path from the host root when the host is unknown."""
    return absolute_url(config, path) or config.base_path + path


def ident(config: Config, path: str = "") -> str:
    """Return a permanent identifier for `path`: its absolute URL, or a name-based urn:uuid."""
    return absolute_url(config, path) or "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL,
                                                                     f"dateline:{config.title}:{path}"))


def media_widths(media: Media) -> tuple[int, ...]:
    """Return the widths an image file is made at: MEDIA_WIDTHS below its own, then its own (at most 1440)."""
    largest = min(media.width, MEDIA_WIDTHS[-1])
    return tuple(w for w in MEDIA_WIDTHS if w < largest) + (largest,)


def media_height(media: Media, width: int) -> int:
    """Return the height of an image made `width` pixels wide, its proportions kept."""
    return max(1, round(media.height * width / media.width))


def media_path(media: Media, width: int, ext: str) -> str:
    """Return where one size of an image file is written: its name, its hash (so a new file is a new
    address, never an old one from a reader's cache) and its width."""
    stem = slugify(media.file.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return f"media/{stem}-{media.digest[:10]}-{width}.{ext}"
