"""`build.py new` and `build.py new-source`: files check accepts, never an overwrite, every refusal explained."""

from __future__ import annotations

from dateline import pipeline as site

SITE = """
-- content/sources/bbc-2019-10-13.yaml --
title: A report
publisher: BBC News
published: "2019-10-13"
-- content/sources/afp-2019-10-11.yaml --
title: A wire story
publisher: AFP
published: "2019-10-11"
-- content/events/e.md --
---
title: E
date: 2019-10-11
sources: [bbc-2019-10-13, afp-2019-10-11]
---
Text [@bbc-2019-10-13; @afp-2019-10-11].
"""

REFUSED = "1 error; nothing was written\n"


def test_new_writes_a_draft_event_that_check_accepts(make_site, run_cli):
    root = make_site(SITE)
    code, out, err = run_cli("new", "Ain Issa: the escape", "--date", "13 October 2019", "--source",
                             "bbc-2019-10-13", "--place", "Ain Issa", "--tag", "escapes", "--site", root)
    path = root / "content/events/2019-10-13-ain-issa-the-escape.md"
    assert (code, out, err) == (0, f"{path}\n", "created as a draft: remove `draft: true` once it is written\n")
    assert path.read_text() == (
        "---\n"
        "title: 'Ain Issa: the escape'\n"
        "date: '2019-10-13'\n"
        "place: Ain Issa\n"
        "tags:\n"
        "- escapes\n"
        "sources:\n"
        "- bbc-2019-10-13\n"
        "draft: true\n"
        "---\n"
        "Say what happened, in your own words, and cite a source for each claim [@bbc-2019-10-13].\n")
    assert run_cli("check", "--strict", "--site", root)[0] == 0
    event = site.check(root, drafts=True).timeline.event("2019-10-13-ain-issa-the-escape")
    assert (event.title, event.place, event.tags, [n.source.id for n in event.notes], event.draft) == \
        ("Ain Issa: the escape", "Ain Issa", ("escapes",), ["bbc-2019-10-13"], True)


def test_new_cites_every_source_given_in_its_placeholder(make_site, run_cli):
    root = make_site(SITE)
    run_cli("new", "Two sources", "--date", "2019-10-11", "--source", "afp-2019-10-11",
            "--source", "bbc-2019-10-13", "--site", root)
    text = (root / "content/events/2019-10-11-two-sources.md").read_text()
    assert "sources:\n- afp-2019-10-11\n- bbc-2019-10-13\n" in text
    assert text.endswith("claim [@afp-2019-10-11; @bbc-2019-10-13].\n")


def test_new_names_the_file_at_the_date_s_precision(make_site, run_cli):
    root = make_site(SITE)
    assert run_cli("new", "A month", "--date", "October 2019", "--site", root)[0] == 0
    assert run_cli("new", "About a year", "--date", "2019~", "--site", root)[0] == 0
    assert (root / "content/events/2019-10-a-month.md").read_text().startswith(
        "---\ntitle: A month\ndate: 2019-10\n")
    assert "\ndate: 2019~\n" in (root / "content/events/2019-about-a-year.md").read_text()


def test_a_weekday_keeps_its_words_and_is_read_against_the_first_source(make_site, run_cli):
    root = make_site(SITE)
    code, out, _ = run_cli("new", "Car bomb", "--date", "early Saturday morning",
                           "--source", "bbc-2019-10-13", "--site", root)
    path = root / "content/events/2019-10-12-car-bomb.md"
    assert (code, out) == (0, f"{path}\n")
    assert "\ndate: early Saturday morning\n" in path.read_text()
    _, _, err = run_cli("check", "--site", root)
    assert "content/events/2019-10-12-car-bomb.md:3: info: date 'early Saturday morning' read as 2019-10-12 " \
           "against bbc-2019-10-13 (published 2019-10-13)" in err.splitlines()


def test_a_weekday_without_a_source_is_refused(make_site, run_cli):
    root = make_site(SITE)
    code, out, err = run_cli("new", "Car bomb", "--date", "Saturday", "--site", root)
    assert (code, out) == (1, "")
    assert err == ("build.py: error: --date: 'Saturday' is relative and there is no date to read it against "
                   "(give a --source with a `published` day to read it against, or write the date in full)\n"
                   + REFUSED)
    assert sorted(p.name for p in (root / "content/events").iterdir()) == ["e.md"]


def test_new_never_overwrites(make_site, run_cli):
    root = make_site(SITE)
    assert run_cli("new", "Same", "--date", "2019-10-12", "--site", root)[0] == 0
    path = root / "content/events/2019-10-12-same.md"
    path.write_text(path.read_text() + "Edited.\n")
    before = path.read_text()
    code, out, err = run_cli("new", "Same", "--date", "12 October 2019", "--site", root)
    assert (code, out) == (1, "")
    assert err == ("content/events/2019-10-12-same.md: error: file already exists, and new never overwrites "
                   "(edit that file, or choose another title or id)\n" + REFUSED)
    assert path.read_text() == before


def test_new_refuses_unknown_sources_suggesting_the_nearest(make_site, run_cli):
    root = make_site(SITE)
    code, _, err = run_cli("new", "X", "--date", "2019-10-12", "--source", "bbc-2019-10-31",
                           "--source", "reuters", "--site", root)
    assert code == 1
    assert err == ("build.py: error: --source: unknown source 'bbc-2019-10-31' (did you mean 'bbc-2019-10-13'?)\n"
                   "build.py: error: --source: unknown source 'reuters' (add it first: dateline new-source "
                   "reuters --title ... --publisher ...)\n"
                   "2 errors; nothing was written\n")
    assert not (root / "content/events/2019-10-12-x.md").exists()


