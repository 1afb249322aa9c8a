"""`python -m dateline`: the command line, as build.py and the `dateline` script run it."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
