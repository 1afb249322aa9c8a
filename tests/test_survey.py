"""The process forked as `build` starts (build/survey.py) lists what the build reads as the build
would itself, and a survey that fails or is not read leaves the build to look for itself."""

from __future__ import annotations

import os
import threading
import time

import pytest

from dateline import cli
from dateline.build import cache, survey, unchanged

from conftest import copy_fixture_site


@pytest.fixture(autouse=True)
def _settled(monkeypatch):
    """Files older than a second count as settled (conftest keeps every other test building)."""
    monkeypatch.setattr(unchanged, "RACY_NS", 1_000_000_000)


@pytest.fixture
def site(tmp_path):
    root = copy_fixture_site(tmp_path / "site")
    past = time.time() - 60
    for path in root.rglob("*"):
        os.utime(path, (past, past))
    return root


@pytest.fixture
def alone(monkeypatch):
    """Let `Survey.start` fork although the test runner keeps threads of its own."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


OPTIONS = ("/somewhere/output", None, False)


def test_the_survey_gives_what_the_build_would_find_itself(site, alone):
    stamp = cache.code_stamp()
    looking = survey.Survey.start(site, OPTIONS, stamp)
    assert looking is not None and looking.ready(5)
    found, now = looking.inputs(), unchanged.inputs(site, OPTIONS, stamp)
    assert found == unchanged.Fingerprint(now.digest, now.newest_ns, found.taken_ns, now.content)
    assert now.taken_ns - 5_000_000_000 < found.taken_ns <= now.taken_ns
    assert looking.pid == 0 and looking.inputs() is None  # reaped once read


def test_a_survey_that_fails_leaves_the_build_to_look_itself(site, alone, monkeypatch, run_cli, tmp_path):
    def fail(*args):
        raise OSError("no listing")
    real = unchanged.inputs
    monkeypatch.setattr(unchanged, "inputs", fail)  # in the forked process too: it sends nothing
    looking = survey.Survey.start(site, OPTIONS, cache.code_stamp())
    assert looking.ready(5) and looking.inputs() is None
    monkeypatch.setattr(unchanged, "inputs", real)
    assert run_cli("build", "--site", site, "--output", tmp_path / "out")[0] == 0

    monkeypatch.setattr(survey.Survey, "inputs", lambda self: None)  # as a failed survey answers
    code, _, err = run_cli("build", "--site", site, "--output", tmp_path / "out")
    assert code == 0 and "(nothing changed since the last build)" in err  # listed by the build itself


def test_a_survey_left_unread_is_stopped_and_reaped(site, alone):
    looking = survey.Survey.start(site, OPTIONS, cache.code_stamp())
    pid = looking.pid
    looking.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    assert looking.ready(0) and looking.inputs() is None


def test_no_survey_beside_other_threads(site, monkeypatch):
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert survey.Survey.start(site, OPTIONS, cache.code_stamp()) is None


def test_a_big_site_reads_its_caches_while_it_is_listed_unless_it_may_be_up_to_date(site, alone, monkeypatch,
                                                                                     run_cli, tmp_path):
    # A listing not ready at once (a big site): the caches are read meanwhile, unless the last
    # build left its record (nothing may have changed: the listing says). Else once it is ready.
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--output", out)[0] == 0
    started = []
    monkeypatch.setattr(cache, "read_ahead", lambda store: started.append(answer))
    monkeypatch.setattr(survey.Survey, "ready", lambda self: answer)
    for answer, recorded in ((True, True), (False, True), (True, False), (False, False)):
        if not recorded:
            (site / cache.FOLDER / f"{unchanged.NAME}.cache").unlink()
        code, _, err = run_cli("build", "--site", site, "--output", out)
        assert code == 0 and ("(nothing changed since the last build)" in err) == recorded
    assert started == [True, False, False]  # after the listing; before it; after it


def test_a_command_run_as_a_process_holds_what_a_build_made_to_its_end(site, monkeypatch, tmp_path):
    held = []
    monkeypatch.setattr(cli, "_ENDING", held)
    assert cli.main(["build", "--site", str(site), "--output", str(tmp_path / "out")]) == 0
    (result, memo), = held
    assert result.timeline is not None and memo is not None and result.held


def test_a_fork_refused_leaves_the_build_to_list_for_itself(site, alone, monkeypatch, run_cli, tmp_path):
    def refused():
        raise BlockingIOError(11, "Resource temporarily unavailable")
    monkeypatch.setattr(os, "fork", refused)
    assert survey.Survey.start(site, OPTIONS, cache.code_stamp()) is None
    assert run_cli("build", "--site", site, "--output", tmp_path / "out")[0] == 0
