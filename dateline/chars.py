"""Characters no page, feed or export may carry, and directional controls that must come in pairs.

One rule for every field and every file, applied where text is read (load.py for the raw file,
yamlsrc.py for what a YAML escape such as "\\x01" or "\\u202E" writes), so no export has to
repeat it.
"""

from __future__ import annotations

import re

# XML forbids the C0 controls (a feed holding one is rejected whole), YAML the C1 ones (U+0085
# often comes from Windows-1252); U+FFFE/U+FFFF are not characters, nor is half a surrogate pair.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

# Explicit directional formatting characters. Marks (LRM, RLM, ALM) affect no text but their
# neighbours and are kept; these open a run that lasts until closed, or to the end of the
# paragraph, which in a feed title or a list of links is all the text after them.
_OPENERS = {"\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding",
            "\u202d": "left-to-right override", "\u202e": "right-to-left override",
            "\u2066": "left-to-right isolate", "\u2067": "right-to-left isolate",
            "\u2068": "first strong isolate"}
_CLOSERS = {"\u202c": "pop directional formatting", "\u2069": "pop directional isolate"}
_ISOLATES = "\u2066\u2067\u2068"
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
BIDI_HINT = ("directional controls come in pairs on one line; for an entry written right to left "
             "set `lang:`, e.g. lang: ar: see docs/writing.md")


def unbalanced_bidi(text: str) -> tuple[int, str] | None:
    """Return (index, what is wrong) for the first directional control not paired on its line.

    Stricter than the Unicode algorithm, which lets a line end (or a PDI) close what is open:
    each opener needs its own closer, innermost first, so every line is a closed run.
    """
    stack: list[int] = []  # openers still open, all on the current line
    for m in BIDI.finditer(text):
        start = m.start()
        if stack and text.find("\n", stack[-1], start) != -1:
            break
        char = m[0]
        if char in _OPENERS:
            stack.append(start)
        elif stack and (text[stack[-1]] in _ISOLATES) == (char == "\u2069"):
            stack.pop()
        elif char == "\u2069" and any(text[i] in _ISOLATES for i in stack):
            break  # a PDI would close the embedding left open inside its isolate
        else:
            return start, f"{_CLOSERS[char]} (U+{ord(char):04X}) closes nothing"
    if stack:
        char = text[stack[-1]]
        return stack[-1], f"{_OPENERS[char]} (U+{ord(char):04X}) is not closed on its line"
    return None
