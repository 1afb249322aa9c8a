"""Pathological Markdown bodies: each is refused at its line before Markdown reads it, or built,
in seconds; never a hang, a RecursionError or a crash. The alarm is a hang guard, not a benchmark."""

from __future__ import annotations

import signal

import pytest

from conftest import write_tree
from dateline import mdlimits
from verdict import verdicts

HANG_GUARD = 30  # seconds


@pytest.fixture(autouse=True)
def hang_guard():
    def stop(*_):
        raise TimeoutError(f"over {HANG_GUARD} s: a hang")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(HANG_GUARD)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _site(root, body: str):
    return write_tree(root, "-- content/events/e.md --\n---\ntitle: E\ndate: 2019-10-13\n---\nFirst line.\n\n"
                      + body + "\n")


REFUSED = {  # shape: (body, words the message must hold)
    "a body of 250,000 characters": ("Plain words. " * 20_000, "260,014 characters long, over the limit of 200,000"),
    "10 KB of open brackets": ("[" * 10_000, "`[` that never close"),
    "100,000 open brackets": ("[" * 100_000, "`[` that never close"),
    "nested brackets": ("[" * 50_000 + "]" * 50_000, "`[` that never close or nest deep"),
    "open images": ("![" * 50_000, "`[` that never close"),
    "open citations": ("[@" * 50_000, "`[` that never close"),
    "open link targets": ("[](" * 30_000, "link targets"),
    "quoted link targets": ("[x](y'z) " * 20_000, "link targets"),
    "nested emphasis": ("*_" * 25_000 + "a" + "_*" * 25_000, "emphasis markers"),
    "strong openers": ("**a" * 30_000, "emphasis markers"),
    "unclosed backticks": ("".join("`" * n + "a" for n in range(1, 300)) * 2, "backticks"),
    "40,000 code spans in a paragraph": ("`c` " * 40_000, "inline elements"),
    "40,000 hard line breaks": ("x  \n" * 40_000, "inline elements"),
    "5,000 blockquotes": ("> " * 5_000 + "x", "nested 5000 deep"),
    "100,000 greater-than signs": (">" * 100_000, "nested 100000 deep"),
    "5,000 ordered lists": ("1. " * 5_000 + "x", "nested 5000 deep"),
    "lists indented 250 deep": ("".join("    " * i + "- x\n" for i in range(250)), "nested 33 deep, over the limit of 32"),
}


@pytest.mark.parametrize("shape", REFUSED)
def test_pathological_body_is_refused_at_its_line(capsys, tmp_path, shape):
    body, words = REFUSED[shape]
    site = _site(tmp_path / "site", body)
    check, build = verdicts(capsys, site)
    assert build.code == 1
    assert len(check.errors) == 1, check.errors
    assert check.errors[0].startswith("content/events/e.md:"), check.errors
    assert words in check.errors[0] and "body-too-complex" not in check.errors[0]
    assert not (site / "output").exists()


ACCEPTED = {
    "100,000 stars": "*" * 100_000,
    "100,000 underscores": "_" * 100_000,
    "100,000 less-than signs": "<" * 100_000,
    "100,000 closed brackets": "[x] " * 25_000,
    "a long article": ("A *claim* with a [link](https://example.org/a?b=c) and `code`, **strong**, "
                       "a citation [@s] and \\[an escape].\n\n") * 1_500,
    "blockquotes and lists 10 deep": "> " * 5 + "- " * 5 + "deep",
}


@pytest.mark.parametrize("shape", ACCEPTED)
def test_big_but_ordinary_body_builds(capsys, tmp_path, shape):
    site = _site(tmp_path / "site", ACCEPTED[shape])
    (site / "content/sources").mkdir()
    (site / "content/sources/s.yaml").write_text("title: S\n")
    check, build = verdicts(capsys, site)
    assert build.code == 0, build.stderr


def test_message_points_at_the_paragraph_that_costs_most():
    text = "Fine.\n\nAlso fine [x](y).\n\n" + "[" * 5_000 + "\n\nAfter."
    [(offset, what, fix)] = mdlimits.check(text)
    assert offset == 4
    assert "write `\\[`" in fix


def test_summary_is_checked_too(capsys, tmp_path):
    site = write_tree(tmp_path / "site", "-- content/events/e.md --\n---\ntitle: E\ndate: 2019-10-13\n"
                      f"summary: \"{'[' * 5_000}\"\n---\nBody.\n")
    check, build = verdicts(capsys, site)
    assert check.errors and check.errors[0].startswith("content/events/e.md:4: error: in 'summary': ")


HTML_REFUSED = {
    "unclosed tags": "<a " * 60_000,
    "unclosed comments": "<!--" * 45_000,
    "unclosed quoted attributes": '<a b="' * 30_000,
}


@pytest.mark.parametrize("shape", HTML_REFUSED)
def test_unclosed_html_is_refused_when_html_is_allowed(capsys, tmp_path, shape):
    site = _site(tmp_path / "site", HTML_REFUSED[shape])
    (site / "site.yaml").write_text("title: T\nbase_url: /\nallow_html: true\n")
    check, build = verdicts(capsys, site)
    assert len(check.errors) == 1 and "HTML tags or comments that never close" in check.errors[0], check.errors


def test_many_closed_tags_build_when_html_is_allowed(capsys, tmp_path):
    body = '<p class="x">Some <b>bold</b> text &amp; <a href="https://example.org/">link</a></p>\n\n' * 2_000
    site = _site(tmp_path / "site", body)
    (site / "site.yaml").write_text("title: T\nbase_url: /\nallow_html: true\n")
    check, build = verdicts(capsys, site)
    assert build.code == 0, build.stderr
