"""The sample's home page reads in the order things happened: what its sources date only to the
month comes after the dated days of October 2019, under "October 2019, day not given"."""

import re

from dateline import pipeline as site
from tests.conftest import REPO

GREENLIGHT = "Trump greenlights the Turkish offensive and withdraws US troops"
TRUCE = "Trump says he wants to broker a truce and floats sanctions on Turkey"


def test_the_truce_talk_no_longer_precedes_the_green_light(tmp_path):
    home = site.build(REPO, tmp_path / "out", write=False).files["index.html"].decode()
    titles = re.findall(r'class="event-title"><a [^>]*>([^<]*)</a>', home)
    assert titles.index(GREENLIGHT) < titles.index(TRUCE)
    headings = re.findall(r'<h3 id="(m[^"]*)">([^<]*)</h3>', home)
    assert headings == [("m2019-3-0", "March 2019, day not given"), ("m2019-10", "October 2019"),
                        ("m2019-10-0", "October 2019, day not given")]
    undated = home[home.index('<h3 id="m2019-10-0">'):]
    assert TRUCE in undated and GREENLIGHT not in undated
