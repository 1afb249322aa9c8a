#!/usr/bin/env python3
"""Print what the pages that list events weigh (not a test: it asserts nothing).

    .venv/bin/python bench/weight.py                       # the site in this folder (the sample)
    .venv/bin/python bench/weight.py --site /tmp/w10k      # e.g. bench/gensite.py's 10,000 events
    .venv/bin/python bench/weight.py --output output       # an output folder already built: no build
    .venv/bin/python bench/weight.py --brief               # the home page's line and the table only

Builds the site given by --site into a scratch folder (or reads --output), then prints, for the
home page, each year page (years/<year>/) and each term page (tags/, places/, actors/<slug>/):
the HTML's bytes, the bytes of the CSS and JavaScript it loads (its <link rel="stylesheet">
and <script src>), and their total, uncompressed, as a browser receives them without gzip;
then the count, mean and largest of each kind. Sizes in KB are bytes / 1000.
"""

from __future__ import annotations

import argparse
from html.parser import HTMLParser
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable
KINDS = ("home", "year", "tags", "places", "actors")


class _Assets(HTMLParser):
    """The stylesheets and scripts a page loads, with or without quotes (site.yaml's minify_html)."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet" and attrs.get("href"):
            self.found.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.found.append(attrs["src"])


def loaded(page: Path, html: str, output: Path) -> dict[str, int]:
    """Return the CSS and JavaScript files `page` loads, by path under `output`, with their sizes."""
    parser = _Assets()
    parser.feed(html)
    files = {}
    for href in parser.found:
        target = (page.parent / href).resolve()
        if target.is_file():
            files[target.relative_to(output.resolve()).as_posix()] = target.stat().st_size
    return files


def pages(output: Path) -> list[tuple[str, Path]]:
    """Return (kind, file) for the home page, the year pages and the term pages of a built site."""
    found = [("home", output / "index.html")]
    found += [("year", p) for p in sorted(output.glob("years/*/index.html"))]
    for kind in KINDS[2:]:
        found += [(kind, p) for p in sorted(output.glob(f"{kind}/*/index.html"))]
    return found


def kb(size: float) -> str:
    """Format a size in bytes as KB (1000 bytes) with one decimal."""
    return f"{size / 1000:.1f} KB"


def report(output: Path, each: bool) -> None:
    """Print the weight of each page that lists events, then each kind's count, mean and largest."""
    sizes: dict[str, list[tuple[int, int]]] = {kind: [] for kind in KINDS}
    shown_assets = False
    for kind, page in pages(output):
        html = page.read_text(encoding="utf-8")
        assets = loaded(page, html, output)
        size, extra = page.stat().st_size, sum(assets.values())
        sizes[kind].append((size, extra))
        if not shown_assets:
            for name, bytes_ in sorted(assets.items()):
                print(f"  {name}: {kb(bytes_)} ({bytes_} bytes)")
            shown_assets = True
        if each or kind == "home":
            where = page.parent.relative_to(output).as_posix() + "/" if page.parent != output else "index.html"
            print(f"{kind:7} {where:40} HTML {kb(size):>9}  CSS+JS {kb(extra):>8}  total {kb(size + extra):>9}")
    print()
    print("| pages | count | HTML, mean | HTML, largest | CSS+JS | total, mean |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, rows in sizes.items():
        if rows:
            html = [h for h, _ in rows]
            extra = statistics.mean(e for _, e in rows)
            print(f"| {kind} | {len(rows)} | {kb(statistics.mean(html))} | {kb(max(html))} | {kb(extra)} "
                  f"| {kb(statistics.mean(html) + extra)} |")


def main(argv: list[str] | None = None) -> int:
    """Build (unless --output is given) and print the weights."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO, help="the site's folder (default: this repository)")
    parser.add_argument("--output", type=Path, help="an output folder already built: read it, build nothing")
    parser.add_argument("--brief", action="store_true", help="a line for the home page only, then the table")
    args = parser.parse_args(argv)
    if args.output:
        report(args.output, not args.brief)
        return 0
    with tempfile.TemporaryDirectory(prefix="dateline-weight-") as scratch:
        output = Path(scratch) / "output"
        subprocess.run([PYTHON, str(REPO / "build.py"), "build", "--site", str(args.site), "--output", str(output)],
                       check=True, stdout=subprocess.DEVNULL)
        report(output, not args.brief)
    return 0


if __name__ == "__main__":
    sys.exit(main())
