"""`build.py import timelinejs FILE.json` and `build.py import sheet FILE.csv`: a TimelineJS
timeline into draft entries. Each reader gives an `Imported`; entries.py writes it out."""

from __future__ import annotations

from pathlib import Path

from . import sheet, timelinejs
from .entries import Result, write

READERS = {"timelinejs": timelinejs.read, "sheet": sheet.read}


def import_timeline(kind: str, file: Path, root: Path) -> Result:
    """Read `file` as `kind` ('timelinejs' or 'sheet') and write its entries into the site at `root`."""
    return write(READERS[kind](Path(file)), Path(root))
