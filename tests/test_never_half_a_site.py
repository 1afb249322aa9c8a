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

from dateline import write

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


def snapshot(folder: Path) -> dict[str, bytes] | None:
    """Return every file under `folder` with its bytes, or None when there is no folder."""
    if not folder.is_dir():
        return None
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def start_build(root: Path, fallback: bool = False) -> subprocess.Popen:
    """Start `build.py build` on `root`; with `fallback`, as on a system without renameat2."""
    if fallback:
        code = ("import sys; import dateline.write as w; w._exchange = lambda a, b: False; "
                "from dateline.cli import main; sys.exit(main(sys.argv[1:]))")
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


def restore(root: Path, saved: Path) -> None:
    """Put the old site back in output/, and nothing beside it.

    Hard links make this quick; they are safe because a build never writes into output/ (and
    if one did, the bytes compared are those read before, so the test would still see it).
    """
    for path in (root / "output", *temp_trees(root)):
        shutil.rmtree(path)
    shutil.copytree(saved, root / "output", copy_function=os.link)


def kill(proc: subprocess.Popen) -> None:
    """Kill the build's whole process group at once, as a power cut or `kill -9` would."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it had already finished
    proc.wait()


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


def test_without_renameat2_a_killed_build_leaves_a_site_that_clean_stale_restores(sites):
    root, saved, old, new, build_time, write_time = sites
    rng = random.Random(44)
    for trial in range(3):
        restore(root, saved)
        proc = start_build(root, fallback=True)
        run_until_writing(proc, root)
        time.sleep(rng.uniform(0, write_time * 1.2))
        kill(proc)
        write.clean_stale(root / "output")  # what the next build does first
        assert snapshot(root / "output") in (old, new), f"trial {trial}"
        assert temp_trees(root) == []
