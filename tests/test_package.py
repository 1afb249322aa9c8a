"""The wheel is the whole tool: installed alone, it builds a site that has no templates/ or static/.

The wheel is built from a copy of the package (so no build/ or egg-info lands in the
repository), installed into a folder of its own, and run from outside the repository so that
the repository's dateline/ cannot be the one imported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from conftest import snapshot
from dateline import pipeline as site

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "dateline"


def package_files() -> list[str]:
    """Return what the wheel must hold: every module and every theme file, as wheel paths."""
    return sorted(p.relative_to(REPO).as_posix() for p in PACKAGE.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
                  and (p.suffix == ".py" or p.relative_to(PACKAGE).parts[0] == "theme"))


def build_wheel(tmp_path: Path) -> Path:
    """Build the wheel with this environment's pip and setuptools, offline; return its path."""
    try:
        tools = version("setuptools")
    except PackageNotFoundError:
        tools = "0"
    if tuple(int(n) for n in tools.split(".")[:2]) < (70, 1):  # older ones need the `wheel` package
        pytest.fail(f"setuptools {tools} cannot build wheels on its own: run `make test` once, "
                    "so that .venv gets requirements-dev.txt's setuptools")
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(PACKAGE, src / "dateline", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation",
                    "--no-index", "--disable-pip-version-check", "--quiet", "-w", str(wheels)],
                   cwd=src, check=True, capture_output=True, timeout=120)
    [wheel] = wheels.glob("dateline-*.whl")
    return wheel


def test_the_installed_wheel_builds_a_bare_site_as_the_repository_does(tmp_path, fixture_site):
    wheel = build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = package_files()
    assert any(n.startswith("dateline/theme/templates/") for n in expected)
    assert any(n.startswith("dateline/theme/static/") for n in expected)
    assert [n for n in expected if n not in names] == []

    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
                    "--disable-pip-version-check", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=120)
    bare = tmp_path / "bare"  # the content alone: the theme must come from the package
    shutil.copytree(fixture_site, bare)
    # The installed package first, then this environment's libraries (Jinja2, Markdown...).
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), sysconfig.get_paths()["purelib"]])}
    for name in ("PYTHONSAFEPATH", "DATELINE_BASE_URL"):
        env.pop(name, None)

    where = subprocess.run([sys.executable, "-c", "import dateline.render.pages as r; print(r.THEME)"],
                           cwd=bare, env=env, capture_output=True, text=True, check=True, timeout=60)
    assert Path(where.stdout.strip()) == target / "dateline" / "theme"

    script = target / "bin" / "dateline"  # the console script pyproject.toml declares
    run = subprocess.run([str(script), "build"], cwd=bare, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([sys.executable, "-m", "dateline", "check", "--strict"], cwd=bare, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr

    site.build(fixture_site, output=tmp_path / "repository")
    installed, repository = snapshot(bare / "output"), snapshot(tmp_path / "repository")
    assert len(repository) > 20 and any(p.startswith("static/") for p in repository)
    assert sorted(installed) == sorted(repository)
    assert [p for p in repository if installed[p] != repository[p]] == []
