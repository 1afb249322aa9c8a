"""YAML that remembers where each key stood, and reads each value as the text the editor wrote.

PyYAML follows YAML 1.1: it keeps the last of two equal keys, reads `2019-10-13` as a date,
`1:30` as 90, `010` as 8, `3.10` as 3.1 and `no` as false, and expands aliases into documents
of any size. So documents are built here from libyaml's events, in a loop: nesting is checked
as it opens (libyaml's own composer recurses and crashes on 100,000 brackets), anchors and
aliases are refused, every mapping knows the line of each of its keys, and a plain value is
text, except `true`/`false` (booleans) and `~`/`null`/nothing (no value). A field that wants a
number reads it from the text (validate.py).
"""

from __future__ import annotations

import re

import yaml
from yaml.events import (AliasEvent, DocumentEndEvent, DocumentStartEvent, MappingEndEvent,
                         MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent,
                         StreamEndEvent, StreamStartEvent)

from . import chars

try:  # libyaml is ~8x faster; fall back cleanly when the C extension is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_DEPTH = 64       # collections open at once; a front matter needs three or four
_STR = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NO_KEY = object()


class YAMLError(ValueError):
    """A YAML problem at a line and column (1-based) of the text given."""

    def __init__(self, message: str, line: int, col: int = 0, hint: str = ""):
        super().__init__(message)
        self.message, self.line, self.col, self.hint = message, line, col, hint


class YMap(dict):
    """A mapping read from YAML, with the line of the mapping and of each key."""

    __slots__ = ("line", "key_lines")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line, self.key_lines = 0, {}

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class YList(list):
    """A sequence read from YAML, with the line of the sequence and of each item."""

    __slots__ = ("line", "item_lines")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line, self.item_lines = 0, []


def load(text: str, first_line: int = 1):
    """Parse one YAML document; lines in results and errors count from `first_line`."""
    parser = _Loader(text)
    try:
        return _Builder(first_line - 1, text).build(parser)
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
    finally:
        parser.dispose()


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
        key = _INDENTED_KEY.match(bad_line[: mark.column + 1] if mark else "")
        if key:
            return (f"'{key[1]}:' is indented more than the line above, so YAML reads it as more of that "
                    f"value: start it in the same column as the other keys")
        return "a value containing ': ' must be quoted, e.g. title: \"Ain Issa: the escape\""
    if "found unknown escape" in problem:
        return "quote the value"
    if "invalid Unicode character escape" in problem:
        return ("write the character itself: \\ud800 to \\udfff are halves of a pair, "
                "not characters, and YAML takes a character above \\uffff only as \\U and 8 digits")
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return "check the indentation of this line against the one above"
    if "found character" in problem and "that cannot start any token" in problem:
        return "quote the value, e.g. title: \"@night\""
    return "check the quoting and indentation on this line"


# A key indented under another line: `  date:` where the colon is (what libyaml points at).
_INDENTED_KEY = re.compile(r"[ ]+(?:- )?([^\s:#'\"][^:#]*?):$")
# A line that continues plain text (YAML folds it into the value above) but starts like a list item.
_ITEM = re.compile(r"[ \t]+(-(?:[ \t].*)?)$")


