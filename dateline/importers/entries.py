"""Turn an `Imported` timeline into entry files, and its title slide into site.yaml.

Every slide becomes one draft in content/events/ (it cites nothing yet), or an error that stops
the whole import before anything is written. What Dateline has no field for yet (display
dates, media, backgrounds, types, eras) is kept as YAML comments: in the entry's front matter,
or at the end of site.yaml for the title slide and the eras. YAML is written by PyYAML's
safe_dump, so a headline such as `yes`, `2019` or `a: b` stays text.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core import dates
from ..core.errors import BuildError, Problem
from ..core.model import slugify
from . import html
from .slides import Beyond, Imported, Slide, has_date, read_date

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: the same text, faster
COMMENT_HEAD = "# Imported from TimelineJS ({where}); Dateline has no field for these yet:"


@dataclass
class Entry:
    """One entry file to write: its path under the site and its text."""

    path: Path
    text: str
    commented: bool = False   # it keeps something as comments


@dataclass
class Result:
    """What an import wrote, and the notes on what did not come along."""

    written: list[Path] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    kept_in_comments: int = 0


def write(imported: Imported, root: Path) -> Result:
    """Write the imported timeline into the site at `root`; raise BuildError, writing nothing, on errors."""
    root = Path(root)
    problems = imported.problems  # the readers' and the writer's, in one list
    entries = _entries(imported, root)
    site_text = _site_yaml(imported, root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BuildError(errors)
    result = Result(notes=sorted(p for p in problems if p.severity != "error"),
                    kept_in_comments=sum(e.commented for e in entries))
    if site_text is not None:
        _replace(root / "site.yaml", site_text)
    for entry in entries:
        entry.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(entry.path, "x", encoding="utf-8", newline="\n") as f:
                f.write(entry.text)
        except FileExistsError:  # created since we looked: still never overwritten
            raise BuildError([_exists(entry.path, root)]) from None
        result.written.append(entry.path)
    return result


def _entries(imported: Imported, root: Path) -> list[Entry]:
    """Plan one entry a slide; record every problem with the slides."""
    entries: list[Entry] = []
    names: set[str] = set()
    slugs: set[str] = set()
    for slide in imported.slides:
        notes: list[str] = []
        planned = _entry(imported, slide, notes, names, slugs, root)
        for note in notes:
            imported.problem(slide, note, severity="info")
        if planned is not None:
            entries.append(planned)
    beyond = sum(p.code == "unsupported-year" for p in imported.problems)
    if beyond:
        total = len(imported.slides)
        imported.problem(None, f"{beyond} of {total} slide{'s' if total != 1 else ''} "
                         f"{'is' if beyond == 1 else 'are'} dated outside years 1 to 9999 "
                         "of the common era (TimelineJS's cosmological scale, or years BC), which Dateline "
                         "cannot show", "remove those slides from the file to import the others")
    return entries


def _entry(imported: Imported, slide: Slide, notes: list[str], names: set[str], slugs: set[str],
           root: Path) -> Entry | None:
    """Plan the entry of one slide, or record why it cannot be written and return None."""
    if not has_date(slide.start):
        imported.problem(slide, "the slide has no start date", "give it at least a year")
        return None
    try:
        start = read_date(slide.start, "start", notes)
        end = read_date(slide.end, "end", notes) if has_date(slide.end) else None
    except dates.DateError as exc:
        code = "unsupported-year" if isinstance(exc, Beyond) else "import"
        imported.problem(slide, exc.message, exc.hint, code=code)
        return None
    if end is not None and end.sort_key() < start.sort_key():
        imported.problem(slide, f"the end ({end.iso}) is before the start ({start.iso})", "swap them or correct one")
        return None
    title = html.to_text(slide.headline, notes, "headline") or _fallback_title(slide, notes)
    stem = f"{start.iso[:10]}-{slugify(title)}"
    name, n = stem, 1
    while name.casefold() in names or name in slugs:  # two slides with one date and headline
        n += 1
        name = f"{stem}-{n}"
    names.add(name.casefold())
    front: dict = {"title": title, "date": start.edtf}
    if end is not None:
        front["end"] = end.edtf
    if slide.group:
        front["tags"] = [" ".join(slide.group.split())]
    uid = slide.unique_id
    slug = uid if uid and slugify(uid) == uid and uid not in slugs else name
    slugs.add(slug)
    if slug != stem:
        front["slug"] = slug
    front["draft"] = True  # it cites nothing yet: `check` lists it until it does
    comments = _comments(slide, notes, uid if slug != uid else "")
    body = html.to_markdown(slide.text, notes)
    for key in slide.ignored:
        notes.append(f"the key {key} is not carried over")
    path = root / "content" / "events" / f"{name}.md"
    if path.exists():
        imported.problems.append(_exists(path, root))
        return None
    if comments:
        comments = COMMENT_HEAD.format(where=f"{Path(imported.path).name}, {slide.label}") + "\n" + comments
    head = _dump(front) + comments
    return Entry(path, f"---\n{head}---\n{body}\n" if body else f"---\n{head}---\n", bool(comments))


def _fallback_title(slide: Slide, notes: list[str]) -> str:
    """Return a title for a slide without a headline: its first words, else its label."""
    words = html.to_text(slide.text).split()
    title = " ".join(words[:8]) + (" …" if len(words) > 8 else "") if words else f"Untitled ({slide.label})"
    notes.append(f"the slide has no headline: its title is {title!r}, change it in the entry")
    return title


def _comments(slide: Slide, notes: list[str], uid: str, prefix: str = "") -> str:
    """Return the YAML comment lines keeping what Dateline has no field for; '' when there is none."""
    fields = [("display_date", slide.display_date)]
    fields += [(f"media_{k}", html.to_markdown(v, notes) if k in ("credit", "caption") else v)
               for k, v in slide.media.items()]
    fields += [(f"background_{k}", v) for k, v in slide.background.items()]
    kind = slide.type if slide.type.casefold() not in ("title", "era") else ""  # said by where it is kept
    fields += [("type", kind), ("unique_id", uid)]
    return "".join(f"# {prefix}{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in fields if v)


def _dump(data: dict) -> str:
    """Return `data` as block YAML in the given order, each value quoted as it needs."""
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1 << 20,
                     default_flow_style=False)


def _exists(path: Path, root: Path) -> Problem:
    where = path.relative_to(root).as_posix()
    return Problem(where, 0, 0, "already exists: import never overwrites an entry",
                   "move the file away, or import into a new site with --site", "error", "exists")


# --- site.yaml ------------------------------------------------------------------------------

def _site_yaml(imported: Imported, root: Path) -> str | None:
    """Return site.yaml's new text (None to leave it as it is) with the title slide and the eras."""
    notes = problems = imported.problems
    path = root / "site.yaml"
    values: dict[str, str] = {}
    comments = ""
    if imported.title is not None:
        losses: list[str] = []
        title = html.to_text(imported.title.headline, losses, "site title")
        description = html.to_text(imported.title.text, losses, "site description")
        values = {k: v for k, v in (("title", title), ("description", description)) if v}
        comments += _comments(imported.title, losses, imported.title.unique_id, "title_slide_")
        for loss in losses:
            imported.problem(imported.title, loss, severity="info")
    comments += "".join(_era(era) for era in imported.eras)
    if imported.eras:
        imported.problem(None, f"{len(imported.eras)} era{'s' if len(imported.eras) > 1 else ''} kept as "
                         "comments at the end of site.yaml: Dateline has no eras yet", severity="info")
    if comments:
        comments = "\n" + COMMENT_HEAD.format(where=Path(imported.path).name) + "\n" + comments
    if not path.exists():
        if "title" not in values:
            values["title"] = Path(imported.path).stem
            notes.append(Problem("site.yaml", 0, 0, f"no title slide: the site's title is {values['title']!r}, "
                                 "change it in site.yaml", severity="info", code="import"))
        return _dump(values) + comments
    try:
        old = path.read_text(encoding="utf-8")
        text = set_keys(old, values)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(Problem("site.yaml", 0, 0, f"cannot set the title from the title slide: {exc}",
                                "correct site.yaml (build.py check shows how), then import again"))
        return None
    if text is None:
        problems.append(Problem("site.yaml", 1, 0, "cannot set the title from the title slide: site.yaml is "
                                "not a block mapping of keys to values", "write it as `title: ...` lines"))
        return None
    before = yaml.safe_load(old) or {}
    for key, value in values.items():
        if before.get(key) not in (None, value):
            notes.append(Problem("site.yaml", 0, 0, f"{key} {before[key]!r} replaced by the title slide's "
                                 f"{value!r}", severity="info", code="import"))
    new = text + comments if not comments or text.endswith("\n") else text + "\n" + comments
    return new if new != old else None


