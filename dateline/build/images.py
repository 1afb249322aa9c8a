"""Image files of the site: read, checked, measured, and made into responsive sizes with Pillow.

The core only checks what an entry says about its images (core/media.py); this reads the files:
only a regular file inside the site, of a sane size, that Pillow decodes as JPEG, PNG, WebP or
GIF. Every refusal is an error at the event's file and the image's line. The sizes (JPEG and
WebP, render/urls.MEDIA_WIDTHS wide at most) are deterministic: fixed settings, no metadata
kept, so the same file gives the same bytes anywhere. With a memo, each image's sizes are kept
in .dateline-cache/ by the hash of its bytes, so a rebuild does not make them again.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from dataclasses import replace
from pathlib import Path

from ..core.errors import BuildError, Problem
from ..core.files import is_inside
from ..core.model import Event, Media, Timeline
from ..render.urls import media_height, media_path, media_widths

MAX_IMAGE_BYTES = 20_000_000   # a photo for the web is a few MB; more is a scan or a mistake
MAX_PIXELS = 50_000_000        # below Pillow's own decompression-bomb warning (89 Mpx)
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
JPEG = {"quality": 82, "optimize": True, "progressive": True}
WEBP = {"quality": 80, "method": 4}


class BadImage(Exception):
    """An image file that cannot be used: its message and hint."""

    def __init__(self, message: str, hint: str = "", code: str = "bad-image"):
        super().__init__(message)
        self.message, self.hint, self.code = message, hint, code


def measure(timeline: Timeline, root: Path, memo=None) -> tuple[Timeline, list[Problem]]:
    """Return the timeline with each image file's size and hash filled in, and every problem found."""
    problems: list[Problem] = []
    sizes = memo.images if memo is not None else {}  # hash -> (width, height): decoded once
    events = []
    for event in timeline.events:
        def measured(media: tuple[Media, ...]) -> tuple[Media, ...]:
            return tuple(_measured(event, m, Path(root), sizes, problems) if m.file else m for m in media)
        media = measured(event.media)
        accounts = tuple(a if not a.media else replace(a, media=measured(a.media)) for a in event.accounts)
        same = media == event.media and accounts == event.accounts
        events.append(event if same else replace(event, media=media, accounts=accounts))
    if not any(new is not old for new, old in zip(events, timeline.events)):
        return timeline, problems
    return timeline.with_events(tuple(events)), problems


def _measured(event: Event, media: Media, root: Path, sizes: dict, problems: list[Problem]) -> Media:
    """Return `media` with its file's width, height and hash, or as it is after recording why not."""
    try:
        raw = read_image(root, media.file)
        digest = hashlib.sha256(raw).hexdigest()
        if digest not in sizes:
            sizes[digest] = decode(raw, media.file)[1]
    except BadImage as exc:
        problems.append(Problem(event.path, media.line, 0, exc.message, exc.hint, "error", exc.code))
        return media
    width, height = sizes[digest]
    return replace(media, width=width, height=height, digest=digest)


def read_image(root: Path, name: str) -> bytes:
    """Return the bytes of image file `name` (from the site root), or raise BadImage saying why not."""
    path = root / name
    if not os.path.lexists(path):
        raise BadImage(f"image file {name!r} does not exist", "the path is from the site's folder, "
                       "e.g. content/media/photo.jpg: fix it, or add the file", "missing-file")
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        raise BadImage(f"image file {name!r} is a symbolic link that leads nowhere",
                       "it loops, or what it points to is missing: remove it or fix its target") from None
    if not is_inside(target, root.resolve()):
        raise BadImage(f"image file {name!r} leads outside the site (a symbolic link)",
                       "copy the image into the site instead")
    try:
        kind = stat.S_IFMT(os.stat(target).st_mode)
        if kind != stat.S_IFREG:
            raise BadImage(f"image file {name!r} is {'a folder' if kind == stat.S_IFDIR else 'not a file'}",
                           "name an image file: content/media/photo.jpg")
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as f:
            size = os.fstat(fd).st_size
            raw = f.read(MAX_IMAGE_BYTES + 1) if size <= MAX_IMAGE_BYTES else b""
    except OSError as exc:
        raise BadImage(f"cannot read image file {name!r}: {exc.strerror}",
                       f"let your user read it: chmod u+r {name}" if isinstance(exc, PermissionError) else "") from None
    if size > MAX_IMAGE_BYTES or len(raw) > MAX_IMAGE_BYTES:
        raise BadImage(f"image file {name!r} is over the limit of {MAX_IMAGE_BYTES:,} bytes",
                       "make it smaller: pages show it at most 1440 pixels wide", "image-too-big")
    return raw


