"""The static CSS and JavaScript reach output/static minified (render/minify.py): smaller, the
same program, licence comments kept; the theme's own files stay readable."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from dateline import pipeline
from dateline.render.minify import minify
from dateline.render.pages import THEME


def test_css_loses_comments_and_spaces_but_not_a_licence():
    css = "/* why */\n.a  {\n  color: red;  /* inline */\n}\n/*! licence */\n"
    assert minify("x.css", css) == ".a{color:red}/*! licence */\n"


def test_javascript_loses_comments_and_spaces_but_keeps_strings():
    js = "// a note\nvar  a = \"two  spaces /* not a comment */\";  /* gone */\nfunction f ( x ) { return x ; }\n"
    out = minify("x.js", js)
    assert out == 'var a="two  spaces /* not a comment */";function f(x){return x;}\n'


def test_build_writes_the_theme_minified_and_copies_the_rest(make_site, tmp_path):
    site = make_site("""
-- static/own.js --
/* the site's own script */
window.own = 1 ;
-- static/latin1.css --
""")
    (site / "static" / "latin1.css").write_bytes(b"/* caf\xe9 */ a { }\n")  # not UTF-8: copied as it is
    result = pipeline.build(site, tmp_path / "out")
    out = tmp_path / "out" / "static"
    for name in ("style.css", "filter.js", "overview.js"):
        theme = (THEME / "static" / name).read_bytes()
        assert b"/* " in theme  # the source keeps its comments
        written = (out / name).read_bytes()
        assert b"/* " not in written and len(written) < 0.85 * len(theme)
    assert (out / "own.js").read_text() == "window.own=1;\n"
    assert (out / "latin1.css").read_bytes() == b"/* caf\xe9 */ a { }\n"
    assert "static/latin1.css" in result.copies and "static/style.css" not in result.copies


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")
def test_minified_theme_scripts_still_parse(tmp_path):
    for name in ("filter.js", "overview.js"):
        path = tmp_path / name
        path.write_text(minify(name, (THEME / "static" / name).read_text()))
        assert subprocess.run(["node", "--check", str(path)], capture_output=True).returncode == 0
