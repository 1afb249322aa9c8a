"""Dateline: a static site generator for timelines that cite their sources."""

__version__ = "0.1.0"
