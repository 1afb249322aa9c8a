"""Read a TimelineJS 3 JSON file (https://timeline.knightlab.com/docs/json-format.html).

    {"title": slide, "events": [slide, ...], "eras": [era, ...], "scale": "human"}

A slide is {start_date, end_date, text: {headline, text}, media: {...}, group, display_date,
background: {...}, unique_id, autolink}; an era is {start_date, end_date, text}.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.errors import Problem
from .slides import Imported, Slide

SLIDE_KEYS = ("start_date", "end_date", "text", "media", "group", "display_date", "background",
              "unique_id", "autolink", "type")
TOP_KEYS = ("title", "events", "eras", "scale")


def read(path: Path) -> Imported:
    """Read a TimelineJS JSON file into slides; problems (unreadable file, wrong shape) in `.problems`."""
    out = Imported(str(path))
    text = out.read_text("save it as UTF-8")
    if text is None:
        return out
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        out.problems.append(_bad_json(out.path, exc))
        return out
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        out.problem(None, "not a TimelineJS timeline: expected an object with an \"events\" list",
                    "export the timeline's JSON, or use `import sheet` for a spreadsheet saved as CSV")
        return out
    scale = data.get("scale", "human")
    if scale != "human":
        out.problem(None, f"the {scale!r} scale is not supported: Dateline dates events by the calendar, "
                          "in years 1 to 9999 of the common era",
                    "only timelines on TimelineJS's \"human\" scale can be imported")
    for key in data:
        if key not in TOP_KEYS:
            out.problem(None, f"the key {key!r} is not carried over", severity="info")
    lines = _lines(text)
    if isinstance(data.get("title"), dict):
        out.title = _slide(out, data["title"], "the title slide", lines.get(("title", 0), 0))
    elif data.get("title") is not None:
        out.problem(None, "\"title\" must be a slide object", "see TimelineJS's JSON format")
    for i, item in enumerate(data["events"], 1):
        slide = _slide(out, item, f"slide {i}", lines.get(("events", i - 1), 0))
        if slide is not None:
            out.slides.append(slide)
    for i, item in enumerate(data.get("eras") or (), 1):
        era = _slide(out, item, f"era {i}", lines.get(("eras", i - 1), 0))
        if era is not None:
            out.eras.append(era)
    return out


def _slide(out: Imported, item, label: str, line: int) -> Slide | None:
    """Return one slide object as a Slide, or None (with an error) if it is not an object."""
    if not isinstance(item, dict):
        out.problem(Slide(label, line), "it is not an object", "each slide is {\"start_date\": ..., \"text\": ...}")
        return None
    text = item.get("text") if isinstance(item.get("text"), dict) else {}
    slide = Slide(label=label, line=line, start=_obj(item.get("start_date")), end=_obj(item.get("end_date")),
                  headline=_str(text.get("headline")), text=_str(text.get("text")),
                  display_date=_str(item.get("display_date")), media=_obj(item.get("media")),
                  group=_str(item.get("group")), type=_str(item.get("type")),
                  background=_obj(item.get("background")), unique_id=_str(item.get("unique_id")))
    slide.ignored = [f"{key!r}" for key in item if key not in SLIDE_KEYS]
    return slide


def _lines(text: str) -> dict[tuple[str, int], int]:
    """Return the line where each slide starts: {("events", 0): 12, ("title", 0): 2, ...}.

    The json module gives values, not places; this walks the top-level object with its decoder,
    value by value, noting where each item of "events" and "eras" begins. Best effort: {} if
    the file is shaped otherwise (the values read by json.loads are what counts).
    """
    decoder, found = json.JSONDecoder(), {}
    ws = json.decoder.WHITESPACE.match
    counted = [0, 1]  # a position and its line: counting on from the last keeps this linear

    def skip(i: int) -> int:
        return ws(text, i).end()

    def line(i: int) -> int:
        counted[1] += text.count("\n", counted[0], i)
        counted[0] = i
        return counted[1]
    try:
        i = skip(0)
        if text[i] != "{":
            return {}
        i = skip(i + 1)
        while text[i] != "}":
            key, i = decoder.raw_decode(text, i)
            i = skip(skip(i) + 1)  # past the colon
            if key in ("events", "eras") and text[i] == "[":
                i, n = skip(i + 1), 0
                while text[i] != "]":
                    found[(key, n)] = line(i)
                    i = skip(decoder.raw_decode(text, i)[1])
                    i, n = skip(i + 1) if text[i] == "," else i, n + 1
                i += 1
            else:
                found[(key, 0)] = line(i)
                i = decoder.raw_decode(text, i)[1]
            i = skip(i)
            i = skip(i + 1) if text[i] == "," else i
    except (IndexError, ValueError):
        return {}
    return found


def _obj(value) -> dict:
    """Return a JSON object's fields as text (numbers too); anything else as an empty dict."""
    if not isinstance(value, dict):
        return {}
    return {k: _str(v) for k, v in value.items() if _str(v)}


def _str(value) -> str:
    """Return a JSON scalar as text ('' for null, lists and objects)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _bad_json(path: str, exc: json.JSONDecodeError) -> Problem:
    """Return the decoder's complaint at its line and column."""
    return Problem(path, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}",
                   "check the file with a JSON validator; export it again from TimelineJS")
