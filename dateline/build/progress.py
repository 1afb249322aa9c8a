"""How far a long build has got, on stderr: one line redrawn on a terminal, plain lines elsewhere.

The pipeline never prints: it calls `progress(stage, done, total)` as it goes (a stage's first
call says it started), and the command line passes a `Progress` that decides what to show. A
build that ends within `AFTER` seconds shows nothing; a longer one shows, on a terminal, one
line redrawn at most every `REDRAW` seconds (stage, count, rate, time left), and, when stderr is
a file or a pipe (a CI log), a line when a stage starts and at most every `EVERY` seconds within
one. No thread: the display moves only when the pipeline calls, so nothing runs while workers
are forked.
"""

from __future__ import annotations

import shutil
import sys
import time

AFTER = 2.0    # seconds: a build this short shows no progress
REDRAW = 0.1   # seconds between two drawings of a terminal's line
EVERY = 5.0    # seconds between two plain lines within one stage


def quiet(stage: str, done: int = 0, total: int = 0) -> None:
    """Show nothing: the pipeline's default."""


def duration(seconds: float) -> str:
    """Return '8 s', '2 min 05 s' or '1 h 02 min'."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Progress:
    """The progress display of one build, on `stream` (stderr by default)."""

    def __init__(self, stream=None, tty: bool | None = None, clock=time.monotonic, enabled: bool = True):
        self.enabled = enabled  # False: --quiet, nothing is ever shown
        self.stream = stream if stream is not None else sys.stderr
        self.tty = _isatty(self.stream) if tty is None else tty
        self.clock = clock
        self.started = clock()
        self.stage, self.stage_started, self.done, self.total = "", self.started, 0, 0
        self.began: dict[str, float] = {}   # when each stage was first heard of (the rate counts from it)
        self.shown_at: float | None = None  # when the display last changed
        self.shown_stage = ""               # the stage it last showed
        self.on_screen = False              # a terminal's line is there to clear

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        """Note where the build is; show it when it is time to."""
        if not self.enabled:
            return
        now = self.clock()
        if stage != self.stage:  # a stage may come back (the pages, after the exports made meanwhile)
            self.stage, self.stage_started = stage, self.began.setdefault(stage, now)
        self.done, self.total = done, total
        if now - self.started < AFTER:
            return
        new = stage != self.shown_stage
        if new or self.shown_at is None or now - self.shown_at >= (REDRAW if self.tty else EVERY):
            self.show(now)

    def text(self, now: float) -> str:
        """Return what the display says now: 'rendering pages: 4,210/10,352, 812/s, 8 s left'."""
        done, total = self.done, self.total
        parts = [f"{done:,}/{total:,}" if total else f"{done:,}" if done else ""]
        elapsed = now - self.stage_started
        if done and elapsed >= 0.5:
            rate = done / elapsed
            parts.append(f"{rate:,.0f}/s")
            if total > done:
                parts.append(f"{duration((total - done) / rate)} left")
        detail = ", ".join(p for p in parts if p)
        return f"{self.stage}: {detail}" if detail else self.stage

    def show(self, now: float) -> None:
        self.shown_at, self.shown_stage = now, self.stage
        text = self.text(now)
        try:
            if self.tty:  # one line, cut to the terminal's width so that \r goes back to its start
                width = shutil.get_terminal_size((80, 24)).columns - 1
                self.stream.write("\r\x1b[K" + text[:max(width, 10)])
                self.on_screen = True
            else:
                self.stream.write(text + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken stderr must not fail the build
            pass

    def close(self) -> None:
        """Clear a terminal's line, so that what is printed next starts on a clean line."""
        if self.on_screen:
            self.on_screen = False
            try:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
            except (OSError, ValueError):
                pass


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
