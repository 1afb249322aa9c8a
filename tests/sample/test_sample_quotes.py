"""Every quote of the sample timeline is in the article it is attributed to.

The seed articles in ../shared/seeds are news articles, not the project's to copy whole into it, so the
sample sources carry no `text:`; this test checks them with the same rule `check` applies to a
source's stored text (dateline.quotes). Which file is which: ../shared/seeds/README.md.
"""

from __future__ import annotations

import pytest

from dateline import pipeline as site
from dateline.core import quotes
from dateline.core.load import load_site
from tests.conftest import REPO, SEEDS

SEED_OF = {
    "rudaw-2019-10-13": "000_711b0a3a1360fc5b.txt",
    "cbn-2019-10-13": "001_3ad930ba68c54135.txt",
    "bbc-2019-10-13": "002_edab9beec9721e17.txt",
    "afp-2019-10-11": "003_2f95fca05c20c840.txt",
    "bali-2019-10-13": "000_711b0a3a1360fc5b.txt",  # the post, as Rudaw's article embeds it
}

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not beside the project")


def test_every_sample_source_has_its_seed_article():
    assert sorted(s.id for s in site.check(REPO).timeline.sources) == sorted(SEED_OF)


def test_every_quote_of_the_sample_timeline_is_in_its_article():
    loaded = load_site(REPO)
    sources = {s.id: s for s in site.check(REPO).timeline.sources}
    texts = {sid: (SEEDS / name).read_text(encoding="utf-8") for sid, name in SEED_OF.items()}
    checked = [(e.path, line, sid) for e in loaded.events for line, _q, ids in quotes.quoted(e.data) for sid in ids]
    assert len(checked) == 58  # 54 quotes, three of them under accounts backed by two sources, one by three
    assert [str(p) for p in quotes.check(loaded.events, sources, texts)] == []


def test_a_misquote_of_the_sample_would_be_caught():
    loaded = load_site(REPO)
    sources = {s.id: s for s in site.check(REPO).timeline.sources}
    text = (SEEDS / SEED_OF["bbc-2019-10-13"]).read_text(encoding="utf-8")
    assert quotes.contains(text, "The UN says 130,000 people have fled their homes, and the figure may rise.")
    assert not quotes.contains(text, "The UN says 130,000 people have fled their homes, and the figure will rise.")
    wrong = {"bbc-2019-10-13": text.replace("130,000", "13,000")}
    found = [(p.path, p.line) for p in quotes.check(loaded.events, sources, wrong)]
    assert ("content/events/2019-10-13-un-displacement-figure.md", 9) in found


def test_with_the_seeds_as_stored_texts_every_sample_quote_would_be_verified():
    """`check` lists the sample's 54 quotes as not verified (no article is in the repository); the seeds verify all."""
    result = site.run(REPO, render=False)
    assert result.timeline.quote_counts == (0, 54)
    assert sum(p.code == "quote-unverified" for p in result.problems) == 54
    loaded = load_site(REPO)
    sources = {s.id: s for s in result.timeline.sources}
    texts = {sid: (SEEDS / name).read_text(encoding="utf-8") for sid, name in SEED_OF.items()}
    verified, unverified = quotes.verify(loaded.events, sources, texts)
    assert (verified.verified, verified.quotes, unverified) == (54, 54, [])