def test_new_refuses_an_unreadable_date_and_an_empty_title(make_site, run_cli):
    root = make_site(SITE)
    code, _, err = run_cli("new", " ", "--date", "32 October 2019", "--site", root)
    assert code == 1
    assert err == ("build.py: error: --date: October 2019 has no day 32 ('32 October 2019') (check the day "
                   "against a calendar)\n"
                   "build.py: error: title: must not be empty\n"
                   "2 errors; nothing was written\n")


def test_new_outside_a_site_is_refused(tmp_path, run_cli):
    code, _, err = run_cli("new", "X", "--date", "2019", "--site", tmp_path)
    assert (code, err) == (1, "site.yaml: error: site.yaml is missing (run the command from the site's folder, "
                              "or pass --site PATH)\n" + REFUSED)
    assert not (tmp_path / "content").exists()


def test_new_without_a_date_is_a_usage_error(make_site, run_cli):
    code, _, err = run_cli("new", "X", "--site", make_site(SITE))
    assert code == 2
    assert "the following arguments are required: --date" in err


def test_new_source_writes_quoted_yaml_that_check_reads_back(make_site, run_cli):
    root = make_site(SITE)
    title = "Turkey-Syria offensive: 'Hundreds' of IS relatives escape camp"
    code, out, _ = run_cli("new-source", "bbc-2019-10-14", "--title", title, "--publisher", "BBC News",
                           "--url", "https://www.bbc.co.uk/news/world-middle-east-50032711",
                           "--published", "14 October 2019", "--site", root)
    path = root / "content/sources/bbc-2019-10-14.yaml"
    assert (code, out) == (0, f"{path}\n")
    assert path.read_text() == (
        "title: 'Turkey-Syria offensive: ''Hundreds'' of IS relatives escape camp'\n"
        "publisher: BBC News\n"
        "url: https://www.bbc.co.uk/news/world-middle-east-50032711\n"
        "published: '2019-10-14'\n")
    _, _, err = run_cli("check", "--site", root)
    assert err.splitlines() == [
        "content/sources/bbc-2019-10-14.yaml:1: warning: no event cites source 'bbc-2019-10-14' "
        "(cite it or delete the file)",
        "checked 1 event: 0 errors, 1 warning, 0 notes"]
    source = {s.id: s for s in site.check(root).timeline.sources}["bbc-2019-10-14"]
    assert (source.title, source.publisher, source.published.iso) == (title, "BBC News", "2019-10-14")


def test_new_source_quotes_what_yaml_would_misread(make_site, run_cli):
    root = make_site(SITE)
    assert run_cli("new-source", "x", "--title", "yes", "--publisher", "2019", "--site", root)[0] == 0
    assert (root / "content/sources/x.yaml").read_text() == "title: 'yes'\npublisher: '2019'\n"


def test_new_source_never_overwrites(make_site, run_cli):
    root = make_site(SITE)
    before = (root / "content/sources/afp-2019-10-11.yaml").read_text()
    code, _, err = run_cli("new-source", "afp-2019-10-11", "--title", "T", "--publisher", "P", "--site", root)
    assert (code, err) == (1, "content/sources/afp-2019-10-11.yaml: error: file already exists, and new never "
                              "overwrites (edit that file, or choose another title or id)\n" + REFUSED)
    assert (root / "content/sources/afp-2019-10-11.yaml").read_text() == before


def test_new_source_refuses_a_bad_id_url_and_date(make_site, run_cli):
    root = make_site(SITE)
    code, _, err = run_cli("new-source", "../BBC News", "--title", "T", "--publisher", "P",
                           "--url", "javascript:alert(1)", "--published", "Saturday", "--site", root)
    assert code == 1
    assert err == ("build.py: error: --published: 'Saturday' is relative and there is no date to read it "
                   "against (write the publication date in full, e.g. 2019-10-13)\n"
                   "build.py: error: --url: must be an http or https URL, not 'javascript:alert(1)' (leave it out "
                   "when the source has no URL: never invent one)\n"
                   "build.py: error: source id '../BBC News' may hold only letters, digits, - and _ "
                   "(e.g. bbc-news)\n"
                   "3 errors; nothing was written\n")
    assert sorted(p.name for p in (root / "content/sources").iterdir()) == ["afp-2019-10-11.yaml",
                                                                         "bbc-2019-10-13.yaml"]


def test_new_warns_at_once_of_a_date_after_its_sources_publication_as_check_does(make_site, run_cli):
    root = make_site(SITE)
    code, out, err = run_cli("new", "Later", "--date", "2019-10-14", "--source", "bbc-2019-10-13",
                             "--source", "afp-2019-10-11", "--site", root)
    warning = ("content/events/2019-10-14-later.md:2: warning: event is dated 2019-10-14, after its sources were "
               "published (check the date against the sources)")
    assert code == 0 and out.endswith("2019-10-14-later.md\n")
    assert err.splitlines()[0] == warning
    assert warning in run_cli("check", "--drafts", "--site", root)[2].splitlines()  # the same words, the same line
    code, _, err = run_cli("new", "Between", "--date", "2019-10-12", "--source", "bbc-2019-10-13",
                           "--source", "afp-2019-10-11", "--site", root)
    assert err.splitlines()[0] == ("content/events/2019-10-12-between.md:2: warning: event is dated 2019-10-12, "
                                   "after afp-2019-10-11 (2019-10-11) was published (check the date against the "
                                   "sources)")
    code, _, err = run_cli("new", "Before", "--date", "2019-10-11", "--source", "afp-2019-10-11", "--site", root)
    assert "warning" not in err
