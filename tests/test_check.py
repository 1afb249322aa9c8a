"""`build.py check`: every error, warning and note with file:line, --strict, --format json, exit codes."""

from __future__ import annotations

import json

SOURCES = """
-- content/sources/a.yaml --
title: Report A
publisher: Agency
published: "2019-10-13"
-- content/sources/early.yaml --
title: Report of the 11th
publisher: Agency
published: "2019-10-11"
"""

CLEAN = SOURCES + """
-- content/events/e.md --
---
title: E
date: 2019-10-11
sources: [a, early]
---
Text [@a; @early].
"""


def test_a_clean_site_passes_writes_nothing_and_says_what_it_checked(make_site, run_cli):
    root = make_site(CLEAN)
    code, out, err = run_cli("check", "--site", root)
    assert (code, out) == (0, "")
    assert err == "checked 1 event: 0 errors, 0 warnings, 0 notes\n"
    assert not (root / "output").exists()


def test_each_warning_names_its_file_and_line(make_site, run_cli):
    root = make_site(SOURCES + """
-- content/events/late.md --
---
title: Late
date: 2019-10-12
sources: [a, early]
---
Text.
-- content/events/unsourced.md --
---
title: Unsourced
date: 2019-10-01
---
Text.
""")
    code, out, err = run_cli("check", "--site", root)
    assert code == 0  # warnings alone do not fail a check
    assert err.splitlines() == [
        "content/events/late.md:2: warning: event is dated 2019-10-12, after early (2019-10-11) was "
        "published (check the date against the sources)",
        "content/events/unsourced.md:2: warning: event 'Unsourced' cites no source (add sources: [source-id])",
        "checked 2 events: 0 errors, 2 warnings, 0 notes",
    ]


def test_an_event_after_all_its_sources_and_an_uncited_source(make_site, run_cli):
    root = make_site(SOURCES + """
-- content/events/e.md --
---
title: E
date: 2019-10-20
sources: [a]
---
Text.
""")
    code, _, err = run_cli("check", "--site", root)
    assert code == 0
    assert err.splitlines()[:2] == [
        "content/events/e.md:2: warning: event is dated 2019-10-20, after its sources were published "
        "(check the date against the sources)",
        "content/sources/early.yaml:1: warning: no event cites source 'early' (cite it or delete the file)",
    ]


def test_a_source_cited_only_by_a_draft_is_not_reported_uncited(make_site, run_cli):
    root = make_site(CLEAN + """
-- content/sources/b.yaml --
title: Report B
publisher: Agency
published: "2019-10-13"
-- content/events/d.md --
---
title: D
date: 2019-10-12
sources: [b]
draft: true
---
Text [@b].
""")
    assert run_cli("check", "--strict", "--site", root)[0] == 0


def test_a_draft_that_cites_nothing_is_listed_as_a_note_and_as_a_warning_with_drafts(make_site, run_cli):
    root = make_site(CLEAN + """
-- content/events/d.md --
---
title: D
date: 2019-10-12
draft: true
---
Imported, not yet sourced.
""")
    code, _, err = run_cli("check", "--strict", "--site", root)
    assert code == 0  # a note: a draft is not on the site, and may wait for its sources
    assert err.splitlines() == [
        "content/events/d.md:2: info: draft 'D' cites no source yet (add sources: [source-id] "
        "before removing draft: true)",
        "checked 1 event: 0 errors, 0 warnings, 1 note",
    ]
    code, _, err = run_cli("check", "--drafts", "--site", root)
    assert err.splitlines()[0] == "content/events/d.md:2: warning: event 'D' cites no source (add sources: [source-id])"


def test_same_title_same_day_is_a_warning_when_the_slugs_differ(make_site, run_cli):
    root = make_site(CLEAN + """
-- content/events/f.md --
---
title: E
date: 2019-10-11
slug: e-again
sources: [a]
---
Text.
""")
    _, _, err = run_cli("check", "--site", root)
    assert "content/events/f.md:2: warning: same title and day as content/events/e.md:2 " \
           "(merge them or tell them apart)" in err.splitlines()


def test_same_title_same_day_and_slug_is_reported_once_as_an_error(make_site, run_cli):
    root = make_site(CLEAN + """
-- content/events/f.md --
---
title: E
date: 2019-10-11
sources: [a]
---
Text.
""")
    code, _, err = run_cli("check", "--site", root)
    assert code == 1
    assert err.splitlines() == [
        "content/events/f.md:2: error: two events have the slug '2019-10-11-e' (the other is "
        "content/events/e.md:2) (change one title or set `slug:` on one of them)",
        "checked the site: 1 error, 0 warnings, 0 notes",
    ]


