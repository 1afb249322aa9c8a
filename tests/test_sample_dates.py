"""The sample timeline's dates, captured before its weekday wording replaced ISO dates.

Writing `date: Saturday` instead of `date: "2019-10-12"` must not move any event: this list
was taken from the ISO version of the content and every entry must resolve to it exactly.
"""

from dateline import site
from tests.conftest import REPO

EXPECTED = [
    ("2019-03-sdf-takes-baghouz-the-last-is-holdout", "2019-03"),
    ("2019-10-boris-johnson-warns-erdogan-by-phone", "2019-10"),
    ("2019-10-germany-reduces-arms-sales-to-turkey", "2019-10"),
    ("2019-10-kurdish-officials-say-guarding-is-prisoners-is-no-longer-their-priority", "2019-10"),
    ("2019-10-trump-says-he-wants-to-broker-a-truce-and-floats-sanctions-on-turkey", "2019-10"),
    ("2019-10-06-trump-greenlights-the-turkish-offensive-and-withdraws-us-troops", "2019-10-06"),
    ("2019-10-09-turkey-launches-operation-peace-spring-in-north-east-syria", "2019-10-09"),
    ("2019-10-10-le-drian-calls-for-an-emergency-meeting-of-the-anti-is-coalition", "2019-10-10"),
    ("2019-10-11-five-is-detainees-escape-navkur-prison-near-qamishli", "2019-10-11"),
    ("2019-10-11-how-many-is-detainees-do-the-kurds-hold-conflicting-figures", "2019-10-11"),
    ("2019-10-11-riot-at-al-hol-camp", "2019-10-11"),
    ("2019-10-12-car-bomb-near-geweran-prison-in-hasaka", "2019-10-12"),
    ("2019-10-12-fighting-for-ras-al-ain-turkey-and-sdf-give-conflicting-accounts", "2019-10-12"),
    ("2019-10-12-france-suspends-weapons-exports-to-turkey", "2019-10-12"),
    ("2019-10-12-islamic-state-declares-a-new-campaign-in-syria", "2019-10-12"),
    ("2019-10-12-kurdish-politician-hervin-khalaf-killed-with-eight-other-civilians", "2019-10-12"),
    ("2019-10-12-protests-against-the-offensive-in-european-cities", "2019-10-12"),
    ("2019-10-13-mass-escape-from-ain-issa-camp", "2019-10-13"),
    ("2019-10-13-un-says-130-000-people-have-fled-their-homes", "2019-10-13"),
    ("2019-10-13-us-orders-more-troops-out-of-north-east-syria", "2019-10-13"),
]


def test_sample_timeline_dates_are_unchanged():
    timeline = site.check(REPO).timeline
    assert [(e.slug, e.date.iso) for e in timeline.events] == EXPECTED
