"""Markdown converted ahead while the build reads the content (build/ahead.py): the same keys as
the build's, the same site, and a build that does without it when it dies or is not worth it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from dateline import pipeline
from dateline.build import ahead, cache
from dateline.render.markdown import CONVERTER, texts_of

from conftest import snapshot


class _Pipe:
    """The build's end of the pipe as the process sees it: never asked to stop until it is done."""

    def __init__(self):
        self.sent = None

    def poll(self, timeout=0):
        return False

    def recv(self):
        return True

    def send(self, obj):
        self.sent = obj

    def close(self):
        pass


@pytest.fixture
def ahead_everywhere(monkeypatch):
    """Convert ahead even for a few entries, and even under a test runner that has threads."""
    monkeypatch.setattr(ahead, "AHEAD_FILES", 1)
    monkeypatch.setattr(ahead.threading, "active_count", lambda: 1)


def test_what_it_converts_is_keyed_as_the_build_asks_for_it(fixture_site):
    pipe = _Pipe()
    ahead._convert_ahead(fixture_site, pipe, _Pipe())
    timeline = pipeline.check(fixture_site, drafts=True).timeline  # drafts too: it reads every entry
    wanted = {CONVERTER.key(*args): args for args in texts_of(timeline)}
    assert pipe.sent and set(pipe.sent) == set(wanted)  # every body and summary, nothing else
    for key, args in wanted.items():
        assert pipe.sent[key] == CONVERTER.convert({key: args})[key]


def test_it_stops_when_the_build_has_checked_the_content(fixture_site):
    class Stop(_Pipe):
        def poll(self, timeout=0):
            return True
    pipe = Stop()
    ahead._convert_ahead(fixture_site, pipe, _Pipe())
    assert pipe.sent == {}


def test_a_build_with_it_writes_the_same_site(fixture_site, tmp_path, ahead_everywhere, monkeypatch):
    taken = []
    real = ahead.Ahead.take
    monkeypatch.setattr(ahead.Ahead, "take", lambda self: taken.append(real(self)) or taken[-1])
    pipeline.build(fixture_site, tmp_path / "with", write=True)
    assert len(taken) == 1
    monkeypatch.setattr(ahead, "AHEAD_FILES", 10**9)
    CONVERTER.__init__()
    pipeline.build(fixture_site, tmp_path / "without", write=True)
    assert len(taken) == 1 and snapshot(tmp_path / "with") == snapshot(tmp_path / "without")


def test_a_build_does_without_it_when_it_dies(fixture_site, tmp_path, ahead_everywhere, monkeypatch):
    monkeypatch.setattr(ahead, "_convert_ahead", lambda root, pipe, builds: os._exit(1))
    early = ahead.ahead(fixture_site)
    assert early is not None and early.take() == 0
    pipeline.build(fixture_site, tmp_path / "out", write=True)
    assert (tmp_path / "out" / "index.html").exists()


def test_not_for_a_check_nor_a_site_whose_entries_are_in_the_cache(fixture_site, tmp_path, ahead_everywhere,
                                                                    monkeypatch):
    started = []
    real = ahead.ahead
    monkeypatch.setattr(ahead, "ahead", lambda root: started.append(real(root)) or started[-1])
    pipeline.check(fixture_site)
    assert started == []  # nothing to draw
    store = cache.Store(fixture_site / cache.FOLDER)
    memo = cache.open_memo(store)
    pipeline.build(fixture_site, tmp_path / "out", write=True, memo=memo)
    cache.save_memo(store, memo)
    assert len(started) == 1 and started[0] is not None  # nothing in the cache yet
    with ahead.meanwhile(fixture_site, cache.open_memo(store)):
        assert started[-1] is not None and not started[-1]._process.is_alive()  # the entries are: stopped


def test_not_for_a_few_entries_nor_beside_another_thread(fixture_site, monkeypatch):
    assert ahead.ahead(fixture_site) is None  # the fixture's few entries
    monkeypatch.setattr(ahead, "AHEAD_FILES", 1)
    other = threading.Thread(target=threading.Event().wait, args=(5,), daemon=True)
    other.start()
    assert ahead.ahead(fixture_site) is None


def test_it_ends_when_the_build_is_gone_even_killed(fixture_site, ahead_everywhere):
    early = ahead.ahead(fixture_site)
    early._pipe.close()  # as a killed build's end closes: no word to stop
    early._process.join(10)
    assert not early._process.is_alive()


def test_it_is_stopped_when_reading_the_content_fails(fixture_site, tmp_path, ahead_everywhere, monkeypatch):
    started = []
    real = ahead.ahead
    monkeypatch.setattr(ahead, "ahead", lambda root: started.append(real(root)) or started[-1])

    def fails(*args, **kwargs):
        raise RuntimeError("a bug while checking")
    monkeypatch.setattr(pipeline, "validate", fails)
    with pytest.raises(RuntimeError):
        pipeline.build(fixture_site, tmp_path / "out", write=True)
    assert started and not started[0]._process.is_alive()
