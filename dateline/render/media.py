"""Images as pages and exports show them: srcsets of the sizes the build made, public URLs.

A remote image (`url:`) is linked as it is and never measured, so it has no srcset, width or
height; a file of the site is shown from its sizes (build/images.py makes them, urls.py names them).
"""

from __future__ import annotations

from ..core.config import Config
from ..core.model import Media
from .urls import absolute_url, media_height, media_path, media_widths, public_url

# The page's column (style.css: --measure, 42rem) on a wide screen, the whole width on a phone.
SIZES = "(min-width: 44rem) 42rem, 100vw"
SHOWN = 960  # the width of the plain `src`, for browsers without srcset and for feeds


def image_set(root: str, media: Media) -> dict:
    """Return what an <img> (and its WebP <source>) needs, links starting from `root`."""
    if not media.digest:
        return {"src": media.url, "jpeg": "", "webp": "", "width": 0, "height": 0, "sizes": ""}
    widths = media_widths(media)
    return {
        "src": root + media_path(media, _shown(widths), "jpg"),
        "jpeg": ", ".join(f"{root}{media_path(media, w, 'jpg')} {w}w" for w in widths),
        "webp": ", ".join(f"{root}{media_path(media, w, 'webp')} {w}w" for w in widths),
        "width": widths[-1], "height": media_height(media, widths[-1]), "sizes": SIZES,
    }


def _shown(widths: tuple[int, ...]) -> int:
    return SHOWN if SHOWN in widths else widths[-1]


def public_image(config: Config, media: Media) -> str:
    """Return an image's URL for a feed, TimelineJS or JSON-LD: absolute when the host is known."""
    if not media.digest:
        return media.url
    return public_url(config, media_path(media, _shown(media_widths(media)), "jpg"))


def absolute_image(config: Config, media: Media) -> str:
    """Return an image's absolute URL (for og:image, which must be absolute), or '' when the host is unknown."""
    if not media.digest:
        return media.url
    return absolute_url(config, media_path(media, media_widths(media)[-1], "jpg"))


def shown_size(media: Media) -> tuple[int, int]:
    """Return the width and height of the size `public_image` links (0, 0 for a remote image)."""
    if not media.digest:
        return 0, 0
    width = _shown(media_widths(media))
    return width, media_height(media, width)
