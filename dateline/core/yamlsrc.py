"""YAML that remembers where each key stood, rejects duplicate keys and keeps dates as text.

PyYAML silently keeps the last of two equal keys and turns `2019-10-13` into a date object;
both would hide an editor's mistake, so documents are composed into nodes (libyaml when
present) and built here, with every mapping knowing the line of each of its keys.
"""

from __future__ import annotations

import yaml

try:  # libyaml is ~8x faster; fall back cleanly when the C extension is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_NODES = 200_000  # an alias bomb ("billion laughs") stops here instead of eating memory
MAX_DEPTH = 64
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class YAMLError(ValueError):
    """A YAML problem at a line and column (1-based) of the text given."""

    def __init__(self, message: str, line: int, col: int = 0, hint: str = ""):
        super().__init__(message)
        self.message, self.line, self.col, self.hint = message, line, col, hint


class YMap(dict):
    """A mapping read from YAML, with the line of the mapping and of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class YList(list):
    """A sequence read from YAML, with the line of the sequence and of each item."""

    line: int = 0
    item_lines: list


def load(text: str, first_line: int = 1):
    """Parse one YAML document; lines in results and errors count from `first_line`."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark and mark.index >= len(text):
            mark = exc.context_mark  # the problem is "end of text": point at what was left open
        line = mark.line + first_line if mark else first_line
        col = mark.column + 1 if mark else 0
        raise YAMLError(_yaml_message(exc), line, col, _yaml_hint(exc, text, mark)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, such as a control character
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        line_start = text.rfind("\n", 0, exc.position) + 1
        raise YAMLError(f"invalid YAML: character U+{code:04X} is not allowed",
                        first_line + text.count("\n", 0, exc.position), exc.position - line_start + 1,
                        "delete it: it is invisible, perhaps pasted from a PDF or a web page") from None
    except yaml.YAMLError as exc:
        raise YAMLError(f"invalid YAML: {exc}", first_line) from None
    if node is None:
        return None
    return _Builder(first_line - 1).build(node, 0)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    """Return PyYAML's complaint as one line."""
    parts = [p for p in (exc.context, exc.problem) if p]
    return "invalid YAML: " + "; ".join(parts)


def _yaml_hint(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    """Suggest a fix for the YAML mistakes editors make most."""
    problem = exc.problem or ""
    lines = text.splitlines()
    bad_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in bad_line[: (mark.column + 1) if mark else 0] or "tab" in problem:
        return "YAML indents with spaces, never tabs: replace the tab with spaces"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"Ain Issa: the escape\""
    if "found undefined alias" in problem or "found unknown escape" in problem:
        return "quote the value"
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return "check the indentation of this line against the one above"
    if "found character" in problem and "that cannot start any token" in problem:
        return "quote the value, e.g. title: \"@night\""
    return "check the quoting and indentation on this line"


class _Builder:
    """Turn composed YAML nodes into YMap/YList/scalars, checking keys and size."""

    def __init__(self, offset: int):
        self.offset = offset
        self.count = 0
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node, depth: int):
        self.count += 1
        line = node.start_mark.line + 1 + self.offset
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            raise YAMLError("YAML document is too large or too deeply nested", line,
                            hint="aliases that expand into huge documents are not allowed")
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            raise YAMLError(f"unsupported YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')}", line,
                            node.start_mark.column + 1, "write plain text, numbers or lists")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth, line)
        if isinstance(node, yaml.SequenceNode):
            out = YList(self.build(item, depth + 1) for item in node.value)
            out.line = line
            out.item_lines = [item.start_mark.line + 1 + self.offset for item in node.value]
            return out
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay as written; dates.py reads them at their precision
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise YAMLError(f"unsupported YAML value: {exc.problem}", line,
                            node.start_mark.column + 1, "write plain text, numbers or lists") from None

    def _mapping(self, node, depth: int, line: int) -> YMap:
        out = YMap()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + self.offset
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YAMLError("merge keys (<<) are not supported", key_line,
                                key_node.start_mark.column + 1, "write the keys out in full")
            if not isinstance(key_node, yaml.ScalarNode):
                raise YAMLError("a key must be plain text", key_line, key_node.start_mark.column + 1)
            key = key_node.value
            if key in out.key_lines:
                raise YAMLError(f"duplicate key '{key}' (first on line {out.key_lines[key]})", key_line,
                                key_node.start_mark.column + 1, "YAML would keep only the last one: "
                                "remove one of them")
            out.key_lines[key] = key_line
            out[key] = self.build(value_node, depth + 1)
        return out
