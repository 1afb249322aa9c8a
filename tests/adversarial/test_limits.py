"""Input past every limit, and files that are not files: each gets a message, never a crash or a hang.

A symlink loop gave a traceback, a FIFO named `x.md` hung the build, an unreadable folder built a
site with no events, 100,000 nested brackets crashed libyaml's recursive composer, a 2 GB entry
was read whole before its size was checked, an unknown date language gave a traceback, and YAML
aliases turned 54 KB of input into 180 MB of output.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REPO, write_tree
from verdict import verdicts

from dateline import load

GOOD = ("-- content/sources/bbc.yaml --\ntitle: A report\npublished: \"2019-10-13\"\n"
        "-- content/events/good.md --\n---\ntitle: Good\ndate: 2019-10-13\nsources: [bbc]\n---\nFine [@bbc].\n")


@pytest.fixture
def site(tmp_path):
    return write_tree(tmp_path / "site", GOOD)


def _fails_with(capsys, root, *errors):
    check, build = verdicts(capsys, root)
    assert check.code == 1, check.stderr
    assert check.errors == errors
    assert not (root / "output").exists()


def test_a_symlink_loop_is_an_error_not_a_traceback(site, capsys):
    events = site / "content/events"
    (events / "self.md").symlink_to("self.md")
    (events / "a.md").symlink_to("b.md")
    (events / "b.md").symlink_to("a.md")
    (events / "loop").symlink_to("loop")
    hint = "(it loops, or what it points to is missing: remove it or fix its target)"
    _fails_with(capsys, site, f"content/events/a.md: error: symbolic link leads nowhere {hint}",
                f"content/events/b.md: error: symbolic link leads nowhere {hint}",
                f"content/events/loop: error: symbolic link leads nowhere {hint}",
                f"content/events/self.md: error: symbolic link leads nowhere {hint}")


def test_a_source_text_that_is_a_loop_or_a_fifo_is_an_error(site, capsys):
    (site / "content/sources/bbc.yaml").write_text("title: A report\npublished: \"2019-10-13\"\n"
                                                   "text: texts/bbc.txt\n", encoding="utf-8")
    (site / "texts").mkdir()
    (site / "texts/bbc.txt").symlink_to("bbc.txt")
    _fails_with(capsys, site, "content/sources/bbc.yaml:3: error: 'text' names a symbolic link that leads "
                              "nowhere, 'texts/bbc.txt' (it loops, or what it points to is missing: remove it "
                              "or fix its target)")
    (site / "texts/bbc.txt").unlink()
    os.mkfifo(site / "texts/bbc.txt")
    with _alarm(10):
        _fails_with(capsys, site, "texts/bbc.txt: error: a named pipe (FIFO) is not a file "
                                  "(a site is made of plain files: remove it)")


@contextmanager
def _alarm(seconds: int):
    """Fail, rather than hang for ever, when the code under test blocks (opening a FIFO does)."""
    def ring(signum, frame):
        raise TimeoutError(f"still blocked after {seconds} s")
    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1)  # and again each second: the CLI may catch one
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_a_fifo_named_like_an_entry_is_refused_without_opening_it(site, capsys):
    os.mkfifo(site / "content/events/x.md")
    os.mkfifo(site / "site.yaml.fifo")  # not content: never looked at
    start = time.monotonic()
    with _alarm(10):
        _fails_with(capsys, site, "content/events/x.md: error: a named pipe (FIFO) is not a file "
                                  "(a site is made of plain files: remove it)")
    assert time.monotonic() - start < 30


def test_a_fifo_as_site_yaml_or_aliases_is_refused(site, capsys):
    os.mkfifo(site / "content/aliases.yaml")
    with _alarm(10):
        _fails_with(capsys, site, "content/aliases.yaml: error: a named pipe (FIFO) is not a file "
                                  "(a site is made of plain files: remove it)")


def _deny(monkeypatch, denied: Path, *functions):
    """Make os.scandir / os.open refuse `denied` as a folder or file without read permission would."""
    for name in functions:
        real = getattr(os, name)

        def refuse(path, *args, _real=real, **kwargs):
            if Path(os.fsdecode(path)) == denied:
                raise PermissionError(13, "Permission denied", os.fsdecode(path))
            return _real(path, *args, **kwargs)
        monkeypatch.setattr(os, name, refuse)


def test_an_unreadable_events_folder_is_an_error_not_an_empty_site(site, capsys, monkeypatch):
    _deny(monkeypatch, site / "content/events", "scandir")
    _fails_with(capsys, site, "content/events: error: cannot read folder: Permission denied "
                              "(let your user read it: chmod u+rx content/events)")


def test_an_unreadable_subfolder_is_an_error(site, capsys, monkeypatch):
    (site / "content/events/2019").mkdir()
    _deny(monkeypatch, site / "content/events/2019", "scandir")
    _fails_with(capsys, site, "content/events/2019: error: cannot read folder: Permission denied "
                              "(let your user read it: chmod u+rx content/events/2019)")


def test_an_unreadable_content_folder_is_an_error(site, capsys, monkeypatch):
    _deny(monkeypatch, site / "content/events", "stat")
    _fails_with(capsys, site, "content/events: error: cannot read folder: Permission denied "
                              "(let your user read it: chmod u+rx content/events)")


def test_an_events_file_where_the_folder_should_be_is_an_error(site, capsys):
    (site / "content/sources/bbc.yaml").unlink()
    (site / "content/sources").rmdir()
    (site / "content/sources").write_text("title: A report\n", encoding="utf-8")
    (site / "content/events/good.md").write_text("---\ntitle: Good\ndate: 2019\n---\nFine.\n", encoding="utf-8")
    _fails_with(capsys, site, "content/sources: error: a file where a folder should be (content files go in "
                              "the folder content/sources/: rename this file)")


def test_an_unreadable_entry_is_an_error(site, capsys, monkeypatch):
    _deny(monkeypatch, site / "content/events/good.md", "open")
    _fails_with(capsys, site, "content/events/good.md: error: cannot read file: Permission denied "
                              "(let your user read it: chmod u+r content/events/good.md)")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder whatever its mode")
def test_an_unreadable_events_folder_for_real(site, capsys):
    events = site / "content/events"
    events.chmod(0)
    try:
        _fails_with(capsys, site, "content/events: error: cannot read folder: Permission denied "
                                  "(let your user read it: chmod u+rx content/events)")
    finally:
        events.chmod(0o755)


def test_a_2_gb_entry_is_refused_by_its_size_without_reading_it(site, capsys):
    big = site / "content/events/big.md"
    with open(big, "wb") as f:
        f.truncate(2 * 1024**3)  # sparse: no disk, no time
    tracemalloc.start()
    try:
        _fails_with(capsys, site, "content/events/big.md: error: file is 2,147,483,648 bytes, over the "
                                  "limit of 2,000,000 (split it or shorten it)")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000


def test_a_file_that_grows_while_read_is_cut_at_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "grows.md"
    path.write_bytes(b"x" * (load.MAX_FILE_BYTES + 10))
    real = os.fstat

    def small(fd):  # the size stat gives, taken before the file grew
        st = real(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 10,
                               st.st_atime, st.st_mtime, st.st_ctime))
    monkeypatch.setattr(os, "fstat", small)
    problems = []
    assert load.read_text(path, tmp_path, problems) is None
    assert [str(p) for p in problems] == [f"grows.md: error: file is over the limit of 2,000,000 bytes "
                                          f"(split it or shorten it)"]


def _check_in_a_child(root: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `check` in a child process: a crash there (a segfault) must not take the test run with it."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--site", str(root)],
                          capture_output=True, text=True, timeout=timeout, cwd=REPO)


@pytest.mark.parametrize("nest, col", [("[" * 100_000 + "]" * 100_000, 71), ("[" * 100_000, 71),
                                       ("{a: " * 100_000 + "}" * 100_000, 260)])
def test_deep_flow_nesting_is_refused_before_libyaml_works_on_it(tmp_path, nest, col):
    root = write_tree(tmp_path / "site", GOOD + f"-- content/events/deep.md --\n---\ntitle: {nest}\n"
                      "date: 2019-10-13\n---\nBody.\n")
    start = time.monotonic()
    done = _check_in_a_child(root)
    assert time.monotonic() - start < 20
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if ": error: " in line] == [
        f"content/events/deep.md:2:{col}: error: YAML nested more than 64 levels deep (a front matter holds "
        "keys, text and short lists: is a [ or { left open?)"]


def test_deep_block_nesting_is_refused(tmp_path):
    root = write_tree(tmp_path / "site", GOOD + "-- content/events/deep.yaml --\n- title: x\n  date: 2019\n"
                      "  tags:\n" + "  " + "- " * 100_000 + "x\n")
    done = _check_in_a_child(root)
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert [line for line in done.stderr.splitlines() if ": error: " in line] == [
        "content/events/deep.yaml:4:127: error: YAML nested more than 64 levels deep (a front matter holds "
        "keys, text and short lists: is a [ or { left open?)"]


def test_aliases_cannot_amplify_a_small_file_into_a_huge_site(site, capsys):
    body = "Words of the body. " * 2500  # ~48 KB, written once
    items = "".join(f"- title: Copy {i}\n  date: 2019-10-{i % 28 + 1:02d}\n  body: *b\n" for i in range(1, 300))
    (site / "content/events/many.yaml").write_text(
        f"- title: Copy 0\n  date: 2019-10-01\n  body: &b \"{body}\"\n{items}", encoding="utf-8")
    _fails_with(capsys, site, "content/events/many.yaml:3:9: error: YAML anchors (&b) are not allowed "
                              "(write each value out in full; to write text starting with & or *, "
                              "quote the value)")


def test_an_unknown_date_language_is_an_error_at_its_line(site, capsys):
    (site / "site.yaml").write_text("title: T\ndate_languages:\n  - en\n  - xx\n", encoding="utf-8")
    (site / "content/events/words.md").write_text("---\ntitle: Words\ndate: 13 October 2019\nsources: [bbc]\n"
                                                  "---\nB [@bbc].\n", encoding="utf-8")
    _fails_with(capsys, site, "site.yaml:4: error: unknown language code 'xx' in date_languages "
                              "(use codes dateparser reads, such as en, fr, de, es, ar, nb, zh-Hans)")


def test_a_date_language_as_a_region_code_suggests_the_language(site, capsys):
    (site / "site.yaml").write_text("title: T\ndate_languages: [en-GB]\n", encoding="utf-8")
    _fails_with(capsys, site, "site.yaml:2: error: unknown language code 'en-GB' in date_languages "
                              "(did you mean 'en'?)")
