"""Interface strings: every catalog complete, every visible template string from the catalog,
and a French site with no English interface string left."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dateline import pipeline as site
from dateline.render.i18n import CATALOGS, EN, FR, catalog, format_number, plural

TEMPLATES = Path(__file__).resolve().parent.parent / "dateline" / "theme" / "templates"

# Names that read the same in every language: file formats and the generator's own name.
PROPER_NAMES = {"JSON", "CSV", "TimelineJS", "CSL-JSON", "Dateline"}
# Blocks that fill <head> metadata (the page's <title> is visible and is not among them).
HIDDEN_BLOCKS = r"\{%-? block (?:og_\w+|description|structured_data|head) -?%\}.*?\{%-? endblock -?%\}"
VISIBLE_ATTRS = ("aria-label", "title", "alt", "placeholder", "data-all", "data-count", "data-one", "data-none")


class VisibleText(HTMLParser):
    """Collect the text a reader sees or hears: text nodes and labelling attributes, not scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in VISIBLE_ATTRS and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def test_every_catalog_has_every_key():
    for language, strings in CATALOGS.items():
        assert set(strings) == set(EN), f"{language}: missing {set(EN) - set(strings)}, extra {set(strings) - set(EN)}"
        assert len(strings["months"]) == 12
        for key, text in strings.items():
            if key != "months":
                assert "{" not in text or set(re.findall(r"\{(\w*)\}", text)) == set(re.findall(r"\{(\w*)\}", EN[key])), key


def test_catalog_falls_back_to_english_and_reads_regional_tags():
    assert catalog("fr-CA") is FR and catalog("FR") is FR
    assert catalog("de") is EN


def test_numbers_follow_the_catalog():
    assert format_number(130000, EN) == "130,000" and format_number(2.5, EN) == "2.5"
    assert format_number(130000, FR) == "130\u202f000" and format_number(2.5, FR) == "2,5"


def test_templates_use_only_catalog_keys_that_exist():
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text()
        for key in re.findall(r"\b_\.(\w+)", text) + re.findall(r"\b_\[\"(\w+)\"\]", text):
            assert key in EN, f"{path.name} uses _.{key}, which the catalog lacks"


def test_templates_hold_no_visible_text_of_their_own():
    """Every visible word comes through `_` or the content: strip Jinja, then look for letters."""
    for path in TEMPLATES.glob("*.html"):
        text = re.sub(HIDDEN_BLOCKS, " ", path.read_text(), flags=re.S)
        text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)
        words = set(re.findall(r"[^\W\d_][\w-]*", visible(text))) - PROPER_NAMES
        assert not words, f"{path.name} has interface text outside the catalog: {sorted(words)}"


FRENCH_SITE = """
-- site.yaml --
title: Chronologie d'essai
base_url: /essai/
language: fr
date_languages: [fr]
-- content/sources/lemonde.yaml --
title: Des détenus s'évadent
publisher: Le Monde
url: https://example.org/lemonde
-- content/events/evasion.md --
---
title: Évasion de cinq détenus
date: 2019-10-11
place: Qamichli
tags: [prisons]
actors: [FDS]
summary: Cinq détenus se sont évadés.
sources:
  - id: lemonde
    quote: cinq détenus
accounts:
  - claim: Cinq détenus
    by: les FDS
    sources: [lemonde]
    quote: cinq détenus
    value: 5
  - claim: Douze mille détenus
    by: un observatoire
    sources: [lemonde]
    value: 12000
---
Cinq détenus se sont évadés [@lemonde].
-- content/events/avant.md --
---
title: Une réunion
date: 2019-03
sources: [lemonde]
---
Texte.
-- content/events/annee.md --
---
title: Une année entière
date: 2018
sources: [lemonde]
---
Texte.
"""


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    from conftest import write_tree
    root = write_tree(tmp_path_factory.mktemp("fr"), FRENCH_SITE)
    return {p: d.decode() for p, d in site.build(root, write=False).files.items() if p.endswith(".html")}


