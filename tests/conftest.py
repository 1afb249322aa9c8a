"""Shared test helpers: whole sites written inline as `-- path --` sections (as Hugo's tests do)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from dateline.cli import main

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
# An invented timeline for tests that need a whole site (tests/fixtures/README.md); never content/.
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"

MINIMAL_CONFIG = "title: Test timeline\nbase_url: /\n"


def write_tree(root: Path, spec: str) -> Path:
    """Write files given as '-- path --' sections; site.yaml defaults to a minimal config."""
    spec = textwrap.dedent(spec)
    current, lines, files = None, [], {}
    for line in spec.splitlines(keepends=True):
        if line.startswith("-- ") and line.rstrip().endswith(" --"):
            if current:
                files[current] = "".join(lines)
            current, lines = line.strip()[3:-3].strip(), []
        elif current:
            lines.append(line)
    if current:
        files[current] = "".join(lines)
    files.setdefault("site.yaml", MINIMAL_CONFIG)
    for rel_path, text in files.items():
        path = root / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` (a built site) by its path there, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


_INLINE = {"a", "abbr", "b", "bdi", "cite", "code", "data", "em", "i", "mark", "q", "s", "small", "span",
           "strong", "sub", "sup", "time", "u"}


def page_words(page: bytes) -> list[str]:
    """Return the words a reader sees on an HTML page, each block apart: a space lost between two
    inline tags (as an HTML minifier may lose it) joins two words."""
    from html.parser import HTMLParser

    class Words(HTMLParser):
        def __init__(self):
            super().__init__()
            self.chunks: list[str] = []

        def handle_starttag(self, tag, attrs=()):
            self.chunks.append("" if tag in _INLINE else " ")  # a block starts a line of its own

        handle_endtag = handle_starttag

        def handle_data(self, data):
            self.chunks.append(data)

    parser = Words()
    parser.feed(page.decode())
    return "".join(parser.chunks).split()


def copy_fixture_site(dest: Path) -> Path:
    """Copy the fixture timeline to `dest` (a build writes its cache there) and return it."""
    shutil.copytree(FIXTURE_SITE, dest, ignore=shutil.ignore_patterns("output", ".dateline-cache"))
    return dest


@pytest.fixture
def fixture_site(tmp_path) -> Path:
    """A scratch copy of tests/fixtures/site, the invented timeline the tool's tests build."""
    return copy_fixture_site(tmp_path / "fixture")


@pytest.fixture
def make_site(tmp_path):
    """Return a function that writes a site from a spec string and returns its folder."""
    def make(spec: str = "", name: str = "site") -> Path:
        return write_tree(tmp_path / name, spec)
    return make


@pytest.fixture
def run_cli(capsys):
    """Run build.py's main() and return (exit code, stdout, stderr)."""
    def run(*argv: str):
        code = main([str(a) for a in argv])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/*/expected from the current build")


_KEYS = pytest.StashKey[tuple]()


def pytest_configure(config):
    # The cache's key lives in $XDG_CACHE_HOME (cache.key_path): the tests keep theirs, made
    # afresh for each run, out of the home folder, which may not even be writable.
    import os
    import tempfile

    folder = tempfile.mkdtemp(prefix="dateline-test-keys-")
    config.stash[_KEYS] = (folder, os.environ.get("XDG_CACHE_HOME"))
    os.environ["XDG_CACHE_HOME"] = folder


def pytest_unconfigure(config):
    """Remove the run's key folder and put $XDG_CACHE_HOME back: a run leaves nothing behind."""
    import os
    import shutil

    folder, before = config.stash.get(_KEYS, (None, None))
    if folder is None:
        return
    shutil.rmtree(folder, ignore_errors=True)
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture(autouse=True)
def _no_progress(monkeypatch):
    """Keep progress lines out of the stderr that tests compare: a loaded machine can make a
    small build last the two seconds after which it would show them (tests/test_progress.py
    sets its own threshold)."""
    from dateline.build import progress

    monkeypatch.setattr(progress, "AFTER", float("inf"))


@pytest.fixture(autouse=True)
def _markdown_as_in_a_new_process():
    """Start each test with the Markdown memo of a new process: nothing converted, no cache
    attached. It is the process's (render/markdown.py's CONVERTER), so a test run after another
    in the same worker (pytest-xdist deals them out differently each run) would otherwise find
    that test's bodies, or read them from that test's cache."""
    from dateline.render import markdown

    markdown.CONVERTER.__init__()


@pytest.fixture(autouse=True)
def _every_build_works(monkeypatch):
    """Let no build end early as "up to date": a slow machine can take the two seconds after
    which a site's files count as settled (build/unchanged.py), and the tests that build twice
    count the second build's work. tests/test_unchanged.py lets it happen."""
    from dateline.build import unchanged

    monkeypatch.setattr(unchanged, "RACY_NS", float("inf"))