def test_a_relative_date_is_a_note_with_its_source_and_strict_passes_it(make_site, run_cli):
    root = make_site(SOURCES + """
-- content/events/e.md --
---
title: E
date: early Saturday morning
sources: [a]
---
Text [@a].
-- content/events/f.md --
---
title: F
date: Thursday
date_from: early
sources: [a, early]
---
Text [@a; @early].
""")
    code, _, err = run_cli("check", "--strict", "--site", root)
    assert code == 0
    assert err.splitlines() == [
        "content/events/e.md:3: info: date 'early Saturday morning' read as 2019-10-12 against a "
        "(published 2019-10-13)",
        "content/events/f.md:3: info: date 'Thursday' read as 2019-10-10 against early (published 2019-10-11)",
        "checked 2 events: 0 errors, 0 warnings, 2 notes",
    ]


def test_strict_makes_warnings_errors(make_site, run_cli):
    root = make_site(SOURCES + """
-- content/events/e.md --
---
title: E
date: 2019-10-12
sources: [a]
---
Text.
""")
    assert run_cli("check", "--site", root)[0] == 0
    code, _, err = run_cli("check", "--strict", "--site", root)
    assert code == 1
    assert err.splitlines() == [
        "content/sources/early.yaml:1: error: no event cites source 'early' (cite it or delete the file)",
        "checked 1 event: 1 error, 0 warnings, 0 notes",
    ]


def test_errors_and_warnings_are_listed_together(make_site, run_cli):
    root = make_site(CLEAN + """
-- content/events/bad.md --
---
title: Bad
date: 2019-13-01
---
-- content/events/unsourced.md --
---
title: Unsourced
date: 2019-10-01
---
""")
    code, _, err = run_cli("check", "--site", root)
    assert code == 1
    assert err.splitlines() == [
        "content/events/bad.md:3: error: 'date': month 13 does not exist in '2019-13-01' (months run from 01 to 12)",
        "content/events/unsourced.md:2: warning: event 'Unsourced' cites no source (add sources: [source-id])",
        "checked the site: 1 error, 1 warning, 0 notes",
    ]


def test_json_lists_every_problem_on_stdout(make_site, run_cli):
    root = make_site(SOURCES + """
-- content/events/e.md --
---
title: E
date: Saturday
sources: [a]
---
Text [@a].
""")
    code, out, err = run_cli("check", "--format", "json", "--site", root)
    assert code == 0
    assert json.loads(out) == [
        {"path": "content/events/e.md", "line": 3, "col": 0, "severity": "info", "code": "relative-date",
         "message": "date 'Saturday' read as 2019-10-12 against a (published 2019-10-13)", "hint": ""},
        {"path": "content/sources/early.yaml", "line": 1, "col": 0, "severity": "warning",
         "code": "uncited-source", "message": "no event cites source 'early'", "hint": "cite it or delete the file"},
    ]
    assert err == "checked 1 event: 0 errors, 1 warning, 1 note\n"
    code, out, _ = run_cli("check", "--format", "json", "--strict", "--site", root)
    assert code == 1
    assert [p["severity"] for p in json.loads(out)] == ["info", "error"]


def test_json_of_a_clean_site_is_an_empty_list(make_site, run_cli):
    code, out, _ = run_cli("check", "--format", "json", "--site", make_site(CLEAN))
    assert (code, json.loads(out)) == (0, [])


def test_usage_errors_exit_2(make_site, run_cli):
    root = make_site(CLEAN)
    code, out, err = run_cli("check", "--format", "xml", "--site", root)
    assert (code, out) == (2, "")
    assert "argument --format: invalid choice: 'xml'" in err
    assert run_cli("check", "--no-such-option")[0] == 2


def test_check_renders_the_pages_so_template_errors_are_found(make_site, run_cli):
    root = make_site(CLEAN + """
-- templates/index.html --
{{ no_such_variable }}
""")
    code, _, err = run_cli("check", "--site", root)
    assert code == 1
    assert err.startswith("templates/index.html:1: error: template error while rendering index.html: "
                          "'no_such_variable' is undefined")
    assert not (root / "output").exists()

