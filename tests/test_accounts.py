"""Accounts as claims: their own locators, their questions, their figures, and when they disagree."""

from __future__ import annotations

import csv
import io
import re

import pytest

from dateline import pipeline as site
from dateline.core.claims import Figure, Question, Account
from dateline.render.i18n import EN, FR, format_figure

SOURCES = """
-- content/sources/a.yaml --
title: Source A
publisher: Pub A
url: https://example.org/a
-- content/sources/b.yaml --
title: Source B
publisher: Pub B
"""


def built(make_site, front: str, body: str = "Text [@a, para 2].") -> tuple:
    root = make_site(SOURCES + f"-- content/events/e.md --\n---\ntitle: E\ndate: 2019-10-12\n{front}---\n{body}\n")
    result = site.build(root, write=False)
    (event,) = result.timeline.events
    page = result.files[f"events/{event.slug}/index.html"].decode()
    return event, page, result


def figure(value, qualifier="", counts="", high=None) -> Figure:
    return Figure(value, qualifier, counts, high)


def question(*figures: Figure, disputes: bool = False) -> Question:
    return Question("How many?", tuple(Account(f"c{i}", "by", (), figure=f, disputes=disputes and i == 1)
                                       for i, f in enumerate(figures)))


def test_each_account_links_to_the_place_in_its_note_that_holds_its_locator(make_site):
    event, page, _ = built(make_site, """sources: [a]
accounts:
  - {claim: "Eight hundred", by: Officials, cite: "[@a, para 8]", quote: "almost 800"}
  - {claim: "One hundred", by: Monitors, cite: "[@a, para 9; @b, p. 3]"}
""", body="Opening [@a, para 2]. Later [@a, para 8].")
    (a_note, b_note) = event.notes
    assert [(p.locator, p.anchor) for p in a_note.pinpoints] == [
        ("para 2", "note-1-1"), ("para 8", "note-1-2"), ("para 9", "note-1-3")]
    first, second = event.accounts
    assert [(c.note, c.locator, c.anchor) for c in first.cites] == [(1, "para 8", "note-1-2")]
    assert [(c.note, c.locator, c.anchor) for c in second.cites] == [(1, "para 9", "note-1-3"), (2, "p. 3", "note-2")]
    # the account's link goes to the place, which shows the locator and links back to the account
    assert '<a href="#note-1-2" id="account-1-1" class="cite-link">[1]</a><span class="rp">:&nbsp;para 8</span>' in page
    place = re.search(r'<li id="note-1-2">(.*?)</li>', page, re.S).group(1)
    assert 'href="#cite-1-2"' in place and 'href="#account-1-1"' in place and "para 8" in place
    assert "almost 800" in place  # the account's quote is shown at its place, where the note has none


def test_a_source_is_listed_once_however_often_it_is_cited(make_site):
    _, page, _ = built(make_site, "sources: [a]\n", body="One [@a, para 2]. Two [@a, para 10]. Three [@a, para 2].")
    assert page.count("<cite>") == 1 and page.count('class="note-list"') == 1
    notes = page[page.index('<ol class="note-list">'):]
    assert notes.index('<li id="note-1-1">') < notes.index("para 2</span>") < notes.index("para 10</span>")


def test_an_account_without_a_locator_is_refused_when_its_source_is_cited_at_places(make_site, run_cli):
    root = make_site(SOURCES + """-- content/events/e.md --
---
title: E
date: 2019-10-12
accounts:
  - {claim: "One hundred", by: Monitors, cite: "[@a]"}
---
Text [@a, para 2]. More [@a, para 3].
""")
    code, _, err = run_cli("check", "--site", root)
    assert code == 1 and ("content/events/e.md:5: error: the account cites 'a' without a locator, while the event "
                          "cites it at para 2, para 3: say which place holds this account") in err


def test_the_older_sources_form_still_reads_with_a_warning_to_move_to_cite(make_site, run_cli):
    root = make_site(SOURCES + """-- content/events/e.md --
---
title: E
date: 2019-10-12
accounts:
  - claim: One hundred
    by: Monitors
    sources: [a, b]
---
Text [@a, para 2].
""")
    code, _, err = run_cli("check", "--site", root)
    assert code == 0
    assert ('content/events/e.md:7: warning: an account\'s sources: has no locators, so it links to its sources as a '
            'whole (write cite: "[@a, para N; @b, para N]", each source with its own locator)') in err
    assert run_cli("check", "--strict", "--site", root)[0] == 1
    event = site.check(root).timeline.events[0]
    assert [(c.note, c.anchor) for c in event.accounts[0].cites] == [(1, "note-1"), (2, "note-2")]


def test_accounts_are_grouped_by_their_question(make_site):
    event, page, _ = built(make_site, """sources: [a]
accounts:
  - {about: How many?, claim: "At least 785", by: X, cite: "[@a, para 1]", value: 785, qualifier: at least}
  - {about: Who?, claim: "Families", by: Y, cite: "[@a, para 3]"}
  - {about: How many?, claim: "100", by: Z, cite: "[@a, para 4]", value: 100}
""")
    assert [(q.about, [a.by for a in q.accounts]) for q in event.questions] == [("How many?", ["X", "Z"]), ("Who?", ["Y"])]
    assert page.count('<section class="question') == 2
    assert '<h3 id="q-1">How many? <span class="badge">disputed</span></h3>' in page
    assert '<h3 id="q-2">Who?</h3>' in page


