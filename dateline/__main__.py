"""`python -m dateline`: the command line, as build.py and the `dateline` script run it."""

from .cli import run

if __name__ == "__main__":
    run()
