#!/usr/bin/env python3
"""Build the Dateline site in this folder: `python3 build.py [build|check|serve|new|new-source] [--help]`."""

import os
import sys
from pathlib import Path

from importlib.util import find_spec

missing = next((name for name in ("jinja2", "markdown", "yaml") if find_spec(name) is None), None)
if missing:  # found, not imported: a build with nothing to do never loads them
    # Run from outside the virtual environment that `make site` made: use it rather than fail.
    venv = Path(__file__).resolve().parent / ".venv"
    python = venv / "bin" / "python"
    if python.exists() and Path(sys.prefix).resolve() != venv:
        os.execv(python, [str(python), __file__, *sys.argv[1:]])
    sys.exit(f"build.py: the package '{missing}' is missing: run `make site` once to set up .venv")

from dateline.cli import run

if __name__ == "__main__":
    run()