def _era(era: Slide) -> str:
    """Return an era as one comment line: its headline and years, as the file gave them."""
    def show(parts: dict) -> str:
        return "-".join(parts[k] for k in ("year", "month", "day") if parts.get(k)) or "?"
    name = html.to_text(era.headline) or era.label
    return f"# era: {json.dumps(name, ensure_ascii=False)}, {show(era.start)} to {show(era.end)}\n"


def set_keys(text: str, values: dict[str, str]) -> str | None:
    """Return YAML `text` with top-level `values` set, every other line kept; None if not a block mapping."""
    node = yaml.compose(text)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if node is not None and (not isinstance(node, yaml.MappingNode) or node.flow_style):
        return None
    spans = {}
    for key, value in (node.value if node is not None else ()):
        if isinstance(key, yaml.ScalarNode) and key.value in values:
            last = value.end_mark.line if value.end_mark.column > 0 else value.end_mark.line - 1
            spans[key.value] = (key.start_mark.line, max(last, key.start_mark.line))
    for key, (first, last) in sorted(spans.items(), key=lambda kv: -kv[1][0]):
        lines[first:last + 1] = [_dump({key: values[key]})]
    lines += [_dump({k: v}) for k, v in values.items() if k not in spans]
    out = "".join(lines)
    after = yaml.safe_load(out) or {}
    if any(after.get(k) != v for k, v in values.items()):  # never write a site.yaml that reads otherwise
        return None
    return out


def _replace(path: Path, text: str) -> None:
    """Write `path` whole or not at all: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".site.yaml.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
