#!/usr/bin/env python3
"""Build the Dateline site in this folder: `python3 build.py [build|check|serve|new|new-source] [--help]`."""

import os
import sys
from pathlib import Path

try:
    import jinja2  # noqa: F401 - only to see whether the dependencies are here
    import markdown  # noqa: F401
    import yaml  # noqa: F401
except ImportError as exc:
    # Run from outside the virtual environment that `make site` made: use it rather than fail.
    venv = Path(__file__).resolve().parent / ".venv"
    python = venv / "bin" / "python"
    if python.exists() and Path(sys.prefix).resolve() != venv:
        os.execv(python, [str(python), __file__, *sys.argv[1:]])
    sys.exit(f"build.py: the package '{exc.name}' is missing: run `make site` once to set up .venv")

from dateline.cli import main

if __name__ == "__main__":
    sys.exit(main())
