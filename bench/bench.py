#!/usr/bin/env python3
"""Benchmark builds and the live preview; print a Markdown table (not a test: it asserts nothing).

    .venv/bin/python bench/bench.py                       # the sample site and 1,000 events
    .venv/bin/python bench/bench.py --events 1000 100000 --runs 3

For each site, every figure is the median of --runs runs of `build.py` in a fresh process
(interpreter start included), timed with /usr/bin/time when present:

- clean build: no .dateline-cache/, no output/: everything is parsed, converted and rendered;
- full render: no output/, a warm cache: every page rendered, but no file parsed again and
  no Markdown converted again (what a template change costs);
- no-op rebuild: nothing changed since the last build;
- one-entry rebuild: one event's text changed since the last build;
- save to reload: with `build.py serve` running, the time from writing an entry to the
  server answering with the rebuilt page (polled every 5 ms).

Generated sites come from bench/gensite.py (deterministic). Their files are dated a minute
back, as files saved earlier are (a file saved within 2 s is always parsed again).

With `--against PATH` (another checkout of Dateline, e.g. `git worktree add /tmp/main main`),
that checkout's build.py is timed too, on its own copy of each site, in turn with this one
(this, other, this, other...), so that both see the same load on a shared machine; a last
line gives, for each figure, the median of the ratios of the runs timed side by side (this
wall time / the other's), which a machine whose speed drifts between runs moves far less than
it moves the medians.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Dateline runs as an installed package does, its modules' compiled bytecode (.pyc) written once
# and read by every build after: a machine that sets PYTHONDONTWRITEBYTECODE=1 (this one does)
# otherwise compiles all of them again in every build, 0.2 s of a one-entry rebuild.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.path.insert(0, str(REPO / "bench"))
import gensite  # noqa: E402

PYTHON = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable
TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def machine() -> str:
    """Describe the machine the figures come from."""
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; load average {load}")


def run_build(root: Path, output: Path, *extra: str, repo: Path = REPO) -> tuple[float, float, int]:
    """Run `build.py build` of `repo` once; return (wall seconds, CPU seconds, peak memory in MB)."""
    cmd = [PYTHON, str(repo / "build.py"), "build", "--site", str(root), "--output", str(output), *extra]
    with tempfile.NamedTemporaryFile("r") as stats:
        if TIME:
            cmd = [TIME, "-o", stats.name, "-f", "%e %U %S %M", *cmd]
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
        if TIME:
            _, user, system, rss = stats.read().split()[-4:]
            return wall, float(user) + float(system), int(rss) // 1024
    return wall, float("nan"), 0


def median(runs: list[tuple]) -> tuple:
    """Return the run with the median wall time."""
    return sorted(runs)[len(runs) // 2]


def touch_entry(entry: Path, n: int) -> str:
    """Change one entry's text; return a word that is now on its page."""
    token = f"benchmarkword{n}x{time.monotonic_ns()}"
    text = entry.read_text(encoding="utf-8").rstrip("\n")
    entry.write_text(text + f" {token}.\n", encoding="utf-8")
    return token


def measure(sites: list[tuple[Path, Path]], runs: int, serve: bool) -> list[dict]:
    """Return the figures for each (checkout, its copy of the site), the checkouts timed in turn."""
    out = [{} for _ in sites]
    outputs = [root.parent / (root.name + "-output") for _, root in sites]
    entries = [sorted((root / "content" / "events").glob("*.md"))[-1] for _, root in sites]

    def each(figure: str, prepare) -> None:
        found: list[list] = [[] for _ in sites]
        for i in range(runs):
            for k, ((repo, root), output) in enumerate(zip(sites, outputs)):
                prepare(k, i)
                found[k].append(run_build(root, output, repo=repo))
        for k in range(len(sites)):
            out[k][figure] = median(found[k])
        if len(sites) == 2:  # run i of this checkout beside run i of the other: the ratio of each pair
            out[0].setdefault("pairs", {})[figure] = [a[0] / b[0] for a, b in zip(*found)]

    def clean(k: int, i: int) -> None:
        shutil.rmtree(sites[k][1] / ".dateline-cache", ignore_errors=True)
        shutil.rmtree(outputs[k], ignore_errors=True)

    each("clean build", clean)
    each("full render", lambda k, i: shutil.rmtree(outputs[k], ignore_errors=True))
    each("no-op rebuild", lambda k, i: None)
    each("one-entry rebuild", lambda k, i: touch_entry(entries[k], i))
    for k, ((repo, root), output) in enumerate(zip(sites, outputs)):
        out[k]["files"] = sum(1 for p in output.rglob("*") if p.is_file())
        if serve:
            out[k]["save to reload"] = serve_latency(root, entries[k], runs, repo)
    return out


