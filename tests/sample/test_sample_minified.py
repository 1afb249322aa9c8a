"""The sample is published with minify_html (its site.yaml): every page reads the same as the
templates wrote it, word for word and link for link, and its home page with what it loads stays
light (bench/weight.py prints the figure; issue #12 set 50 KB)."""

from dateline import pipeline as site
from dateline.render import minify, pages
from dateline.render.links import extract
from tests.conftest import REPO, page_words


def test_every_page_of_the_sample_reads_the_same_minified(monkeypatch):
    plain = site.build(REPO, write=False).files  # minified_html is left out here (conftest.py)
    monkeypatch.setattr(pages, "minified_html", minify.minified_html)
    small = site.build(REPO, write=False).files
    html = [path for path in plain if path.endswith(".html")]
    assert len(html) >= 60 and small["index.html"].startswith(b"<!doctype html><html lang=en>")
    for path in html:
        assert page_words(small[path]) == page_words(plain[path]), path
        links, ids = extract(small[path], unquoted=True)
        before, ids_before = extract(plain[path])
        assert sorted(links) == sorted(before) and ids == ids_before, path
