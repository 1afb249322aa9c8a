"""The journal writes over output/ only when output/ holds the very site the last build's record
describes, never follows a link out of it, and a refused rename falls back to a new tree."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from dateline import pipeline as site
from dateline.build import cache, journal

from test_incremental import age, clean_tree, tree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import gensite  # noqa: E402


@pytest.fixture
def generated(tmp_path, monkeypatch):
    monkeypatch.setattr(journal, "SHARE", 1)  # on 30 events an edit changes a third of the files
    root = gensite.generate(tmp_path / "site", 30)
    age(root)
    return root, tmp_path / "out"


def build(root: Path, out: Path, save: bool = True, drafts: bool = False, memo=None):
    """Build as `build.py build` does; `save=False`: as a build stopped before it saved its cache."""
    store = cache.Store(root / cache.FOLDER)
    memo = memo or cache.open_memo(store)
    site.build(root, out, memo=memo, drafts=drafts)
    if save:
        cache.save_memo(store, memo)
    return memo


def entry(root: Path, n: int) -> Path:
    return sorted((root / "content" / "events").glob("*.md"))[n]


def edit(path: Path, text: str = "\nOne more sentence.\n") -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    age(path)


def test_a_small_change_goes_through_the_journal(generated):
    root, out = generated
    build(root, out)
    folder = out.stat().st_ino
    edit(entry(root, 10))
    build(root, out)
    assert out.stat().st_ino == folder and tree(out) == clean_tree(root)


def test_a_site_written_by_a_build_whose_record_was_not_saved_gets_a_new_tree(generated):
    root, out = generated
    build(root, out)
    draft = root / "content" / "events" / "zz-draft.md"
    draft.write_text("---\ntitle: Secret draft\ndate: 1950-06-15\ndraft: true\n---\nNot yet.\n", encoding="utf-8")
    age(draft)
    build(root, out)
    build(root, out, save=False, drafts=True)  # written, then stopped (Ctrl-C) before its cache was saved
    assert any("secret-draft" in p for p in tree(out))
    edit(entry(root, 10))
    build(root, out)  # its record is the build before: it cannot tell what output/ holds now
    assert tree(out) == clean_tree(root) and not any("secret-draft" in p for p in tree(out))


def test_two_builds_from_the_same_old_record_leave_the_second_ones_site(generated):
    root, out = generated
    build(root, out)
    first, second = (cache.open_memo(cache.Store(root / cache.FOLDER)) for _ in range(2))  # both opened now
    added = root / "content" / "events" / "zz-added.md"
    added.write_text("---\ntitle: Added late\ndate: 1950-06-15\n---\nText.\n", encoding="utf-8")
    age(added)
    build(root, out, memo=first)
    added.unlink()
    build(root, out, memo=second)  # waited for the first's lock, with the record from before it
    assert tree(out) == clean_tree(root) and not any("added-late" in p for p in tree(out))


def test_a_link_planted_where_a_page_goes_away_is_not_followed(generated, tmp_path):
    root, out = generated
    build(root, out)
    timeline = site.check(root).timeline
    event = timeline.events[7]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("precious")
    page = next(p for p in (out / "events").iterdir() if p.name.endswith(event.slug) or event.slug in p.name)
    shutil.rmtree(page)
    page.symlink_to(outside, target_is_directory=True)
    path = root / event.path
    path.write_text(path.read_text(encoding="utf-8").replace(event.title, event.title + " retitled", 1),
                    encoding="utf-8")  # its page moves: the old one goes away
    age(path)
    build(root, out)
    assert (outside / "index.html").read_text() == "precious"
    assert tree(out) == clean_tree(root)


def test_a_rename_refused_while_the_journal_is_applied_falls_back_to_a_new_tree(generated, monkeypatch):
    root, out = generated
    build(root, out)
    real = os.replace

    def refused(source, dest):
        if "index.html" in str(dest) and ".journal" in str(source) and str(dest).startswith(str(out) + "/events"):
            raise PermissionError(13, "Permission denied", str(dest))
        return real(source, dest)
    monkeypatch.setattr(os, "replace", refused)
    folder = out.stat().st_ino
    edit(entry(root, 10))
    build(root, out)
    monkeypatch.setattr(os, "replace", real)
    assert out.stat().st_ino != folder  # the new tree, swapped in
    assert tree(out) == clean_tree(root)
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out.")]
    edit(entry(root, 12))
    build(root, out)  # and the next build is an ordinary one
    assert tree(out) == clean_tree(root)


def test_nothing_is_up_to_date_while_a_killed_builds_journal_waits(generated, capsys, monkeypatch):
    from dateline.build import unchanged
    from dateline.cli import main

    monkeypatch.setattr(unchanged, "RACY_NS", 1_000_000_000)  # files a minute old are settled (see conftest)
    root, out = generated

    args = ["build", "--site", str(root), "--output", str(out), "--quiet"]
    assert main(args) == 0
    first = capsys.readouterr().err
    assert main(args) == 0
    assert "up to date" in capsys.readouterr().err, first  # nothing changed since
    journal.committed(out).mkdir()
    (journal.committed(out) / journal.MANIFEST).write_text('{"put": [], "gone": []}')
    assert main(args) == 0
    assert "up to date" not in capsys.readouterr().err
    assert not journal.committed(out).exists()


def test_the_big_files_the_journal_replaces_are_freed_apart_from_the_build(generated, monkeypatch):
    # A rename over a big export made the build wait while the system freed it (0.15 s for a
    # 393 MB events.json): each big file replaced first gets a second name in a folder of its own,
    # removed in the background; the renames only drop a name.
    from dateline.build import disk
    root, out = generated
    build(root, out)
    monkeypatch.setattr(journal, "FREED_APART", 20_000)
    big = {p.name: p.stat().st_ino for p in out.iterdir() if p.is_file() and p.stat().st_size >= 20_000}
    assert {"events.json", "events.ics"} <= set(big)
    removed = []
    monkeypatch.setattr(disk, "remove_detached", lambda folder: removed.append(
        (folder, sorted(p.stat().st_ino for p in folder.iterdir()))))
    edit(entry(root, 10))
    build(root, out)
    assert tree(out) == clean_tree(root)
    assert len(removed) == 1 and removed[0][0].name.startswith(".out.trash-")
    replaced = {name: ino for name, ino in big.items() if (out / name).stat().st_ino != ino}
    assert {"events.json", "events.ics"} <= set(replaced)
    assert removed[0][1] == sorted(replaced.values())  # the very big files replaced, not the event's page
    shutil.rmtree(removed[0][0])
    monkeypatch.setattr(journal, "FREED_APART", 1 << 30)
    edit(entry(root, 12))
    build(root, out)  # through the journal again, every file it replaces small: nothing to free apart
    assert tree(out) == clean_tree(root) and len(removed) == 1
