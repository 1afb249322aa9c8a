#!/usr/bin/env python3
"""Build one corpus with Dateline and with Hugo, in turn; print a Markdown table (not a test).

    .venv/bin/python bench/versus_hugo.py                        # 1,000 events, 3 runs
    .venv/bin/python bench/versus_hugo.py --events 1000 10000 --runs 3 --keep /tmp/corpus

The corpus is bench/gensite.py's (deterministic). The same events are then written as a Hugo
site beside it: the same Markdown bodies, front matter with title, date, tags, places and
actors (Hugo taxonomies), and a minimal layout set (HUGO_LAYOUTS). For each figure the two
builds run in turn (Dateline, Hugo, Dateline, Hugo...), each in a fresh process, --runs times;
the table shows the medians of wall time, of CPU time (user + system, both cores) and of peak
memory, and Dateline's median over Hugo's:

- clean build: Dateline without .dateline-cache/ and output; Hugo without public/ and resources/;
- nothing changed: the same build again, in a new process;
- one entry edited: the last event's text changed (in both sites), then a build in a new process.

Wall time and peak memory (the largest single process, not a sum) come from /usr/bin/time (GNU)
when it is there, from the operating system's accounting of the finished child (os.wait4)
otherwise. Without `hugo` on PATH (or --hugo) only Dateline's figures are printed.

The work is comparable, not the same. Both make a home page listing events, a page per event,
a page per tag, place and actor, a list of each kind of term, and a feed. Hugo's side:

- citations such as `[@src-00012, para 1]` are left in the body as plain text (Markdown shows
  them as typed); the sources, their notes and the disputed accounts are not written;
- the home page (and Hugo's own `events/` section page) lists every event with its summary,
  even above 5,000 events, where Dateline's home lists the years and each year has its own page;
- Hugo's default outputs: an RSS feed for the home page, the section, each taxonomy and each
  term (limited to 50 items, as Dateline's feed is), a sitemap; no pagination;
- Hugo keeps nothing between builds here (no cache to reuse for content): every build is whole.

Dateline does more: numbered notes with each cited source, a bibliography page, the disputed
accounts, year pages, filter data on the home page, JSON-LD, exports (events.json,
timeline.json, events.csv, events.ics, CSL JSON), a link check of every page it draws, its
cache, and the swap of a whole new output tree (a killed build never leaves half a site).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import yaml

REPO = Path(__file__).resolve().parent.parent
# Dateline runs as an installed package does, its modules' compiled bytecode (.pyc) written once
# and read by every build after: a machine that sets PYTHONDONTWRITEBYTECODE=1 (this one does)
# otherwise compiles all of them again in every build, 0.2 s of a one-entry rebuild.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.path.insert(0, str(REPO / "bench"))
import bench  # noqa: E402 - machine(), age(), touch_entry() and the Python to run build.py with
import gensite  # noqa: E402

FEED_ITEMS = 50  # Dateline's feeds.FEED_ENTRIES

HUGO_CONFIG = f"""\
baseURL = "https://example.org/gen/"
languageCode = "en"
title = "{{title}}"
disableKinds = ["robotsTXT", "404"]

[taxonomies]
  tag = "tags"
  place = "places"
  actor = "actors"

[services.rss]
  limit = {FEED_ITEMS}
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    # The home page, the section, each taxonomy (its terms) and each term (its events).
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}
<p class="count">{{ len $pages }} pages</p>
{{ range $pages.GroupByDate "2006" "asc" }}
<section class="year">
  <h2>{{ .Key }}</h2>
  <ol class="timeline">
    {{ range .Pages.ByDate }}
    <li class="event">
      <p class="when"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ range .GetTerms "places" }} · <span class="place">{{ .LinkTitle }}</span>{{ end }}</p>
      <h4><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></h4>
      {{ if .IsPage }}<p class="summary">{{ .Summary }}</p>{{ end }}
    </li>
    {{ end }}
  </ol>
