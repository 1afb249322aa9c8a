"""`dateline init PATH`: a new timeline folder that builds, and passes `check --strict`, at once.

It writes site.yaml, one example event citing one example source (with a stored text the
event's quote is found in), a .gitignore, a README for the timeline's editors, a
requirements.txt naming the Dateline that made it, and a GitHub Pages workflow that installs
that Dateline and keeps the build cache. Existing files are never overwritten.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

from . import __version__
from .core.errors import BuildError, Problem
from .skeleton import EXAMPLE_DATE, EVENT, GITIGNORE, README, REQUIREMENTS, SOURCE, SOURCE_TEXT, SITE_COMMENT, WORKFLOW

LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")  # a BCP 47 tag such as en, fr, pt-BR
PLACEHOLDER = "dateline @ git+https://github.com/OWNER/REPOSITORY@COMMIT"
DEFAULT_DESCRIPTION = "Dated events, each citing its sources."


def version() -> str:
    """Return the installed Dateline's version, or the package's own when run from a checkout."""
    try:
        return metadata.version("dateline")
    except metadata.PackageNotFoundError:
        return __version__


def requirement() -> tuple[str, str]:
    """Return (the pip requirement for the running Dateline, '') or ('', why there is none).

    Dateline is not on PyPI: the address it was installed from is the one a workflow can use.
    pip records it in direct_url.json (PEP 610) for VCS and URL installs; a local folder, a
    local file or a checkout has no address GitHub's runners can reach.
    """
    try:
        text = metadata.distribution("dateline").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return "", "Dateline runs from a checkout, not an installed package"
    if not text:
        return "", "the installed Dateline did not record where it came from"
    try:
        return requirement_from(json.loads(text))
    except (ValueError, AttributeError, TypeError):
        return "", "the installed Dateline's direct_url.json could not be read"


def requirement_from(info: dict) -> tuple[str, str]:
    """Return (requirement, '') from a PEP 610 record, or ('', why) when it has no public address."""
    url = info.get("url", "")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "", f"Dateline was installed from {url or 'an unknown place'}, which GitHub cannot reach"
    # Keep no credentials a private install may have used; a public address needs none.
    url = urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")))
    if "vcs_info" in info:
        vcs = info["vcs_info"]
        if not vcs.get("vcs"):
            return "", "the installed Dateline's direct_url.json names no version control system"
        rev = vcs.get("commit_id") or vcs.get("requested_revision")
        url = f"{vcs['vcs']}+{url}" + (f"@{rev}" if rev else "")
    if info.get("subdirectory"):
        url += f"#subdirectory={info['subdirectory']}"
    return f"dateline @ {url}", ""


@dataclass
class Settings:
    """What goes into site.yaml."""

    title: str
    description: str = DEFAULT_DESCRIPTION
    language: str = "en"


@dataclass
class Result:
    """What `create` did: the files it wrote, those it kept, and why requirements.txt is a placeholder."""

    root: Path
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    placeholder: str = ""  # why requirements.txt names no Dateline, or '' when it does


def default_title(root: Path) -> str:
    """Return a title made from the folder's name: 'my-timeline' -> 'My timeline'."""
    name = re.sub(r"[-_.\s]+", " ", Path(root).resolve().name).strip()
    return name[:1].upper() + name[1:] if name else "My timeline"


def wrong(key: str, value: str) -> Problem | None:
    """Return what is wrong with one setting's value, naming its option, or None."""
    if key == "title" and not value.strip():
        return _arg("--title: must not be empty", "e.g. --title 'Floods in the Po valley'")
    if any(ord(c) < 32 for c in value):
        return _arg(f"--{key}: must be one line of text")
    if key == "language" and not LANGUAGE.fullmatch(value):
        return _arg(f"--language: {value!r} is not a language code", "write a BCP 47 tag, e.g. en, fr or pt-BR")
    return None


def problems_with(settings: Settings) -> list[Problem]:
    """Return every problem with the settings."""
    found = (wrong(key, value) for key, value in settings.__dict__.items())
    return [p for p in found if p]


