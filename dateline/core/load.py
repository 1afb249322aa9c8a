"""Read a site from disk: site.yaml, content/events, content/sources, content/aliases.yaml.

This is the only stage that reads content. It splits front matter from Markdown, parses the
YAML with the line of every key, and collects every problem instead of stopping at the first.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlsrc
from .errors import Problem, rel
from .files import MAX_FILE_BYTES, is_inside, link_problem, read_text  # noqa: F401 - the limit, for callers

@dataclass(frozen=True)
class Entry:
    """One event's raw front matter (or list item) and Markdown body, with where it came from."""

    path: str            # relative to the site root, for messages and sorting
    data: yamlsrc.YMap
    body: str = ""
    body_line: int = 0   # line of the body's first line in the file


@dataclass(frozen=True)
class SourceFile:
    """One bibliography file: content/sources/<id>.yaml."""

    id: str
    path: str
    data: yamlsrc.YMap


@dataclass
class SiteInput:
    """Everything read from disk, before validation."""

    root: Path
    config: yamlsrc.YMap
    events: list[Entry] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    aliases: yamlsrc.YMap | None = None
    problems: list[Problem] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # source id -> its stored text (`text:`)


def _folder_link_problem(folder: Path, root: Path) -> Problem | None:
    """Return why a content folder that is a link may not be read; None when it is no link or cannot be seen."""
    try:
        return link_problem(folder, root, rel(folder, root), "folder")
    except OSError:  # an unreadable folder above it: _files says so at its place
        return None


def parse_yaml(text: str, where: str, problems: list[Problem], first_line: int = 1):
    """Parse YAML text, recording a file:line:col problem when it is malformed."""
    try:
        return yamlsrc.load(text, first_line)
    except yamlsrc.YAMLError as exc:
        problems.append(Problem(where, exc.line, exc.col, exc.message, exc.hint))
        return None


def split_front_matter(text: str, where: str, problems: list[Problem]) -> tuple | None:
    """Split '---' front matter from the body: (yaml text, body, body first line) or None."""
    if not text.strip():
        problems.append(Problem(where, 1, 0, "file is empty",
                                "start it with front matter: ---, title: ..., date: ..., ---"))
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.append(Problem(where, 1, 0, "file does not start with front matter",
                                "the first line must be --- and the front matter must end with ---"))
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    problems.append(Problem(where, 1, 0, "front matter is not closed",
                            "did you forget the closing --- after the front matter?"))
    return None


def load_event_file(path: Path, root: Path, problems: list[Problem]) -> list[Entry]:
    """Read one content/events file: a .md entry or a .yaml list of short entries."""
    where = rel(path, root)
    text = read_text(path, root, problems)
    if text is None:
        return []
    if path.suffix == ".md":
        parts = split_front_matter(text, where, problems)
        if parts is None:
            return []
        front, body, body_line = parts
        data = parse_yaml(front, where, problems, first_line=2)
        if data is None and not problems_for(where, problems):
            problems.append(Problem(where, 2, 0, "front matter is empty", "add title: and date:"))
        if data is None:
            return []
        if not isinstance(data, yamlsrc.YMap):
            problems.append(Problem(where, 2, 0, "front matter must be a mapping of keys to values",
                                    "write one `key: value` a line"))
            return []
        return [Entry(where, data, body, body_line)]
    data = parse_yaml(text, where, problems)
    if data is None:
        if not problems_for(where, problems):
            problems.append(Problem(where, 1, 0, "file is empty", "write a list of events: - title: ..."))
        return []
    if not isinstance(data, yamlsrc.YList):
        problems.append(Problem(where, 1, 0, "an events .yaml file must be a list of events",
                                "start each event with '- title: ...'"))
        return []
    entries = []
    for item, line in zip(data, data.item_lines):
        if not isinstance(item, yamlsrc.YMap):
            problems.append(Problem(where, line, 0, "each item must be an event (a mapping)",
                                    "write '- title: ...' with date: on the next line"))
            continue
        body = item.get("body", "")
        entries.append(Entry(where, item, body if isinstance(body, str) else "",
                             item.line_of("body") + 1 if "body" in item else 0))
    return entries


