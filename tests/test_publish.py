"""Publishing on GitHub Pages: the workflow, a fork's own address, CNAME, and 404.html at any depth."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from conftest import snapshot
from dateline.render.links import check_links

REPO = Path(__file__).resolve().parent.parent
FORK = "https://someone.github.io/fork-name/"

SMALL = """
-- content/sources/bbc.yaml --
title: A report
publisher: BBC News
published: "2019-10-13"
-- content/events/one.md --
---
title: One event
date: 2019-10-13
place: Ain Issa
tags: [camps]
sources: [bbc]
---
Body [@bbc].
"""


class _Links(HTMLParser):
    """Collect every href and src of a page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links.extend(value for name, value in attrs if name in ("href", "src") and value is not None)


def links_of(page: bytes) -> list[str]:
    """Return the href and src values of an HTML page, as a browser reads them."""
    parser = _Links()
    parser.feed(page.decode("utf-8"))
    return parser.links


def served(output: Path, base_path: str, url_path: str) -> Path | None:
    """Return the file GitHub Pages serves for `url_path` from a site published at `base_path`."""
    if not url_path.startswith(base_path):
        return None
    rel = url_path[len(base_path):]
    target = output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
    return target if target.is_file() else None


def test_the_workflow_builds_with_make_site_and_deploys_with_the_official_actions():
    flow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"
    assert flow["concurrency"]["group"]
    build = flow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in build]
    assert uses.index("actions/configure-pages") < next(i for i, s in enumerate(build) if s.get("run") == "make site")
    make = next(s for s in build if s.get("run") == "make site")
    assert make["env"]["DATELINE_BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert next(s for s in build if s.get("id") == "pages")["uses"].startswith("actions/configure-pages@")
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "output"
    # the build cache comes back before the build, with the key that signs it
    kept = uses.index("actions/cache")
    assert kept < build.index(make)
    assert build[kept]["with"]["path"].split() == [".dateline-cache", "~/.cache/dateline"]
    assert build[kept]["with"]["key"].endswith("-${{ github.run_id }}")
    assert build[kept]["with"]["key"].startswith(build[kept]["with"]["restore-keys"].strip())  # the latest
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_a_fork_publishes_its_timeline_at_its_own_address(run_cli, tmp_path, monkeypatch, fixture_site):
    monkeypatch.setenv("DATELINE_BASE_URL", FORK.rstrip("/"))  # as configure-pages gives it
    out = tmp_path / "output"
    code, _, err = run_cli("build", "--site", fixture_site, "--output", out)
    assert code == 0, err
    files = snapshot(out)
    assert check_links(files, FORK) == []
    for path, body in files.items():
        if not path.endswith(".html"):
            continue
        for link in links_of(body):
            url = urlsplit(urljoin(FORK + path, link))
            if url.netloc == "someone.github.io":
                assert served(out, "/fork-name/", url.path), f"{path}: {link} leads nowhere"
    absolute = [u for body in files.values() for u in body.decode("utf-8", "replace").split('"')
                if u.startswith(("http://", "https://")) and "github.io" in u]
    assert all(u.startswith(FORK) for u in absolute)  # feeds, sitemap, canonical links: none at another address


@pytest.mark.parametrize("base_url", ["/", "/repo/", FORK])
@pytest.mark.parametrize("depth", ["missing", "a/b/c", "a/b/c/", "events/2001-01-01-gone/"])
def test_404_page_links_resolve_at_any_depth(base_url, depth, make_site, run_cli):
    root = make_site(SMALL)
    code, _, err = run_cli("build", "--site", root, "--base-url", base_url)
    assert code == 0, err
    out = root / "output"
    base_path = urlsplit(base_url).path
    page_url = "https://someone.github.io" + base_path + depth  # GitHub serves 404.html here
    links = links_of((out / "404.html").read_bytes())
    assert links
    for link in links:
        if link.startswith("#"):
            continue
        url = urlsplit(urljoin(page_url, link))
        assert url.netloc == "someone.github.io", link
        assert served(out, base_path, url.path), f"{link} from {page_url} leads nowhere"


def test_cname_is_written_when_site_yaml_names_a_domain(make_site, run_cli):
    root = make_site(SMALL + "-- site.yaml --\ntitle: T\nbase_url: https://timeline.example.org/\n"
                             "cname: timeline.example.org\n")
    assert run_cli("build", "--site", root)[0] == 0
    assert (root / "output/CNAME").read_bytes() == b"timeline.example.org\n"


def test_no_cname_without_a_domain(make_site, run_cli):
    root = make_site(SMALL)
    assert run_cli("build", "--site", root)[0] == 0
    assert not (root / "output/CNAME").exists()


def test_base_url_comes_from_the_flag_then_the_environment_then_site_yaml(make_site, run_cli, monkeypatch):
    root = make_site(SMALL + "-- site.yaml --\ntitle: T\nbase_url: https://old.example.org/old/\n")

    def stylesheet() -> str:
        return next(link for link in links_of((root / "output/404.html").read_bytes()) if link.endswith("style.css"))

    assert run_cli("build", "--site", root)[0] == 0
    assert stylesheet() == "/old/static/style.css"
    monkeypatch.setenv("DATELINE_BASE_URL", "https://someone.github.io/fork-name")
    assert run_cli("build", "--site", root)[0] == 0
    assert stylesheet() == "/fork-name/static/style.css"
    assert run_cli("build", "--site", root, "--base-url", "/flag/")[0] == 0
    assert stylesheet() == "/flag/static/style.css"
