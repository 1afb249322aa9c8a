"""What a template reads, and which files it is made of, found from its source (the page keys' part);
and the templates' compiled code kept between builds (`Compiled`).

Which context names a template and those it extends, imports or includes read tells the page
keys (pagekeys.py) whether a page depends on the whole timeline, the terms, or its own context
alone; which files they are tells whether a page is drawn by the theme's templates alone.
"""

from __future__ import annotations

import os

import jinja2
import jinja2.bccache
from jinja2 import meta, nodes

from ..render.pages import THEME
from .hashing import digest


def templates_digest(env: jinja2.Environment) -> bytes:
    """Return the hash of every template the environment can load, by name."""
    parts = []
    for name in sorted(env.list_templates()):
        source, filename, _ = env.loader.get_source(env, name)
        parts += [name, source]
    return digest(*parts)


# (name, hash of its source) -> (reads, assigned, references). The memo keeps its own, saved
# between builds: parsing the theme's templates cost 0.4 s of every build.
_PARSED: dict[tuple[str, bytes], tuple] = {}


def template_reads(env: jinja2.Environment, name: str, parsed: dict | None = None) -> frozenset[str] | None:
    """Return the context names template `name` and those it extends, imports or includes read.

    None when that cannot be known: a template name computed at render time, or a syntax error.
    `parsed` keeps what each template's source was found to read (default: this process's).
    """
    family = _family(env, name, parsed)
    return None if family is None else frozenset().union(*(reads for _, reads in family))


def template_files(env: jinja2.Environment, name: str, parsed: dict | None = None) -> list[str] | None:
    """Return the files of template `name` and of those it extends, imports or includes; None when
    that cannot be known (see template_reads)."""
    family = _family(env, name, parsed)
    return None if family is None else [filename for filename, _ in family]


def _family(env: jinja2.Environment, name: str, parsed: dict | None) -> list[tuple[str, set]] | None:
    """Return (file, names it reads) of template `name` and of each it extends, imports or
    includes; None when that cannot be known."""
    parsed = _PARSED if parsed is None else parsed
    seen: set[str] = set()
    family = []
    todo = [name]
    try:
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            source, filename, _ = env.loader.get_source(env, current)
            key = (current, digest(source))
            if key not in parsed:
                ast = env.parse(source)
                parsed[key] = (meta.find_undeclared_variables(ast), _assigned(ast),
                               list(meta.find_referenced_templates(ast)))
            found, assigned, refs = parsed[key]
            family.append((filename, found - assigned))  # a name a template sets itself is not the context's
            if None in refs:
                return None
            todo.extend(refs)
    except jinja2.TemplateError:
        return None
    return family


def in_theme(filename: str | None) -> bool:
    """Return True when `filename` is one of the theme's own templates (not a site's)."""
    return filename is not None and os.path.dirname(os.path.abspath(filename)) == _THEME_TEMPLATES


_THEME_TEMPLATES = str(THEME / "templates")


def _assigned(ast: nodes.Template) -> set[str]:
    """Return the names a template assigns anywhere: set, for, macros, their parameters, imports."""
    names = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {m.name for m in ast.find_all(nodes.Macro)}
    for imp in ast.find_all(nodes.FromImport):
        names |= {n if isinstance(n, str) else n[1] for n in imp.names}
    names |= {imp.target for imp in ast.find_all(nodes.Import)}
    return names


class Compiled(jinja2.BytecodeCache):
    """Jinja's compiled templates, kept in the memo beside what each template reads (signed with
    the rest of the cache): a new process does not lex, parse and compile them again (0.2 s of
    every build). An entry is found by template and source checksum, so an edited template is
    compiled afresh; Jinja's own header also holds the Python version."""

    def __init__(self, table: dict):
        self.table = table

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.table.get(("\0compiled", bucket.key, bucket.checksum))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.table[("\0compiled", bucket.key, bucket.checksum)] = bucket.bytecode_to_string()
