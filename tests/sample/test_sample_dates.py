"""The sample timeline's dates, captured before its weekday wording replaced ISO dates.

Writing `date: Saturday` instead of `date: "2019-10-12"` must not move any event: this list
was taken from the ISO version of the content and every entry must resolve to it exactly.
Since then the audit of the sample (docs/audit.md) moved two entries whose sources do not date
the statement they report from the day of the report to the month, and retitled one (its slug).
The order is the timeline's: the events known only to October come after its dated days.
"""

import json

from dateline import pipeline as site
from tests.conftest import REPO

EXPECTED = [
    ("2019-03-sdf-takes-baghouz-the-last-is-holdout", "2019-03"),
    ("2019-10-06-trump-greenlights-the-turkish-offensive-and-withdraws-us-troops", "2019-10-06"),
    ("2019-10-09-turkey-launches-operation-peace-spring-in-north-east-syria", "2019-10-09"),
    ("2019-10-10-le-drian-calls-for-an-emergency-meeting-of-the-anti-is-coalition", "2019-10-10"),
    ("2019-10-11-five-is-detainees-escape-navkur-prison-near-qamishli", "2019-10-11"),
    ("2019-10-11-riot-at-al-hol-camp", "2019-10-11"),
    ("2019-10-12-car-bomb-near-geweran-prison-in-hasaka", "2019-10-12"),
    ("2019-10-12-fighting-for-ras-al-ain-turkey-and-sdf-give-conflicting-accounts", "2019-10-12"),
    ("2019-10-12-france-suspends-weapons-exports-to-turkey", "2019-10-12"),
    ("2019-10-12-islamic-state-declares-a-new-campaign-in-syria", "2019-10-12"),
    ("2019-10-12-kurdish-politician-hervin-khalaf-killed-on-a-road-in-northern-syria", "2019-10-12"),
    ("2019-10-12-protests-against-the-offensive-in-european-cities", "2019-10-12"),
    ("2019-10-13-mass-escape-from-ain-issa-camp", "2019-10-13"),
    ("2019-10-13-us-orders-more-troops-out-of-north-east-syria", "2019-10-13"),
    ("2019-10-boris-johnson-warns-erdogan-by-phone", "2019-10"),
    ("2019-10-germany-reduces-arms-sales-to-turkey", "2019-10"),
    ("2019-10-how-many-is-detainees-do-the-kurds-hold-conflicting-figures", "2019-10"),
    ("2019-10-kurdish-officials-say-guarding-is-prisoners-is-no-longer-their-priority", "2019-10"),
    ("2019-10-trump-says-he-wants-to-broker-a-truce-and-floats-sanctions-on-turkey", "2019-10"),
    ("2019-10-un-says-130-000-people-have-fled-their-homes", "2019-10"),
]


def test_sample_timeline_dates_are_unchanged():
    timeline = site.check(REPO).timeline
    assert [(e.slug, e.date.iso) for e in timeline.events] == EXPECTED


def test_the_sample_timeline_passes_strict_and_notes_each_weekday(run_cli):
    code, out, err = run_cli("check", "--strict", "--format", "json", "--site", REPO)
    assert code == 0
    problems = json.loads(out)
    assert {p["severity"] for p in problems} == {"info"}
    assert {p["code"] for p in problems} == {"relative-date", "quote-unverified"}  # tests/sample/test_sample_quotes.py
    dated = [p for p in problems if p["code"] == "relative-date"]
    assert sorted((p["path"].split("/")[-1], p["message"].split(" against ")[0]) for p in dated) == [
        ("2019-10-06-trump-greenlights-offensive.md", "date 'Sunday' read as 2019-10-06"),
        ("2019-10-09-operation-peace-spring.md", "date 'Wednesday' read as 2019-10-09"),
        ("2019-10-10-le-drian-emergency-meeting.md", "date 'Thursday' read as 2019-10-10"),
        ("2019-10-11-navkur-prison-escape.md", "date 'Friday' read as 2019-10-11"),
        ("2019-10-12-european-protests.md", "date 'Saturday' read as 2019-10-12"),
        ("2019-10-12-france-suspends-arms-exports.md", "date 'Saturday' read as 2019-10-12"),
        ("2019-10-12-geweran-car-bomb.md", "date 'early Saturday morning' read as 2019-10-12"),
        ("2019-10-12-hervin-khalaf-killed.md", "date 'Saturday' read as 2019-10-12"),
        ("2019-10-12-is-declares-new-campaign.md", "date 'Saturday' read as 2019-10-12"),
        ("2019-10-12-ras-al-ain-clashes.md", "date 'Saturday' read as 2019-10-12"),
    ]


def test_event_pages_show_the_resolved_date(tmp_path):
    page = site.build(REPO, tmp_path / "out", write=False).files[
        "events/2019-10-12-car-bomb-near-geweran-prison-in-hasaka/index.html"].decode()
    assert '<time datetime="2019-10-12">12 October 2019</time>' in page
