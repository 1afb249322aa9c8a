"""Golden tests: build each fixture site under tests/golden/<case>/site and compare every output
file with tests/golden/<case>/expected. `pytest --update-golden` rewrites the expected trees."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from dateline import pipeline as site

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "site").is_dir())


def tree(folder: Path) -> dict[str, bytes]:
    """Return {relative path: bytes} for every file under `folder`, static/ by name only."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            rel = path.relative_to(folder).as_posix()
            out[rel] = b"" if rel.startswith("static/") else path.read_bytes()
    return out


@pytest.mark.parametrize("case", CASES)
def test_golden(case, tmp_path, request):
    output = tmp_path / "output"
    site.build(GOLDEN / case / "site", output)
    expected_dir = GOLDEN / case / "expected"
    if request.config.getoption("--update-golden"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(output, expected_dir)
        for path in expected_dir.rglob("*"):
            if path.is_file() and path.relative_to(expected_dir).as_posix().startswith("static/"):
                path.write_bytes(b"")
        pytest.skip("expected tree rewritten")
    got, want = tree(output), tree(expected_dir)
    assert sorted(got) == sorted(want), "the set of output files differs"
    for rel in want:
        if got[rel] != want[rel] and rel.startswith("media/"):  # images: bytes, no text diff
            pytest.fail(f"{case}/{rel} differs: {len(want[rel])} bytes expected, {len(got[rel])} built")
        if got[rel] != want[rel]:
            diff = difflib.unified_diff(want[rel].decode().splitlines(), got[rel].decode().splitlines(),
                                        f"expected/{rel}", f"built/{rel}", lineterm="")
            pytest.fail(f"{case}/{rel} differs:\n" + "\n".join(list(diff)[:80]))