</section>
{{ end }}
{{ end }}
""",
    "_default/single.html": """\
{{ define "main" }}
<article class="event-page">
  <header>
    <p class="when"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
    <h1>{{ .Title }}</h1>
    {{ range .GetTerms "places" }}<p class="place">Place: <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></p>{{ end }}
  </header>
  <div class="body">{{ .Content }}</div>
  <footer class="terms">
    {{ range $kind := slice "tags" "actors" }}{{ with $.GetTerms $kind }}
    <p>{{ $kind }}: {{ range $i, $t := . }}{{ if $i }}, {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</p>
    {{ end }}{{ end }}
  </footer>
</article>
<nav class="prev-next">
  {{ with .PrevInSection }}<a href="{{ .RelPermalink }}" rel="prev">{{ .LinkTitle }}</a>{{ end }}
  {{ with .NextInSection }}<a href="{{ .RelPermalink }}" rel="next">{{ .LinkTitle }}</a>{{ end }}
</nav>
{{ end }}
""",
}



def ratio(d: float, h: float) -> str:
    """Dateline's figure over Hugo's, to one decimal, or two significant digits below 0.1."""
    r = d / h
    return f"{r:.1f}" if r >= 0.1 else f"{r:.2g}"

def split_entry(text: str) -> tuple[dict, str]:
    """Return a Dateline entry's front matter and Markdown body."""
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def hugo_entry(text: str) -> str:
    """Return the Hugo version of a Dateline entry: the same title, date, terms and body."""
    meta, body = split_entry(text)
    front = {"title": meta["title"], "date": str(meta["date"]), "tags": meta.get("tags") or [],
             "places": [meta["place"]] if meta.get("place") else [], "actors": meta.get("actors") or []}
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n" + body


def write_hugo_site(dateline_root: Path, hugo_root: Path) -> Path:
    """Write the events of the Dateline site `dateline_root` as a Hugo site under `hugo_root`."""
    hugo_root = Path(hugo_root)
    title = yaml.safe_load((dateline_root / "site.yaml").read_text(encoding="utf-8"))["title"]
    (hugo_root / "content" / "events").mkdir(parents=True, exist_ok=True)
    (hugo_root / "config.toml").write_text(HUGO_CONFIG.replace("{title}", title), encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (hugo_root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (hugo_root / "layouts" / name).write_text(text, encoding="utf-8")
    for entry in sorted((dateline_root / "content" / "events").glob("*.md")):
        (hugo_root / "content" / "events" / entry.name).write_text(
            hugo_entry(entry.read_text(encoding="utf-8")), encoding="utf-8")
    return hugo_root


class Run(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + system seconds, every process the command waited for
    peak: int  # MB, the largest single process


def gnu_time() -> str | None:
    """Return the path of a GNU `time` that takes -f, or None."""
    if bench.TIME and subprocess.run([bench.TIME, "-f", "%e", "true"], capture_output=True).returncode == 0:
        return bench.TIME
    return None


def timed(cmd: list[str], time_cmd: str | None) -> Run:
    """Run `cmd` once in a new process; return its wall time, CPU time and peak memory."""
    with tempfile.NamedTemporaryFile("r") as stats:
        if time_cmd:
            cmd = [time_cmd, "-o", stats.name, "-f", "%e %U %S %M", *cmd]
        started = time.perf_counter()
        child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
        stderr = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr[-3000:]}")
        if time_cmd:
            _, user, system, rss = stats.read().split()[-4:]
            return Run(wall, float(user) + float(system), int(rss) // 1024)
    # Linux counts ru_maxrss in KB, macOS in bytes.
    rss = usage.ru_maxrss // (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(wall, usage.ru_utime + usage.ru_stime, rss)


class Sites(NamedTuple):
    dateline: Path
    hugo: Path | None


def dateline_cmd(site: Path) -> list[str]:
    return [bench.PYTHON, str(REPO / "build.py"), "build", "--site", str(site), "--output", str(_out(site))]


def hugo_cmd(hugo: str, site: Path) -> list[str]:
    return [hugo, "-s", str(site), "-d", str(_out(site)), "--quiet"]


def _out(site: Path) -> Path:
    return site.parent / (site.name + "-output")


def clean(site: Path, *cache: str) -> None:
    """Remove a site's output and its caches."""
    shutil.rmtree(_out(site), ignore_errors=True)
    for name in cache:
        shutil.rmtree(site / name, ignore_errors=True)


def measure(sites: Sites, hugo: str | None, runs: int, time_cmd: str | None) -> dict[str, dict[str, list[Run]]]:
    """Return {figure: {"dateline": runs, "hugo": runs}}, the two tools run in turn."""
    entry = sorted((sites.dateline / "content" / "events").glob("*.md"))[-1].name
    steps = {
        "clean build": lambda tool, site: clean(site, ".dateline-cache") if tool == "dateline"
        else clean(site, "resources"),
        "nothing changed (new process)": lambda tool, site: None,
        "one entry edited (new process)": lambda tool, site: bench.touch_entry(site / "content" / "events" / entry, 0),
    }
    tools = [("dateline", sites.dateline, dateline_cmd(sites.dateline))]
    if hugo and sites.hugo:
        tools.append(("hugo", sites.hugo, hugo_cmd(hugo, sites.hugo)))
    figures = {}
    for figure, prepare in steps.items():
        figures[figure] = {name: [] for name, _, _ in tools}
        for _ in range(runs):
            for name, site, cmd in tools:
                prepare(name, site)
                figures[figure][name].append(timed(cmd, time_cmd))
                print(f"  {figure}, {name}: {figures[figure][name][-1].wall:.2f} s", file=sys.stderr, flush=True)
    return figures


def file_count(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def table(figures: dict, with_hugo: bool) -> list[str]:
    """Return the Markdown table of medians (and Dateline's over Hugo's)."""
    def med(runs: list[Run], field: str) -> float:
        return statistics.median(getattr(r, field) for r in runs)

    def row(label: str, field: str, unit: str, fmt: str, key: str) -> str:
        d = med(figures[key]["dateline"], field)
        if not with_hugo:
            return f"| {label} | {d:{fmt}} {unit} |"
        h = med(figures[key]["hugo"], field)
        return f"| {label} | {h:{fmt}} {unit} | {d:{fmt}} {unit} | {ratio(d, h)}x |"

    lines = (["| figure | Hugo | Dateline | Dateline / Hugo |", "|---|---:|---:|---:|"] if with_hugo
             else ["| figure | Dateline |", "|---|---:|"])
    for key in figures:
        lines.append(row(key, "wall", "s", ".2f", key))
    for key in figures:  # steadier than wall time when other jobs share the machine
        lines.append(row(f"CPU time, {key.split(' (')[0]}", "cpu", "s", ".1f", key))
    lines.append(row("peak memory, clean build", "peak", "MB", ",.0f", "clean build"))
    return lines


def hugo_version(hugo: str) -> str:
    return subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split(" BuildDate")[0].strip()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, nargs="+", default=[1000], help="sizes of the corpus (default 1000)")
    p.add_argument("--runs", type=int, default=3, help="runs of each build for each figure (median shown)")
    p.add_argument("--keep", type=Path, default=None, help="write the corpus and outputs here and keep them")
    p.add_argument("--hugo", default=shutil.which("hugo"), help="the hugo to run (default: hugo on PATH)")
    args = p.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="dateline-vs-hugo-"))
    work.mkdir(parents=True, exist_ok=True)
    time_cmd = gnu_time()
    print(f"Machine: {bench.machine()}")
    print(f"Dateline: {_commit()}; Hugo: {hugo_version(args.hugo) if args.hugo else 'not found (Dateline alone)'}")
    print(f"Timed with: {time_cmd or 'os.wait4'}; medians of {args.runs} run(s), Dateline and Hugo in turn\n",
          flush=True)
    try:
        for n in args.events:
            site = work / f"gen-{n}"
            clean(site, ".dateline-cache")
            shutil.rmtree(site, ignore_errors=True)
            gensite.generate(site, n)
            hugo_site = None
            if args.hugo:
                hugo_site = work / f"gen-{n}-hugo"
                clean(hugo_site)
                shutil.rmtree(hugo_site, ignore_errors=True)
                write_hugo_site(site, hugo_site)
            for root in (site, hugo_site):
                if root:
                    bench.age(root)
            figures = measure(Sites(site, hugo_site), args.hugo, args.runs, time_cmd)
            sources = file_count(site / "content" / "sources")
            files = f"Dateline wrote {file_count(_out(site)):,} files"
            if hugo_site:
                files += f", Hugo {file_count(_out(hugo_site)):,}"
            print(f"{n:,} events, {sources:,} sources ({files}):\n")
            print("\n".join(table(figures, bool(args.hugo))) + "\n", flush=True)
        print(f"After: load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _commit() -> str:
    done = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return f"commit {done.stdout.strip()}" if done.returncode == 0 else f"{REPO}"


if __name__ == "__main__":
    sys.exit(main())
