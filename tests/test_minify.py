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


def test_javascript_loses_comments_and_spaces_and_local_names_but_keeps_strings():
    js = "// a note\nvar  a = \"two  spaces /* not a comment */\";  /* gone */\nfunction f ( x ) { var longname = x ; return longname ; }\n"
    out = minify("x.js", js)
    assert out == 'var a="two  spaces /* not a comment */";function f(a){var b=a;return b;}\n'


def test_only_names_local_to_a_function_are_renamed():
    js = "(function () { var counter = 0; window.tick = function () { counter += 1; return counter; }; }());\n"
    assert minify("x.js", js) == "(function(){var a=0;window.tick=function(){a+=1;return a;};}());\n"


def test_a_script_newer_than_es5_or_with_a_licence_is_only_stripped():
    assert minify("x.js", "const twice = (x) => x * 2 ;  // newer than ES5\n") == "const twice=(x)=>x*2;\n"
    licensed = "/*! licence */\n(function () { var counter = 0 ; }());\n"
    assert minify("x.js", licensed) == "/*! licence */(function(){var counter=0;}());\n"
    for looked_up in ('function f () { var abc = 1; return eval("abc"); }\n',
                      "function g (o) { var abc = 1; with (o) { return abc; } }\n"):
        assert "abc" in minify("x.js", looked_up)  # a name found by its text at run time keeps it


def test_what_was_minified_is_taken_from_the_store_until_the_file_changes(tmp_path, monkeypatch):
    from dateline.build.store import Store
    from dateline.render import minify as module

    script = tmp_path / "a.js"
    script.write_text("(function () { var counter = 0; }());\n")
    store = Store(tmp_path / ".dateline-cache", key=b"k" * 32)
    first = module.minified({"static/a.js": script}, store)
    monkeypatch.setattr(module, "_SEEN", {})  # as in a new process: only the store remembers
    monkeypatch.setattr(module, "minify", lambda name, text: pytest.fail("minified again"))
    assert module.minified({"static/a.js": script}, store) == first == {"static/a.js": b"(function(){var a=0;}());\n"}
    script.write_text("(function () { var total = 1; }());\n")
    monkeypatch.setattr(module, "minify", lambda name, text: "made\n")
    assert module.minified({"static/a.js": script}, store) == {"static/a.js": b"made\n"}
    assert list(store.read(module.MEMO).values()) == [b"made\n"]  # the old file's entry is gone


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
        assert b"/* " not in written and len(written) < (0.85 if name.endswith(".css") else 0.6) * len(theme)
    assert (out / "own.js").read_text() == "window.own=1;\n"
    assert (out / "latin1.css").read_bytes() == b"/* caf\xe9 */ a { }\n"
    assert "static/latin1.css" in result.copies and "static/style.css" not in result.copies


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")
def test_minified_theme_scripts_still_parse(tmp_path):
    for name in ("filter.js", "overview.js"):
        path = tmp_path / name
        path.write_text(minify(name, (THEME / "static" / name).read_text()))
        assert subprocess.run(["node", "--check", str(path)], capture_output=True).returncode == 0


def test_minify_html_writes_every_page_smaller_with_the_same_text_and_links(fixture_site, tmp_path):
    from conftest import page_words as text
    from dateline.render.links import extract

    plain = pipeline.build(fixture_site, tmp_path / "plain").files
    config = fixture_site / "site.yaml"
    config.write_text(config.read_text() + "minify_html: true\n")
    small = pipeline.build(fixture_site, tmp_path / "small").files
    assert plain.keys() == small.keys()
    pages = [path for path in plain if path.endswith(".html")]
    assert len(pages) > 20
    for path in pages:
        assert len(small[path]) < 0.97 * len(plain[path]), path
        assert text(small[path]) == text(plain[path]), path
        (links, ids), (links_before, ids_before) = extract(small[path], unquoted=True), extract(plain[path])
        assert sorted(links) == sorted(links_before) and ids == ids_before, path
    assert small["index.html"].startswith(b"<!doctype html><html lang=en><head>")
    assert b"\n<" not in small["index.html"].split(b"</script>")[-1]  # no space left between tags
    assert all(plain[path] == small[path] for path in plain if not path.endswith(".html"))


def test_a_second_build_in_the_same_process_does_not_minify_again(monkeypatch, tmp_path):
    from dateline.render import minify as module

    script = tmp_path / "b.js"
    script.write_text("(function () { var counter = 2; }());\n")
    first = module.minified({"static/b.js": script})  # no store: a build without a cache
    monkeypatch.setattr(module, "minify", lambda name, text: pytest.fail("minified again"))
    assert module.minified({"static/b.js": script}) == first
