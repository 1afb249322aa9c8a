"""Pages drawn on every core: the Markdown is converted first, once each, and the bytes do not change."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dateline import pipeline
from dateline.build import parallel
from dateline.render import markdown

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import gensite  # noqa: E402
from conftest import snapshot  # noqa: E402


def build(root: Path, out: Path, monkeypatch, first: bool) -> dict[str, bytes]:
    """Build `root` afresh with two workers, the Markdown converted first or where each page needs it."""
    monkeypatch.setenv("DATELINE_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_PAGES", 1)
    monkeypatch.setattr(parallel, "MIN_TEXTS", 1 if first else 10**9)
    markdown.CONVERTER.memo.clear()  # as in a new process
    pipeline.build(root, out)
    return snapshot(out)


def test_each_text_is_converted_once_on_every_core(tmp_path, monkeypatch):
    root = gensite.generate(tmp_path / "site", 60)
    record = tmp_path / "converted"
    convert = markdown._convert

    def counted(text, *rest):  # forked workers inherit it; each appends a line (O_APPEND: whole lines)
        with open(record, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {markdown.Converter.key(text, *rest).hex()}\n")
        return convert(text, *rest)

    monkeypatch.setattr(markdown, "_convert", counted)
    build(root, tmp_path / "out", monkeypatch, first=True)
    lines = record.read_text(encoding="utf-8").splitlines()
    keys = [line.split()[1] for line in lines]
    assert len(keys) == len(set(keys)) >= 2 * 60 - 5  # a body and a summary each, none twice
    assert str(os.getpid()) not in {line.split()[0] for line in lines}  # by the workers, not this process


def test_converting_first_changes_no_byte(tmp_path, monkeypatch):
    root = gensite.generate(tmp_path / "site", 60)
    first = build(root, tmp_path / "first", monkeypatch, first=True)
    where_needed = build(root, tmp_path / "needed", monkeypatch, first=False)
    assert first == where_needed


def test_broken_links_are_found_alike_with_or_without_workers(make_site, monkeypatch):
    from dateline.core.errors import BuildError
    import pytest

    root = make_site("""
        -- content/events/a.md --
        ---
        title: A
        date: 2019-10-13
        ---
        See [below](#nowhere) and [the other](../../events/missing/).
        -- templates/404.html --
        <a href="static/style.css">home</a>
        """)
    found = {}
    for jobs, least in (("1", 10**9), ("2", 1)):
        monkeypatch.setenv("DATELINE_JOBS", jobs)
        monkeypatch.setattr(parallel, "MIN_PAGES", least)
        with pytest.raises(BuildError) as caught:
            pipeline.build(root, root / "output")
        found[jobs] = [str(p) for p in caught.value.problems]
    assert found["1"] == found["2"] and len(found["1"]) >= 3, found
