"""The preview draws a saved entry's own page first, exactly as the rebuild that follows draws it,
and only when the save changes no other page; the rebuild runs off the server's thread and the
open pages reload when what they show changed."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from dateline import pipeline as site
from dateline.core.load import load_event_file
from dateline.core.timeline import revise
from dateline.preview import serve, session

MAYOR = "2021-04-12-mayor-asks-for-aid.md"
QUOTE = 'quote: "We cannot do this alone, and we are asking the country for help."'

# (file, text, replaced by, drawn first?)
EDITS = [
    (MAYOR, "said the mayor", "said Mayor Liss", True),                       # the body
    (MAYOR, "actors: [Anna Liss]", "actors: [Mayor Liss]", True),             # an alias of a term it had
    (MAYOR, "place: Nordhavn", "place: Nordhafen", True),                     # a place's alias
    (MAYOR, "tags: [aid]", "tags: [aid, transport]", True),                   # a term the site has
    (MAYOR, QUOTE, 'quote: "We cannot do this alone"', True),                 # a quote the text holds
    (MAYOR, "locator: para 7", "locator: para 8", True),
    ("2021-briefs.yaml", "to clear the mud", "to clear the mud and debris", True),  # one of a file's entries
    (MAYOR, "tags: [aid]", "tags: [aid, brand-new]", False),                  # a new term: a new page
    (MAYOR, "place: Nordhavn", "place: NORDHAVN", True),                      # the same slug as an aliased term
    (MAYOR, "place: Nordhavn", "place: OSTREL", False),                       # as a term with no alias: validate's call
    (MAYOR, "date: 2021-04-12", "date: 2021-04-20", False),                   # another place in the order
    (MAYOR, "title: The mayor of Nordhavn", "title: The Mayor of Nordhavn", True),  # the same slug and order
    (MAYOR, "title: The mayor of Nordhavn", "title: Nordhavn's mayor", False),  # another slug: another page
    (MAYOR, QUOTE, 'quote: "Words never said"', False),                       # an error
    (MAYOR, "tags: [aid]", "tags: [aid]\nplaec: x", False),                   # an error
    ("2021-briefs.yaml", "- title: An entry still being written", "- title: A new entry\n  date: 2021-07\n"
     "  body: New.\n- title: An entry still being written", False),         # an entry more
]


def served(root: Path) -> tuple[session.Preview, Path, str]:
    """Return a preview of `root` after its first build, the mayor's entry and its text."""
    preview = session.Preview(root, say=lambda text: None)
    assert preview.rebuild()
    entry = root / "content" / "events" / MAYOR
    return preview, entry, entry.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, old, new, drawn", EDITS)
def test_a_saved_entry_is_revised_as_validate_makes_it_or_left_to_validate(fixture_site, name, old, new, drawn):
    before = site.check(fixture_site, drafts=True)
    entry = fixture_site / "content" / "events" / name
    text = entry.read_text(encoding="utf-8")
    assert old in text
    entry.write_text(text.replace(old, new), encoding="utf-8")
    problems: list = []
    revised = revise(before.timeline, f"content/events/{name}", load_event_file(entry, fixture_site, problems),
                     before.texts)
    assert (revised is not None) == drawn
    if drawn:
        after = site.check(fixture_site, drafts=True).timeline
        assert revised.events == after.events
        assert {q for q in after.verified_quotes if q[1] != QUOTE[8:-1]} <= revised.verified_quotes


