"""The folders a build reads besides content/: static/ and templates/, the theme's and the site's.

Within them, as in content/, a linked file that stays in the site (or the theme) is read and a
linked folder is not; `outside_links` lists what a build refuses to follow.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..core.errors import Problem, rel
from ..render import pages  # its THEME read at each call: tests move the theme


def static_files(root: Path) -> dict[str, Path]:
    """Map output paths under static/ to files: the theme's, then the site's over them (see `tree`)."""
    copies: dict[str, Path] = {}
    for folder, top in read_folders(root, ("static",)):
        for path in sorted(tree(folder, top)[0]):
            if not path.name.startswith("."):
                copies["static/" + path.relative_to(folder).as_posix()] = path
    return copies


def read_folders(root: Path, names=("static", "templates")) -> list[tuple[Path, Path]]:
    """Return (folder, the folder its links must stay in) for what a build reads besides content/."""
    pairs: dict[Path, tuple[Path, Path]] = {}
    for top in (pages.THEME, Path(root)):  # the theme's first: the site's own files override them
        for name in names:
            pairs[top.resolve() / name] = (top / name, top)
    return list(pairs.values())


def tree(folder: Path, top: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Return the files under `folder`, and the links it may not follow: ("outside" `top`, or a "folder").

    As in content/, a linked file that stays in `top` is read; a linked folder is not (the
    folder itself may be a link within `top`).
    """
    boundary = os.path.realpath(top).rstrip(os.sep) + os.sep
    files: list[Path] = []
    refused: list[tuple[Path, str]] = []
    if not os.path.lexists(folder):
        return files, refused
    if not (os.path.realpath(folder) + os.sep).startswith(boundary):
        return files, [(folder, "outside")]
    for here, dirs, names in os.walk(folder):  # links to folders are listed, not entered
        for name in sorted(dirs + names):
            path = Path(here) / name
            if os.path.islink(path) and not (os.path.realpath(path) + os.sep).startswith(boundary):
                refused.append((path, "outside"))
            elif os.path.islink(path) and name in dirs:
                refused.append((path, "folder"))
            elif name in names and path.is_file():
                files.append(path)
    return files, refused


def outside_links(root: Path) -> list[Problem]:
    """Refuse the links in static/ and templates/ that a build may not follow (see `tree`)."""
    root, problems = Path(root), []
    for folder, top in read_folders(root):
        what = "theme" if top == pages.THEME and pages.THEME.resolve() != root.resolve() else "site"
        for path, why in tree(folder, top)[1]:
            if why == "folder":
                problems.append(Problem(rel(path, root), 0, 0, "linked folders are not read",
                                        "move the files here, or link each file"))
            else:
                problems.append(Problem(rel(path, root), 0, 0, f"symbolic link points outside the {what}",
                                        f"copy the {'folder' if path.is_dir() else 'file'} into the {what} instead"))
    return problems


def stylesheet_notes(root: Path) -> list[Problem]:
    """Warn of a site's own base.html that links the theme's style.css but not its event.css.

    The theme's stylesheet became two files (docs/templates.md): a base.html copied before then
    leaves the event pages, the sources and the corrections without the rules they use. A site
    whose own static/style.css holds everything needs no event.css: no warning then."""
    base, own = Path(root) / "templates" / "base.html", Path(root) / "static" / "style.css"
    if not base.is_file() or own.exists():
        return []
    try:
        lines = base.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []  # read, and reported, with the templates
    text = re.sub(r"\{#.*?#\}|<!--.*?-->", "", "\n".join(lines), flags=re.S)  # what a comment names is not loaded
    if "event.css" in text or "page_style" in text or "style.css" not in text:
        return []
    line = next((i for i, s in enumerate(lines, start=1) if "static/style.css" in s),
                next(i for i, s in enumerate(lines, start=1) if "style.css" in s))
    return [Problem("templates/base.html", line, 0, "links static/style.css but not static/event.css: the event "
                    "pages, the sources and the corrections lose their notes', accounts' and images' styles",
                    "add {% block page_style %}<link rel=\"stylesheet\" href=\"{{ url('static/event.css') }}\">"
                    "{% endblock %} before this line (docs/templates.md)", "warning", "stylesheet-missing")]
