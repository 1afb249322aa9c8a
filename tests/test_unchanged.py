"""A build that finds nothing changed since the last one says so, prints the same warnings and
touches nothing; any change to what a build reads, or to the output, brings a real build."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from dateline.build import unchanged

UP_TO_DATE = "(nothing changed since the last build)"

SITE = """
-- site.yaml --
title: Floods
base_url: /floods/
-- content/sources/paper.yaml --
title: The flood report
publisher: Courier
published: 2021-04-01
-- content/events/2021-04-02-dam.md --
---
title: Dam opens
date: 2021-04-02
sources: [paper]
tags: [dams]
---
The gates opened [@paper].
-- content/events/2021-04-03-flood.md --
---
title: Flood
date: 2021-04-03
sources: [paper]
---
The river rose [@paper].
"""


@pytest.fixture(autouse=True)
def _settled(monkeypatch):
    """Files older than a second count as settled (conftest keeps every other test building)."""
    monkeypatch.setattr(unchanged, "RACY_NS", 1_000_000_000)


def age(root: Path) -> None:
    """Date every file of the site a minute back, as if written long ago."""
    past = time.time() - 60
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


@pytest.fixture
def site(make_site):
    root = make_site(SITE)
    age(root)
    return root


def identity(folder: Path) -> tuple:
    st = folder.stat()
    return st.st_ino, st.st_mtime_ns


def test_a_second_build_with_nothing_changed_touches_nothing_and_says_the_same(site, run_cli):
    code, _, first = run_cli("build", "--site", site)
    assert code == 0 and UP_TO_DATE not in first and ": warning: " in first  # dated after the source
    before = identity(site / "output")
    code, _, second = run_cli("build", "--site", site)
    assert code == 0 and identity(site / "output") == before
    warnings = [line for line in first.splitlines() if ": warning: " in line]
    assert [line for line in second.splitlines() if ": warning: " in line] == warnings
    files = re.fullmatch(r"built 2 events, (\d+) files into .*", first.splitlines()[-1]).group(1)
    assert second.splitlines()[-1] == f"up to date: 2 events, {files} files in {site / 'output'} {UP_TO_DATE}"


def edit_entry(site):
    path = site / "content/events/2021-04-03-flood.md"
    st = path.stat()
    path.write_text(path.read_text().replace("rose", "ROSE"))  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))      # and the same mtime: only ctime tells


CHANGES = {
    "an entry edited, size and mtime kept": edit_entry,
    "an entry added": lambda site: (site / "content/events/2021-04-04-rain.md").write_text(
        "---\ntitle: Rain\ndate: 2021-04-04\nsources: [paper]\n---\nIt rained [@paper].\n"),
    "an entry deleted": lambda site: (site / "content/events/2021-04-02-dam.md").unlink(),
    "an entry renamed": lambda site: (site / "content/events/2021-04-02-dam.md").rename(
        site / "content/events/2021-04-02-gates.md"),
    "site.yaml edited": lambda site: (site / "site.yaml").write_text("title: Rivers\nbase_url: /floods/\n"),
    "a template added": lambda site: (site / "templates").mkdir() or (site / "templates/404.html").write_text("gone"),
    "a static file added": lambda site: (site / "static").mkdir() or (site / "static/x.txt").write_text("x"),
    "an output page deleted": lambda site: (site / "output/index.html").unlink(),
    "an output page edited": lambda site: (site / "output/index.html").write_text("mine"),
    "the output deleted": lambda site: __import__("shutil").rmtree(site / "output"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_what_a_build_reads_or_writes_brings_a_real_build(site, run_cli, change):
    assert run_cli("build", "--site", site)[0] == 0
    time.sleep(0.01)  # a later clock tick for ctime
    CHANGES[change](site)
    age(site) if change.startswith(("an entry added", "site.yaml", "a template", "a static")) else None
    code, _, err = run_cli("build", "--site", site)
    assert code == 0 and UP_TO_DATE not in err and err.splitlines()[-1].startswith("built ")
    assert b"<html" in (site / "output/index.html").read_bytes()


@pytest.mark.parametrize("argv", [("--drafts",), ("--base-url", "/rivers/"), ("--output", "elsewhere")])
def test_other_options_bring_a_real_build(site, run_cli, argv, tmp_path):
    argv = tuple(str(tmp_path / a) if a == "elsewhere" else a for a in argv)
    assert run_cli("build", "--site", site)[0] == 0
    code, _, err = run_cli("build", "--site", site, *argv)
    assert code == 0 and UP_TO_DATE not in err


def test_a_file_written_within_the_last_moments_is_never_trusted(site, run_cli):
    (site / "content/events/2021-04-03-flood.md").touch()  # now: its next edit may keep this stat
    assert run_cli("build", "--site", site)[0] == 0
    assert not (site / ".dateline-cache" / f"{unchanged.NAME}.cache").exists()
    assert UP_TO_DATE not in run_cli("build", "--site", site)[2]


def test_a_folder_linked_into_the_content_always_builds(site, run_cli, tmp_path):
    (site / "content/more").symlink_to(site / "content/sources")
    age(site)
    run_cli("build", "--site", site)
    assert UP_TO_DATE not in run_cli("build", "--site", site)[2]


def test_without_the_cache_every_build_works(site, run_cli):
    assert run_cli("build", "--site", site)[0] == 0
    assert UP_TO_DATE not in run_cli("build", "--site", site, "--no-cache")[2]


def test_a_failed_build_keeps_no_record_of_success(site, run_cli):
    assert run_cli("build", "--site", site)[0] == 0
    bad = site / "content/events/2021-04-03-flood.md"
    bad.write_text(bad.read_text().replace("date: 2021-04-03", "date: someday"))
    age(site)
    assert run_cli("build", "--site", site)[0] == 1
    assert run_cli("build", "--site", site)[0] == 1  # the mistake is reported again, not "up to date"


def test_a_source_text_edited_by_hand_brings_a_real_build(site, run_cli):
    (site / "sources-text").mkdir()
    (site / "sources-text/paper.txt").write_text("The river rose after the dam opened.\n")
    source = site / "content/sources/paper.yaml"
    source.write_text(source.read_text() + "text: sources-text/paper.txt\n")
    age(site)
    assert run_cli("build", "--site", site)[0] == 0
    assert UP_TO_DATE in run_cli("build", "--site", site)[2]
    time.sleep(0.01)
    (site / "sources-text/paper.txt").write_text("The water fell back.\n")
    age(site)
    assert UP_TO_DATE not in run_cli("build", "--site", site)[2]


def test_a_file_modified_just_before_the_build_started_is_never_trusted(site, run_cli, monkeypatch):
    # Modified 2.5 s before the build starts, with 3 s counted as too recent: however long the
    # build then takes (a second more here), its stat cannot be trusted.
    monkeypatch.setattr(unchanged, "RACY_NS", 3_000_000_000)
    keep = unchanged.record
    monkeypatch.setattr(unchanged, "record", lambda *a, **k: time.sleep(1) or keep(*a, **k))
    entry = site / "content/events/2021-04-03-flood.md"
    when = time.time() - 2.5
    os.utime(entry, (when, when))
    assert run_cli("build", "--site", site)[0] == 0
    assert not (site / ".dateline-cache" / f"{unchanged.NAME}.cache").exists()


def test_a_racy_build_does_not_fingerprint_what_it_cannot_keep(site, run_cli, monkeypatch):
    # An entry saved just before the build (an editor's save, then `build`): no record can be
    # kept, so neither the inputs nor the output's files are listed again at the end.
    from dateline.build import survey

    entry = site / "content/events/2021-04-03-flood.md"
    entry.write_text(entry.read_text() + "\nMore.\n")
    monkeypatch.setattr(survey.Survey, "start", classmethod(lambda cls, *args: None))  # listed here, counted
    looked = []
    for name in ("inputs", "output", "extras"):
        monkeypatch.setattr(unchanged, name, lambda *a, _f=getattr(unchanged, name), _n=name, **k:
                            looked.append(_n) or _f(*a, **k))
    assert run_cli("build", "--site", site)[0] == 0
    assert looked == ["inputs"]  # the one taken before the build, to tell whether it changed
    assert not (site / ".dateline-cache" / f"{unchanged.NAME}.cache").exists()


def test_the_record_is_taken_while_the_output_is_locked(site, run_cli, monkeypatch):
    from dateline.build import write

    seen = []
    keep = unchanged.record
    monkeypatch.setattr(unchanged, "record", lambda *a, **k: seen.append(set(write._held.folders)) or keep(*a, **k))
    assert run_cli("build", "--site", site)[0] == 0
    assert seen == [{site}] or seen == [{site.resolve()}]


def test_another_version_of_a_library_starts_afresh(tmp_path, monkeypatch):
    from dateline.build import store

    lib = tmp_path / "lib" / "fakelib"
    lib.mkdir(parents=True)
    (lib / "__init__.py").write_text("VERSION = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    monkeypatch.setattr(store, "LIBRARIES", store.LIBRARIES + ("fakelib",))
    store.code_stamp.cache_clear()
    first = store.code_stamp()
    (lib / "__init__.py").write_text("VERSION = 2\n")
    os.utime(lib / "__init__.py", ns=(1, 1))
    store.code_stamp.cache_clear()
    try:
        assert store.code_stamp() != first
    finally:
        store.code_stamp.cache_clear()


def test_another_version_of_a_one_file_library_starts_afresh(tmp_path, monkeypatch):
    """rjsmin and rcssmin are single modules, not packages: their file counts as well."""
    from dateline.build import store

    (tmp_path / "lib").mkdir()
    module = tmp_path / "lib" / "fakemin.py"
    module.write_text("VERSION = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    monkeypatch.setattr(store, "LIBRARIES", store.LIBRARIES + ("fakemin",))
    store.code_stamp.cache_clear()
    first = store.code_stamp()
    module.write_text("VERSION = 22\n")
    store.code_stamp.cache_clear()
    try:
        assert store.code_stamp() != first
    finally:
        store.code_stamp.cache_clear()


def test_a_kept_page_edited_while_the_build_ran_is_found_by_the_next_one(site, run_cli, monkeypatch):
    # The record of the output takes the pages the build kept by the stat it compared them by (0.3 s
    # of stats at 100,000 pages); a page edited after that comparison no longer has it: the next
    # build works, and puts the page back.
    from dateline.build import journal
    monkeypatch.setattr(journal, "SHARE", 1)  # written through the journal: the kept pages left in place
    assert run_cli("build", "--site", site)[0] == 0
    page = site / "output" / "404.html"
    clean = page.read_bytes()
    entry = site / "content/events/2021-04-02-dam.md"
    entry.write_text(entry.read_text().replace("opened", "swung open"))
    os.utime(entry, (time.time() - 60,) * 2)
    real, known = unchanged.record, []

    def record(*args):
        known.append(args[9] or {})
        page.write_bytes(b"edited by hand while the build ran")
        return real(*args)
    monkeypatch.setattr(unchanged, "record", record)
    assert run_cli("build", "--site", site)[0] == 0
    assert "404.html" in known[0] and "events/2021-04-02-dam-opens/index.html" not in known[0]  # drawn again
    monkeypatch.setattr(unchanged, "record", real)
    code, _, err = run_cli("build", "--site", site)
    assert code == 0 and UP_TO_DATE not in err and page.read_bytes() == clean


def test_a_build_that_kept_pages_is_followed_by_up_to_date(site, run_cli, monkeypatch):
    # The record of the output is hashed from the kept pages' stats as the build compared them and
    # the others' as taken then: the same values a later look takes, hashed to the same bytes
    # (marshal marks an object held twice; version 2 never does).
    from dateline.build import journal
    monkeypatch.setattr(journal, "SHARE", 1)  # written through the journal: the kept pages left in place
    assert run_cli("build", "--site", site)[0] == 0
    entry = site / "content/events/2021-04-02-dam.md"
    entry.write_text(entry.read_text().replace("opened", "swung open"))
    os.utime(entry, (time.time() - 60,) * 2)
    code, _, err = run_cli("build", "--site", site)
    assert code == 0 and UP_TO_DATE not in err and "unchanged)" in err  # some pages kept
    code, _, err = run_cli("build", "--site", site)
    assert code == 0 and UP_TO_DATE in err
