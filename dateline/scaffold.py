"""`build.py new` and `build.py new-source`: start a content file with its front matter filled in.

Each refuses, with every reason at once, rather than write something `check` would reject: an
unknown source, an unreadable date, a bad id or URL. An existing file is never overwritten.
Values go through yaml.safe_dump, so a title with a colon, or a date YAML would turn into a
date object, stays the text it was.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .core import dates
from .core.config import parse_config
from .core.errors import BuildError, Problem, nearest_id
from .core.load import SourceFile, load_site
from .core.model import slugify
from .core.checker import is_http_url
from .core.rules import is_source_id
from .core.timeline import after_sources


def new_event(root: Path, title: str, date: str, sources: list[str] = (), place: str = "",
              tags: list[str] = (), warnings: list[Problem] | None = None) -> Path:
    """Create content/events/<date>-<slug>.md as a draft citing `sources`; return its path.

    What `check` would warn of in the new file (a date after its sources' publication) is
    added to `warnings`.
    """
    root = Path(root)
    site = _site(root)
    problems: list[Problem] = []
    title = _one_line(title, "title", problems)
    place = _one_line(place, "--place", problems, required=False)
    tags = [_one_line(t, "--tag", problems) for t in tags]
    known = {sf.id: sf for sf in site.sources}
    sources = list(dict.fromkeys(s.strip() for s in sources))
    for sid in sources:
        if sid not in known:
            guess = nearest_id(sid, known)
            problems.append(_arg(f"--source: unknown source '{sid}'",
                                 f"did you mean '{guess}'?" if guess else
                                 f"add it first: dateline new-source {sid} --title ... --publisher ..."))
    languages = parse_config(site.config, [], None).date_languages
    first = known.get(sources[0]) if sources else None
    written, parsed = _event_date(date, languages, first, problems)
    if problems:
        raise BuildError(problems)
    front = {"title": title, "date": written}
    front.update({"place": place} if place else {})
    front.update({"tags": list(dict.fromkeys(tags))} if tags else {})
    front.update({"sources": sources} if sources else {})
    front["draft"] = True  # the body is a placeholder: keep it off the site until it is written
    path = root / "content" / "events" / f"{parsed.iso[:10]}-{slugify(title)}.md"
    _create(path, f"---\n{_yaml(front)}---\n{_placeholder(sources)}", root)
    late = after_sources(parsed, {sid: _published(known[sid]) for sid in sources})
    if late and warnings is not None:  # at the front matter's first line, where check says it
        warnings.append(Problem(path.relative_to(root).as_posix(), 2, 0, late, "check the date against the "
                                "sources", "warning", "date-after-sources"))
    return path


def new_source(root: Path, sid: str, title: str, publisher: str, url: str = "",
               published: str = "") -> Path:
    """Create content/sources/<sid>.yaml; return its path."""
    root = Path(root)
    _site(root)
    problems: list[Problem] = []
    if not is_source_id(sid):
        problems.append(_arg(f"source id '{sid}' may hold only letters, digits, - and _",
                             f"e.g. {slugify(sid) if sid.strip() else 'bbc-2019-10-13'}"))
    data = {"title": _one_line(title, "--title", problems),
            "publisher": _one_line(publisher, "--publisher", problems)}
    if url:
        if is_http_url(url.strip()):
            data["url"] = url.strip()
        else:
            problems.append(_arg(f"--url: must be an http or https URL, not {url[:60]!r}",
                                 "leave it out when the source has no URL: never invent one"))
    if published:
        try:
            data["published"] = dates.parse_date(published.strip()).edtf
        except dates.DateError as exc:
            hint = "write the publication date in full, e.g. 2019-10-13" if _relative(exc) else exc.hint
            problems.append(_arg(f"--published: {exc.message}", hint))
    if problems:
        raise BuildError(problems)
    path = root / "content" / "sources" / f"{sid}.yaml"
    _create(path, _yaml(data), root)
    return path


def _site(root: Path):
    """Read the site, refusing to scaffold into a folder that is not one."""
    if not (root / "site.yaml").is_file():
        raise BuildError([Problem("site.yaml", 0, 0, "site.yaml is missing",
                                  "run the command from the site's folder, or pass --site PATH")])
    return load_site(root)


def _event_date(text: str, languages: tuple[str, ...], first: SourceFile | None,
                problems: list[Problem]) -> tuple[str, dates.Date | None]:
    """Return (what to write in `date:`, the date it means).

    A full date is written normalised (2019-10-13, 2019-10~). A relative one ('Saturday') is
    written as given, keeping the source's words, and read against the first source's
    publication date, as validate.py reads it.
    """
    text = " ".join(text.split())
    try:
        date = dates.parse_date(text, languages)
        return date.edtf, date
    except dates.DateError as exc:
        error = exc
    base, label = _base(first)
    if base is not None:
        try:
            return text, dates.parse_date(text, languages, base, label)
        except dates.DateError as exc:
            error = exc
    hint = error.hint
    if _relative(error) and base is None:
        hint = "give a --source with a `published` day to read it against, or write the date in full"
    problems.append(_arg(f"--date: {error.message}", hint))
    return text, None


def _relative(error: dates.DateError) -> bool:
    """Return True when dates.py refused a date for being relative with nothing to read it against."""
    return "is relative" in error.message


def _published(source: SourceFile | None) -> dates.Date | None:
    """Return a source's publication date, or None when it has none that can be read."""
    if source is None or "published" not in source.data:
        return None
    try:
        return dates.parse_date(source.data["published"])
    except dates.DateError:
        return None


def _base(source: SourceFile | None) -> tuple[dt.date | None, str]:
    """Return the day a source was published, to read relative dates against, and its label."""
    published = _published(source)
    if published is None or published.precision not in ("day", "minute"):
        return None, ""
    return published.first_day(), f"{source.id} (published {published.iso})"


def _placeholder(sources: list[str]) -> str:
    """Return a body that says what to write and cites the sources given."""
    if not sources:
        return ("Say what happened, in your own words, and cite a source for each claim: list it\n"
                "under `sources:` and cite it in the text.\n")
    cites = "; ".join(f"@{sid}" for sid in sources)
    return f"Say what happened, in your own words, and cite a source for each claim [{cites}].\n"


def _one_line(value: str, what: str, problems: list[Problem], required: bool = True) -> str:
    """Return `value` stripped, recording a problem when it is empty or spans lines."""
    value = (value or "").strip()
    if required and not value:
        problems.append(_arg(f"{what}: must not be empty"))
    elif any(ord(c) < 32 for c in value):
        problems.append(_arg(f"{what}: must be one line of text"))
    return value


def _arg(message: str, hint: str = "") -> Problem:
    """Return a problem with the command's arguments (no file to point at)."""
    return Problem("build.py", 0, 0, message, hint, "error", "bad-argument")


def _yaml(data: dict) -> str:
    """Return `data` as block YAML in the given key order, every value quoted as it needs."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False)


def _create(path: Path, text: str, root: Path) -> None:
    """Write a new file, refusing if one is there (mode 'x' makes the check and the write one step).

    Not write.py's job: that module swaps whole built sites into output/; this creates one
    content file an editor asked for, and nothing else.
    """
    where = path.relative_to(root).as_posix()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        raise BuildError([Problem(where, 0, 0, "file already exists, and new never overwrites",
                                  "edit that file, or choose another title or id")]) from None