def test_a_french_site_speaks_french(french):
    index, event = french["index.html"], french["events/2019-10-11-evasion-de-cinq-detenus/index.html"]
    for text in ("Aller au contenu", "Chronologie", "Thèmes", "Lieux", "Acteurs", "Rechercher",
                 "Tous les lieux", "3 événements", "octobre 2019", "mars 2019, jour non précisé", "2018, mois non précisé"):
        assert text in visible(index), text
    for text in ("11 octobre 2019", "Les versions divergent", "Selon", "Sources de cet événement",
                 "Les chiffres vont de 5 à 12\u202f000.", "Dans la bibliographie", "«\u00a0cinq détenus\u00a0»"):
        assert text in visible(event), text
    assert '<html lang="fr">' in index


def english_phrases() -> set[str]:
    """Every English interface phrase that French writes differently, split around {placeholders}."""
    phrases = set(EN["months"])
    for key, text in EN.items():
        if isinstance(text, str) and text != FR[key]:  # months and plural_one are tuples
            phrases |= {p.strip(" .;:,") for p in re.split(r"\{\w*\}", text)}
    return {p for p in phrases if len(p) > 2 and not p.isdigit()} - {"c"}


def test_no_english_interface_string_is_left_in_a_french_site(french):
    phrases = english_phrases()
    assert {"Skip to content", "October", "Accounts differ", "events shown"} <= phrases
    for path, html in french.items():
        text = visible(html)
        left = sorted(p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))
        assert not left, f"{path} still shows English: {left}"


def test_counts_take_the_singular_each_language_gives_them():
    assert [plural(EN, n, "event_count", "events_count") for n in (0, 1, 2)] == ["0 events", "1 event", "2 events"]
    assert [plural(FR, n, "event_count", "events_count") for n in (0, 1, 2)] == \
        ["0 événement", "1 événement", "2 événements"]
    assert plural(EN, 1, "shown_one_of_one", "shown_one") == "1 of 1 event shown"
    assert plural(EN, 5, "shown_one_of_one", "shown_one") == "1 of {total} events shown"  # {total}: filter.js's


def test_counts_are_written_each_language_s_way():
    assert plural(EN, 10000, "event_count", "events_count") == "10,000 events"
    assert plural(FR, 10000, "event_count", "events_count") == "10\u202f000 événements"


ONE_EVENT = """
-- content/sources/a.yaml --
title: A
-- content/events/e.md --
---
title: The only event
date: 2019-10-12
tags: [floods]
sources: [a]
---
Text [@a].
"""


@pytest.mark.parametrize("language, one, shown, none", [
    ("en", "1 event", "1 of 1 event shown", "No event matches; 1 event in all"),
    ("fr", "1 événement", "1 événement affiché sur 1", "Aucun événement ne correspond ; 1 au total"),
])
def test_a_timeline_of_one_event_says_one_event_not_one_events(make_site, tmp_path, language, one, shown, none):
    root = make_site(ONE_EVENT + f"-- site.yaml --\ntitle: One\nlanguage: {language}\n")
    files = site.build(root, tmp_path / "out", write=False).files
    index, term = files["index.html"].decode(), files["tags/floods/index.html"].decode()
    assert f'data-total="1">{one}</p>' in index
    assert f'data-all="{one}"' in index and f'data-one="{shown}"' in index and f'data-none="{none}"' in index
    assert f'<p class="count">{one}</p>' in term


def test_the_command_line_counts_in_the_singular_too(make_site, run_cli, tmp_path):
    root = make_site(ONE_EVENT)
    code, _, err = run_cli("build", "--site", root, "--output", tmp_path / "out", "--no-cache")
    assert code == 0 and err.startswith("built 1 event, ") and " 1 events" not in err
    (root / "content/events/e.md").write_text("---\ntitle: x\n---\n")
    code, _, err = run_cli("build", "--site", root, "--output", tmp_path / "out", "--no-cache")
    assert (code, err.splitlines()[-1]) == (1, "1 error; nothing was written")
