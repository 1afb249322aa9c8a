"""YAML 1.1 types values behind the editor's back: a value is the text the editor wrote.

`title: 1:30` was published as 90 (sexagesimal), `place: 010` as 8 (octal), `title: 3.10` as
3.1, a source id `0123` was read as 83, `title: yes` was a boolean. Escaped control characters,
unpaired surrogates and unbalanced bidi controls are refused like their raw forms.
"""

from __future__ import annotations

import json

import pytest

from conftest import write_tree
from verdict import verdicts

SOURCE = "-- content/sources/0123.yaml --\ntitle: A report\npublished: \"2019-10-13\"\n"


def _site(tmp_path, front: str, body: str = "Body [@0123].", extra: str = ""):
    return write_tree(tmp_path / "site", f"{SOURCE}{extra}-- content/events/e.md --\n---\n{front}\n---\n{body}\n")


def _built(capsys, root):
    check, build = verdicts(capsys, root)
    assert build.code == 0, build.stderr
    return json.loads((root / "output/events.json").read_text(encoding="utf-8"))["events"]


@pytest.mark.parametrize("text", ["1:30", "010", "3.10", "0123", "1e3", ".inf", ".NaN", "0x1F", "1_000",
                                  "0o17", "+12", "-0", "190:20:30", "yes", "No", "on", "OFF", "y", "=",
                                  "2019-10-13", "2019-10-13 10:00:00", "12e03"])
def test_a_plain_title_is_the_text_written(tmp_path, capsys, text):
    root = _site(tmp_path, f"title: {text}\ndate: 2019-10-13\nsources: [0123]")
    [event] = _built(capsys, root)
    assert event["title"] == text
    page = (root / "output" / "events" / event["slug"] / "index.html").read_text(encoding="utf-8")
    assert f"<h1>{text}</h1>" in page


def test_place_locator_quote_tags_actors_and_ids_are_text(tmp_path, capsys):
    root = _site(tmp_path, "title: Digits\ndate: 2019-10-13\nplace: 010\nactors: [1:30, 0x1F]\n"
                           "tags: [3.10, yes]\nsummary: 1_000\nsources:\n  - id: 0123\n"
                           "    locator: 010\n    quote: 1e3", body="Body [@0123, 010].")
    [event] = _built(capsys, root)
    assert (event["place"], event["actors"], event["tags"]) == ("010", ["1:30", "0x1F"], ["3.10", "yes"])
    assert event["summary"] == "1_000"
    [note] = event["notes"]
    [place] = note["places"]
    assert (note["source"], place["locator"]) == ("0123", "010")
    assert place["quote"] == "1e3"


def test_a_bare_source_id_of_digits_is_the_file_name(tmp_path, capsys):
    root = _site(tmp_path, "title: Digits\ndate: 2019-10-13\nsources: [0123]", body="Body.")
    [event] = _built(capsys, root)
    assert [n["source"] for n in event["notes"]] == ["0123"]


def test_booleans_and_numbers_are_still_read_where_the_format_wants_them(tmp_path, capsys):
    root = _site(tmp_path, "title: Typed\ndate: 2019\nsources: [0123]\naccounts:\n"
                           "  - claim: Many\n    by: One side\n    sources: [0123]\n    value: 785\n"
                           "  - claim: Few\n    by: Other side\n    sources: [0123]\n    value: 1.5e2\n",
                 extra="-- content/events/draft.md --\n---\ntitle: Hidden\ndate: 2019\ndraft: true\n"
                       "sources: [0123]\n---\nDraft.\n")
    [event] = _built(capsys, root)
    assert [a["figure"]["value"] for a in event["accounts"]] == [785, 150.0]
    assert event["date"]["iso"] == "2019"


@pytest.mark.parametrize("value", ["0x1F", "1:30", ".inf", "yes", "1,000"])
def test_a_value_that_is_not_a_decimal_number_is_an_error(tmp_path, capsys, value):
    root = _site(tmp_path, f"title: Typed\ndate: 2019\nsources: [0123]\naccounts:\n"
                           f"  - claim: Many\n    by: One side\n    sources: [0123]\n    value: {value}\n")
    check, _ = verdicts(capsys, root)
    assert check.errors == ("content/events/e.md:9: error: 'value' must be a number (e.g. value: 785)",)


def test_draft_yes_is_not_silently_true(tmp_path, capsys):
    root = _site(tmp_path, "title: Typed\ndate: 2019\ndraft: yes\nsources: [0123]")
    check, _ = verdicts(capsys, root)
    assert check.errors == ("content/events/e.md:4: error: 'draft' must be true or false "
                            "(write draft: true or draft: false)",)


def test_no_in_date_languages_is_a_language_code_not_false(tmp_path, capsys):
    root = write_tree(tmp_path / "site", "-- site.yaml --\ntitle: T\ndate_languages: [en, no]\n" + SOURCE)
    check, _ = verdicts(capsys, root)
    assert len(check.errors) == 1 and "unknown language code 'no' in date_languages" in check.errors[0]


@pytest.mark.parametrize("escape, code", [(r"\x01", "U+0001"), (r"\u0007", "U+0007"), (r"\x85", "U+0085"),
                                          (r"\e", "U+001B"), (r"\0", "U+0000"), (r"\x7f", "U+007F"),
                                          (r"\uFFFE", "U+FFFE"), (r"\N", "U+0085")])
def test_escaped_control_characters_are_refused_at_their_line(tmp_path, capsys, escape, code):
    root = _site(tmp_path, f'date: 2019-10-13\ntitle: "A{escape}B"\nsources: [0123]')
    check, build = verdicts(capsys, root)
    assert check.errors == (f"content/events/e.md:3:8: error: character {code} is not allowed, written as "
                            f"an escape (delete the escape: it stands for an invisible character that no "
                            f"page or feed may carry)",)
    assert not (root / "output").exists()


@pytest.mark.parametrize("where", ["place", "quote", "key", "source", "aliases", "site"])
def test_escaped_control_characters_are_refused_in_every_file_and_field(tmp_path, capsys, where):
    bad = '"A\\x01B"'
    files = {
        "place": f"-- content/events/e.md --\n---\ntitle: T\ndate: 2019\nplace: {bad}\nsources: [0123]\n---\nB.\n",
        "quote": f"-- content/events/e.md --\n---\ntitle: T\ndate: 2019\nsources:\n  - id: 0123\n    quote: {bad}\n---\nB.\n",
        "key": f"-- content/events/e.md --\n---\ntitle: T\ndate: 2019\n{bad}: x\nsources: [0123]\n---\nB.\n",
        "source": '-- content/sources/0123.yaml --\ntitle: A report\nnote: "A\\x01B"\n',
        "aliases": '-- content/aliases.yaml --\nplaces:\n  Raqqa: ["A\\x01B"]\n',
        "site": '-- site.yaml --\ntitle: "A\\x01B"\n',
    }
    root = write_tree(tmp_path / "site", SOURCE + "-- content/events/ok.md --\n---\ntitle: Ok\ndate: 2019\n"
                      "sources: [0123]\n---\nB.\n" + files[where])
    check, _ = verdicts(capsys, root)
    assert check.code == 1
    assert any("character U+0001 is not allowed, written as an escape" in e for e in check.errors), check.errors


@pytest.mark.parametrize("escape", [r"\ud800", r"\udfff", r"\ud83d\ude00"])
def test_escaped_surrogates_are_refused_at_their_line(tmp_path, capsys, escape):
    root = _site(tmp_path, f'date: 2019-10-13\ntitle: "A{escape}B"\nsources: [0123]')
    check, _ = verdicts(capsys, root)
    assert len(check.errors) == 1
    assert check.errors[0].startswith("content/events/e.md:3:")
    assert "write the character itself" in check.errors[0]


RLO, PDF, RLI, PDI, LRE = "\u202e", "\u202c", "\u2067", "\u2069", "\u202a"


