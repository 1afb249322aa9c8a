"""Image files that must not be used: out of the site, not a file, too big, not an image.

Each is an error at the event's file and the image's line, the same from `check` and `build`,
and the output is left as it was. The files-only cases (missing alt, missing file, a text file
named .jpg, a path out of content/) are in tests/bad/ too.
"""

from __future__ import annotations

import io
import os

import pytest
from conftest import snapshot, write_tree
from PIL import Image
from verdict import verdicts

from dateline.build import images

SITE = """
-- content/sources/bbc.yaml --
title: A report
publisher: BBC News
published: "2019-10-13"
-- content/events/escape.md --
---
title: Escape from the camp
date: 2019-10-13
sources: [bbc]
media:
  - file: content/media/gate.jpg
    alt: The camp's gate
---
Hundreds escaped [@bbc].
"""
WHERE = "content/events/escape.md:6: error: "


def jpeg(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def site(tmp_path):
    root = write_tree(tmp_path / "site", SITE)
    (root / "content/media").mkdir()
    return root


def refused(capsys, root, message: str) -> None:
    """Assert check and build both give exactly `message` at the image's line, writing nothing."""
    (root / "output").mkdir(exist_ok=True)
    before = snapshot(root / "output")
    check, build = verdicts(capsys, root, "--no-cache")
    assert build.code == 1
    assert list(build.errors) == [WHERE + message], build.errors
    assert snapshot(root / "output") == before


def test_a_good_image_builds(capsys, site):
    (site / "content/media/gate.jpg").write_bytes(jpeg())
    check, build = verdicts(capsys, site, "--no-cache")
    assert build.code == 0 and (site / "output/media").is_dir()


def test_a_symlink_out_of_the_site(capsys, site, tmp_path):
    (tmp_path / "secret.jpg").write_bytes(jpeg())
    (site / "content/media/gate.jpg").symlink_to(tmp_path / "secret.jpg")
    refused(capsys, site, "image file 'content/media/gate.jpg' leads outside the site (a symbolic link) "
            "(copy the image into the site instead)")


def test_a_linked_folder_out_of_the_site(capsys, site, tmp_path):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos/gate.jpg").write_bytes(jpeg())
    (site / "content/media").rmdir()
    (site / "content/media").symlink_to(tmp_path / "photos", target_is_directory=True)
    refused(capsys, site, "image file 'content/media/gate.jpg' leads outside the site (a symbolic link) "
            "(copy the image into the site instead)")


def test_a_link_that_loops(capsys, site):
    (site / "content/media/gate.jpg").symlink_to(site / "content/media/gate.jpg")
    refused(capsys, site, "image file 'content/media/gate.jpg' is a symbolic link that leads nowhere "
            "(it loops, or what it points to is missing: remove it or fix its target)")


def test_a_folder_named_like_an_image(capsys, site):
    (site / "content/media/gate.jpg").mkdir()
    refused(capsys, site, "image file 'content/media/gate.jpg' is a folder (name an image file: "
            "content/media/photo.jpg)")


def test_a_fifo_is_not_opened(capsys, site):
    os.mkfifo(site / "content/media/gate.jpg")
    refused(capsys, site, "image file 'content/media/gate.jpg' is not a file (name an image file: "
            "content/media/photo.jpg)")


def test_a_file_over_the_size_limit(capsys, site, monkeypatch):
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 500)
    (site / "content/media/gate.jpg").write_bytes(jpeg((200, 200)))
    refused(capsys, site, "image file 'content/media/gate.jpg' is over the limit of 500 bytes "
            "(make it smaller: pages show it at most 1440 pixels wide)")


def test_an_image_of_too_many_pixels_is_not_decoded(capsys, site, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    (site / "content/media/gate.jpg").write_bytes(jpeg((40, 30)))
    refused(capsys, site, "image file 'content/media/gate.jpg' is 40 x 30 pixels, over the limit of 1,000 "
            "(make it smaller: pages show it at most 1440 pixels wide)")


def test_a_truncated_image(capsys, site):
    (site / "content/media/gate.jpg").write_bytes(jpeg((400, 300))[:300])
    refused(capsys, site, "image file 'content/media/gate.jpg' is not an image, or a damaged one "
            "(export it again as JPEG, PNG, WebP or GIF)")


def test_a_format_browsers_may_not_show(capsys, site):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "TIFF")
    (site / "content/media/gate.jpg").write_bytes(out.getvalue())
    refused(capsys, site, "image file 'content/media/gate.jpg' is a TIFF image, which browsers may not show "
            "(save it as JPEG, PNG, WebP or GIF)")


def test_an_unreadable_file(capsys, site):
    if os.geteuid() == 0:
        pytest.skip("root reads every file whatever its mode")
    (site / "content/media/gate.jpg").write_bytes(jpeg())
    (site / "content/media/gate.jpg").chmod(0)
    refused(capsys, site, "cannot read image file 'content/media/gate.jpg': Permission denied "
            "(let your user read it: chmod u+r content/media/gate.jpg)")