def serve_latency(root: Path, entry: Path, runs: int, repo: Path = REPO) -> tuple[float, float]:
    """Return (median, worst) seconds from saving an entry to the server answering with it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([PYTHON, str(repo / "build.py"), "serve", "--site", str(root), "--port", str(port),
                               "--base-url", "/"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        slug = _slug_of(root, entry)
        url = f"http://127.0.0.1:{port}/events/{slug}/"
        _wait(url, lambda body: True, 3600)
        times = []
        for i in range(runs + 1):
            token = touch_entry(entry, 100 + i)
            started = time.perf_counter()
            _wait(url, lambda body: token in body, 600)
            if i:  # the first save after start-up also warms the server's caches
                times.append(time.perf_counter() - started)
        return statistics.median(times), max(times)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _slug_of(root: Path, entry: Path) -> str:
    sys.path.insert(0, str(REPO))
    from dateline import pipeline as site
    timeline = site.check(root, drafts=True).timeline
    return next(e.slug for e in timeline.events if e.path == entry.relative_to(root).as_posix())


def _wait(url: str, check, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if response.status == 200 and check(response.read().decode()):
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.005)
    raise SystemExit(f"{url} did not answer as expected within {seconds} s")


def age(root: Path) -> None:
    """Date the site's files a minute back."""
    past = time.time() - 60
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, nargs="*", default=[1000], help="sizes of generated sites")
    p.add_argument("--no-sample", action="store_true", help="leave out the sample site")
    p.add_argument("--runs", type=int, default=3, help="runs of each measure (median shown)")
    p.add_argument("--no-serve", action="store_true", help="skip the live preview's latency")
    p.add_argument("--workdir", type=Path, default=None, help="where to put the sites (default: a temp dir)")
    p.add_argument("--against", type=Path, default=None,
                   help="another checkout of Dateline to time in turn with this one (its build.py)")
    args = p.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="dateline-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"Machine: {machine()}\n", flush=True)
    repos = [REPO] + ([args.against.resolve()] if args.against else [])
    sites = []
    if not args.no_sample:
        sample = work / "sample"
        shutil.rmtree(sample, ignore_errors=True)
        sample.mkdir()
        shutil.copytree(REPO / "content", sample / "content")
        shutil.copy(REPO / "site.yaml", sample)
        sites.append(("sample", 20, sample))
    for n in args.events:
        root = work / f"gen-{n}"
        if not (root / "site.yaml").exists():
            gensite.generate(root, n)
        sites.append((f"generated", n, root))
    label = "| checkout " if args.against else ""
    print(f"| site | events {label}| files | clean build | full render (warm cache) | no-op rebuild | "
          "one-entry rebuild | save to reload (serve) |")
    print("|---|---:" + ("|---" if args.against else "") + "|---:|---:|---:|---:|---:|---:|")
    for name, n, root in sites:
        copies = [(repo, root if k == 0 else _copy(root, f"{root.name}-against")) for k, repo in enumerate(repos)]
        for _, copy in copies:
            age(copy)
        figures = measure(copies, args.runs, not args.no_serve)
        for repo, f in zip(repos, figures):
            def cell(key):
                wall, cpu, rss = f[key]
                memory = f", {rss} MB" if key == "clean build" else ""
                return f"{wall:.2f} s (CPU {cpu:.1f} s{memory})"
            serve = (f"{f['save to reload'][0]:.2f} s (worst {f['save to reload'][1]:.2f} s)"
                     if "save to reload" in f else "-")
            which = f"| {_describe(repo)} " if args.against else ""
            print(f"| {name} | {n:,} {which}| {f['files']:,} | {cell('clean build')} | {cell('full render')} | "
                  f"{cell('no-op rebuild')} | {cell('one-entry rebuild')} | {serve} |", flush=True)
        if "pairs" in figures[0]:
            ratios = {figure: statistics.median(r) for figure, r in figures[0]["pairs"].items()}
            print(f"| {name} | {n:,} | this / other, paired | | " + " | ".join(f"{ratios[k]:.2f}x" for k in ratios)
                  + " | |", flush=True)
    print(f"\nAfter: load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _copy(root: Path, name: str) -> Path:
    """Return a fresh copy of a site beside it (its cache and output left behind)."""
    copy = root.parent / name
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".dateline-cache"))
    return copy


def _describe(repo: Path) -> str:
    """Name a checkout by its commit (its path when it is not a git checkout)."""
    done = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else str(repo)


if __name__ == "__main__":
    main()
