"""Where a build may write: only a folder that is new, empty, or a previous Dateline build.

Every refused build must leave the whole site folder, content/ above all, byte-for-byte as it
was: nothing written, nothing moved, no `.NAME.new-*` tree beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, write_tree
from verdict import run

SITE = """
-- content/sources/bbc.yaml --
title: Troops cross the border
publisher: BBC News
published: 2019-10-09
-- content/events/2019-10-09-crossing.md --
---
title: Troops cross the border
date: 2019-10-09
sources: [bbc]
---
Troops crossed the border [@bbc].
-- content/events/2019-10-13-talks.md --
---
title: Talks begin
date: 2019-10-13
---
Talks began.
-- templates/.keep --
-- static/extra.css --
body { color: black }
"""

HINT = "a build replaces its output folder whole"
AS_ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def tree(folder: Path) -> dict[str, object]:
    """Return every entry under `folder`: a file's bytes, a link's target, or 'folder'."""
    out: dict[str, object] = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(top) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = "folder"
            else:
                out[rel] = path.read_bytes()
    return out


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A good site at tmp_path/site, the working directory, as an editor runs build.py there."""
    root = write_tree(tmp_path / "site", SITE)
    monkeypatch.chdir(root)
    return root


def refused(capsys, where: Path, *output: str) -> str:
    """Build with `--output *output`; assert it failed and changed nothing under `where`; return the error line."""
    before = tree(where)
    verdict = run(capsys, "build", "--site", ".", "--output", *output)
    assert verdict.code == 1, verdict.stderr
    assert tree(where) == before, "a refused build changed the files"
    assert len(verdict.errors) == 1, verdict.stderr
    assert verdict.stderr.splitlines()[-1] == "1 error; nothing was written"
    check = run(capsys, "check", "--site", ".", "--output", *output)
    assert check.code == 1 and check.errors == verdict.errors, (check, verdict)  # check says the same
    return verdict.errors[0]


def built(capsys, *output: str) -> None:
    verdict = run(capsys, "build", "--site", ".", *(("--output", *output) if output else ()))
    assert verdict.code == 0, verdict.stderr


@pytest.mark.parametrize("output, line", [
    ("content", "content: error: the output folder is content/ (the site's entries): " + HINT),
    ("content/events", "content/events: error: the output folder is inside content/ (the site's entries): " + HINT),
    ("templates", "templates: error: the output folder is templates/ (the site's templates): " + HINT),
    ("static", "static: error: the output folder is static/ (the site's static files): " + HINT),
    (".dateline-cache", ".dateline-cache: error: the output folder is .dateline-cache/ (the build's cache): " + HINT),
    (".", ".: error: the output folder is the site's folder: " + HINT),
    ("..", "..: error: the output folder holds the site's folder: " + HINT),
])
def test_a_folder_of_the_site_or_above_it_is_refused(capsys, site, output, line):
    (site / ".dateline-cache").mkdir()
    assert refused(capsys, site.parent, output) == line + " (build into a folder of its own, such as output)"


def test_content_as_output_loses_no_entry_however_it_is_named(capsys, site, tmp_path):
    (tmp_path / "to-content").symlink_to(site / "content")
    (tmp_path / "to-events").symlink_to(site / "content" / "events")
    for output in ["content", "./content/", str(site / "content"), "content/events/..", "content/events",
                   str(tmp_path / "to-content"), str(tmp_path / "to-events"), "content/new-folder",
                   "../site/content"]:
        assert "the output folder " in refused(capsys, tmp_path, output), output
    # an empty content/ is no different: the site's folders are never an output
    for entry in (site / "content/events").iterdir():
        entry.unlink()
    assert "is inside content/" in refused(capsys, tmp_path, "content/events")


def test_the_root_of_the_file_system_is_refused_without_writing_anything(capsys, site, monkeypatch):
    from dateline import pipeline as pipeline
    from dateline.build import write

    def never(*args, **kwargs):
        raise AssertionError("the build tried to write")
    for name in ("write_site", "update_site"):
        monkeypatch.setattr(pipeline, name, never)
        monkeypatch.setattr(write, name, never)
    monkeypatch.setattr(write, "clean_stale", never)
    verdict = run(capsys, "build", "--site", ".", "--output", "/")
    assert verdict.errors == ("/: error: the output folder holds the site's folder: " + HINT
                              + " (build into a folder of its own, such as output)",)


