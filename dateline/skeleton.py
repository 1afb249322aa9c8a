"""The files a new timeline starts with (`dateline init`): texts only; init.py fills and writes them."""

from __future__ import annotations

EXAMPLE_DATE = "2024-01-15"  # fixed, so that the same options make the same folder

SITE_COMMENT = ("# The site's settings: docs/writing.md in Dateline lists every key. base_url is\n"
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
.output.*/
.dateline-cache/
.venv/
__pycache__/
"""

REQUIREMENTS = """# The Dateline this timeline is built with: the publishing workflow
# (.github/workflows/pages.yml) installs it with `pip install -r requirements.txt`.
"""


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