def load_source_text(data: yamlsrc.YMap, where: str, root: Path, problems: list[Problem]) -> str | None:
    """Read the stored copy of a source's text named by its `text:` (relative to the site root)."""
    name = data.get("text")
    if not isinstance(name, str) or not name.strip():
        return None  # absent, or not text: validate.py reports the latter
    kind = data.get("type")
    if isinstance(kind, str) and kind.strip().lower() == "post":
        return name  # a post's `text:` is its words: its quotes are checked against them
    name, line = name.strip(), data.line_of("text")
    if Path(name).is_absolute():
        problems.append(Problem(where, line, 0, f"'text' must be a path relative to the site root, not {name!r}",
                                "write it from the folder holding site.yaml, e.g. sources-text/bbc.txt"))
        return None
    path = root / name
    try:
        inside = is_inside(path.resolve(), root.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        problems.append(Problem(where, line, 0, f"'text' names a symbolic link that leads nowhere, {name!r}",
                                "it loops, or what it points to is missing: remove it or fix its target"))
        return None
    if not inside:
        problems.append(Problem(where, line, 0, f"'text' must name a file inside the site, not {name!r}",
                                "copy the text into the site, e.g. sources-text/bbc.txt"))
        return None
    if not path.exists():
        problems.append(Problem(where, line, 0, f"text file {name!r} does not exist",
                                "the path is relative to the folder holding site.yaml; fix it or "
                                "remove `text:`"))
        return None
    return read_text(path, root, problems, bidi=False)  # refuses a folder, a FIFO... before opening it


def problems_for(where: str, problems: list[Problem]) -> bool:
    """Return True when a problem was already recorded for file `where`."""
    return any(p.path == where for p in problems)


def load_site(root: Path, memo=None) -> SiteInput:
    """Read site.yaml and everything under content/, collecting every problem.

    With a memo (build.cache.Memo: the core never imports it), an events file whose stat is
    unchanged is not read again: `memo.read_events` wraps `load_event_file` from outside.
    """
    root = Path(root)
    problems: list[Problem] = []
    config_text = read_text(root / "site.yaml", root, problems) if os.path.lexists(root / "site.yaml") else None
    if config_text is None and not problems:
        problems.append(Problem("site.yaml", 0, 0, "site.yaml is missing",
                                "run the command from the site's folder, or pass --site PATH"))
    config = parse_yaml(config_text, "site.yaml", problems) if config_text else None
    if config_text is not None and config is not None and not isinstance(config, yamlsrc.YMap):
        problems.append(Problem("site.yaml", 1, 0, "site.yaml must be a mapping of keys to values"))
        config = None
    if config is None and config_text is not None and not problems_for("site.yaml", problems):
        config = yamlsrc.YMap()
        config.line, config.key_lines = 1, {}
    site = SiteInput(root, config if config is not None else _empty_map())

    # content/ or a folder of it linked out of the site is not read: nothing outside the site is
    refused = set()  # (a link further down, to a file or a folder, is caught where it is met)
    for folder in (root / "content", root / "content" / "events", root / "content" / "sources"):
        if refused & {folder, folder.parent}:
            refused.add(folder)
        elif (link := _folder_link_problem(folder, root)) is not None:
            problems.append(link)
            refused.add(folder)
    events_dir = root / "content" / "events"
    for path in sorted(_files(events_dir, (".md", ".yaml", ".yml"), root, problems) if events_dir not in refused else ()):
        site.events.extend(memo.read_events(path, root, problems, load_event_file) if memo is not None
                           else load_event_file(path, root, problems))
    ids: dict[str, str] = {}  # source id, casefolded as a Mac or Windows checkout would -> its file
    sources_dir = root / "content" / "sources"
    for path in sorted(_files(sources_dir, (".yaml", ".yml"), root, problems) if sources_dir not in refused else ()):
        first = ids.setdefault(path.stem.casefold(), rel(path, root))
        if first != rel(path, root):
            problems.append(Problem(rel(path, root), 1, 0, f"source id '{path.stem}' is also the id of {first}",
                                    "a source's id is its file name: rename or merge one of them"))
            continue
        text = read_text(path, root, problems)
        if text is None:
            continue
        data = parse_yaml(text, rel(path, root), problems)
        if not isinstance(data, yamlsrc.YMap):
            if not problems_for(rel(path, root), problems):
                problems.append(Problem(rel(path, root), 1, 0, "file is empty" if data is None else
                                        "a source file must be a mapping",
                                        "write title:, publisher:, published: ..."))
            continue
        site.sources.append(SourceFile(path.stem, rel(path, root), data))
        stored = load_source_text(data, rel(path, root), root, problems)
        if stored is not None:
            site.texts[path.stem] = stored
    aliases = root / "content" / "aliases.yaml"
    if os.path.lexists(aliases) and root / "content" not in refused:
        text = read_text(aliases, root, problems)
        data = parse_yaml(text, "content/aliases.yaml", problems) if text else None
        if data is not None and not isinstance(data, yamlsrc.YMap):
            problems.append(Problem("content/aliases.yaml", 1, 0, "aliases.yaml must be a mapping",
                                    "write places: and actors: with a name and its aliases each"))
        elif data is not None:
            site.aliases = data
    site.problems = problems
    return site


def _empty_map() -> yamlsrc.YMap:
    out = yamlsrc.YMap()
    out.line, out.key_lines = 1, {}
    return out


def _files(folder: Path, suffixes: tuple[str, ...], root: Path, problems: list[Problem]) -> list[Path]:
    """List the content files in `folder` (recursively), reporting what cannot be read or is not content."""
    def unreadable(exc: OSError) -> None:  # os.walk would skip the folder without a word
        where = rel(Path(exc.filename), root)
        problems.append(Problem(where, 0, 0, f"cannot read folder: {exc.strerror}",
                                f"let your user read it: chmod u+rx {where}" if isinstance(exc, PermissionError)
                                else ""))

    try:
        if not stat.S_ISDIR(folder.stat().st_mode):
            problems.append(Problem(rel(folder, root), 0, 0, "a file where a folder should be",
                                    f"content files go in the folder {rel(folder, root)}/: rename this file"))
            return []
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        unreadable(exc)
        return []

    found = []
    for top, dirs, files in os.walk(folder, onerror=unreadable):
        for name in dirs:
            path = Path(top, name)
            if not name.startswith(".") and path.is_symlink():  # not walked into: say so rather than skip its files
                link = link_problem(path, root, rel(path, root), "folder")
                problems.append(link or Problem(rel(path, root), 0, 0, "linked folders are not read",
                                                "move the files here, or link each file"))
        for name in files:
            path = Path(top, name)
            if name.startswith("."):
                continue
            if path.suffix in suffixes:
                found.append(path)
            elif path.is_symlink() and (link := link_problem(path, root, rel(path, root))):
                problems.append(link)
            elif not name.endswith("~"):
                problems.append(Problem(rel(path, root), 0, 0, f"unexpected file in {rel(folder, root)}/",
                                        f"content files end in {', '.join(suffixes)}; rename or move it",
                                        severity="error"))
    return found