def test_a_folder_holding_other_files_is_refused_docs_for_one(capsys, site):
    write_tree(site, "-- docs/index.md --\n# Manual\n-- docs/guide/setup.md --\nSteps.\n")
    assert refused(capsys, site.parent, "docs") == (
        "docs: error: the output folder holds files that are not a Dateline build, such as guide "
        "(build into a new or empty folder, or delete this one if an older Dateline built it)")


def test_an_earlier_build_without_the_mark_is_refused_until_deleted(capsys, site):
    built(capsys)
    (site / "output" / ".dateline-output").unlink()
    assert "holds files that are not a Dateline build, such as .nojekyll" in refused(capsys, site.parent, "output")


def test_an_empty_or_new_folder_is_built_then_rebuilt_and_replaced_whole(capsys, site):
    (site / "docs").mkdir()
    built(capsys, "docs")
    assert (site / "docs" / "index.html").is_file()
    assert (site / "docs" / ".dateline-output").is_file()
    (site / "docs" / "stray.txt").write_text("put here by hand")  # a marked folder is ours, whole
    built(capsys, "docs", "--no-cache")  # (a cached build that changes nothing leaves it alone)
    assert not (site / "docs" / "stray.txt").exists()
    built(capsys, "public/site")  # a new folder, its parents made
    assert (site / "public/site/index.html").is_file()
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == [".dateline-cache"]


def test_a_file_is_refused_and_not_moved_aside(capsys, site):
    (site / "output").write_text("my notes")
    assert refused(capsys, site.parent, "output") == (
        "output: error: the output folder is a file, not a folder (a build never replaces a file: "
        "name a folder of its own with --output)")


def test_a_settings_file_named_as_output_is_not_advised_away(capsys, site):
    message = refused(capsys, site.parent, "site.yaml")
    assert "remove" not in message and "never replaces a file" in message


