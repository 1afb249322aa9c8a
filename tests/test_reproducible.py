"""The same content gives the same bytes, whatever the hash seed, time zone and locale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_fixture_site, snapshot

REPO = Path(__file__).resolve().parent.parent
# UTC+14 and UTC-12 are 26 hours apart: the local date always differs, so a date of the build shows.
ENVIRONMENTS = [
    {"PYTHONHASHSEED": "0", "TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
    {"PYTHONHASHSEED": "4242", "TZ": "Etc/GMT+12", "LC_ALL": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8"},
]


def test_two_builds_in_different_environments_are_byte_identical(tmp_path):
    builds = []
    for i, env in enumerate(ENVIRONMENTS):
        root = tmp_path / f"build{i}" / "site"  # a different folder each: no absolute path may leak
        copy_fixture_site(root)
        builds.append((root, subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "build", "--site", str(root)], cwd=tmp_path / f"build{i}",
            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
    for root, proc in builds:
        assert proc.wait() == 0, proc.stderr.read()
    first, second = (snapshot(root / "output") for root, _ in builds)
    assert len(first) > 20
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []
