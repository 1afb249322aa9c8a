import pickle

import pytest

from dateline.core import yamlsrc


def test_lines_of_keys_and_items_count_from_first_line():
    data = yamlsrc.load("title: x\nsources:\n  - a\n  - id: b\n    quote: q\n", first_line=2)
    assert data.key_lines == {"title": 2, "sources": 3}
    assert data["sources"].item_lines == [4, 5]
    assert data["sources"][1].line_of("quote") == 6


def test_maps_and_lists_carry_their_lines_in_slots_and_keep_them_through_pickle():
    # 100,000 entries hold over a million of them: a dict per object for two attributes was
    # 190 MB of a clean build's peak (docs/performance.md, "Peak memory")
    data = yamlsrc.load("a: 1\nb: [x, y]\n", first_line=3)
    assert not hasattr(data, "__dict__") and not hasattr(data["b"], "__dict__")
    back = pickle.loads(pickle.dumps(data))
    assert (back, back.line, back.key_lines) == (data, 3, {"a": 3, "b": 4})
    assert (back["b"].line, back["b"].item_lines, type(back["b"])) == (4, [4, 4], yamlsrc.YList)
    assert (yamlsrc.YMap().line_of("a"), yamlsrc.YList().item_lines) == (0, [])


def test_values_stay_the_text_written_except_booleans_and_null():
    data = yamlsrc.load("a: 2019-10-13\nb: 2019\nc: 2019-10\nd: 1:30\ne: 010\nf: 3.10\ng: no\n"
                        "h: true\ni: False\nj: ~\nk:\nl: null\nm: 'true'\n")
    assert data == {"a": "2019-10-13", "b": "2019", "c": "2019-10", "d": "1:30", "e": "010", "f": "3.10",
                    "g": "no", "h": True, "i": False, "j": None, "k": None, "l": None, "m": "true"}


def test_deep_nesting_stops_at_its_line_and_column_without_recursion():
    with pytest.raises(yamlsrc.YAMLError) as exc:
        yamlsrc.load("a: 1\nb: " + "[" * 1_000_000)
    assert (exc.value.line, exc.value.col) == (2, 67)
    assert exc.value.message == "YAML nested more than 64 levels deep"


def test_anchors_and_aliases_are_refused_where_they_stand():
    with pytest.raises(yamlsrc.YAMLError) as exc:
        yamlsrc.load("a: 1\nb: [x, *y]\n")
    assert (exc.value.line, exc.value.col, exc.value.message) == (2, 8, "YAML aliases (*y) are not allowed")


def test_duplicate_keys_are_an_error_at_the_second():
    with pytest.raises(yamlsrc.YAMLError) as exc:
        yamlsrc.load("a: 1\nb: 2\na: 3\n")
    assert (exc.value.line, exc.value.message) == (3, "duplicate key 'a' (first on line 1)")


def test_tabs_get_a_hint():
    with pytest.raises(yamlsrc.YAMLError) as exc:
        yamlsrc.load("a:\n\t- b\n")
    assert exc.value.line == 2 and "never tabs" in exc.value.hint


def test_alias_bombs_stop_at_the_first_anchor():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i, name in enumerate("bcdefg"):
        prev = "abcdefg"[i]
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    with pytest.raises(yamlsrc.YAMLError) as exc:
        yamlsrc.load(bomb)
    assert (exc.value.line, exc.value.message) == (1, "YAML anchors (&a) are not allowed")


def test_python_tags_are_refused():
    with pytest.raises(yamlsrc.YAMLError) as exc:
        yamlsrc.load("a: !!python/object/apply:os.system ['true']\n")
    assert exc.value.message == "unsupported YAML tag !!python/object/apply:os.system"


def test_empty_document_is_none():
    assert yamlsrc.load("# only a comment\n") is None


@pytest.mark.parametrize("loader", ["libyaml", "python"])
def test_the_pure_python_parser_reads_the_same(monkeypatch, loader):
    import yaml
    if loader == "python":
        monkeypatch.setattr(yamlsrc, "_Loader", yaml.SafeLoader)
    text = "a: 1:30\nb: [010, yes, true, ~]\nc:\n  - d: 'x'\n    e: |\n      block\n"
    data = yamlsrc.load(text, first_line=2)
    assert data == {"a": "1:30", "b": ["010", "yes", True, None], "c": [{"d": "x", "e": "block\n"}]}
    assert data["c"][0].key_lines == {"d": 5, "e": 6}
    with pytest.raises(yamlsrc.YAMLError) as exc:
        yamlsrc.load('a: "x\\ud800"\n')  # libyaml refuses the escape, Python's parser writes the half pair
    assert exc.value.line == 1
    with pytest.raises(yamlsrc.YAMLError) as exc:
        yamlsrc.load("a: " + "[" * 100_000)
    assert exc.value.message == "YAML nested more than 64 levels deep"


@pytest.mark.parametrize("text, line, col", [
    ("tags:\n- prisons\n  - attacks\n", 3, 3),             # "prisons - attacks" otherwise, with its own page
    ("tags:\n  - prisons\n    - attacks\n", 3, 5),
    ("title: Car bomb\n  - in Hasaka\n", 2, 3),
    ("- title: a\n  tags:\n  - x\n     -\n", 4, 6),
])
def test_a_list_item_indented_too_far_is_an_error_at_its_line(text, line, col):
    with pytest.raises(yamlsrc.YAMLError) as caught:
        yamlsrc.load(text, first_line=1)
    assert (caught.value.line, caught.value.col) == (line, col)
    assert "looks like a list item indented too far" in caught.value.message


def test_text_continued_on_the_next_line_is_still_text():
    assert yamlsrc.load("summary: one\n  two - three\n  -3 degrees\ntags:\n- a\n- b\n") == \
        {"summary": "one two - three -3 degrees", "tags": ["a", "b"]}
    assert yamlsrc.load("title: \"a\n  - b\"\n") == {"title": "a - b"}  # quoted: the dash is the editor's


def test_a_key_indented_too_far_gets_a_hint_about_indentation_not_quoting():
    with pytest.raises(yamlsrc.YAMLError) as caught:
        yamlsrc.load("title: T\n  date: 2019\n", first_line=2)
    assert (caught.value.line, caught.value.hint) == (3, "'date:' is indented more than the line above, so YAML "
                                                         "reads it as more of that value: start it in the same "
                                                         "column as the other keys")
    with pytest.raises(yamlsrc.YAMLError) as caught:
        yamlsrc.load("title: Ain Issa: the escape\n")
    assert caught.value.hint.startswith("a value containing ': ' must be quoted")