def test_a_link_to_a_folder_is_followed_and_stays_a_link(capsys, site, tmp_path):
    deploy = tmp_path / "deploy"
    deploy.mkdir()
    (site / "output").symlink_to(deploy)
    built(capsys)
    built(capsys)  # the second time, into a previous build
    assert (site / "output").is_symlink() and os.readlink(site / "output") == str(deploy)
    assert (deploy / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy", "site"]


def test_a_link_to_nowhere_is_followed_and_stays_a_link(capsys, site, tmp_path):
    (site / "output").symlink_to(tmp_path / "deploy" / "www")
    built(capsys)
    assert (site / "output").is_symlink()
    assert (tmp_path / "deploy" / "www" / "index.html").is_file()


def test_a_link_to_a_folder_that_is_not_ours_is_refused(capsys, site, tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "letter.txt").write_text("dear")
    (site / "output").symlink_to(tmp_path / "home")
    line = refused(capsys, tmp_path, "output")
    assert line.startswith(f"output: error: the output folder (a link to {tmp_path / 'home'}) holds files "
                           "that are not a Dateline build, such as letter.txt"), line


def test_a_link_that_loops_is_refused_with_a_message(capsys, site):
    (site / "output").symlink_to(site / "output")
    assert refused(capsys, site.parent, "output") == (
        "output: error: the output folder is a symbolic link that loops (point it at a folder, or remove it)")


def test_a_read_only_output_is_refused_and_nothing_is_left_beside_it(capsys, site):
    built(capsys)
    (site / "output").chmod(0o555)
    try:
        assert refused(capsys, site.parent, "output") == (
            "output: error: the output folder is read-only (make it writable: chmod -R u+w output; "
            "or build elsewhere with --output)")
    finally:
        (site / "output").chmod(0o755)


def test_a_read_only_parent_is_refused_and_nothing_is_left_in_it(capsys, site, tmp_path):
    (tmp_path / "www").mkdir()
    (tmp_path / "www").chmod(0o555)
    try:
        line = refused(capsys, tmp_path, str(tmp_path / "www" / "site"))
    finally:
        (tmp_path / "www").chmod(0o755)
    assert line == (f"{tmp_path / 'www'}: error: the folder that holds the output folder is read-only, and a "
                    "build writes the new site there before swapping it in (make it writable, or build "
                    "elsewhere with --output)")


# Two processes: a build of one site that waits, in the middle, for a file to appear.
PAUSED_BUILD = """
import sys, time
from pathlib import Path
from dateline import cli, pipeline as site
render = site.render_site
def paused(*args, **kwargs):
    Path(sys.argv[1]).write_text("ready")
    while not Path(sys.argv[2]).exists():
        time.sleep(0.01)
    return render(*args, **kwargs)
site.render_site = paused
sys.exit(cli.main(sys.argv[3:]))
"""


def start_paused(tmp_path: Path, root: Path, output: Path) -> tuple[subprocess.Popen, Path]:
    """Start a build of `root` into `output` that pauses before rendering; return it and its go file."""
    ready, go = tmp_path / f"ready-{root.name}", tmp_path / f"go-{root.name}"
    proc = subprocess.Popen([sys.executable, "-c", PAUSED_BUILD, str(ready), str(go), "build", "--site", str(root),
                             "--output", str(output)], cwd=REPO, stderr=subprocess.PIPE, text=True)
    for _ in range(3000):  # bounded: 30 s
        if ready.exists() or proc.poll() is not None:
            break
        time.sleep(0.01)
    assert ready.exists(), proc.communicate()[1]
    return proc, go


def test_two_sites_building_into_one_folder_at_once_the_second_is_refused(tmp_path):
    first = write_tree(tmp_path / "first", SITE)
    second = write_tree(tmp_path / "second", SITE.replace("Talks begin", "Talks end"))
    shared = tmp_path / "www"
    proc, go = start_paused(tmp_path, first, shared)
    try:
        other = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(second),
                                "--output", str(shared)], cwd=REPO, capture_output=True, text=True, timeout=60)
    finally:
        go.write_text("go")
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
    assert other.returncode == 1, other.stderr
    assert f"{shared}: error: another site ({first}) is being built into this output folder now (wait for " \
           "that build to end, or give each site its own --output)" in other.stderr.splitlines()
    pages = "".join(p.read_text() for p in shared.rglob("*.html"))
    assert "Talks begin" in pages and "Talks end" not in pages  # the first site, whole, not a mix
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_same_site_building_twice_at_once_waits_its_turn(tmp_path):
    root = write_tree(tmp_path / "site", SITE)
    shared = tmp_path / "www"
    proc, go = start_paused(tmp_path, root, shared)
    again = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--site", str(root), "--output",
                              str(shared), "--no-cache"], cwd=REPO, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    assert again.poll() is None, again.stderr.read()  # waiting on the first
    go.write_text("go")
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    assert again.wait(timeout=60) == 0, again.stderr.read()
    assert (shared / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_check_reports_a_refused_default_output_as_build_does(capsys, site):
    (site / "output").mkdir()
    (site / "output" / "notes.txt").write_text("mine")
    check = run(capsys, "check", "--site", ".")
    build = run(capsys, "build", "--site", ".")
    assert check.code == build.code == 1
    assert check.errors == build.errors == (
        "output: error: the output folder holds files that are not a Dateline build, such as notes.txt "
        "(build into a new or empty folder, or delete this one if an older Dateline built it)",)


def test_the_preview_does_not_follow_a_link_in_its_folder_to_content(tmp_path):
    from dateline.preview.serve import OUTPUT, Preview

    root = write_tree(tmp_path / "site", SITE + "-- content/notes.txt --\nprecious\n")
    (root / OUTPUT).parent.mkdir(parents=True)
    (root / OUTPUT).symlink_to("../../content")  # committed in .dateline-cache/ by someone
    before = tree(root / "content")
    preview = Preview(root, say=lambda text: None)
    assert not preview.rebuild()
    assert tree(root / "content") == before
    assert [str(p) for p in preview.errors] == [
        f"{root / OUTPUT}: error: the preview's folder leads to {root / 'content'} through a symbolic link "
        "(delete .dateline-cache/: the preview makes it again)"]
