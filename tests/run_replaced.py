"""Run the tests in a copy of the repository whose timeline is a new one from `build.py init`.

This is what someone starting their own timeline does: replace content/ and site.yaml (and the
sources' stored texts, sources-text/) with their own. The tool's tests must stay green there;
the sample's own checks (tests/sample) skip, saying why. `make test-replaced` runs it, and CI
(.ci/run). Arguments are passed to pytest; the copy is removed afterwards unless --keep is given.

    .venv/bin/python tests/run_replaced.py [--keep] [PYTEST ARGS...]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TIMELINE = ("content", "site.yaml", "sources-text")   # what a timeline of one's own replaces
# Not copied: the timeline (replaced), and what a checkout or a build leaves at the top.
LEFT_AT_TOP = {*TIMELINE, ".git", ".venv", "output", ".dateline-cache", ".pytest_cache", ".hypothesis", "build"}
LEFT_ANYWHERE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "node_modules", "artifacts",
                                       ".output*", ".dateline-cache")


def ignore(folder: str, names: list[str]) -> set[str]:
    left = set(LEFT_ANYWHERE(folder, names))
    return left | (LEFT_AT_TOP & set(names) if Path(folder) == REPO else set())


def make_copy(base: Path) -> Path:
    """Copy the repository to base/dateline with a timeline made by its own `build.py init`."""
    copy = base / "dateline"
    shutil.copytree(REPO, copy, ignore=ignore, symlinks=True)
    modules = REPO / "tests" / "browser" / "node_modules"
    if modules.is_dir():  # the browser suite's npm packages: installed once, shared
        (copy / "tests" / "browser" / "node_modules").symlink_to(modules, target_is_directory=True)
    fresh = base / "fresh"
    subprocess.run([sys.executable, str(copy / "build.py"), "init", str(fresh), "--title", "A timeline of my own"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for name in TIMELINE:
        if (fresh / name).exists():
            shutil.move(fresh / name, copy / name)
    return copy


def main(argv: list[str]) -> int:
    keep = "--keep" in argv
    args = [a for a in argv if a != "--keep"]
    base = Path(tempfile.mkdtemp(prefix="dateline-replaced-"))
    try:
        copy = make_copy(base)
        print(f"run_replaced: the tests in {copy}, with content/ and site.yaml from `build.py init`", flush=True)
        env = {k: v for k, v in os.environ.items() if k != "DATELINE_REQUIRE_SAMPLE"}
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                              cwd=copy, env=env).returncode
    finally:
        if keep:
            print(f"run_replaced: kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
