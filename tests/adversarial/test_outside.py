"""Files outside the site reached through symbolic links, by the build or by the preview.

content/ already refuses links out of the site (tests/bad/content-symlink-outside); static/ and
templates/ (the site's, and the theme's out of the theme) must too: refused with the link's
path, exit 1, output untouched. As in content/, a linked file that stays inside the site is
read, and a linked folder is not (refused with a message, never skipped in silence).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import snapshot, write_tree
from served import get, serving
from verdict import verdicts

from dateline import pipeline as site
from dateline.preview import serve
from dateline.render import pages as render

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
---
Hundreds escaped [@bbc].
-- static/site.css --
body { color: black; }
"""
SECRET = "root:x:0:0:a secret kept beside the site\n"


@pytest.fixture
def built(tmp_path, capsys):
    """A good site, built once; a file and a folder beside it that it must never publish."""
    root = write_tree(tmp_path / "site", SITE)
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "passwd").write_text(SECRET)
    check, build = verdicts(capsys, root)
    assert build.code == 0, build.stderr
    return root


def refused(capsys, root: Path, *messages: str) -> None:
    """Assert check and build both refuse the site with exactly `messages`, the output untouched."""
    before = snapshot(root / "output")
    check, build = verdicts(capsys, root)
    assert build.code == 1
    assert build.errors == messages, build.stderr
    assert snapshot(root / "output") == before
    assert SECRET not in "".join(b.decode(errors="replace") for b in snapshot(root / "output").values())


def test_a_static_file_linked_outside_is_refused(built, capsys):
    (built / "static" / "leak.txt").symlink_to(built.parent / "secret.txt")
    refused(capsys, built, "static/leak.txt: error: symbolic link points outside the site "
                           "(copy the file into the site instead)")


def test_a_static_folder_linked_outside_is_refused(built, capsys):
    (built / "static" / "etc").symlink_to(built.parent / "secrets", target_is_directory=True)
    refused(capsys, built, "static/etc: error: symbolic link points outside the site "
                           "(copy the folder into the site instead)")


def test_static_itself_linked_outside_is_refused(built, capsys):
    shutil.rmtree(built / "static")
    (built / "static").symlink_to(built.parent / "secrets", target_is_directory=True)
    refused(capsys, built, "static: error: symbolic link points outside the site "
                           "(copy the folder into the site instead)")


def test_a_template_linked_outside_is_refused(built, capsys):
    (built / "templates").mkdir()
    (built / "templates" / "404.html").symlink_to(built.parent / "secret.txt")
    (built / "templates" / "partials").symlink_to(built.parent / "secrets", target_is_directory=True)
    refused(capsys, built,
            "templates/404.html: error: symbolic link points outside the site (copy the file into the site instead)",
            "templates/partials: error: symbolic link points outside the site (copy the folder into the site instead)")


def test_a_linked_folder_is_not_read_even_inside_the_site(built, capsys):
    (built / "assets").mkdir()
    (built / "assets" / "leak.txt").symlink_to(built.parent / "secret.txt")
    (built / "static" / "assets").symlink_to(built / "assets", target_is_directory=True)
    (built / "templates").mkdir()
    (built / "templates" / "loop").symlink_to(built / "templates", target_is_directory=True)
    refused(capsys, built,
            "static/assets: error: linked folders are not read (move the files here, or link each file)",
            "templates/loop: error: linked folders are not read (move the files here, or link each file)")


def test_linked_files_that_stay_inside_the_site_are_read(built, capsys):
    (built / "assets").mkdir()
    (built / "assets" / "logo.svg").write_text("<svg/>")
    (built / "static" / "logo.svg").symlink_to(built / "assets" / "logo.svg")
    check, build = verdicts(capsys, built)
    assert build.code == 0, build.stderr
    assert (built / "output" / "static" / "logo.svg").read_text() == "<svg/>"


def test_a_link_out_of_the_theme_is_refused(built, capsys, tmp_path, monkeypatch):
    theme = tmp_path / "theme"
    shutil.copytree(render.THEME / "templates", theme / "templates")
    shutil.copytree(render.THEME / "static", theme / "static")
    (theme / "static" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    monkeypatch.setattr(render, "THEME", theme)
    monkeypatch.setattr(site, "THEME", theme)
    refused(capsys, built, f"{theme}/static/leak.txt: error: symbolic link points outside the theme "
                           "(copy the file into the theme instead)")


def test_the_preview_serves_no_link_out_of_its_folder(built):
    with serving(built) as (port, server):
        status, body = get(port, "/static/site.css")
        assert status == 200 and b"color:black" in body  # the site's own CSS, minified
        out = built / serve.OUTPUT
        (out / "static" / "planted.txt").symlink_to(built.parent / "secret.txt")  # as if written there
        (out / "planted").symlink_to(built.parent / "secrets", target_is_directory=True)
        for target in ("/static/planted.txt", "/planted/passwd"):
            status, body = get(port, target)
            assert 400 <= status < 500 and SECRET.encode() not in body, (target, status)
    assert "Traceback" not in server.log, server.log


def test_the_preview_shows_the_refusal_not_the_file(built):
    (built / "static" / "leak.txt").symlink_to(built.parent / "secret.txt")
    with serving(built) as (port, server):
        status, body = get(port, "/static/leak.txt")
        assert status == 500 and SECRET.encode() not in body
        assert b"static/leak.txt" in body and b"points outside the site" in body
    assert "Traceback" not in server.log, server.log


@pytest.mark.parametrize("folder", ["content/events", "content/sources", "content"])
def test_a_content_folder_linked_outside_is_refused(built, capsys, folder):
    outside = built.parent / "elsewhere"
    shutil.copytree(built / folder, outside)
    (outside / ("leak.md" if folder == "content/events" else "x.md")).write_text(
        f"---\ntitle: {SECRET.strip()}\ndate: 2019-10-12\n---\nNot part of the site.\n")
    shutil.rmtree(built / folder)
    (built / folder).symlink_to(outside, target_is_directory=True)
    link = f"{folder}: error: symbolic link points outside the site (copy the folder into the site instead)"
    if folder == "content/sources":  # the events' citations then name unknown sources, as they should
        refused(capsys, built, "content/events/escape.md:4: error: unknown source 'bbc' (add it with `dateline new-source bbc --title ... --publisher ...`, or correct the id)",
                "content/events/escape.md:6: error: citation of unknown source '@bbc' (add it with `dateline new-source bbc --title ... --publisher ...`, or correct the id)",
                link)
    else:
        refused(capsys, built, link)
