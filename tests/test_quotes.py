"""Quotes checked against a source's stored text, and quotes deep-linked with text fragments."""

from __future__ import annotations

import json

from dateline import pipeline as site
from dateline.core.model import Note, Pinpoint, Source, text_fragment
from dateline.core.quotes import contains, normalise

SITE = """
-- texts/a.txt --
The ministry said on Saturday that “the convoy
was turned back” at the border. It’s   the second time.
-- content/sources/a.yaml --
title: Report A
publisher: Agency
published: "2019-10-13"
text: texts/a.txt
-- content/sources/b.yaml --
title: Report B
publisher: Paper
published: "2019-10-13"
"""

HINT = ("(check the wording against the stored text: a quote must be copied exactly, only white space "
        "and quote marks may differ)")


def test_normalise_makes_white_space_quote_marks_and_apostrophes_plain():
    assert normalise("“Hello”,\n  she said:\t‘it’s  «\u00a0fine\u00a0»’ ʼtis „so‟") == \
        "\"Hello\", she said: 'it's \"fine\"' 'tis \"so\""


def test_contains_ignores_typesetting_but_not_case_or_words():
    text = "The UN says 130,000 people have fled their homes."
    assert contains(text, "UN says 130,000\npeople")
    assert not contains(text, "the UN says")
    assert not contains(text, "UN said 130,000")


def test_quotes_found_despite_curly_quotes_and_line_breaks(make_site, run_cli):
    root = make_site(SITE + """
-- content/events/e.md --
---
title: E
date: 2019-10-12
sources:
  - id: a
    quote: "said on Saturday that \\"the convoy was turned back\\""
  - b
accounts:
  - claim: It happened twice
    by: the ministry
    cite: "[@a]"
    quote: "It's the second time."
---
Text [@a; @b].
""")
    code, _, err = run_cli("check", "--strict", "--site", root)
    assert (code, err) == (0, "checked 1 event: 0 errors, 0 warnings, 0 notes; 2 of 2 quotes verified against stored texts\n")


def test_a_quote_not_in_the_text_is_an_error_naming_both_files(make_site, run_cli):
    root = make_site(SITE + """
-- content/events/e.md --
---
title: E
date: 2019-10-12
sources:
  - id: a
    quote: "the Convoy was turned back"
  - id: b
    quote: "not checked: b has no stored text"
accounts:
  - claim: It happened three times
    by: the ministry
    cite: "[@b; @a]"
    quote: "the third time"
---
Text [@a; @b].
""")
    code, _, err = run_cli("check", "--site", root)
    assert code == 1
    assert err.splitlines() == [
        "content/events/e.md:6: error: quote not found in a's text (content/sources/a.yaml -> texts/a.txt): "
        "\"the Convoy was turned back\" " + HINT,
        "content/events/e.md:8: info: quote not verified: b has no stored text: \"not checked: b has no stored "
        "text\" (save its text by hand and set `text:` in content/sources/b.yaml)",
        "content/events/e.md:13: error: quote not found in a's text (content/sources/a.yaml -> texts/a.txt): "
        "\"the third time\" " + HINT,
        "checked the site: 2 errors, 0 warnings, 1 note",
    ]


def test_a_missing_text_file_is_an_error_at_the_source_line(make_site, run_cli):
    root = make_site("""
-- content/sources/a.yaml --
title: Report A
publisher: Agency
text: texts/missing.txt
-- content/sources/b.yaml --
title: Report B
text: /srv/texts/b.txt
-- content/events/e.md --
---
title: E
date: 2019-10-12
sources: [a, b]
---
""")
    code, _, err = run_cli("check", "--site", root)
    assert code == 1
    assert err.splitlines() == [
        "content/sources/a.yaml:3: error: text file 'texts/missing.txt' does not exist (the path is relative "
        "to the folder holding site.yaml; fix it or remove `text:`)",
        "content/sources/b.yaml:2: error: 'text' must be a path relative to the site root, not "
        "'/srv/texts/b.txt' (write it from the folder holding site.yaml, e.g. sources-text/bbc.txt)",
        "checked the site: 2 errors, 0 warnings, 0 notes",
    ]


def test_a_note_with_a_url_and_a_quote_links_to_a_text_fragment():
    source = Source("a", "Report", url="https://example.org/story")
    quoted = (Pinpoint("", "Saturday, a Franco-German\n  deal & more", "note-1"),)
    assert Note(1, source, quoted).link == \
        "https://example.org/story#:~:text=Saturday%2C%20a%20Franco%2DGerman%20deal%20%26%20more"
    assert Note(1, source).link == "https://example.org/story"
    assert Note(1, Source("b", "Report"), (Pinpoint("", "words"),)).link == ""
    places = Note(1, source, (Pinpoint("para 2", "one", "note-1-1"), Pinpoint("para 8", "two words", "note-1-2")))
    assert [places.link_of(p) for p in places.places] == [
        "https://example.org/story#:~:text=one", "https://example.org/story#:~:text=two%20words"]
    assert text_fragment("it’s “so”") == "it%E2%80%99s%20%E2%80%9Cso%E2%80%9D"


