"""A long build shows how far it has got: one line redrawn on a terminal, plain lines elsewhere."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys

import pytest

from dateline import pipeline
from dateline.build import progress
from dateline.build.progress import Progress, duration
from dateline.cli import main

REPO = __import__("pathlib").Path(__file__).resolve().parent.parent

SITE = """
-- content/sources/s.yaml --
title: A report
publisher: Agency
url: https://example.org/r
-- content/events/a.md --
---
title: First
date: 2001-02-03
tags: [x]
sources: [s]
---
Text [@s].
-- content/events/b.md --
---
title: Second
date: 2002-02-03
tags: [x, y]
sources: [s]
---
More text [@s].
"""


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_a_short_build_shows_nothing():
    out, clock = io.StringIO(), Clock()
    show = Progress(out, tty=True, clock=clock)
    for i in range(100):
        clock.now += 0.01
        show("rendering pages", i, 100)
    show.close()
    assert out.getvalue() == ""


def test_a_terminal_gets_one_line_redrawn_with_count_rate_and_time_left(monkeypatch):
    monkeypatch.setattr(progress, "AFTER", 2.0)
    out, clock = io.StringIO(), Clock()
    show = Progress(out, tty=True, clock=clock)
    show("reading")
    clock.now = start = 102.5
    show("rendering pages", 0, 1000)
    for i in range(1, 401):
        clock.now = start + i / 100  # 100 pages a second, a call every 10 ms
        show("rendering pages", i, 1000)
    text = out.getvalue()
    draws = text.split("\r\x1b[K")[1:]
    assert "\n" not in text
    assert draws[0] == "rendering pages: 0/1,000"
    assert re.fullmatch(r"rendering pages: 39\d/1,000, 100/s, 6 s left", draws[-1])
    assert 30 <= len(draws) <= 45  # at most every REDRAW (0.1 s) over 4 s, not 400 times
    show.close()
    assert out.getvalue().endswith("\r\x1b[K")  # cleared: what follows starts on a clean line


def test_the_line_fits_the_terminal(monkeypatch):
    monkeypatch.setattr(progress, "AFTER", 0.0)
    monkeypatch.setattr(progress.shutil, "get_terminal_size", lambda fallback: os.terminal_size((20, 5)))
    out = io.StringIO()
    Progress(out, tty=True, clock=Clock())("comparing with the last build", 5000, 100000)
    assert out.getvalue() == "\r\x1b[K" + "comparing with the last build"[:19]


def test_elsewhere_plain_lines_one_per_stage_and_at_most_every_few_seconds(monkeypatch):
    monkeypatch.setattr(progress, "AFTER", 2.0)
    out, clock = io.StringIO(), Clock()
    show = Progress(out, tty=False, clock=clock)
    show("reading", 0)
    show("rendering pages", 0, 3000)
    for i in range(1, 3001):
        clock.now = 100 + i / 100  # 30 s of rendering, 100 pages a second
        show("rendering pages", i, 3000)
    show("checking links")
    show("writing")
    show.close()
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()
    assert lines[0] == "rendering pages: 200/3,000, 100/s, 28 s left"  # the first past 2 s
    assert lines[1] == "rendering pages: 700/3,000, 100/s, 23 s left"  # 5 s later
    assert len(lines) == 1 + 5 + 2  # then one every 5 s within the stage, then one a stage
    assert lines[-2:] == ["checking links", "writing"]


def test_a_stage_that_comes_back_keeps_its_rate(monkeypatch):
    """The pages render in the workers while this process makes the exports: their rate counts from the start."""
    monkeypatch.setattr(progress, "AFTER", 0.0)
    out, clock = io.StringIO(), Clock()
    show = Progress(out, tty=False, clock=clock)
    show("rendering pages", 0, 1000)
    clock.now += 4
    show("making exports")
    clock.now += 1
    show("rendering pages", 500, 1000)
    assert out.getvalue().splitlines()[-1] == "rendering pages: 500/1,000, 100/s, 5 s left"


def test_durations_read_as_time():
    assert [duration(s) for s in (0.4, 8, 59.6, 125, 7380)] == ["0 s", "8 s", "1 min 00 s", "2 min 05 s",
                                                                 "2 h 03 min"]


def test_the_pipeline_says_each_stage_and_counts_the_pages(make_site, monkeypatch):
    from dateline.build import parallel

    monkeypatch.setattr(parallel, "MIN_PAGES", 1)  # workers too: their pages are counted as they come back
    site, heard = make_site(SITE), []
    pipeline.build(site, progress=lambda stage, done=0, total=0: heard.append((stage, done, total)))
    stages = list(dict.fromkeys(stage for stage, _, _ in heard))
    assert stages == ["reading", "checking", "rendering pages", "making exports", "checking links", "writing"]
    pages = [(done, total) for stage, done, total in heard if stage == "rendering pages"]
    assert pages[-1][0] == pages[-1][1] > 0 and pages[0][0] == 0
    assert ("checking", 1, 2) in heard


def test_check_reads_and_checks_only(make_site):
    site, heard = make_site(SITE), []
    pipeline.check(site, progress=lambda stage, done=0, total=0: heard.append(stage))
    assert list(dict.fromkeys(heard)) == ["reading", "checking"]


@pytest.mark.parametrize("command", ["build", "check"])
def test_plain_lines_on_a_pipe_and_none_with_quiet(make_site, capsys, monkeypatch, command):
    monkeypatch.setattr(progress, "AFTER", 0.0)
    site = make_site(SITE)
    assert main([command, "--site", str(site)]) == 0
    err = capsys.readouterr().err
    assert "reading" in err.splitlines() and "\r" not in err
    assert main([command, "--site", str(site), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert not [line for line in err.splitlines() if line.startswith(("reading", "checking", "rendering"))]


def test_a_terminal_sees_its_line_redrawn_then_cleared(make_site):
    """stderr a real terminal (a pty): the line is drawn with carriage returns and cleared at the end."""
    site = make_site(SITE)
    script = ("import sys; from dateline.build import progress; progress.AFTER = 0; "
              "from dateline.cli import main; sys.exit(main(sys.argv[1:]))")
    master, slave = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-c", script, "build", "--site", str(site)], cwd=REPO,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, timeout=120)
        os.close(slave)
        seen = b""
        while select.select([master], [], [], 1)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other end is closed: all was read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert done.returncode == 0
    text = seen.decode()
    assert "\r\x1b[Kreading" in text and "\r\x1b[Krendering pages: " in text
    assert "\r\x1b[Kbuilt 2 events" in text  # the last drawing cleared before the summary
