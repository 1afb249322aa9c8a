"""The static CSS and JavaScript as pages load them: comments and spaces taken out.

The theme's files (dateline/theme/static) stay commented and readable; what reaches output/static
is the same code, smaller (the home page's budget: docs/performance.md, "The overview's weight").
rcssmin and rjsmin (one author, maintained since 2011, C with a pure-Python fallback) only drop
comments and spaces, never rename, so the result is the same program; `/*! ... */` comments, the
licence notices by convention, are kept. A site's own static/ files are minified the same way.
"""

from __future__ import annotations

from pathlib import Path

SUFFIXES = (".css", ".js")


def minify(name: str, text: str) -> str:
    """Return the CSS or JavaScript `text` of file `name` without its comments and spaces."""
    if name.endswith(".css"):
        import rcssmin
        return rcssmin.cssmin(text, keep_bang_comments=True) + "\n"
    import rjsmin
    return rjsmin.jsmin(text, keep_bang_comments=True) + "\n"


def minified(copies: dict[str, Path]) -> dict[str, bytes]:
    """Take the CSS and JavaScript files out of `copies` and return them minified, by output path.

    A file that is not UTF-8 stays a plain copy: it is not ours to rewrite."""
    files = {}
    for path, source in sorted(copies.items()):
        if path.endswith(SUFFIXES):
            try:
                text = source.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            files[path] = minify(path, text).encode("utf-8")
            del copies[path]
    return files
