"""The theme's stylesheet in two: style.css on every page, event.css only where its rules are used.

The lists of events (the home page, year and term pages) load style.css alone, the lighter home
page being the point (docs/performance.md, "The sample's home page"); every other page loads
event.css after it. Checked on the golden fixtures' pages, which show every page kind."""

from __future__ import annotations

import re
from pathlib import Path

from dateline.render.pages import THEME

GOLDEN = Path(__file__).parent / "golden"


def classes(css: str) -> set[str]:
    """Return the class names a stylesheet's selectors name."""
    selectors = re.sub(r"\{[^{}]*\}", "", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    return set(re.findall(r"\.([a-zA-Z][\w-]*)", selectors))


def test_no_page_uses_a_class_styled_only_in_the_stylesheet_it_does_not_load():
    only_event = (classes((THEME / "static" / "event.css").read_text())
                  - classes((THEME / "static" / "style.css").read_text()))
    assert {"accounts", "note-list", "bibliography", "media", "post-card", "prev-next"} <= only_event
    pages = sorted(GOLDEN.glob("*/expected/**/*.html"))
    assert len(pages) > 30
    lists = 0
    for page in pages:
        html = page.read_text()
        used = {name for value in re.findall(r'class="([^"]*)"', html) for name in value.split()}
        is_list = bool(re.search(r'<li class="event[ "]', html))
        lists += is_list
        assert ("static/event.css" in html) != is_list, page
        if is_list:
            assert not used & only_event, f"{page} uses {sorted(used & only_event)} but does not load event.css"
    assert lists >= 6  # the home pages and term pages of three fixtures


def test_a_list_of_events_loads_style_css_alone_and_an_event_page_both():
    home = (GOLDEN / "basic" / "expected" / "index.html").read_text()
    assert "static/style.css" in home and "static/event.css" not in home
    event = next((GOLDEN / "basic" / "expected" / "events").glob("*/index.html")).read_text()
    assert event.index("static/event.css") < event.index("static/style.css")  # a site's own style.css has the last word


def test_a_site_base_html_from_before_the_split_is_warned_of_at_its_line(make_site, run_cli):
    root = make_site("""
-- content/events/a.md --
---
title: A
date: 2019
---
-- templates/base.html --
<!DOCTYPE html>
<html><head><title>{% block title %}{% endblock %}</title>
<link rel="stylesheet" href="{{ url('static/style.css') }}">
</head><body><main id="main">{% block main %}{% endblock %}</main></body></html>
""")
    code, _, err = run_cli("build", "--site", root)
    assert code == 0
    assert "templates/base.html:3: warning: links static/style.css but not static/event.css" in err
    (root / "templates" / "base.html").write_text((root / "templates" / "base.html").read_text().replace(
        "<link", "{% block page_style %}<link rel=\"stylesheet\" href=\"{{ url('static/event.css') }}\">{% endblock %}\n<link"))
    code, _, err = run_cli("build", "--site", root)
    assert code == 0 and "stylesheet-missing" not in err and "event.css" not in err


def test_the_theme_base_html_copied_without_its_page_style_block_is_warned_of(make_site, run_cli):
    """Its comment names event.css: what a comment names is not a link."""
    base = (THEME / "templates" / "base.html").read_text()
    block = re.search(r"\{% block page_style %\}.*?\{% endblock %\}\n", base, re.S)[0]
    root = make_site("""
-- content/events/a.md --
---
title: A
date: 2019
---
""")
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text(base.replace(block, ""))
    line = base.replace(block, "").splitlines().index(next(x for x in base.replace(block, "").splitlines()
                                                           if "static/style.css" in x)) + 1
    code, _, err = run_cli("build", "--site", root)
    assert code == 0 and f"templates/base.html:{line}: warning: links static/style.css but not static/event.css" in err