def ask(settings: Settings, given: set[str], stdin=None, stderr=None) -> Settings:
    """Ask on a terminal for each setting not given as an option, with its default; Enter keeps it."""
    stdin, stderr = stdin or sys.stdin, stderr or sys.stderr
    for key, question in (("title", "Title"), ("description", "One sentence about it"),
                          ("language", "Language (BCP 47, e.g. en, fr)")):
        while key not in given:
            default = getattr(settings, key)
            print(f"{question} [{default}]: ", end="", file=stderr, flush=True)
            answer = stdin.readline()
            if not answer:  # end of input: keep this default and the rest
                print(file=stderr)
                return settings
            value = answer.strip() or default
            problem = wrong(key, value)
            if problem:
                print(f"  {problem.message.split(': ', 1)[1]} ({problem.hint or 'try again'})", file=stderr)
                continue
            settings = Settings(**{**settings.__dict__, key: value})
            break
    return settings


def refusal(root: Path, force: bool) -> Problem | None:
    """Return why `root` cannot hold a new timeline, or None when it can."""
    if root.exists() and not root.is_dir():
        return Problem(root.as_posix(), 0, 0, "is a file, not a folder", "choose a new or empty folder")
    # A fresh clone of an empty repository holds only .git: that is an empty folder for a timeline.
    if root.is_dir() and not force and any(p.name != ".git" for p in root.iterdir()):
        return Problem(root.as_posix(), 0, 0, "the folder is not empty",
                       "choose a new or empty folder, or add --force to add the missing files "
                       "and keep every file already there")
    return None


def refuse(root: Path, settings: Settings, force: bool) -> None:
    """Raise BuildError with every reason not to write this timeline there, if any."""
    problems = problems_with(settings)
    refused = refusal(Path(root), force)
    if problems or refused:
        raise BuildError(problems + [refused] if refused else problems)


def create(root: Path, settings: Settings, force: bool = False) -> Result:
    """Write a new timeline into `root`; never overwrite a file (with `force`, keep it and say so)."""
    root = Path(root)
    refuse(root, settings, force)
    pin, why = requirement()
    result = Result(root, placeholder=why)
    for rel, text in files(settings, pin, why).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as f:
                f.write(text)
        except FileExistsError:
            result.kept.append(rel)
        else:
            result.created.append(rel)
    return result


def files(settings: Settings, pin: str, why: str) -> dict[str, str]:
    """Return the new timeline's files by path, in the order they are written."""
    site = {"title": settings.title.strip()}
    if settings.description.strip():
        site["description"] = settings.description.strip()
    site.update({"base_url": "/", "language": settings.language})
    return {
        "site.yaml": SITE_COMMENT + yaml.safe_dump(site, sort_keys=False, allow_unicode=True, width=4096),
        f"content/events/{EXAMPLE_DATE}-example.md": EVENT,
        "content/sources/example-source.yaml": SOURCE,
        "sources-text/example-source.txt": SOURCE_TEXT,
        ".gitignore": GITIGNORE,
        "README.md": readme(settings),
        "requirements.txt": REQUIREMENTS + (f"{pin}\n" if pin else _placeholder(why)),
        ".github/workflows/pages.yml": WORKFLOW,
    }


def _placeholder(why: str) -> str:
    return (f"#\n# init could not name the Dateline to install: {why}.\n"
            "# Replace the next line with a pip requirement for Dateline: the address of a Git\n"
            "# repository holding it and the commit to use, then remove the '#'. Until then the\n"
            "# publishing workflow stops and says so.\n"
            f"# {PLACEHOLDER}\n")


def _arg(message: str, hint: str = "") -> Problem:
    """Return a problem with the command's options (no file to point at)."""
    return Problem("init", 0, 0, message, hint, "error", "bad-argument")


def readme(settings: Settings) -> str:
    """Return the editors' README: how to start on its first screen, then where things go."""
    about = settings.description.strip() or DEFAULT_DESCRIPTION
    return README.replace("{title}", settings.title.strip()).replace("{about}", about)
