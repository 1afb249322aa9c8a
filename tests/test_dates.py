import datetime as dt

import pytest

from dateline.core.dates import Date, DateError, display_span, parse_date


@pytest.mark.parametrize("text, iso, precision, shown", [
    ("2019-10-13", "2019-10-13", "day", "13 October 2019"),
    ("2019-10", "2019-10", "month", "October 2019"),
    ("2019", "2019", "year", "2019"),
    (2019, "2019", "year", "2019"),
    ("2019-10-13T05:30+03:00", "2019-10-13T05:30+03:00", "minute", "13 October 2019, 05:30 UTC+03:00"),
    ("2019-10~", "2019-10", "month", "c. October 2019"),
    ("2019-03?", "2019-03", "month", "March 2019?"),
    ("2019%", "2019", "year", "c. 2019?"),
    ("13 October 2019", "2019-10-13", "day", "13 October 2019"),
    ("October 2019", "2019-10", "month", "October 2019"),
    ("March 2019", "2019-03", "month", "March 2019"),
])
def test_dates_keep_their_precision(text, iso, precision, shown):
    date = parse_date(text, ("en", "fr"))
    assert (date.iso, date.precision, date.display()) == (iso, precision, shown)


def test_french_dates_are_read_with_the_site_languages():
    assert parse_date("13 octobre 2019", ("en", "fr")).iso == "2019-10-13"


def test_iso_dates_never_import_dateparser():
    import subprocess
    import sys
    code = ("import sys; from dateline.core.dates import parse_date; parse_date('2019-10-13'); "
            "parse_date('2019-10~'); print('dateparser' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("text, resolved", [
    ("Saturday", "2019-10-12"),
    ("early Saturday morning", "2019-10-12"),
    ("last Wednesday", "2019-10-09"),
    ("on Friday", "2019-10-11"),
    ("March", "2019-03"),
])
def test_relative_dates_resolve_against_the_publication_date(text, resolved):
    date = parse_date(text, ("en",), dt.date(2019, 10, 13), "bbc (published 2019-10-13)")
    assert date.iso == resolved
    assert date.resolved_from == "bbc (published 2019-10-13)"


def test_absolute_natural_dates_are_not_marked_relative():
    assert parse_date("13 October 2019", ("en",), dt.date(2019, 10, 13), "x").resolved_from == ""


@pytest.mark.parametrize("text, message", [
    ("2019-13", "month 13 does not exist"),
    ("2019-02-29", "February 2019 has no day 29"),
    ("2019-10-32", "October 2019 has no day 32"),
    ("0000", "year 0000 is not supported"),
    ("-0044", "year -0044 is not supported"),
    ("gibberish", "cannot read the date 'gibberish'"),
    ("Saturday", "'Saturday' is relative and there is no date to read it against"),
    ("2019-10-13T25:00", "impossible time"),
    ("", "the date is empty"),
])
def test_impossible_dates_are_refused_with_a_reason(text, message):
    with pytest.raises(DateError) as exc:
        parse_date(text)
    assert message in exc.value.message


def test_leap_day_exists_in_leap_years():
    assert parse_date("2020-02-29").display() == "29 February 2020"


def test_months_and_years_sort_before_their_days():
    keys = sorted(["2019-10-13", "2019-10", "2019", "2019-10-01", "2019-09-30", "2019-10-13T05:00Z"],
                  key=lambda t: parse_date(t).sort_key())
    assert keys == ["2019", "2019-09-30", "2019-10", "2019-10-01", "2019-10-13", "2019-10-13T05:00Z"]


def test_times_sort_in_utc():
    east, west = parse_date("2019-10-13T05:00+03:00"), parse_date("2019-10-13T04:00Z")
    assert east.sort_key() < west.sort_key()


@pytest.mark.parametrize("start, end, shown", [
    ("2019-10-09", "2019-10-13", "9–13 October 2019"),
    ("2019-09-30", "2019-10-02", "30 September – 2 October 2019"),
    ("2019-03", "2019-10", "March – October 2019"),
    ("2018-12-30", "2019-01-02", "30 December 2018 – 2 January 2019"),
    ("2019-10~", "2019-11", "c. October 2019 – November 2019"),
])
def test_spans_share_what_their_ends_share(start, end, shown):
    assert display_span(parse_date(start), parse_date(end)) == shown


def test_first_and_last_day_cover_the_precision():
    assert parse_date("2019-02").last_day() == dt.date(2019, 2, 28)
    assert parse_date("2019-12").last_day() == dt.date(2019, 12, 31)
    assert parse_date("2019").first_day() == dt.date(2019, 1, 1)


def test_date_is_frozen():
    with pytest.raises(AttributeError):
        Date(2019).year = 2020