def test_the_event_page_links_the_quote_to_its_fragment(make_site, tmp_path):
    root = make_site("""
-- content/sources/a.yaml --
title: Report A
url: https://example.org/story
-- content/events/e.md --
---
title: E
date: 2019-10-12
sources:
  - id: a
    quote: "turned back, twice"
---
Text [@a].
""")
    page = site.build(root, tmp_path / "out", write=False).files["events/2019-10-12-e/index.html"].decode()
    assert 'href="https://example.org/story#:~:text=turned%20back%2C%20twice"' in page


CHECKED = SITE.replace("published: \"2019-10-13\"\n\"\"\"", "") + """url: https://example.org/b
-- content/events/e.md --
---
title: E
date: 2019-10-12
sources:
  - id: a
    quote: "the convoy was turned back"
  - id: b
    quote: "b has no stored text"
accounts:
  - claim: It happened twice
    by: the ministry
    cite: "[@a; @b]"
    quote: "It's the second time."
  - claim: It happened before
    by: the ministry
    cite: "[@a]"
    quote: "It's the second time."
---
Text [@a; @b].
"""

UNVERIFIED = [
    "content/events/e.md:8: {severity}: quote not verified: b has no stored text: \"b has no stored text\" (run "
    "`dateline archive b` to store its text, or save it by hand and set `text:` in content/sources/b.yaml)",
    "content/events/e.md:13: {severity}: quote not verified: b has no stored text: \"It's the second time.\" (run "
    "`dateline archive b` to store its text, or save it by hand and set `text:` in content/sources/b.yaml)",
]


def test_check_counts_the_verified_quotes_and_notes_the_others(make_site, run_cli):
    root = make_site(CHECKED)
    code, _, err = run_cli("check", "--strict", "--site", root)
    assert code == 0  # notes never fail
    assert err.splitlines() == [line.format(severity="info") for line in UNVERIFIED] + [
        "checked 1 event: 0 errors, 0 warnings, 2 notes; 2 of 4 quotes verified against stored texts"]


def test_strict_quotes_makes_an_unverified_quote_a_warning_that_check_strict_fails(make_site, run_cli):
    root = make_site(CHECKED + "-- site.yaml --\ntitle: Quotes\nstrict_quotes: true\n")
    code, _, err = run_cli("check", "--site", root)
    assert (code, err.splitlines()) == (0, [line.format(severity="warning") for line in UNVERIFIED] + [
        "checked 1 event: 0 errors, 2 warnings, 0 notes; 2 of 4 quotes verified against stored texts"])
    code, _, err = run_cli("check", "--strict", "--site", root)
    assert code == 1 and err.splitlines()[0] == UNVERIFIED[0].format(severity="error")
    (root / "content/events/e.md").write_text((root / "content/events/e.md").read_text()
                                              .replace('cite: "[@a; @b]"', 'cite: "[@a]"')
                                              .replace("  - id: b\n    quote: \"b has no stored text\"\n", "  - b\n"))
    code, _, err = run_cli("check", "--strict", "--site", root)
    assert (code, err) == (0, "checked 1 event: 0 errors, 0 warnings, 0 notes; 3 of 3 quotes verified against "
                              "stored texts\n")


def test_events_json_says_of_each_quote_whether_it_was_verified(make_site, tmp_path):
    files = site.build(make_site(CHECKED), tmp_path / "out", write=False).files
    event = json.loads(files["events.json"])["events"][0]
    assert [(n["source"], [p["quote_verified"] for p in n["places"]]) for n in event["notes"]] == [
        ("a", [True]), ("b", [False])]
    assert [a["quote_verified"] for a in event["accounts"]] == [False, True]


def test_a_draft_quote_is_neither_counted_nor_listed_until_drafts_are_checked(make_site, run_cli):
    root = make_site(CHECKED.replace("date: 2019-10-12\n", "date: 2019-10-12\ndraft: true\n"))
    code, _, err = run_cli("check", "--site", root)
    assert err.splitlines()[-1] == "checked 0 events: 0 errors, 0 warnings, 0 notes"
    code, _, err = run_cli("check", "--drafts", "--site", root)
    assert err.splitlines()[-1] == "checked 1 event: 0 errors, 0 warnings, 2 notes; 2 of 4 quotes verified against stored texts"
