"""Quotes checked against a stored copy of their source's text (`text:` in a source file).

A quotation on the site is a claim that the source says exactly this. When a copy of the
source's text is at hand, every `quote:` of an event citing it must be found in that copy,
after normalising only what typesetting changes: white space, quote marks and apostrophes.
Case, spelling and punctuation otherwise count. Pure functions: load.py reads the copies.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import citations
from .errors import Problem
from .load import Entry, SourceFile
from .model import Source
from .yamlsrc import YList, YMap

# Curly, low and angle quotes become the plain ones an editor types; apostrophes too.
_MARKS = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "‹": "'", "›": "'", "ʼ": "'",
})
# French typesetting puts a (no-break) space inside guillemets: « texte » is "texte".
_GUILLEMET_SPACE = re.compile(r"(?<=«)\s+|\s+(?=»)")


def normalise(text: str) -> str:
    """Return `text` with white space collapsed and quote marks and apostrophes made plain."""
    text = unicodedata.normalize("NFC", text)
    text = _GUILLEMET_SPACE.sub("", text).translate(_MARKS)
    return " ".join(text.split())


def contains(text: str, quote: str) -> bool:
    """Return True when `quote` appears in `text`, both normalised."""
    return normalise(quote) in normalise(text)


def quoted(data: YMap) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """Yield (line, quote, source ids) for each quote in an event's `sources:` and `accounts:`.

    Malformed items are skipped: validate.py reports them.
    """
    refs = data.get("sources")
    if isinstance(refs, YList):
        for item in refs:
            if isinstance(item, YMap) and _text(item.get("id")) and _text(item.get("quote")):
                yield item.line_of("quote"), item["quote"].strip(), (item["id"].strip(),)
    accounts = data.get("accounts")
    if isinstance(accounts, YList):
        for item in accounts:
            if isinstance(item, YMap) and _text(item.get("quote")):
                yield item.line_of("quote"), item["quote"].strip(), _account_ids(item)


def _account_ids(item: YMap) -> tuple[str, ...]:
    """Return the ids an account cites, from `cite: "[@a, para 1; @b]"` or the older `sources: [a, b]`."""
    if _text(item.get("cite")):
        text = item["cite"].strip()
        pairs = citations.parse_items(text[1:-1]) if text.startswith("[") and text.endswith("]") else None
        return tuple(dict.fromkeys(sid for sid, _loc in pairs or ()))
    ids = item.get("sources")
    ids = [ids] if isinstance(ids, str) else ids if isinstance(ids, list) else []
    return tuple(dict.fromkeys(s.strip() for s in ids if _text(s)))


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def check(entries: list[Entry], sources: dict[str, Source], texts: dict[str, str]) -> list[Problem]:
    """Report every quote missing from the stored text of a source it is attributed to.

    `texts` maps a source id to its stored text; sources without one are not checked. An
    account's quote must be in the text of each of its sources that has one: the page shows it
    under all of them.
    """
    normal = {sid: normalise(text) for sid, text in texts.items() if sid in sources}
    problems = []
    for entry in entries if normal else ():  # no stored text: nothing to check a quote against
        for line, quote, ids in quoted(entry.data):
            for sid in ids:
                if sid in normal and normalise(quote) not in normal[sid]:
                    problems.append(_missing(entry.path, line, quote, sources[sid]))
    return problems


def _missing(path: str, line: int, quote: str, source: Source) -> Problem:
    """Return the error for a quote not found, naming the event's file and the text's."""
    shown = quote if len(quote) <= 80 else quote[:77] + "..."
    where = f"{source.path} -> {source.text}" if source.text else source.path  # a post holds its words
    return Problem(path, line, 0,
                   f"quote not found in {source.id}'s text ({where}): \"{shown}\"",
                   "check the wording against the stored text: a quote must be copied exactly, "
                   "only white space and quote marks may differ", "error", "quote-not-found")


@dataclass(frozen=True)
class Verified:
    """What the stored texts prove: the (source id, quote) pairs found, and how many quotes were checked."""

    pairs: frozenset = frozenset()   # (source id, quote as written) found in that source's stored text
    quotes: int = 0                  # quotes in the events looked at
    verified: int = 0                # of them, found in the stored text of every source they are attributed to
    by_path: dict = field(default_factory=dict, compare=False)  # event file -> (quotes, verified, pairs) of its own

    @staticmethod
    def total(by_path: dict) -> Verified:
        """Return the Verified of every file of `by_path` together."""
        return Verified(frozenset().union(*(v[2] for v in by_path.values())), sum(v[0] for v in by_path.values()),
                        sum(v[1] for v in by_path.values()), by_path)


def verify(entries: list[Entry], sources: dict[str, Source], texts: dict[str, str],
           strict: bool = False) -> tuple[Verified, list[Problem]]:
    """Say which quotes of `entries` their sources' stored texts prove, and list the others.

    A quote is verified when every source it is attributed to has a stored text holding it;
    each other quote is a note (a warning under `strict_quotes: true`, which `check --strict`
    fails), naming the sources with no stored text. A quote missing from a stored text is
    `check`'s error, not listed again here.
    """
    normal = {sid: normalise(text) for sid, text in texts.items() if sid in sources}
    problems, by_path = [], {}
    for entry in entries:
        for line, quote, ids in quoted(entry.data):
            ids = [sid for sid in ids if sid in sources]
            if not ids:
                continue  # an unknown source: rules.py's error
            mine = by_path.setdefault(entry.path, [0, 0, set()])
            mine[0] += 1
            found = [sid for sid in ids if sid in normal and normalise(quote) in normal[sid]]
            mine[2].update((sid, quote) for sid in found)
            unread = [sid for sid in ids if sid not in normal]
            if len(found) == len(ids):
                mine[1] += 1
            elif len(found) + len(unread) == len(ids):  # else a text lacks it: `check`'s error says so
                problems.append(_unverified(entry.path, line, quote, [sources[s] for s in unread], strict))
    return Verified.total({path: (n, v, frozenset(pairs)) for path, (n, v, pairs) in by_path.items()}), problems


def _unverified(path: str, line: int, quote: str, unread: list[Source], strict: bool) -> Problem:
    """Return the note (or, under strict_quotes, the warning) for a quote no stored text proves."""
    shown = quote if len(quote) <= 60 else quote[:57] + "..."
    names = " and ".join(s.id for s in unread)
    first = unread[0]
    hint = (f"run `dateline archive {first.id}` to store its text, or save it by hand and set `text:` "
            f"in {first.path}" if first.url else f"save its text by hand and set `text:` in {first.path}")
    return Problem(path, line, 0, f"quote not verified: {names} {'has' if len(unread) == 1 else 'have'} "
                   f"no stored text: \"{shown}\"", hint, "warning" if strict else "info", "quote-unverified")


def digest(text: str) -> str:
    """Return the SHA-256 of a stored text as read (UTF-8, `\\n` newlines): the file's `sha256sum`."""
    return hashlib.sha256(text.encode()).hexdigest()


SHA256 = re.compile(r"[0-9a-f]{64}")


def changed(files: list[SourceFile], texts: dict[str, str]) -> list[Problem]:
    """Warn of each stored text whose hash is no longer the `text_sha256:` recorded when it was archived."""
    problems = []
    for sf in files:
        recorded = sf.data.get("text_sha256")
        if sf.id in texts and isinstance(recorded, str) and SHA256.fullmatch(recorded.strip()) \
                and digest(texts[sf.id]) != recorded.strip():
            problems.append(Problem(sf.path, sf.data.line_of("text_sha256"), 0,
                                    f"the stored text {sf.data.get('text', '').strip()} has changed since it was "
                                    "archived (its SHA-256 is not text_sha256's)",
                                    f"fetch it again with `dateline archive {sf.id} --force`, or, if you "
                                    "corrected it on purpose, remove text_sha256:", "warning", "text-changed"))
    return problems
