"""Sources that last: an archived copy is shown beside the original, linked first when the original
is dead or unfit, with Robust Links attributes; the access date is shown; remarks never are."""

from __future__ import annotations

import json
import re

from dateline import pipeline as site

from conftest import write_tree

ARCHIVE = "https://web.archive.org/web/20191014000000/https://example.org/{}"
SITE = """
-- site.yaml --
title: Lasting sources
base_url: https://example.org/tl/
-- content/sources/live.yaml --
title: Live page
url: https://example.org/live
archive_url: {archive_live}
archive_date: 2019-10-14
accessed: 2019-10-20
-- content/sources/dead.yaml --
title: Dead page
url: https://example.org/dead
url_status: dead
archive_url: {archive_dead}
archive_date: 2019-10-14
remarks: Checked by hand on the phone with the desk.
-- content/sources/unfit.yaml --
title: Unfit page
url: https://example.org/unfit
url_status: unfit
archive_url: {archive_unfit}
-- content/sources/lost.yaml --
title: Lost page
url: https://example.org/lost
url_status: dead
-- content/events/e.md --
---
title: E
date: 2019-10-13
sources:
  - id: dead
    quote: the words
  - id: live
    quote: other words
  - unfit
  - lost
---
Body.
""".replace("{archive_live}", ARCHIVE.format("live")).replace("{archive_dead}", ARCHIVE.format("dead")) \
   .replace("{archive_unfit}", ARCHIVE.format("unfit"))


def build(tmp_path):
    return site.run(write_tree(tmp_path, SITE), None, None, False)


def reference(page: str, title: str) -> str:
    """Return the bibliography entry of the source titled `title` on the sources page."""
    return re.search(rf'<p class="reference">(.*?{title}.*?)</p>', page)[1]


def test_a_live_original_links_first_and_names_its_copy(tmp_path):
    page = build(tmp_path).files["sources/index.html"].decode()
    ref = reference(page, "Live page")
    assert ref.startswith(f'<cite><a href="https://example.org/live" data-versionurl="{ARCHIVE.format("live")}" '
                          'data-versiondate="2019-10-14">Live page</a></cite>.')
    assert (f'<a href="{ARCHIVE.format("live")}" data-originalurl="https://example.org/live" '
            'data-versiondate="2019-10-14">Archived copy</a> on <time datetime="2019-10-14">14 October 2019</time>.') in ref
    assert 'Accessed <time datetime="2019-10-20">20 October 2019</time>.' in ref


def test_a_dead_original_links_its_copy_first(tmp_path):
    files = build(tmp_path).files
    ref = reference(files["sources/index.html"].decode(), "Dead page")
    assert ref.startswith(f'<cite><a href="{ARCHIVE.format("dead")}" data-originalurl="https://example.org/dead" '
                          'data-versiondate="2019-10-14">Dead page</a></cite>.')
    assert 'Archived from <a href="https://example.org/dead" data-versionurl=' in ref
    event = files["events/2019-10-13-e/index.html"].decode()
    # the quote leads to the copy (a text fragment finds nothing in an archive's frame)...
    assert f'<a href="{ARCHIVE.format("dead")}">the words</a>' in event
    # ...and to the live original with its fragment
    assert '<a href="https://example.org/live#:~:text=other%20words">other words</a>' in event


def test_an_unfit_original_is_never_linked(tmp_path):
    files = build(tmp_path).files
    page = files["sources/index.html"].decode()
    ref = reference(page, "Unfit page")
    assert ref.startswith(f'<cite><a href="{ARCHIVE.format("unfit")}" data-originalurl="https://example.org/unfit">')
    assert "Archived from the original." in ref
    assert 'href="https://example.org/unfit"' not in "".join(d.decode() for p, d in files.items() if p.endswith(".html"))


def test_a_dead_original_without_a_copy_is_marked_and_warned_about(tmp_path):
    result = build(tmp_path)
    ref = reference(result.files["sources/index.html"].decode(), "Lost page")
    assert '<span class="dead-link">(dead link)</span>' in ref
    warnings = [str(p) for p in result.problems if p.severity == "warning"]
    assert warnings == ["content/sources/lost.yaml:3: warning: the url is dead and no archived copy is given "
                        "(add archive_url: a copy in a web archive (web.archive.org, archive.today), with archive_date:)"]


def test_remarks_reach_no_file_of_the_site(tmp_path):
    files = build(tmp_path).files
    assert not [path for path, data in files.items() if data and b"phone with the desk" in data]


def test_exports_carry_the_archive(tmp_path):
    files = build(tmp_path).files
    sources = {s["id"]: s for s in json.loads(files["events.json"])["sources"]}
    assert sources["dead"]["url_status"] == "dead" and sources["dead"]["archive_date"]["iso"] == "2019-10-14"
    assert sources["live"]["url_status"] == "" and "remarks" not in sources["dead"]
    page = files["events/2019-10-13-e/index.html"].decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S)[1])
    cited = {c["name"]: c for c in data["citation"]}
    assert cited["Dead page"]["archivedAt"] == ARCHIVE.format("dead")
    assert "url" not in cited["Unfit page"]
