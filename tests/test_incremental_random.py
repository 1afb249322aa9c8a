"""Random sequences of edits: after each, a cached rebuild writes the very bytes a clean build does.

tests/test_incremental.py walks one fixed sequence of each kind of change; here a seeded random
one mixes them, in any order and on any entry, as an editor's day would: entries added, edited
(body, title, date, terms), renamed and deleted; a source, the aliases, a template and site.yaml
edited. The seed of a failing sequence is in the test's name, the steps so far in its message.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from test_incremental import REPO, age, cached_build, clean_tree, gensite, tree

EVENTS = 60  # a generated site: every kind of page and export, each term on several events
STEPS = 8


def _entries(root: Path) -> list[Path]:
    return sorted((root / "content" / "events").glob("*.md"))


def _add(root: Path, rng: random.Random, step: int) -> str:
    sources = len(list((root / "content" / "sources").glob("*.yaml")))
    i = EVENTS + step  # dated after the others, in a year of its own or an existing one's
    text = gensite.event_text(i, EVENTS + rng.randrange(1, 40), sources, rng)
    path = root / "content" / "events" / f"added-{step}.md"
    path.write_text(text, encoding="utf-8")
    return f"add {path.name}"


def _edit_body(root: Path, rng: random.Random, step: int) -> str:
    path = rng.choice(_entries(root))
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f" Step {step} adds a sentence.\n",
                    encoding="utf-8")
    return f"body of {path.name}"


def _edit_front(root: Path, rng: random.Random, step: int) -> str:
    path = rng.choice(_entries(root))
    lines = path.read_text(encoding="utf-8").split("\n")
    field = rng.choice(["title", "date", "tags", "place"])
    for n, line in enumerate(lines):
        if line.startswith(field + ":"):
            lines[n] = {"title": f'title: "Retitled at step {step}"',
                        "date": f'date: "{rng.randint(1900, 2024)}-{rng.randint(1, 12):02d}"',
                        "tags": f"tags: [{rng.choice(gensite.TAGS)}]",
                        "place": f"place: {rng.choice(gensite.PLACES[:6])}"}[field]
            break
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"{field} of {path.name}"


def _rename(root: Path, rng: random.Random, step: int) -> str:
    path = rng.choice(_entries(root))
    path.rename(path.with_name(f"renamed-{step}-{path.name}"))
    return f"rename {path.name}"


def _delete(root: Path, rng: random.Random, step: int) -> str:
    path = rng.choice(_entries(root))
    path.unlink()
    return f"delete {path.name}"


def _edit_source(root: Path, rng: random.Random, step: int) -> str:
    path = rng.choice(sorted((root / "content" / "sources").glob("*.yaml")))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\npublisher: ", f"\npublisher: Step {step} ", 1), encoding="utf-8")
    return f"source {path.name}"


def _edit_aliases(root: Path, rng: random.Random, step: int) -> str:
    canonical, alias = rng.sample(gensite.PLACES[:6], 2)  # one place's entries filed under another
    path = root / "content" / "aliases.yaml"
    path.write_text(f"places:\n  {canonical}: [{alias}]\nactors:\n  Actor 000: [The first actor]\n",
                    encoding="utf-8")
    return f"aliases: {alias} -> {canonical}"


def _edit_template(root: Path, rng: random.Random, step: int) -> str:
    (root / "templates").mkdir(exist_ok=True)
    base = (REPO / "dateline" / "theme" / "templates" / "base.html").read_text(encoding="utf-8")
    (root / "templates" / "base.html").write_text(base.replace("</footer>", f"<!-- {step} --></footer>", 1),
                                                  encoding="utf-8")
    return "template base.html"


def _edit_config(root: Path, rng: random.Random, step: int) -> str:
    path = root / "site.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if not line.startswith("title:")]
    path.write_text("\n".join([f"title: Timeline at step {step}", *lines]), encoding="utf-8")
    return "site.yaml"


EDITS = [_add, _edit_body, _edit_front, _rename, _delete, _edit_source, _edit_aliases, _edit_template,
         _edit_config]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_sequence_of_edits_rebuilds_as_a_clean_build(tmp_path, seed):
    rng = random.Random(seed)
    root = gensite.generate(tmp_path / "site", EVENTS)
    out = tmp_path / "out"
    age(root)
    cached_build(root, out)
    assert tree(out) == clean_tree(root)
    done = []
    for step in range(STEPS):
        done.append(rng.choice(EDITS)(root, rng, step))
        cached_build(root, out)
        assert tree(out) == clean_tree(root), f"seed {seed}, after: {'; '.join(done)}"
