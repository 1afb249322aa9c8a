"""The Hugo side of bench/versus_hugo.py holds the same events as the Dateline corpus (no timing, no hugo)."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import gensite  # noqa: E402
import versus_hugo  # noqa: E402


def test_hugo_site_has_the_same_events(tmp_path):
    dateline = gensite.generate(tmp_path / "dateline", 5)
    hugo = versus_hugo.write_hugo_site(dateline, tmp_path / "hugo")
    assert (hugo / "config.toml").is_file()
    assert all((hugo / "layouts" / name).is_file() for name in versus_hugo.HUGO_LAYOUTS)
    entries = sorted((dateline / "content" / "events").glob("*.md"))
    assert len(entries) == 5
    assert sorted(p.name for p in (hugo / "content" / "events").iterdir()) == [p.name for p in entries]
    for entry in entries:
        ours, body = versus_hugo.split_entry(entry.read_text(encoding="utf-8"))
        theirs, hugo_body = versus_hugo.split_entry((hugo / "content" / "events" / entry.name).read_text(encoding="utf-8"))
        assert (theirs["title"], theirs["date"]) == (ours["title"], ours["date"])
        assert theirs["tags"] == ours["tags"] and theirs["places"] == [ours["place"]]
        assert hugo_body == body
