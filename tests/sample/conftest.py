"""The sample timeline's own checks: its events and dates, its quotes against ../shared/seeds.

They test this repository's content/, not the tool, so they run only when content/ is the
sample: when its four seeded sources are there. A timeline of one's own in their place (`build.py
init`'s output, say) skips them with the reason. CI sets DATELINE_REQUIRE_SAMPLE=1 (`make
test-sample`), and there a missing sample fails instead of skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SAMPLE_SOURCES = ("afp-2019-10-11", "bbc-2019-10-13", "cbn-2019-10-13", "rudaw-2019-10-13")


def content_is_the_sample() -> bool:
    return all((REPO / "content" / "sources" / f"{sid}.yaml").is_file() for sid in SAMPLE_SOURCES)


def pytest_configure(config):
    config.addinivalue_line("markers", "sample: checks this repository's sample timeline (content/), not the tool")


NOT_THE_SAMPLE = (f"content/ is not the sample timeline (not all of its sources {', '.join(SAMPLE_SOURCES)} are in "
                  "content/sources/): the sample's own checks do not apply to another timeline")


def pytest_collection_modifyitems(config, items):
    skip = not content_is_the_sample() and not os.environ.get("DATELINE_REQUIRE_SAMPLE")
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.sample)
            if skip:  # a skipif on the item is read before its module's (the seeds' one)
                item.add_marker(pytest.mark.skipif(True, reason=NOT_THE_SAMPLE))


@pytest.fixture(autouse=True)
def the_sample_is_there():
    """Under DATELINE_REQUIRE_SAMPLE (CI), a content/ that is not the sample fails, not skips."""
    if not content_is_the_sample():
        pytest.fail(NOT_THE_SAMPLE + "; DATELINE_REQUIRE_SAMPLE is set, so the sample must be there", pytrace=False)


@pytest.fixture(autouse=True, scope="module")
def pages_as_the_templates_write_them():
    """The checks read the sample's pages as the templates write them, attributes quoted and in order:
    its site.yaml turns minify_html on, which tests/test_minify.py and the browser suite test apart.
    For a module, so that its module-wide builds are made under it too."""
    from dateline.render import pages
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "minified_html", lambda html: html)
        yield
