"""build.py finds the virtual environment `make site` made, or says how to make one; the build command runs as one pass."""

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_without_packages(folder: Path) -> subprocess.CompletedProcess:
    """Run folder/build.py with an interpreter that cannot import the dependencies (-S)."""
    return subprocess.run([sys.executable, "-S", str(folder / "build.py"), "check", "--strict"],
                          capture_output=True, text=True, timeout=60)


def test_build_py_uses_the_project_venv_when_run_outside_it(tmp_path):
    shutil.copy(REPO / "build.py", tmp_path / "build.py")
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text('#!/bin/sh\necho "venv python got: $*"\n')
    fake.chmod(0o755)
    result = run_without_packages(tmp_path)
    assert result.stdout.strip() == f"venv python got: {tmp_path / 'build.py'} check --strict"


def test_build_py_without_a_venv_says_how_to_make_one(tmp_path):
    shutil.copy(REPO / "build.py", tmp_path / "build.py")
    result = run_without_packages(tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "build.py: the package 'jinja2' is missing: run `make site` once to set up .venv"
    assert "Traceback" not in result.stderr


def test_a_build_runs_without_the_cycle_collector_and_turns_it_back_on(make_site, monkeypatch):
    import gc

    from dateline import pipeline
    from dateline.cli import main

    site = make_site("""
        -- content/events/a.md --
        ---
        title: A
        date: 2019-10-13
        ---
        Text.
        """)
    seen = []
    build = pipeline.build
    monkeypatch.setattr(pipeline, "build", lambda *a, **k: (seen.append(gc.isenabled()), build(*a, **k))[1])
    assert gc.isenabled()
    assert main(["build", "--site", str(site), "--quiet"]) == 0
    assert seen == [False] and gc.isenabled()