def test_accounts_that_only_add_detail_are_not_a_dispute(make_site):
    event, page, result = built(make_site, """sources: [a]
accounts:
  - {about: What came first?, claim: "Air raids", by: X, cite: "[@a, para 1]"}
  - {about: What came first?, claim: "Shelling", by: Y, cite: "[@a, para 3]"}
  - {about: How many died?, claim: "Nine", by: Z, cite: "[@a, para 4]", value: 9}
""")
    assert not event.disputed
    assert "disputed" not in page and "Accounts differ" not in page and '<h2 id="accounts">Accounts</h2>' in page
    assert '<span class="badge">disputed</span>' not in result.files["index.html"].decode()


def test_an_account_marked_disputes_makes_its_question_disputed(make_site):
    event, page, _ = built(make_site, """sources: [a]
accounts:
  - {about: Who holds the town?, claim: "Turkey took it", by: Turkey, cite: "[@a, para 1]"}
  - {about: Who holds the town?, claim: "It has not fallen", by: SDF, cite: "[@a, para 3]", disputes: true}
""")
    assert event.disputed and [q.disputed for q in event.questions] == [True]
    assert '<li class="account disputes">' in page and "Accounts differ" in page


@pytest.mark.parametrize("figures, disputed", [
    ((figure(785, "at least"), figure(100)), True),
    ((figure(785, "at least"), figure(785, "at least")), False),
    ((figure(9),), False),
    ((figure(2_000_000, "about"), figure(3_000_000, "more than")), True),
])
def test_figures_that_differ_are_a_dispute(figures, disputed):
    assert question(*figures).disputed is disputed


def test_the_range_is_written_from_the_figures_as_the_sources_give_them():
    span = question(figure(785, "at least", "foreign IS members"), figure(800, "almost", "relatives"),
                    figure(100, "", "people who fled")).span()
    low, high = span
    # "almost 800" is below 800 and "at least 785" has no top: the highest figure given is "at least 785"
    assert (format_figure(low, EN), format_figure(high, EN)) == ("100", "at least 785")
    assert question(figure(9)).span() is None
    assert question(figure(785, "at least"), figure(785, "at least")).span() is None
    low, high = question(figure(2500, high=3000), figure(4000, "at least")).span()
    assert (format_figure(low, EN), format_figure(high, EN)) == ("2,500", "at least 4,000")


def test_figures_are_written_with_their_qualifier_in_the_site_language():
    assert format_figure(figure(3_000_000, "more than"), EN) == "more than 3,000,000"
    assert format_figure(figure(2500, high=3000, counts="foreigners"), EN, True) == "2,500 to 3,000 (foreigners)"
    assert format_figure(figure(800, "almost"), FR) == "près de 800"


def test_the_range_names_what_each_end_counts_when_they_differ(make_site):
    _, page, _ = built(make_site, """sources: [a]
accounts:
  - {about: How many?, claim: "785", by: X, cite: "[@a, para 1]", value: 785, qualifier: at least, counts: members}
  - {about: How many?, claim: "100", by: Z, cite: "[@a, para 4]", value: 100, counts: people who fled}
  - {about: How many homes?, claim: "120", by: X, cite: "[@a, para 5]", value: 120, qualifier: about, counts: homes}
  - {about: How many homes?, claim: "300", by: Z, cite: "[@a, para 6]", value: 300, qualifier: more than, counts: homes}
""")
    assert "Figures range from 100 (people who fled) to at least 785 (members)." in page
    assert "Figures range from about 120 to more than 300." in page


def test_accounts_csv_carries_the_structure_and_no_formula(make_site):
    _, _, result = built(make_site, """sources: [a]
accounts:
  - {about: "=1+1", claim: "@SUM(A1)", by: "-X", cite: "[@a, para 1]", value: 5, counts: "+people"}
""")
    rows = list(csv.reader(io.StringIO(result.files["accounts.csv"].decode())))
    assert rows[1][1:6] == ["'=1+1", "false", "'@SUM(A1)", "'-X", "[@a, para 1]"]
    assert rows[1][10] == "'+people"


def test_the_home_page_numbers_sources_one_way(make_site):
    _, _, result = built(make_site, "sources: [a, b]\n", body="One [@a, para 2]. Two [@a, para 3]. [@b]")
    home = result.files["index.html"].decode()
    cites = re.search(r'<p class="cites">(.*?)</p>', home, re.S).group(1)
    # the source names link to the event's notes; the only numbers are the printed endnotes',
    # which the print stylesheet writes after each name from its data-n
    assert re.findall(r'data-n="(\d+)"', cites) == ["1", "2"]
    assert '<a href="events/2019-10-12-e/#note-1" data-n="1">Pub A</a>' in cites
