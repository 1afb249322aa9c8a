"""Reading an event's `accounts:`: each a claim, its question (`about:`), its citations, its figure.

An account cites as the body does, `cite: "[@bbc-2019-10-13, para 8]"`, so it links to the
place in its note that holds its own locator. The older `sources: [id]` still reads, with a
warning to move to `cite:`. docs/writing.md describes the fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import citations
from .checker import Checker
from .claims import QUALIFIERS, Account, Cite, Figure
from .errors import nearest
from .media import read_media
from .model import Media, Source
from .yamlsrc import YList, YMap

ACCOUNT_KEYS = ("about", "claim", "by", "cite", "sources", "quote", "value", "qualifier", "counts", "disputes",
                "media")
# Words an editor may reach for, and the qualifier that says the same.
SAME_AS = {"nearly": "almost", "some": "about", "around": "about", "approximately": "about", "roughly": "about",
           "over": "more than", "above": "more than", "at most": "up to", "no more than": "up to",
           "as many as": "up to", "minimum": "at least"}


@dataclass
class Draft:
    """An account as written, before its citations are numbered."""

    claim: str
    by: str
    about: str
    quote: str
    figure: Figure | None
    disputes: bool
    cites: list[tuple[str, str]]   # (source id, locator as written)
    line: int
    cite_line: int
    old_form: bool                 # `sources:` rather than `cite:`
    media: tuple[Media, ...] = ()  # its images, read by the same rules as an event's


def read(data: YMap, c: Checker, sources: dict[str, Source]) -> list[Draft]:
    """Read `accounts:` into drafts, reporting every mistake at its line."""
    value = data.get("accounts")
    if value is None:
        return []
    if not isinstance(value, YList):
        c.error(data.line_of("accounts"), "'accounts' must be a list of claims",
                "write accounts: then '- claim: ...' lines", "bad-value")
        return []
    drafts = []
    for item, line in zip(value, value.item_lines):
        if not isinstance(item, YMap):
            c.error(line, "each account must be a mapping with claim:, by: and cite:", code="bad-value")
            continue
        c.unknown_keys(item, ACCOUNT_KEYS, "an account")
        claim, by = c.text(item, "claim", required=True), c.text(item, "by", required=True)
        cites, old = _cites(item, c, sources)
        disputes = item.get("disputes", False)
        if not isinstance(disputes, bool):
            c.error(item.line_of("disputes"), "'disputes' must be true or false",
                    "write disputes: true on an account that contradicts the others of its question", "bad-value")
        drafts.append(Draft(claim, by, c.text(item, "about"), c.text(item, "quote"), _figure(item, c),
                            disputes is True, cites, item.line,
                            item.line_of("cite" if "cite" in item else "sources"), old,
                            read_media(item, c, sources)))
    _lone_disputes(drafts, c)
    return drafts


def _cites(item: YMap, c: Checker, sources: dict[str, Source]) -> tuple[list[tuple[str, str]], bool]:
    """Return the (id, locator) pairs an account cites, and whether it used the old `sources:`."""
    if "cite" in item and "sources" in item:
        c.error(item.line_of("sources"), "an account has both cite: and sources:",
                "keep cite: alone, with each source's locator", "bad-value")
    if "cite" not in item and "sources" not in item:
        c.error(item.line, "an account needs cite: the source(s) that report it, with their locators",
                'add cite: "[@source-id, para 3]"', "missing-sources")
        return [], False
    if "cite" not in item:
        ids = c.names(item, "sources")
        if ids:
            c.warn(item.line_of("sources"), "an account's sources: has no locators, so it links to its sources "
                   "as a whole", f'write cite: "{_written([(s, "para N") for s in ids])}", each source with its own locator',
                   "account-sources")
        pairs = [(sid, "") for sid in ids]
    else:
        text = c.text(item, "cite")
        inside = text[1:-1] if text.startswith("[") and text.endswith("]") else None
        pairs = citations.parse_items(inside) if inside is not None else None
        if pairs is None:
            if text:
                c.error(item.line_of("cite"), f"'cite' must be citations as the body writes them, not {text[:60]!r}",
                        'e.g. cite: "[@bbc-2019-10-13, para 8]" or "[@a, para 1; @b, p. 2]", in quotes', "bad-value")
            return [], False
    for sid, _loc in pairs:
        if sid not in sources:
            guess = nearest(sid, sources)
            c.error(item.line_of("cite" if "cite" in item else "sources"), f"unknown source '{sid}'",
                    f"did you mean '{guess}'?" if guess else f"add content/sources/{sid}.yaml", "unknown-source")
    return [(s, loc) for s, loc in dict.fromkeys(pairs) if s in sources], "cite" not in item


def _written(pairs: list[tuple[str, str]]) -> str:
    """Write (id, locator) pairs as a citation, `[@a, para 1; @b]`."""
    return "[" + "; ".join(f"@{sid}, {loc}" if loc else f"@{sid}" for sid, loc in pairs) + "]"


_DECIMAL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def decimal_number(text) -> int | float | None:
    """Return a number written in decimals (`785`, `-3.5`, `1e3`); None for anything else."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text.strip()):
        return None  # YAML 1.1 would also read 0x1F, 1:30, 010 (octal) and .inf: not a count
    text = text.strip()
    return int(text) if text.lstrip("+-").isdigit() else float(text)


