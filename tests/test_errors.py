"""Every content error names its file and line, says how to fix it, and leaves output/ alone."""

from __future__ import annotations

import pytest

GOOD = """
-- content/sources/bbc.yaml --
title: A report
publisher: BBC News
published: 2019-10-13
-- content/events/good.md --
---
title: Good event
date: 2019-10-13
sources: [bbc]
---
Fine [@bbc].
"""


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(make_site, run_cli):
    """A site that built once, so each test can check its output/ survives a failed build."""
    root = make_site(GOOD)
    code, _, err = run_cli("build", "--site", root)
    assert code == 0, err
    return root


def fail_with(root, run_cli, files: dict[str, str]) -> str:
    """Add `files`, build, and return stderr after checking exit 1, no traceback, output/ intact."""
    before = snapshot(root / "output")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    code, out, err = run_cli("build", "--site", root)
    assert code == 1
    assert "Traceback" not in err
    assert snapshot(root / "output") == before
    return err


CASES = {
    "missing title": (
        {"content/events/bad.md": "---\ndate: 2019-10-13\n---\nBody.\n"},
        ["content/events/bad.md:2: error: missing 'title': every event needs one (add a line `title: ...`)"]),
    "missing date": (
        {"content/events/bad.md": "---\ntitle: No date\nplace: X\n---\nBody.\n"},
        ["content/events/bad.md:2: error: missing 'date' (add a line `date: 2019-10-13`, or `2019-10` or `2019` when the day is not known)"]),
    "unparseable date": (
        {"content/events/bad.md": "---\ntitle: T\ndate: the day after never\n---\n"},
        ["content/events/bad.md:3: error: 'date': cannot read the date 'the day after never' "
         "(write it as 2019-10-13, 2019-10 or 2019, or as '13 October 2019')"]),
    "unknown source in body": (
        {"content/events/bad.md": "---\ntitle: T\ndate: 2019-10-13\n---\nLine one.\n\nSaid so [@bcc].\n"},
        ["content/events/bad.md:7: error: citation of unknown source '@bcc' (did you mean 'bbc'?)"]),
    "unknown source in front matter": (
        {"content/events/bad.md": "---\ntitle: T\ndate: 2019-10-13\nsources:\n  - bbc\n  - reuters\n---\n"},
        ["content/events/bad.md:6: error: unknown source 'reuters' (add it with `dateline new-source reuters --title ... --publisher ...`, or correct the id)"]),
    "duplicate slug": (
        {"content/events/again.md": "---\ntitle: Good event\ndate: 2019-10-13\nsources: [bbc]\n---\n"},
        ["content/events/good.md:2: error: two events have the slug '2019-10-13-good-event' "
         "(the other is content/events/again.md:2) (change one title or set `slug:` on one of them)"]),
    "unknown key": (
        {"content/events/bad.md": "---\ntitle: T\ndate: 2019-10-13\nsoruces: [bbc]\n---\n"},
        ["content/events/bad.md:4: error: unknown key 'soruces' in an event (did you mean 'sources'?)"]),
    "malformed yaml": (
        {"content/events/bad.md": "---\ntitle: T\ndate: 2019-10-13\ntags: [a, b\n---\n"},
        ["content/events/bad.md:4:7: error: invalid YAML: while parsing a flow sequence; "
         "did not find expected ',' or ']' (check the quoting and indentation on this line)"]),
    "colon in value": (
        {"content/events/bad.md": "---\ntitle: Ain Issa: the escape\ndate: 2019-10-13\n---\n"},
        ["content/events/bad.md:2:16: error: invalid YAML: mapping values are not allowed in this context "
         "(a value containing ': ' must be quoted, e.g. title: \"Ain Issa: the escape\")"]),
    "javascript url": (
        {"content/sources/evil.yaml": "title: Evil\nurl: javascript:alert(1)\n"},
        ["content/sources/evil.yaml:2: error: 'url' must be an http or https URL, not 'javascript:alert(1)' "
         "(leave it out when the source has no URL: never invent one)"]),
    "ftp url": (
        {"content/sources/old.yaml": "title: Old\n\npublisher: P\nurl: ftp://example.org/x\n"},
        ["content/sources/old.yaml:4: error: 'url' must be an http or https URL, not 'ftp://example.org/x' "
         "(leave it out when the source has no URL: never invent one)"]),
    "unclosed front matter": (
        {"content/events/bad.md": "---\ntitle: T\ndate: 2019-10-13\n\nBody.\n"},
        ["content/events/bad.md:1: error: front matter is not closed "
         "(did you forget the closing --- after the front matter?)"]),
    "duplicate key": (
        {"content/events/bad.md": "---\ntitle: T\ndate: 2019-10-13\ntitle: U\n---\n"},
        ["content/events/bad.md:4:1: error: duplicate key 'title' (first on line 2) "
         "(YAML would keep only the last one: remove one of them)"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_content_error_names_file_and_line(case, built, run_cli):
    files, expected = CASES[case]
    err = fail_with(built, run_cli, files)
    for line in expected:
        assert line in err.splitlines()


def test_every_error_is_listed_not_only_the_first(built, run_cli):
    err = fail_with(built, run_cli, {
        "content/events/a.md": "---\ndate: 2019-10-13\n---\n",
        "content/events/b.md": "---\ntitle: B\ndate: 2019-13-01\n---\n",
        "content/sources/c.yaml": "title: C\nurl: data:text/html,x\n",
    })
    assert "content/events/a.md:2: error: missing 'title'" in err
    assert "content/events/b.md:3: error: 'date': month 13 does not exist" in err
    assert "content/sources/c.yaml:2: error: 'url' must be an http or https URL" in err
    assert err.strip().endswith("3 errors; nothing was written")


def test_template_error_names_template_and_line(built, run_cli):
    err = fail_with(built, run_cli, {"templates/index.html": "{% extends 'base.html' %}\n"
                                     "{% block main %}\n<h1>{{ site.titel }}</h1>\n{% endblock %}\n"})
    assert "templates/index.html:3: error: template error while rendering index.html" in err
    assert "titel" in err


def test_template_syntax_error_names_template_and_line(built, run_cli):
    err = fail_with(built, run_cli, {"templates/index.html": "{% extends 'base.html' %}\n{% block main %}\n"})
    assert "templates/index.html:2: error: template syntax error" in err


def test_site_yaml_errors_are_reported(make_site, run_cli):
    root = make_site("-- site.yaml --\ntitel: X\nbase_url: ftp://x\n")
    code, _, err = run_cli("build", "--site", root)
    assert code == 1
    assert "site.yaml:1: error: unknown key 'titel' (did you mean 'title'?)" in err
    assert "site.yaml:2: error: base_url 'ftp://x' is not a URL or path" in err
    assert not (root / "output").exists()


def test_a_failed_first_build_writes_nothing(make_site, run_cli):
    root = make_site("-- content/events/x.md --\n---\ntitle: X\n---\n")
    assert run_cli("build", "--site", root)[0] == 1
    assert sorted(p.name for p in root.iterdir()) == ["content", "site.yaml"]


def test_a_message_that_quotes_a_line_break_stays_one_line(make_site, run_cli):
    # Found by tests/test_properties.py: the text YAML read as a list item held U+2028, which
    # breaks a line for str.splitlines() and for an editor's terminal log alike.
    from dateline.core.errors import Problem

    root = make_site("-- content/events/a.md --\n---\ntitle: A\ndate: 2019-10-13\nsummary: x\n - \u2028 y\n---\nText.\n")
    code, _, err = run_cli("build", "--site", root)
    assert code == 1 and "looks like a list item indented too far" in err
    assert "\\u2028" in err and "\u2028" not in err
    assert len(err.strip().splitlines()) == 2  # the error, and "1 error; nothing was written"
    assert str(Problem("a.md", 1, 0, "a\nb\rc\x85d", "e\u2029f")) == "a.md:1: error: a\\u000ab\\u000dc\\u0085d (e\\u2029f)"
