"""The overview (render/overview.py): each event a mark at its precision, counts where marks would
crowd, every mark a link into the list, and a size that does not grow with the number of events."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dateline import pipeline as site
from dateline.core.dates import parse_iso
from dateline.core.model import Account, Event
from dateline.render import overview
from dateline.render.groups import group_events
from dateline.render.i18n import EN, FR
from dateline.render.overview_bins import MAX_BINS


def event(slug: str, date: str, end: str = "", title: str = "", disputed: bool = False) -> Event:
    accounts = (Account("a", "x", (), disputes=True), Account("b", "y", ())) if disputed else ()
    return Event(slug, title or slug.title(), parse_iso(date), parse_iso(end) if end else None, "", "", (), (),
                 accounts=accounts)


def draw(*events: Event) -> overview.Overview:
    return overview.build(events, lambda e: "#" + e.slug, EN)


def width_in_days(ov: overview.Overview, mark: overview.Mark) -> float:
    start, stop = dt.date.fromisoformat(ov.start), dt.date.fromisoformat(ov.end) + dt.timedelta(days=1)
    return mark.w / 100 * (stop - start).days


def test_each_precision_has_its_shape():
    ov = draw(event("day", "2019-10-06"), event("month", "2019-10"), event("year", "2019"),
              event("span", "2019-10-09", "2019-10-13"), event("about", "2019-11-20~"),
              event("argued", "2019-12-01", disputed=True))
    marks = {m.href: m for m in ov.marks}
    assert not ov.bins and ov.unit == ""
    assert marks["#day"].kind == "point" and marks["#day"].w == 0
    assert marks["#month"].kind == "month" and width_in_days(ov, marks["#month"]) == pytest.approx(31, abs=0.1)
    assert marks["#year"].kind == "year" and width_in_days(ov, marks["#year"]) == pytest.approx(365, abs=0.1)
    assert marks["#span"].kind == "span" and width_in_days(ov, marks["#span"]) == pytest.approx(5, abs=0.1)
    assert marks["#about"].approximate and not marks["#day"].approximate
    assert marks["#argued"].disputed and not marks["#day"].disputed
    # in order along the axis: the month starts on 1 October, the day point sits in 6 October
    assert marks["#month"].x < marks["#day"].x < marks["#span"].x < marks["#about"].x
    assert {k for k, _, _ in ov.legend} == {"point", "month", "year", "span", "approximate", "disputed"}
    assert ov.spans == "span 2019-10-09 2019-10-13"


def test_marks_link_to_their_event_with_date_and_headline():
    ov = draw(event("green-light", "2019-10-06", title="Trump greenlights the offensive"),
              event("truce", "2019-10", title="Trump says he wants to broker a truce", disputed=True))
    titles = {m.href: m.title for m in ov.marks}
    assert titles == {"#green-light": "6 October 2019: Trump greenlights the offensive",
                      "#truce": "October 2019: Trump says he wants to broker a truce (disputed)"}


def test_overlapping_marks_take_rows_and_the_axis_sits_below_them():
    one = draw(event("a", "2019-10-06"))
    two = draw(event("a", "2019-10-06"), event("b", "2019-10-06"))
    assert len({m.y for m in two.marks}) == 2 and two.axis_y > one.axis_y
    assert all(m.y < two.axis_y for m in two.marks)


def test_a_year_of_daily_events_is_counted_by_week_each_bar_linking_to_its_first_event():
    days = [dt.date(2019, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    ov = draw(*(event(f"d{d:%m%d}", d.isoformat()) for d in days))
    assert not ov.marks and ov.unit == "week" and len(ov.bins) == 53
    assert sum(b.count for b in ov.bins) == 365
    second = ov.bins[1]  # 7-13 January 2019 (a Monday to a Sunday)
    assert second.href == "#d0107" and second.count == 7 and second.title == "7–13 January 2019: 7 events"
    assert ("count", "events per week", "") in ov.legend
    assert ov.counted == "Drawn as the number of events per week."


def test_ten_thousand_events_give_a_bounded_picture():
    events = [event(f"e{i}", f"{1900 + i * 125 // 10000}-{i % 12 + 1:02d}-{i % 28 + 1:02d}", disputed=i % 50 == 0)
              for i in range(10000)]
    ov = draw(*events)
    assert ov.unit == "decade" and len(ov.bins) <= MAX_BINS and not ov.marks
    assert sum(b.count for b in ov.bins) == 10000
    assert all(b.disputed_h for b in ov.bins) and [k for k, _, _ in ov.legend] == ["count", "disputed-count"]
    assert ov.bins[0].href == "#e0" and ov.bins[0].title.startswith("1900–1909: 800 events")


def test_crowded_events_longer_than_a_bin_are_drawn_across_their_time_not_counted_in_its_first_week():
    days = [event(f"d{i}", (dt.date(2021, 4, 1) + dt.timedelta(days=i % 20)).isoformat()) for i in range(200)]
    ov = draw(event("whole-year", "2020"), *days)
    assert ov.unit and [m.href for m in ov.marks] == ["#whole-year"]
    assert sum(b.count for b in ov.bins) == 200
    assert any(k == "year" for k, _, _ in ov.legend)


def test_on_a_home_page_of_years_marks_link_into_the_year_pages():
    groups = [(2019, [(10, [event("a", "2019-10-06")])]), (2020, [(None, [event("b", "2020")])])]
    split = overview.of_groups(groups, "years/", lambda target: "./" + target, EN)
    assert [m.href for m in split.marks] == ["./years/2019/#a", "./years/2020/#b"]
    here = overview.of_groups(groups, "", lambda target: "./" + target, EN)
    assert [m.href for m in here.marks] == ["#a", "#b"]


def test_nothing_to_draw_without_events():
    assert overview.build([], lambda e: "", EN) is None


def test_the_caption_says_what_the_picture_shows_in_the_site_language():
    evs = [event("a", "2019-03"), event("b", "2019-10-06"), event("c", "2019-10-13T09:30+03:00")]
    assert draw(*evs).caption == "3 events from March 2019 to 13 October 2019. Busiest month: October 2019, 2 events."
    assert overview.build(evs, lambda e: "", FR).caption.startswith("3 événements, mars 2019 – 13 octobre 2019.")


def test_the_axis_is_labelled_at_round_dates():
    labels = [t.label for t in draw(event("a", "2019-03-02"), event("b", "2019-10-13")).ticks]
    assert labels[0] == "April 2019" and "July" in labels and "October" in labels
    labels = [t.label for t in draw(event("a", "2019-10-06"), event("b", "2019-10-13")).ticks]
    assert labels[0].endswith("October") and all(re.fullmatch(r"\d+( October)?", x) for x in labels)
    labels = [t.label for t in draw(event("a", "1900"), event("b", "2024")).ticks]
    assert all(x.isdigit() and int(x) % 20 == 0 for x in labels)


def test_the_pages_draw_it_and_every_mark_reaches_its_event(make_site):
    root = make_site("""
        -- content/events/a.md --
        ---
        title: First <b>thing</b>
        date: 2019-10-06
        tags: [t]
        ---
        Body.
        -- content/events/b.md --
        ---
        title: Second
        date: 2019-10
        tags: [t]
        ---
        Body.
        """)
    files = site.build(root, write=False).files
    for path in ("index.html", "tags/t/index.html"):
        html = files[path].decode()
        assert '<figure class="overview"' in html and 'static/overview.js' in html
        hrefs = re.findall(r'<a href="#([^"]+)" tabindex="-1"', html)
        assert hrefs and all(f'id="{h}"' in html for h in hrefs)
        assert "<title>6 October 2019: First &lt;b&gt;thing&lt;/b&gt;</title>" in html


def test_the_hidden_detail_layer_is_written_as_a_word_a_mark_in_the_list_order(make_site):
    """static/overview.js draws each mark and links it to the list's event of its rank: the build
    writes only where each goes, and what kind of mark it is."""
    spec = "".join(f"""
        -- content/events/d{i:02}.md --
        ---
        title: Day {i:02}
        date: {dt.date(2019, 10, 6) + dt.timedelta(days=i % 8)}{"~" if i == 3 else ""}
        ---
        Body.
        """ for i in range(30))
    root = make_site(spec + """
        -- content/events/early.md --
        ---
        title: Early
        date: 2019-03-02
        ---
        Body.
        -- content/events/month.md --
        ---
        title: Month
        date: 2019-10
        ---
        Body.
        """)
    html = site.build(root, write=False).files["index.html"].decode()
    words = re.search(r'<g class="ov-marks ov-detail" data-marks="([^"]*)"></g>', html).group(1).split(" ")
    listed = re.findall(r'<li class="event[^"]*" id="([^"]+)"', html)
    assert len(words) == len(listed) == 32
    assert listed[0] == "2019-03-02-early" and re.fullmatch(r"[0-4]\.\d+", words[0])  # a day, at the axis's start
    assert words[listed.index("2019-10-09-day-03")].endswith("q")
    month = words[listed.index("2019-10-month")]
    assert re.fullmatch(r"[\d.]+:[\d.]+", month) and float(month.split(":")[0]) < float(words[1])  # October's bar


def test_a_detail_word_says_place_width_span_approximate_and_disputed():
    ov = draw(*(event(f"d{i}", (dt.date(2019, 10, 6) + dt.timedelta(days=i % 8)).isoformat()) for i in range(30)),
              event("span", "2019-10-01~", "2019-10-20", disputed=True), event("argued", "2019-10-09", disputed=True))
    assert ov.bins and len(ov.detail) == 32
    words = ov.detail_data.split(" ")
    assert words[-2] == f"{ov.detail[-2].x}:{ov.detail[-2].w}sqx" and words[-1] == f"{ov.detail[-1].x}x"
    assert words[0] == str(ov.detail[0].x)


def test_page_keys_cover_what_the_overview_draws(make_site, monkeypatch):
    """The split home page draws every event: its key changes with any event's date, a year page's
    with its own events' only (render/pages.GLOBALS declares `overview` as reading its arguments)."""
    from dateline.build.pagekeys import Keys
    from dateline.render import pages
    monkeypatch.setattr(pages, "INDEX_SPLIT", 1)   # a home page of years, as above 5,000 events
    spec = """
        -- content/events/a.md --
        ---
        title: A
        date: {date}
        ---
        Body.
        -- content/events/b.md --
        ---
        title: B
        date: 2020-03-01
        ---
        Body.
        """
    keys = []
    for date in ("2019-10-06", "2019-11-06"):
        root = make_site(spec.format(date=date), name=date)
        timeline = site.check(root).timeline
        env = pages.make_env(root)
        made = Keys(env, timeline, "code")
        keys.append({p.path: made.page(p.path, p.template, p.context) for p in pages.plan(timeline)
                     if p.template in ("years.html", "year.html")})
    before, after = keys
    assert set(before) == {"index.html", "years/2019/index.html", "years/2020/index.html"}
    assert before["index.html"] != after["index.html"] and None not in before.values()
    assert before["years/2019/index.html"] != after["years/2019/index.html"]
    assert before["years/2020/index.html"] == after["years/2020/index.html"]


