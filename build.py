#!/usr/bin/env python3
"""Build the Dateline site in this folder: `python build.py [build|check] [--help]`."""

import sys

from dateline.cli import main

if __name__ == "__main__":
    sys.exit(main())
