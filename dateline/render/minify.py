"""The static CSS and JavaScript as pages load them: comments and spaces taken out, local names shortened.

The theme's files (dateline/theme/static) stay commented and readable; what reaches output/static
is the same code, smaller (the home page's budget: docs/performance.md, "The overview's weight").
CSS goes through rcssmin, which only drops comments and spaces. JavaScript goes through
calmjs.parse (a real ES5 parser, pure Python): it drops comments and spaces and renames the names
local to a function, never a global one, so the result is the same program, a third smaller. A
script it cannot parse (newer syntax than ES5), one with a licence notice (`/*! ... */`, which
renaming would drop) or one that may look a name up by its text (`eval`, `with`) goes through
rjsmin instead, which only drops comments and spaces and keeps the notice. A site's own static/
files are minified the same way.

Renaming costs about 0.5 s for the theme's two scripts, so what it wrote is kept in the cache by
the source's hash (and in this process, for the next build) and made again only when a script
changes.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

SUFFIXES = (".css", ".js")
# A script that may look a name up by its text at run time (eval, with) keeps its names.
_DYNAMIC = re.compile(r"\beval\b|\bwith\s*\(")
MEMO = "minified"  # the store's name for {hash of name and source: minified text}
_SEEN: dict[str, bytes] = {}  # the same, in this process: a preview's builds, or a test run's hundreds


def minify(name: str, text: str) -> str:
    """Return the CSS or JavaScript `text` of file `name` without its comments and spaces."""
    if name.endswith(".css"):
        import rcssmin
        return rcssmin.cssmin(text, keep_bang_comments=True) + "\n"
    if "/*!" not in text and not _DYNAMIC.search(text):
        renamed = _renamed(text)
        if renamed is not None:
            return renamed + "\n"
    import rjsmin
    return rjsmin.jsmin(text, keep_bang_comments=True) + "\n"


def _renamed(text: str) -> str | None:
    """Return ES5 `text` minified with its local names shortened, or None if it does not parse as ES5."""
    from calmjs.parse import es5
    from calmjs.parse.exceptions import ECMASyntaxError
    from calmjs.parse.unparsers.es5 import minify_print
    try:
        program = es5(text)
    except (ECMASyntaxError, RecursionError):  # newer syntax, or too deeply nested for the parser
        return None
    return minify_print(program, obfuscate=True, obfuscate_globals=False)


def minified_html(page: str) -> str:
    """Return an HTML page minified (site.yaml's `minify_html`), by minify-html (Zola's, for its option of that name).

    The closing tags, and the `<html>` and `<head>` tags, stay: what reads the page besides a
    browser finds its parts where it expects them. The link check reads attributes with or
    without quotes (render/links.py)."""
    import minify_html
    return minify_html.minify(page, keep_closing_tags=True, keep_html_and_head_opening_tags=True)


def minified(copies: dict[str, Path], store=None) -> dict[str, bytes]:
    """Take the CSS and JavaScript files out of `copies` and return them minified, by output path.

    A file that is not UTF-8 stays a plain copy: it is not ours to rewrite. With a `store`, what
    was minified before is taken from it by the file's name and text."""
    memo = store.read(MEMO) if store is not None else None
    memo = memo if isinstance(memo, dict) else {}
    files, used = {}, {}
    for path, source in sorted(copies.items()):
        if path.endswith(SUFFIXES):
            try:
                text = source.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            key = hashlib.sha256(f"{path}\0{text}".encode()).hexdigest()
            made = _SEEN.get(key) or memo.get(key) or minify(path, text).encode("utf-8")
            files[path] = used[key] = _SEEN[key] = made
            while len(_SEEN) > 64:  # the few files of the sites this process built
                del _SEEN[next(iter(_SEEN))]
            del copies[path]
    if store is not None and used.keys() != memo.keys():  # only this build's files: it never grows
        store.write(MEMO, used)
    return files