def test_counts_carry_every_mark_for_closer_views_while_there_are_few_events():
    days = [event(f"d{i}", (dt.date(2019, 10, 6) + dt.timedelta(days=i % 8)).isoformat()) for i in range(30)]
    few = draw(event("early", "2019-03-02"), event("month", "2019-10"), *days)
    assert few.unit and few.bins and len(few.detail) == 32 and {m.kind for m in few.detail} == {"point", "month"}
    assert ("point", "known to the day", "fine") in few.legend and ("count", "events per week", "coarse") in few.legend
    many = draw(*(event(f"d{i}", (dt.date(2019, 1, 1) + dt.timedelta(days=i % 365)).isoformat()) for i in range(500)))
    assert many.bins and not many.detail


def test_on_a_home_page_of_years_counts_link_to_the_page_of_their_first_year():
    """The year page opens with that count's first event: a fragment would only repeat its slug."""
    events = [event(f"e{i}", f"{1900 + i * 125 // 10000}-{i % 12 + 1:02d}-{i % 28 + 1:02d}") for i in range(10000)]
    groups = group_events(events)
    split = overview.of_groups(groups, "years/", lambda target: "./" + target, EN)
    assert split.bins[0].href == "./years/1900/" and split.bins[1].href == "./years/1910/"
    here = overview.of_groups(groups, "", lambda target: "./" + target, EN)
    assert here.bins[0].href == "#e0"


def test_the_axis_lists_months_only_where_they_could_be_chosen():
    """A long axis skips listing every month (a century's, on every page, was 0.4 s at 1,000
    events); where the months could be the ticks chosen, they are the ones listed in full."""
    import datetime as dt
    import random

    from dateline.render import overview_axis as ax

    def listed(start, stop, step):  # every month of the range, as before
        first, last = dt.date.fromordinal(start), dt.date.fromordinal(stop - 1)
        firsts = (dt.date(m // 12, m % 12 + 1, 1).toordinal() for m in range(
            first.year * 12 + first.month - 1, last.year * 12 + last.month) if m % step == 0)
        return [n for n in firsts if n >= start]

    rng = random.Random(1)
    for _ in range(2000):
        start = rng.randint(dt.date(1800, 1, 1).toordinal(), dt.date(2030, 1, 1).toordinal())
        stop = start + rng.choice([1, 30, 200, 400, 1000, 3000, 50000])
        for step in (1, 3, 6):
            fast, full = ax.tick_days(start, stop, "month", step), listed(start, stop, step)
            assert len(fast) > ax.MAX_TICKS and len(full) > ax.MAX_TICKS or fast == full