class _Builder:
    """Turn libyaml's events into YMap/YList/text, checking keys, nesting, size and characters."""

    def __init__(self, offset: int, text: str = ""):
        self.offset, self.text = offset, text
        self._lines: list[str] | None = None

    def build(self, parser):
        """Return the document's value (None when it is empty), reading events until its end."""
        stack: list[list] = []  # open collections: [YMap or YList, pending key]
        root, documents = None, 0
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is StreamEndEvent:
                return root
            if kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.error(event, "invalid YAML: a file holds one document, but found another",
                                     "a line --- starts a second document: remove it or quote the text")
                continue
            if kind is DocumentEndEvent or kind is StreamStartEvent:
                continue
            if kind is SequenceEndEvent or kind is MappingEndEvent:
                stack.pop()
                continue
            if kind is AliasEvent:
                raise self.error(event, f"YAML aliases (*{event.anchor}) are not allowed",
                                 "write each value out in full; to write text starting with & or *, "
                                 "quote the value")
            if event.anchor is not None:
                raise self.error(event, f"YAML anchors (&{event.anchor}) are not allowed",
                                 "write each value out in full; to write text starting with & or *, "
                                 "quote the value")
            if kind is ScalarEvent:
                value = self.scalar(event)
            else:
                if event.tag not in _COLLECTION_TAGS:
                    raise self.unsupported(event)
                if len(stack) >= MAX_DEPTH:
                    raise self.error(event, f"YAML nested more than {MAX_DEPTH} levels deep",
                                     "a front matter holds keys, text and short lists: is a [ or { left open?")
                value = YMap() if kind is MappingStartEvent else YList()
                value.line = self.line(event)
            if stack:
                self.attach(stack[-1], value, event)
            else:
                root = value
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                stack.append([value, _NO_KEY])

    def attach(self, frame: list, value, event) -> None:
        """Put `value` into the open collection: an item, a key, or the value of the pending key."""
        parent, key = frame
        if isinstance(parent, YList):
            parent.append(value)
            parent.item_lines.append(self.line(event))
        elif key is not _NO_KEY:
            parent[key] = value
            frame[1] = _NO_KEY
        elif not isinstance(event, ScalarEvent):
            raise self.error(event, "a key must be plain text")
        elif event.value == "<<" and event.tag is None and event.implicit[0]:
            raise self.error(event, "merge keys (<<) are not supported", "write the keys out in full")
        else:
            key = event.value
            if key in parent.key_lines:
                raise self.error(event, f"duplicate key '{key}' (first on line {parent.key_lines[key]})",
                                 "YAML would keep only the last one: remove one of them")
            parent.key_lines[key] = self.line(event)
            frame[1] = key

    def scalar(self, event):
        """Return a scalar as written: text, or True/False/None for the few plain words that mean them."""
        value, tag = event.value, event.tag
        if tag is None and event.implicit[0]:  # plain: `true`, `false` and null are the only words read
            if event.end_mark.line > event.start_mark.line:
                self.check_continuation(event)
            if value in _BOOL:
                return _BOOL[value]
            return None if _NULL.fullmatch(value) else value
        if tag not in (None, "!", _STR):
            raise self.unsupported(event)
        if event.style == '"':  # only a double-quoted scalar has escapes: "\x01" writes U+0001
            self.check_escapes(event, value)
        return value

    def check_continuation(self, event) -> None:
        """Refuse plain text continued by a line that starts like a list item: `- a` then `  - b` is "a - b"."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        for number in range(event.start_mark.line + 1, min(event.end_mark.line + 1, len(self._lines))):
            item = _ITEM.match(self._lines[number])
            if item:
                raise YAMLError(f"'{item[1][:40]}' looks like a list item indented too far: YAML reads it as "
                                "more of the text above", number + 1 + self.offset,
                                len(self._lines[number]) - len(item[1]) + 1,
                                "start each '- ' of a list in the same column; if the dash belongs to the "
                                "text, quote the whole value")

    def check_escapes(self, event, value: str) -> None:
        """Refuse what an escape wrote that the raw file could not hold: controls, lone bidi controls."""
        bad = chars.CONTROL.search(value)
        if bad:
            raise self.error(event, f"character U+{ord(bad[0]):04X} is not allowed, written as an escape",
                             "delete the escape: it stands for an invisible character that no page or "
                             "feed may carry")
        found = chars.unbalanced_bidi(value)
        if found:
            raise self.error(event, f"{found[1]}, written as an escape", chars.BIDI_HINT)

    def unsupported(self, event) -> YAMLError:
        tag = event.tag.replace("tag:yaml.org,2002:", "!!")
        return self.error(event, f"unsupported YAML tag {tag}", "write plain text, numbers or lists")

    def line(self, event) -> int:
        return event.start_mark.line + 1 + self.offset

    def error(self, event, message: str, hint: str = "") -> YAMLError:
        return YAMLError(message, self.line(event), event.start_mark.column + 1, hint)
