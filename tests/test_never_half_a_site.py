"""Never half a site: a build killed at any moment leaves output/ as the old site or the new one.

A site of a few hundred events is built (the old site), its content is changed and built
again (the new site); then the second build is run again from the old site and killed with
SIGKILL at random moments (fixed seed, bounded trials), and output/ is compared with the two.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import snapshot
from dateline.build import write

REPO = Path(__file__).resolve().parent.parent
EVENTS = 200
TRIALS = 15

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def generate(root: Path, version: str) -> None:
    """Write (or rewrite) a site of EVENTS events whose every page mentions `version`."""
    (root / "content/events").mkdir(parents=True, exist_ok=True)
    (root / "content/sources").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(f"title: Generated timeline {version}\nbase_url: /\n")
    for s in range(5):
        (root / f"content/sources/src-{s}.yaml").write_text(
            f'title: Source {s}\npublisher: Wire {s}\npublished: "2019-12-31"\n')
    for i in range(EVENTS):
        (root / f"content/events/e{i:04d}.md").write_text(
            f"---\ntitle: Event {i} {version}\ndate: 2019-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
            f"place: Place {i % 17}\nactors: [Actor {i % 23}]\ntags: [tag-{i % 11}]\nsources: [src-{i % 5}]\n"
            f"---\nBody of event {i} in {version} [@src-{i % 5}].\n")


def start_build(root: Path, fallback: bool = False, stream: bool = False) -> subprocess.Popen:
    """Start `build.py build` on `root`; with `fallback`, as on a system without renameat2; with
    `stream`, writing the pages into the new tree as they are drawn whatever the site's size."""
    if fallback or stream:
        code = ("import sys; import dateline.build.write as w; import dateline.pipeline as p; "
                + ("w._exchange = lambda a, b: False; " if fallback else "p.STREAM = 1; ")
                + "from dateline.cli import main; sys.exit(main(sys.argv[1:]))")
        argv = [sys.executable, "-c", code]
    else:
        argv = [sys.executable, str(REPO / "build.py")]
    return subprocess.Popen([*argv, "build", "--site", str(root)], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def temp_trees(root: Path) -> list[Path]:
    """Return the temporary trees a build leaves beside output/ while it writes."""
    return sorted(root.glob(".output.*"))


def run_until_writing(proc: subprocess.Popen, root: Path) -> float:
    """Wait until the build starts writing its new tree (or ends); return the time it took."""
    start = time.monotonic()
    while proc.poll() is None and not temp_trees(root):
        time.sleep(0.001)
    return time.monotonic() - start


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """(site folder, a saved copy of the old output/, old tree, new tree, build time, write time)."""
    work = tmp_path_factory.mktemp("kill")
    root = work / "site"
    generate(root, "old")
    assert subprocess.run([sys.executable, "build.py", "build", "--site", str(root)], cwd=REPO,
                          capture_output=True).returncode == 0
    old = snapshot(root / "output")
    saved = work / "old-output"
    shutil.copytree(root / "output", saved)
    generate(root, "new")
    start = time.monotonic()
    proc = start_build(root)
    until_writing = run_until_writing(proc, root)
    assert proc.wait() == 0, proc.stderr.read()
    build_time = time.monotonic() - start
    new = snapshot(root / "output")
    assert old != new and all(b"Event 1 new" not in body for body in old.values())
    return root, saved, old, new, build_time, build_time - until_writing


def restore(root: Path, saved: Path, keep_folder: bool = False) -> None:
    """Put the old site back in output/, and nothing beside it.

    Hard links make this quick; they are safe because a build never writes into output/ (and
    if one did, the bytes compared are those read before, so the test would still see it).
    """
    for path in temp_trees(root):
        shutil.rmtree(path)
    if not keep_folder:
        shutil.rmtree(root / "output")
        shutil.copytree(saved, root / "output", copy_function=os.link)
        return
    for path in list((root / "output").iterdir()):
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    shutil.copytree(saved, root / "output", copy_function=os.link, dirs_exist_ok=True)


def kill(proc: subprocess.Popen) -> None:
    """Kill the build's whole process group at once, as a power cut or `kill -9` would."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it had already finished
    proc.wait()


def killed_while_writing(root: Path, saved: Path, delay: float, **how) -> None:
    """Put the old site back, start the build (`how`: start_build's), and kill it `delay` seconds
    after it began to write."""
    restore(root, saved)
    proc = start_build(root, **how)
    run_until_writing(proc, root)
    time.sleep(delay)
    kill(proc)


def test_a_build_killed_at_random_moments_leaves_the_old_site_or_the_new(sites):
    root, saved, old, new, build_time, write_time = sites
    rng = random.Random(20191013)
    outcomes = []
    for trial in range(TRIALS):
        restore(root, saved)
        proc = start_build(root)
        if trial % 2:  # anywhere in the build
            time.sleep(rng.uniform(0, build_time * 1.1))
        else:  # while it writes, where it matters most
            run_until_writing(proc, root)
            time.sleep(rng.uniform(0, write_time * 1.2))
        kill(proc)
        now = snapshot(root / "output")
        assert now in (old, new), f"trial {trial}: output/ is neither the old site nor the new one"
        outcomes.append("new" if now == new else "old")
    assert "old" in outcomes  # the kills did land before the swap; no vacuous pass

    restore(root, saved)  # stale temporary trees of killed builds are removed by the next build
    (root / ".output.new-killed").mkdir()
    (root / ".output.new-killed" / "index.html").write_bytes(b"half")
    assert start_build(root).wait() == 0
    assert snapshot(root / "output") == new
    assert temp_trees(root) == []


def test_a_build_killed_while_it_streams_its_pages_leaves_the_old_site(sites):
    root, saved, old, new, build_time, write_time = sites
    rng = random.Random(1009)
    for trial in range(4):  # the new tree is made before the first page is drawn
        killed_while_writing(root, saved, rng.uniform(0, build_time * 0.5), stream=True)
        assert snapshot(root / "output") in (old, new), f"trial {trial}"
    restore(root, saved)
    assert start_build(root, stream=True).wait() == 0
    assert snapshot(root / "output") == new and temp_trees(root) == []


def test_without_renameat2_a_killed_build_leaves_a_site_that_clean_stale_restores(sites):
    root, saved, old, new, build_time, write_time = sites
    rng = random.Random(44)
    for trial in range(3):
        killed_while_writing(root, saved, rng.uniform(0, write_time * 1.2), fallback=True)
        write.clean_stale(root / "output")  # what the next build does first
        assert snapshot(root / "output") in (old, new), f"trial {trial}"
        assert temp_trees(root) == []


def test_when_the_fallback_fails_after_moving_the_old_site_it_puts_it_back(tmp_path, monkeypatch):
    out = tmp_path / "output"
    write.write_site(out, {"index.html": b"old"}, {})
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    real_replace = os.replace

    def replace(src, dst):
        if Path(src).name.startswith(".output.new-"):  # e.g. the new tree vanished, or the disk failed
            raise OSError(5, "Input/output error", str(src))
        real_replace(src, dst)
    monkeypatch.setattr(write.os, "replace", replace)
    with pytest.raises(Exception):
        write.write_site(out, {"index.html": b"new"}, {})
    assert (out / "index.html").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["output"]


def locked_elsewhere(folder: Path) -> bool:
    """Return True when another process cannot take the lock on `folder` right now."""
    code = ("import fcntl, os, sys\nfd = os.open(sys.argv[1], os.O_RDONLY)\n"
            "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept BlockingIOError:\n    print('locked')")
    return subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True,
                          check=True).stdout.strip() == "locked"


@pytest.mark.skipif(write.fcntl is None, reason="builds are serialised only where flock exists")
def test_cleaning_and_swapping_happen_under_a_lock_so_two_builds_never_undo_each_other(tmp_path, monkeypatch):
    out = tmp_path / "output"
    write.write_site(out, {"index.html": b"old"}, {})
    seen = []
    clean, exchange = write.clean_stale, write._exchange
    monkeypatch.setattr(write, "clean_stale", lambda o, **kw: (seen.append(("clean", locked_elsewhere(tmp_path))),
                                                                clean(o, **kw)))
    monkeypatch.setattr(write, "_exchange", lambda a, b: (seen.append(("swap", locked_elsewhere(tmp_path))), exchange(a, b))[1])
    assert not locked_elsewhere(tmp_path)
    write.write_site(out, {"index.html": b"new"}, {})
    assert seen == [("clean", True), ("swap", True)]
    assert not locked_elsewhere(tmp_path)  # released
    assert (out / "index.html").read_bytes() == b"new"


def test_an_output_folder_that_cannot_be_written_is_an_error_not_a_traceback(make_site, run_cli, tmp_path):
    root = make_site("-- content/events/a.md --\n---\ntitle: A\ndate: 2019-10-13\n---\n")
    (tmp_path / "a-file").write_text("not a folder")
    code, _, err = run_cli("build", "--site", root, "--output", tmp_path / "a-file" / "output")
    assert code == 1
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (f"{tmp_path / 'a-file'}: error: cannot write: File exists (is every folder "
                                    "on the way a folder you can write to, on a disk with room?)")


@pytest.fixture(scope="module")
def one_entry(tmp_path_factory):
    """As `sites`, but the new site differs by one entry's text: written in place, through the journal."""
    work = tmp_path_factory.mktemp("kill-journal")
    root = work / "site"
    generate(root, "old")
    past = time.time() - 60  # as files saved a while ago: a file saved within 2 s is read again anyway
    for path in root.rglob("*.*"):
        os.utime(path, (past, past))
    for _ in range(2):  # the second build finds nothing changed and keeps the memo warm
        assert subprocess.run([sys.executable, "build.py", "build", "--site", str(root)], cwd=REPO,
                              capture_output=True).returncode == 0
    old = snapshot(root / "output")
    saved = work / "old-output"  # the very files (hard links): the memo knows them by inode
    shutil.copytree(root / "output", saved, copy_function=os.link)
    shutil.copytree(root / ".dateline-cache", work / "old-cache")
    entry = root / "content/events/e0100.md"
    entry.write_text(entry.read_text() + "An added sentence.\n")
    os.utime(entry, (past + 1, past + 1))
    folder = (root / "output").stat().st_ino
    start = time.monotonic()
    assert start_build(root).wait() == 0
    build_time = time.monotonic() - start
    assert (root / "output").stat().st_ino == folder  # in place: the journal, not a new tree
    new = snapshot(root / "output")
    changed = {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}
    assert 0 < len(changed) < len(new) / 4
    return root, saved, old, new, build_time


def test_a_change_written_in_place_and_killed_leaves_whole_files_and_the_next_build_ends_it(one_entry):
    root, saved, old, new, build_time = one_entry
    rng = random.Random(20191009)
    outcomes, scale = [], 1.0
    for trial in range(3 * TRIALS):
        if trial >= TRIALS and {"old", "new"} <= set(outcomes):
            break
        restore(root, saved, keep_folder=True)  # the same folder: the cache names it as the old site's
        shutil.rmtree(root / ".dateline-cache")
        shutil.copytree(saved.with_name("old-cache"), root / ".dateline-cache")
        proc = start_build(root)
        time.sleep(rng.uniform(build_time * 0.3, build_time * 1.1) * scale)
        kill(proc)
        now = snapshot(root / "output")
        assert all(now[p] in (old.get(p), new.get(p)) for p in now), f"trial {trial}: a file neither old nor new"
        assert set(old) & set(new) <= set(now), f"trial {trial}: a page of both sites missing"
        write.clean_stale(root / "output")  # what the next build does first
        now = snapshot(root / "output")
        assert now in (old, new), f"trial {trial}: output/ is neither the old site nor the new one"
        assert temp_trees(root) == []
        outcomes.append("new" if now == new else "old")
        # The machine's load (other tests beside this one) moves the commit: kills that all land
        # on one side of it move the next ones towards the other.
        if "new" not in outcomes:
            scale *= 1.25
        elif "old" not in outcomes:
            scale *= 0.8
    assert {"old", "new"} <= set(outcomes)  # kills landed on both sides of the commit


def test_a_process_forked_while_the_output_is_locked_never_holds_the_lock(tmp_path):
    # A cache file written beside the build (Store.write_beside) is written by a process forked
    # while the output is locked: the lock must end with the build, not with that process.
    import fcntl
    import time

    from dateline.build import write as writer
    out = tmp_path / "output"
    with writer.lock(out, tmp_path) as target:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child: outlives the lock's holder for a while
            time.sleep(3)
            os._exit(0)
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        started = time.monotonic()
        while True:  # the child drops its copy as soon as it runs: at once, not in 3 s
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                assert time.monotonic() - started < 1.5, "the forked process holds the lock"
                time.sleep(0.01)
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