def _figure(item: YMap, c: Checker) -> Figure | None:
    """Read `value:` (a number, or [low, high]), `qualifier:` and `counts:` into a Figure."""
    qualifier, counts = " ".join(c.text(item, "qualifier").casefold().split()), c.text(item, "counts")
    if "value" not in item or item["value"] is None:
        for key in ("qualifier", "counts"):
            if key in item:
                c.error(item.line_of(key), f"'{key}' belongs to a figure, and the account has no value:",
                        "add value: with the number the source gives, or remove the line", "bad-value")
        return None
    raw, high = item["value"], None
    if isinstance(raw, YList) and len(raw) == 2:
        value, high = decimal_number(raw[0]), decimal_number(raw[1])
        if value is None or high is None or not value < high:
            c.error(item.line_of("value"), "a range of values must be two numbers, the lower first",
                    "e.g. value: [2500, 3000] for “2,500 to 3,000”", "bad-value")
            return None
    else:
        value = decimal_number(raw)
        if value is None:
            c.error(item.line_of("value"), "'value' must be a number", "e.g. value: 785", "bad-value")
            return None
    if qualifier and qualifier not in QUALIFIERS:
        guess = SAME_AS.get(qualifier) or nearest(qualifier, QUALIFIERS)
        c.error(item.line_of("qualifier"), f"unknown qualifier '{qualifier}'",
                (f"did you mean '{guess}'? " if guess else "") + "qualifiers are: " + ", ".join(QUALIFIERS),
                "bad-qualifier")
        return None
    if qualifier and high is not None:
        c.error(item.line_of("qualifier"), f"a range of values takes no qualifier ('{qualifier}')",
                "give the range as the source does, value: [low, high], or one value with its qualifier",
                "bad-qualifier")
        return None
    return Figure(value, qualifier, counts, high)


def _lone_disputes(drafts: list[Draft], c: Checker) -> None:
    """Report `disputes: true` on an account that no other account of its question stands beside."""
    asked: dict[str, int] = {}
    for draft in drafts:
        asked[draft.about] = asked.get(draft.about, 0) + 1
    for draft in drafts:
        if draft.disputes and asked[draft.about] < 2:
            about = f"about: {draft.about!r}" if draft.about else "no about:"
            c.error(draft.line, f"'disputes: true', but no other account has {about}: there is nothing it contradicts",
                    "give the accounts it contradicts the same about:, or remove disputes:", "disputes-alone")


def build(drafts: list[Draft], cite_map, located: dict[str, list[str]], c: Checker) -> tuple[Account, ...]:
    """Return the accounts with their citations numbered; a citation needing a locator is reported.

    `located` maps a source to the locators the event cites it at: an account citing it without
    a locator would not say which of those places holds it.
    """
    places = {key: (number, anchor, shown) for key, number, anchor, shown in cite_map}
    out = []
    for i, d in enumerate(drafts, start=1):
        cites = []
        for j, (sid, loc) in enumerate(d.cites, start=1):
            number, anchor, shown = places[f"{sid}|{loc}"]
            if not shown and located.get(sid) and not d.old_form:
                c.error(d.cite_line, f"the account cites '{sid}' without a locator, while the event cites it at "
                        f"{', '.join(located[sid])}: say which place holds this account",
                        f'write cite: "[@{sid}, {located[sid][0]}]" with its own locator', "account-without-locator")
            cites.append(Cite(sid, shown, number, anchor, f"account-{i}-{j}"))
        out.append(Account(d.claim, d.by, tuple(cites), d.quote, d.about, d.figure, d.disputes, d.line, d.media))
    return tuple(out)
