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

EXAMPLE_DATE = "2024-01-15"  # fixed, so that the same options make the same folder
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
        "site.yaml": _SITE_COMMENT + yaml.safe_dump(site, sort_keys=False, allow_unicode=True, width=4096),
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


_SITE_COMMENT = ("# The site's settings: docs/writing.md in Dateline lists every key. base_url is\n"
                 "# where the site is served; the publishing workflow sets it for GitHub Pages.\n")

EVENT = f"""---
# An example: replace this event with your own, or delete this file.
title: "Example: replace this event"
date: {EXAMPLE_DATE}
place: Example Town
tags: [example]
sources:
  - id: example-source
    quote: "The example quote is copied exactly from the source's stored text."
---
This example shows the format: say what happened in your own words, and cite the source
right after the statement it supports [@example-source]. Replace it with your first event.
"""

SOURCE = f"""# An example: replace it with a real source, and delete it once no event cites it.
# Leave url out when you do not know it: never invent one.
title: "Example source: replace this with a real one"
publisher: Example Publisher
published: "{EXAMPLE_DATE}"
type: article
note: An example, to show the format of a source.
text: sources-text/example-source.txt
"""

SOURCE_TEXT = """An example of a source's stored text, kept outside content/ and never published.
The example quote is copied exactly from the source's stored text. Every quote an event
attributes to this source must be found here, or the check fails.
"""

GITIGNORE = """# What a build makes: never commit it.
output/
.output.new-*/
.output.old-*/
.dateline-cache/
.venv/
__pycache__/
"""

REQUIREMENTS = """# The Dateline this timeline is built with: the publishing workflow
# (.github/workflows/pages.yml) installs it with `pip install -r requirements.txt`.
"""


def readme(settings: Settings) -> str:
    """Return the editors' README: how to start on its first screen, then where things go."""
    about = settings.description.strip() or DEFAULT_DESCRIPTION
    return README.replace("{title}", settings.title.strip()).replace("{about}", about)


README = """# {title}

{about}

Made with Dateline: one file per event, each citing the sources it rests on.

## Start

With Dateline installed (`pip install -r requirements.txt` installs the one named there):

```sh
dateline new "What happened" --date 2024-03-01   # starts content/events/2024-03-01-what-happened.md
dateline serve                                   # preview at http://127.0.0.1:8000, reloaded on every save
dateline build                                   # the site, into output/
```

`new` starts the event as a draft (`draft: true`): write it, then remove that line. Add a
source first with `dateline new-source ID --title "..." --publisher "..."` and cite it with
`--source ID`. Run `dateline check` to list every problem with its file and line. The example
event and source are there to show the format: replace them, then delete them.

## Where things go

| path | what it holds |
|---|---|
| `site.yaml` | the title, the description, the language |
| `content/events/` | one `.md` file per event: front matter, then the text, with citations such as `[@source-id]` |
| `content/sources/` | one `.yaml` file per source; the file name is its id |
| `sources-text/` | stored copies of sources' texts (`text:` in a source), to check quotes against; never published |
| `output/` | the built site (not committed) |
| `requirements.txt` | the Dateline the publishing workflow installs |
| `.github/workflows/pages.yml` | the publishing workflow |

## Publishing on GitHub Pages

1. Put this folder in a GitHub repository: `git init`, `git add .`, `git commit -m "A new
   timeline"`, then push it to a new repository's `main` branch.
2. Check that `requirements.txt` names Dateline on a line of its own, such as
   `dateline @ git+https://github.com/OWNER/REPOSITORY@COMMIT`; if its line starts with `#`,
   put Dateline's address there and remove the `#`.
3. In the repository: **Settings -> Pages -> Build and deployment -> Source: GitHub Actions**.
4. Push to `main`. The workflow builds the site and publishes it at
   `https://<you>.github.io/<repository>/`; the **Actions** tab shows each run, and an error
   in an entry fails the run with its file and line, leaving the live site as it was.
"""

WORKFLOW = """# Build this timeline with Dateline and publish it on GitHub Pages on every push to main.
# One-time setup: Settings -> Pages -> Source: GitHub Actions. requirements.txt names the
# Dateline to install; configure-pages gives the address the site is served at, which the
# build reads from DATELINE_BASE_URL, so the links work under https://<you>.github.io/<repo>/.
name: Publish to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a run already deploying finishes rather than leave a half-made one.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4

      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: requirements.txt

      - name: Check that requirements.txt names Dateline
        run: |
          if ! grep -Eq '^[[:space:]]*dateline([^A-Za-z0-9_.-]|$)' requirements.txt; then
            echo "::error file=requirements.txt::requirements.txt names no Dateline to install. Put a line such as 'dateline @ git+https://github.com/OWNER/REPOSITORY@COMMIT' in it (the Git repository holding Dateline, and the commit to use), without a '#' in front, and push again."
            exit 1
          fi

      - name: Install Dateline
        run: pip install -r requirements.txt

      - name: Find Dateline's version, for the cache key
        id: dateline
        run: echo "version=$(dateline --version | cut -d' ' -f2)" >> "$GITHUB_OUTPUT"

      # The cache holds what a build can reuse; it is stamped with Dateline's code, so a stale
      # one is only slower. A new key each run keeps the latest; the prefix finds it next time.
      # Its files are signed with a key kept outside the site (~/.cache/dateline): kept too, or
      # every run would ignore the last one's cache as written by another machine.
      - name: Keep the build cache (.dateline-cache/)
        uses: actions/cache@v4
        with:
          path: |
            .dateline-cache
            ~/.cache/dateline
          key: dateline-${{ steps.dateline.outputs.version }}-${{ hashFiles('requirements.txt') }}-${{ github.run_id }}
          restore-keys: |
            dateline-${{ steps.dateline.outputs.version }}-${{ hashFiles('requirements.txt') }}-

      - name: Find the Pages address
        id: pages
        uses: actions/configure-pages@v5

      - name: Build the site into output/
        run: dateline build
        env:
          DATELINE_BASE_URL: ${{ steps.pages.outputs.base_url }}

      - name: Upload output/ as the Pages artifact
        uses: actions/upload-pages-artifact@v3
        with:
          path: output/

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"""