@pytest.mark.parametrize("name, old, new, drawn", EDITS)
def test_the_preview_draws_the_saved_page_first_as_the_rebuild_draws_it(fixture_site, name, old, new, drawn):
    preview = session.Preview(fixture_site, say=lambda text: None)
    assert preview.rebuild()
    entry = fixture_site / "content" / "events" / name
    entry.write_text(entry.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    preview.first({entry, entry.parent / "4913"})  # vim's test file, gone again
    written = preview.drawn
    if not drawn:
        assert written == set()
        return
    assert written and all(p.startswith("events/") and p.endswith("/index.html") for p in written)
    first = {p: (preview.output / p).read_bytes() for p in written}
    assert preview.rebuild()
    assert {p: (preview.output / p).read_bytes() for p in written} == first
    assert not written & preview.changed  # the rebuild made the same bytes, so left them


def test_what_is_not_an_entry_is_left_to_the_rebuild(fixture_site):
    preview = session.Preview(fixture_site, say=lambda text: None)
    assert preview.first({fixture_site / "site.yaml"}) == set()  # nothing built yet
    assert preview.rebuild()
    for path in (fixture_site / "site.yaml", fixture_site / "content" / "aliases.yaml",
                 fixture_site / "templates", fixture_site / "content" / "events" / "notes.txt"):
        if path.suffix == ".txt":
            path.write_text("x", encoding="utf-8")
        assert preview.first({path}) == set(), path
    assert preview.first(None) == set()


def test_a_rebuild_that_fails_leaves_no_first_pages(fixture_site):
    preview, entry, good = served(fixture_site)
    entry.write_text(good.replace("tags: [aid]", "tags: [aid]\nplaec: x"), encoding="utf-8")
    assert not preview.rebuild() and preview.changed is None  # every open page shows the errors
    entry.write_text(good.replace("said the mayor", "said Mayor Liss"), encoding="utf-8")
    assert preview.first({entry}) == set()  # from errors, only the rebuild can tell
    assert preview.rebuild() and preview.changed is None  # back from errors: every page reloads


def test_rebuilds_draw_first_rebuild_off_the_loop_and_stop_for_a_newer_save():
    calls: list = []
    loop_thread = None

    class Fake:
        changed, finished, superseded = {"index.html"}, True, threading.Event()

        def first(self, paths):
            calls.append(("first", sorted(paths)))
            return {f"events/{p}/index.html" for p in paths}

        def rebuild(self):
            calls.append(("rebuild", threading.current_thread() is not loop_thread, self.superseded.is_set()))
            time.sleep(0.3)
            calls.append(("superseded", self.superseded.is_set()))
            return True

    async def main():
        nonlocal loop_thread
        loop_thread = threading.current_thread()
        rebuilds = session.Rebuilds(Fake(), lambda changed: calls.append(("reload", changed)))
        rebuilds.saved({"a"})
        await asyncio.sleep(0.05)  # the loop is free while the rebuild runs
        calls.append(("loop free", rebuilds.running))
        rebuilds.saved({"b"})  # drawn at once, with what was saved since the last build began
        rebuilds.saved({"c"})
        rebuilds.saved(None)  # files not known: nothing drawn
        while rebuilds.running or rebuilds.pending is None or rebuilds.pending:
            await asyncio.sleep(0.01)
        rebuilds.close()

    runner = threading.Thread(target=asyncio.run, args=(main(),))  # a loop of its own, whatever other tests left
    runner.start()
    runner.join(30)
    pages = [f"events/{p}/index.html" for p in "abc"]
    assert calls == [("first", ["a"]), ("reload", set(pages[:1])), ("rebuild", True, False),
                     ("loop free", True),
                     ("first", ["a", "b"]), ("reload", set(pages[:2])),
                     ("first", ["a", "b", "c"]), ("reload", set(pages)),
                     ("superseded", True), ("reload", {"index.html"}),
                     ("rebuild", True, False), ("superseded", False), ("reload", {"index.html"})]


def test_an_open_page_reloads_when_what_it_shows_changed(tmp_path):
    class Shown:
        base_path, output = "/repo/", tmp_path

    (tmp_path / "events" / "a").mkdir(parents=True)
    (tmp_path / "events" / "a" / "index.html").write_text("a", encoding="utf-8")
    (tmp_path / "index.html").write_text("home", encoding="utf-8")
    page = "http://localhost:8000/repo/events/a/?q=1#n1"
    assert serve.shows(page, Shown, {"events/a/index.html"})
    assert not serve.shows(page, Shown, {"events/b/index.html", "events.json"})
    assert serve.shows(page, Shown, {"static/style.css"})  # every page shows it
    assert not serve.shows(page, Shown, set())
    assert serve.shows("http://localhost:8000/repo/", Shown, {"index.html"})
    assert serve.shows("http://localhost:8000/repo/events/new/", Shown, {"events/b/index.html"})  # a 404 until now
    assert serve.shows("http://localhost:8000/", Shown, {"events/b/index.html"})  # outside the base path
    assert serve.shows(None, Shown, {"events/b/index.html"})  # a browser that never said its page


def test_a_rebuild_a_newer_save_made_stale_stops_before_it_writes(fixture_site):
    def folder():
        out = preview.output
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    preview, entry, text = served(fixture_site)
    before = folder()
    entry.write_text(text.replace("said the mayor", "said Mayor Liss"), encoding="utf-8")
    progress = preview._progress

    def save_meanwhile(stage, done=0, total=0):
        if stage == "checking links":
            preview.superseded.set()  # as Rebuilds does when a save comes in
        progress(stage, done, total)

    preview._progress = save_meanwhile
    assert preview.rebuild() and not preview.finished
    assert folder() == before and not preview.writing.locked()
    preview._progress = progress
    preview.superseded.clear()  # as Rebuilds does before the next rebuild
    assert preview.rebuild() and preview.finished
    page = next(p for p in preview.changed if p.startswith("events/2021-04-12"))
    assert b"said Mayor Liss" in folder()[page]
    assert preview.rebuild() and preview.memo.counts["files rendered"] == 0 and preview.changed == set()


THEME_EVENT = (Path(session.__file__).parent.parent / "theme" / "templates" / "event.html").read_text(encoding="utf-8")


def first_then_rebuild(root: Path, template: str, old: str, new: str) -> set[str]:
    """Serve `root`, add a templates/event.html while serving, save an edit; return the pages
    drawn first, having checked that the rebuild draws them the same."""
    preview = session.Preview(root, say=lambda text: None)
    assert preview.rebuild()
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "event.html").write_text(template, encoding="utf-8")
    assert preview.rebuild()
    entry = root / "content" / "events" / MAYOR
    entry.write_text(entry.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    preview.first({entry})
    first = {page: (preview.output / page).read_bytes() for page in preview.drawn}
    assert preview.rebuild()
    assert {page: (preview.output / page).read_bytes() for page in first} == first
    return set(first)


def test_a_site_template_added_while_serving_draws_the_first_pages(fixture_site):
    drawn = first_then_rebuild(fixture_site, THEME_EVENT.replace("<article ", "<article data-mine "),
                               "said the mayor", "said Mayor Liss")
    assert drawn and b"data-mine" in (fixture_site / session.OUTPUT / drawn.pop()).read_bytes()


def test_an_event_template_that_reads_the_timeline_is_left_to_the_rebuild(fixture_site):
    counted = THEME_EVENT.replace("{{ name }}</a>", "{{ name }}</a>{% for t in timeline.taxonomies[kind.name] "
                                  "if t.name == name %} ({{ t.events | length }}){% endfor %}")
    assert counted != THEME_EVENT
    assert first_then_rebuild(fixture_site, counted, "tags: [aid]", "tags: [aid, transport]") == set()


def test_a_save_while_the_rebuild_writes_waits_for_it_and_is_not_written_over(fixture_site):
    preview, entry, text = served(fixture_site)
    entry.write_text(text.replace("said the mayor", "said Mayor Liss"), encoding="utf-8")
    progress, checking = preview._progress, threading.Event()

    def links_take_a_while(stage, done=0, total=0):
        progress(stage, done, total)
        if stage == "checking links":  # past its last look at `superseded` but the one before writing
            checking.set()
            time.sleep(0.5)

    preview._progress = links_take_a_while
    rebuild = threading.Thread(target=preview.rebuild, daemon=True)
    rebuild.start()
    assert checking.wait(30)
    entry.write_text(text.replace("said the mayor", "said Mayor Anna"), encoding="utf-8")
    saving = threading.Thread(target=lambda: (preview.superseded.set(), preview.first({entry})), daemon=True)
    saving.start()  # as Rebuilds.saved does, on the server's thread
    saving.join(10)
    rebuild.join(10)
    assert not saving.is_alive() and not rebuild.is_alive()
    assert not preview.finished  # stopped before writing
    [page] = preview.drawn
    assert b"said Mayor Anna" in (preview.output / page).read_bytes()


def test_markdown_converts_on_two_threads_at_once_as_on_one():
    import sys

    from dateline.render import markdown as md

    texts = [(f"Text {i} *with* a [link](https://example.org/{i}) and \"quotes\" {'x ' * (i % 50)}", (), False)
             for i in range(300)]
    alone = [md._convert(*args) for args in texts]
    results: dict[int, list] = {0: [], 1: []}

    def convert(n: int) -> None:
        results[n] = [md._convert(*args) for args in texts[n::2]]

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=convert, args=(n,)) for n in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert results[0] == alone[0::2] and results[1] == alone[1::2]


def test_a_page_that_moved_with_its_entry_s_date_leads_to_its_new_address(fixture_site):
    preview, entry, text = served(fixture_site)
    page = "events/2021-04-{}-the-mayor-of-nordhavn-asks-the-country-for-help/"
    for day in ("14", "15", "12"):
        entry.write_text(text.replace("date: 2021-04-12", f"date: 2021-04-{day}"), encoding="utf-8")
        assert preview.rebuild()
        expected = {"14": {"12": "14"}, "15": {"12": "15", "14": "15"}, "12": {"14": "12", "15": "12"}}[day]
        assert preview.moved == {page.format(old): page.format(new) for old, new in expected.items()}
    entry.unlink()
    assert preview.rebuild() and preview.moved == {}  # nowhere to lead
