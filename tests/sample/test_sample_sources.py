"""The sample's sources show readers their public notes, never the editors' remarks."""

from __future__ import annotations

from dateline import pipeline as site
from dateline.core.load import load_site
from tests.sample.conftest import REPO


def test_no_editors_remark_reaches_the_built_site():
    remarks = [sf.data["remarks"] for sf in load_site(REPO).sources if "remarks" in sf.data]
    assert len(remarks) == 4
    files = site.build(REPO, write=False).files
    shown = b"".join(data for data in files.values() if data)
    for remark in remarks:
        for sentence in remark.split(". "):
            assert " ".join(sentence.split()).encode() not in shown, sentence
    sources = files["sources/index.html"].decode()
    for words in ("Author not given", "not known", "stored text", "Paragraph locators"):
        assert words not in sources
