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
    plain = (root / "site.yaml").read_text() if (root / "site.yaml").exists() else "title: T\n"
    for minify in (False, True):  # minify_html: the pages' attributes unquoted, in the tree as they are drawn
        (root / "site.yaml").write_text(plain + ("minify_html: true\n" if minify else ""))
        for jobs, least in (("1", 10**9), ("2", 1)):
            monkeypatch.setenv("DATELINE_JOBS", jobs)
            monkeypatch.setattr(parallel, "MIN_PAGES", least)
            monkeypatch.setattr(pipeline, "STREAM", 1 if minify else 1000)
            with pytest.raises(BuildError) as caught:
                pipeline.build(root, root / "output")
            found[jobs, minify] = [str(p) for p in caught.value.problems]
    assert len(set(map(tuple, found.values()))) == 1 and len(found["1", False]) >= 3, found


def test_pages_rendered_without_the_collector_leave_no_cycles_behind(tmp_path, monkeypatch):
    """A page's Jinja context and its macros are a cycle: with the collector off for the whole
    build, every page's stayed until the end (20 MB more at 1,000 events). What the build holds is
    frozen before the pages, and the collector takes what each page leaves."""
    import gc

    import jinja2.runtime

    root = gensite.generate(tmp_path / "site", 60)
    monkeypatch.setenv("DATELINE_JOBS", "1")
    alive = []
    check = pipeline.check_links

    def counting(*args, **kwargs):  # after the pages, before anything is written
        alive.append(sum(isinstance(o, jinja2.runtime.Context) for o in gc.get_objects()))
        return check(*args, **kwargs)

    monkeypatch.setattr(pipeline, "check_links", counting)
    gc.collect()
    with parallel.collector_off():
        pipeline.build(root, tmp_path / "out")
        assert not gc.isenabled()  # off again once the pages are drawn
    assert gc.isenabled() and gc.get_freeze_count() == 0  # nothing stays frozen after the build
    pages = sum(1 for p in (tmp_path / "out").rglob("*.html"))
    assert pages > 100 and alive and alive[0] < pages / 4


def test_a_build_keeps_big_blocks_out_of_the_heap():
    """glibc's threshold for big blocks is set once (which stops it rising), by mallopt where it exists."""
    calls = []

    class Libc:
        def mallopt(self, param, value):
            calls.append((param, value))
            return 1

    assert parallel.steady_heap(Libc()) is True
    assert calls == [(-3, 128 * 1024)]  # M_MMAP_THRESHOLD, glibc's first value
    assert parallel.steady_heap(object()) is False  # no mallopt (not glibc): nothing done, no error


def test_the_heap_is_left_alone_where_it_cannot_be_set(monkeypatch):
    import ctypes

    def refused(name):  # as on Windows, where CDLL(None) raises TypeError
        raise TypeError("argument of type 'NoneType' is not iterable")

    monkeypatch.setattr(ctypes, "CDLL", refused)
    assert parallel.steady_heap() is False
    monkeypatch.setattr(parallel.sys, "platform", "darwin")
    assert parallel.steady_heap() is False


def test_a_build_within_a_build_leaves_the_collector_to_the_outer_one():
    import gc

    assert gc.isenabled()
    with parallel.collector_off():
        with parallel.collector_off():
            assert not gc.isenabled()
        assert not gc.isenabled() and parallel._OFF == 1  # the inner one did not turn it back on
        with parallel._collecting_leftovers():
            assert gc.isenabled() and gc.get_freeze_count() > 0
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.isenabled() and parallel._OFF == 0


def test_the_texts_to_convert_first_are_listed_only_for_workers(tmp_path, monkeypatch):
    # texts_of lists every event's body and summary (200,000 at 100,000 events): a rebuild that
    # draws a few pages here, without workers, never asks for the list
    root = gensite.generate(tmp_path / "site", 30)
    listed = []
    real = markdown.texts_of
    monkeypatch.setattr(markdown, "texts_of", lambda timeline: listed.append(1) or real(timeline))
    monkeypatch.setenv("DATELINE_JOBS", "1")
    pipeline.build(root, tmp_path / "out")
    assert listed == []
    build(root, tmp_path / "out2", monkeypatch, first=True)  # two workers: listed, once
    assert listed == [1]


def test_the_heap_gives_back_its_free_pages_before_a_fork(monkeypatch, tmp_path):
    """malloc_trim where glibc has it; nothing elsewhere, and no error. `build.py build`'s store
    calls it before it forks a writer, and the link check before its workers."""
    calls = []

    class Libc:
        def malloc_trim(self, pad):
            calls.append(pad)
            return 1

    assert parallel.trim_heap(Libc()) is True and calls == [0]
    assert parallel.trim_heap(object()) is False
    monkeypatch.setattr(parallel.sys, "platform", "darwin")
    assert parallel.trim_heap() is False
    from dateline.build import store as stored
    monkeypatch.setattr(stored.threading, "active_count", lambda: 1)
    store = stored.Store(tmp_path / "cache")
    store.beside, store.before_fork = True, lambda: calls.append("trimmed")
    store.write_beside({"a": 1})
    store.settle()
    assert calls == [0, "trimmed"] and store.read("a") == 1


def test_the_build_command_trims_the_heap_before_it_forks_a_writer(monkeypatch, tmp_path):
    from conftest import copy_fixture_site
    from dateline import cli
    from dateline.build import cache
    from dateline.build import store
    root = copy_fixture_site(tmp_path / "site")
    monkeypatch.setattr(cache, "BESIDE", 1)  # the record of the outputs written beside
    # forked even if a thread reading the cache ahead has not ended yet (a loaded machine)
    monkeypatch.setattr(store.threading, "active_count", lambda: 1)
    trimmed = []
    monkeypatch.setattr(parallel, "trim_heap", lambda: trimmed.append(1))
    assert cli.main(["build", "--site", str(root), "--output", str(tmp_path / "out"), "--quiet"]) == 0
    assert trimmed


def test_chronologies_made_here_for_the_keys_are_let_go_while_the_workers_draw(tmp_path, monkeypatch):
    # A clean build notes every page's key here while the workers draw the pages: what it made
    # of their chronologies to do so (10 MB at 10,000 events) is let go, not held to the end.
    from dateline.build import cache
    from dateline.render import groups
    made_here, made = [], groups.Later.made
    pid = os.getpid()
    monkeypatch.setattr(groups.Later, "made", lambda self: (os.getpid() == pid and made_here.append(self)) or made(self))
    root = gensite.generate(tmp_path / "site", 60)
    monkeypatch.setenv("DATELINE_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_PAGES", 1)
    markdown.CONVERTER.memo.clear()
    store = cache.Store(root / cache.FOLDER)
    pipeline.build(root, tmp_path / "out", memo=cache.open_memo(store))
    assert len(made_here) > 60  # every term page's, year page's and the home page's, to key them
    assert all(later._value is None for later in made_here)