@pytest.mark.parametrize("title, col, name", [
    (f"Escape {RLO}from the camp", 15, "right-to-left override (U+202E) is not closed on its line"),
    (f"Escape {RLI}from the camp", 15, "right-to-left isolate (U+2067) is not closed on its line"),
    (f"Escape {PDF}from the camp", 15, "pop directional formatting (U+202C) closes nothing"),
    (f"Escape {RLI}from{PDF} the camp{PDI}", 20, "pop directional formatting (U+202C) closes nothing"),
    (f"Escape {LRE}{RLI}from{PDF}", 21, "pop directional formatting (U+202C) closes nothing"),
    (f"Escape {RLI}{LRE}from{PDI}", 16, "left-to-right embedding (U+202A) is not closed on its line"),
])
def test_unbalanced_bidi_controls_are_refused_at_line_and_column(tmp_path, capsys, title, col, name):
    root = _site(tmp_path, f"date: 2019-10-13\ntitle: {title}\nsources: [0123]")
    check, _ = verdicts(capsys, root)
    assert check.errors == (f"content/events/e.md:3:{col}: error: {name} (directional controls come in "
                            "pairs on one line; for an entry written right to left set `lang:`, "
                            "e.g. lang: ar: see docs/writing.md)",)


@pytest.mark.parametrize("where", ["body", "escaped", "source", "site"])
def test_unbalanced_bidi_controls_are_refused_in_every_file(tmp_path, capsys, where):
    files = {
        "body": f"-- content/events/e.md --\n---\ntitle: T\ndate: 2019\nsources: [0123]\n---\nThe {RLO}body.\n",
        "escaped": '-- content/events/e.md --\n---\ntitle: "T\\u202E"\ndate: 2019\nsources: [0123]\n---\nB.\n',
        "source": f"-- content/sources/0123.yaml --\ntitle: A {RLO}report\n",
        "site": f"-- site.yaml --\ntitle: T{RLO}\n",
    }
    root = write_tree(tmp_path / "site", SOURCE + "-- content/events/ok.md --\n---\ntitle: Ok\ndate: 2019\n"
                      "sources: [0123]\n---\nB.\n" + files[where])
    check, _ = verdicts(capsys, root)
    assert any("right-to-left override (U+202E) is not closed on its line" in e for e in check.errors), check


def test_balanced_bidi_isolates_and_marks_are_kept(tmp_path, capsys):
    title = f"Said {RLI}عين عيسى{PDI} at \u200fnoon {RLO}x{PDF}"
    root = _site(tmp_path, f"date: 2019-10-13\ntitle: {title}\nsources: [0123]")
    [event] = _built(capsys, root)
    assert event["title"] == title


@pytest.mark.parametrize("text", ["title: &Co Smith", "title: &a x\nplace: *a", "place: *NSYNC"])
def test_anchors_and_aliases_are_refused_with_a_hint_to_quote(tmp_path, capsys, text):
    root = _site(tmp_path, f"date: 2019-10-13\n{text}\nsources: [0123]")
    check, _ = verdicts(capsys, root)
    assert len(check.errors) == 1
    assert "are not allowed" in check.errors[0] and "quote the value" in check.errors[0], check.errors


@pytest.mark.parametrize("tag", ["!!int 010", "!!float 3.10", "!!bool yes", "!!binary aGk=", "!!timestamp 2019-10-13"])
def test_explicit_typing_tags_are_refused(tmp_path, capsys, tag):
    root = _site(tmp_path, f"date: 2019-10-13\ntitle: {tag}\nsources: [0123]")
    check, _ = verdicts(capsys, root)
    assert check.errors == (f"content/events/e.md:3:8: error: unsupported YAML tag {tag.split()[0]} "
                            "(write plain text, numbers or lists)",)


def test_the_str_tag_is_plain_text(tmp_path, capsys):
    root = _site(tmp_path, "date: 2019-10-13\ntitle: !!str 010\nsources: [0123]")
    [event] = _built(capsys, root)
    assert event["title"] == "010"
