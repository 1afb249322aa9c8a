"""Bad input, clear answer: every case in tests/bad/ fails the build with exactly its messages.

Each tests/bad/<case>/ holds the files it adds to (or replaces in) a good site that has
already been built once, and `expected.txt`, the exact error lines the build must print.
Two cases are made here rather than checked in: a 10 MB entry, and a symbolic link out of
the site. See tests/bad/README.md.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dateline.cli import main

from conftest import snapshot, write_tree

BAD = Path(__file__).resolve().parent / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").is_file())

GOOD = """
-- content/sources/bbc.yaml --
title: A report
publisher: BBC News
published: "2019-10-13"
-- content/events/good.md --
---
title: Good event
date: 2019-10-13
sources: [bbc]
---
Fine [@bbc].
"""


def _huge_entry(root: Path) -> None:
    """Write a 10 MB entry: far past any real one, and it must not be read as one."""
    (root / "content/events/huge.md").write_bytes(
        b"---\ntitle: Huge\ndate: 2019-10-12\n---\n" + b"word " * 2_000_000)


def _symlink_outside(root: Path) -> None:
    """Link an entry to a file outside the site (where a secret might live)."""
    outside = root.parent / "outside.md"
    outside.write_text("---\ntitle: Outside\ndate: 2019-10-12\n---\nNot part of the site.\n")
    (root / "content/events/leak.md").symlink_to(outside)


def _linked_folder_outside(root: Path) -> None:
    """Link a folder of entries from outside the site into content/events/."""
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "x.md").write_text("---\ntitle: Outside\ndate: 2019-10-12\n---\nNot part of the site.\n")
    (root / "content/events/linked").symlink_to(outside, target_is_directory=True)


def _text_outside(root: Path) -> None:
    """Put the text that a source's `text: ../outside.txt` names outside the site."""
    (root.parent / "outside.txt").write_text("A secret kept beside the site.\n")


GENERATED = {"file-10-mb-entry": _huge_entry, "content-symlink-outside": _symlink_outside,
             "content-linked-folder-outside": _linked_folder_outside,
             "source-text-outside-the-site": _text_outside}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A good site built once into its output/; each case works on a copy of it."""
    root = write_tree(tmp_path_factory.mktemp("good") / "site", GOOD)
    assert main(["build", "--site", str(root)]) == 0
    return root


def test_the_corpus_is_large_and_every_case_has_a_message():
    assert len(CASES) >= 40
    for case in CASES:
        assert (BAD / case / "expected.txt").read_text().strip(), case
        assert case in GENERATED or len(list((BAD / case).rglob("*"))) > 1, f"{case} adds no file"


@pytest.mark.parametrize("case", CASES)
def test_bad_input_fails_with_its_message_and_leaves_output_alone(case, built, tmp_path, capsys):
    root = tmp_path / "site"
    shutil.copytree(built, root, symlinks=True)
    before = snapshot(root / "output")
    shutil.copytree(BAD / case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    if case in GENERATED:
        GENERATED[case](root)
    capsys.readouterr()

    code = main(["build", "--site", str(root)])

    err = capsys.readouterr().err
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert code == 1, err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if ": error: " in line] == expected
    count = len(expected)
    assert err.splitlines()[-1] == f"{count} error{'s' if count != 1 else ''}; nothing was written"
    assert snapshot(root / "output") == before
    assert not list(root.glob(".output.*"))  # no temporary tree left beside it


PLAIN = "---\ntitle: Odd bytes\ndate: 2019-10-12\nsources: [bbc]\n---\nFirst line.\n\nSecond [@bbc].\n"


@pytest.mark.parametrize("variant", ["bom", "crlf", "cr", "bom+crlf"])
def test_bom_and_crlf_are_accepted_and_change_nothing(variant, built, tmp_path, capsys):
    data = PLAIN.encode()
    if "crlf" in variant:
        data = data.replace(b"\n", b"\r\n")
    elif variant == "cr":
        data = data.replace(b"\n", b"\r")
    if "bom" in variant:
        data = b"\xef\xbb\xbf" + data
    sites = {}
    for name, content in (("plain", PLAIN.encode()), (variant, data)):
        root = tmp_path / name
        shutil.copytree(built, root, symlinks=True)
        (root / "content/events/odd.md").write_bytes(content)
        assert main(["build", "--site", str(root)]) == 0, capsys.readouterr().err
        sites[name] = snapshot(root / "output")
    assert sites[variant] == sites["plain"]
    assert "events/2019-10-12-odd-bytes/index.html" in sites["plain"]


def test_different_arabic_titles_on_one_day_get_different_safe_slugs(built, tmp_path, capsys):
    root = tmp_path / "site"
    shutil.copytree(built, root, symlinks=True)
    titles = ["هروب جماعي من مخيم عين عيسى", "مقتل هفرين خلف", "٧٨٥ هاربا 2019", "هجوم 2019"]
    for i, title in enumerate(titles):
        (root / f"content/events/ar{i}.md").write_text(f"---\ntitle: {title}\ndate: 2019-10-12\n---\n")
    assert main(["build", "--site", str(root)]) == 0, capsys.readouterr().err
    slugs = sorted(p.name for p in (root / "output/events").iterdir() if p.name.startswith("2019-10-12-"))
    assert len(slugs) == len(titles)
    assert all(re.fullmatch(r"2019-10-12-[a-z0-9-]+", s) for s in slugs), slugs


@pytest.mark.parametrize("where", ["site", "parent"])
def test_a_template_error_names_a_file_that_exists_wherever_the_command_runs(where, built, tmp_path,
                                                                             monkeypatch, capsys):
    root = tmp_path / "site"
    shutil.copytree(built, root, symlinks=True)
    (root / "templates").mkdir()
    (root / "templates/_macros.html").write_text("{% macro nothing() %}{% endmacro %}\n")  # the theme's pages need more
    (root / "templates/index.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ nope }}\n{% endblock %}\n')
    monkeypatch.chdir(root if where == "site" else tmp_path)

    assert main(["build", "--site", "." if where == "site" else "site"]) == 1

    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert "templates/index.html:3: error: template error while rendering index.html: 'nope' is undefined " \
           "(check the variable's name; see docs/templates.md for what each template receives)" in errors
    for line in errors:  # the theme's own templates (event.html...) are named so that they can be opened
        path = line.split(":")[0]
        assert (root / path).is_file(), line


def test_a_character_the_yaml_reader_refuses_is_named_with_its_line_and_column():
    from dateline.core import yamlsrc

    with pytest.raises(yamlsrc.YAMLError) as caught:
        yamlsrc.load("title: ok\nplace: Ain\x07Issa\n", first_line=2)
    assert (caught.value.line, caught.value.col) == (3, 11)
    assert caught.value.message == "invalid YAML: character U+0007 is not allowed"