def decode(raw: bytes, name: str):
    """Return (the decoded image, upright, as RGB; (width, height)), or raise BadImage."""
    from PIL import Image, ImageOps  # only for a site with images

    try:
        image = Image.open(io.BytesIO(raw))
        if image.format not in FORMATS:
            raise BadImage(f"image file {name!r} is a {image.format} image, which browsers may not show",
                           "save it as JPEG, PNG, WebP or GIF", "not-an-image")
        if image.width * image.height > MAX_PIXELS:
            raise BadImage(f"image file {name!r} is {image.width} x {image.height} pixels, over the limit of "
                           f"{MAX_PIXELS:,}", "make it smaller: pages show it at most 1440 pixels wide",
                           "image-too-big")
        image.load()
        image = ImageOps.exif_transpose(image)  # a phone's photo, turned as it was taken
    except BadImage:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a file it cannot read
        raise BadImage(f"image file {name!r} is not an image, or a damaged one",
                       "export it again as JPEG, PNG, WebP or GIF", "not-an-image") from None
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        flat = Image.new("RGB", image.size, "white")  # JPEG has no transparency: white behind it
        flat.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = flat
    image = image.convert("RGB")
    image.info = {}  # no EXIF, ICC profile or comment reaches the output
    return image, image.size


def sizes_of(media: Media, raw: bytes) -> dict[str, bytes]:
    """Return {output path: bytes} of every size of one image: JPEG and WebP at each width."""
    from PIL import Image

    image = decode(raw, media.file)[0]
    out = {}
    for width in media_widths(media):
        scaled = image if width == image.width else image.resize((width, media_height(media, width)),
                                                                 Image.Resampling.LANCZOS)
        for ext, options in (("jpg", JPEG), ("webp", WEBP)):
            buffer = io.BytesIO()
            scaled.save(buffer, "JPEG" if ext == "jpg" else "WEBP", **options)
            out[media_path(media, width, ext)] = buffer.getvalue()
    return out


def outputs(timeline: Timeline, root: Path, store=None) -> dict[str, bytes]:
    """Return every image size the site shows, made once per image file, from the store when it has them."""
    from PIL import __version__ as pillow

    out: dict[str, bytes] = {}
    events = timeline.events
    shown = events.shown_images() if hasattr(events, "shown_images") else range(len(events))  # build/lazy.py
    for event in (events[i] for i in shown):
        for media in event.all_media:  # the event's images and its accounts'
            first = media_path(media, media_widths(media)[-1], "jpg") if media.digest else ""
            if not first or first in out:
                continue
            name = "image-" + hashlib.sha256(f"{media.digest} {first} {pillow}".encode()).hexdigest()[:40]
            made = store.read(name) if store is not None else None
            if not isinstance(made, dict):
                made = _make(event, media, root)
                if store is not None:
                    store.write(name, made)
            out.update(made)
    return out


def _make(event: Event, media: Media, root: Path) -> dict[str, bytes]:
    """Make one image's sizes; an image that changed since it was measured stops the build."""
    try:
        raw = read_image(root, media.file)
        if hashlib.sha256(raw).hexdigest() != media.digest:
            raise BadImage(f"image file {media.file!r} changed during the build", "build again")
        return sizes_of(media, raw)
    except BadImage as exc:
        raise BuildError([Problem(event.path, media.line, 0, exc.message, exc.hint, "error", exc.code)]) from None
