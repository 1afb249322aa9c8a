"""Notes and accounts as data: events.json's notes, accounts and questions, accounts.csv, JSON-LD claims.

One structure in every format: an account answers a question (`about`), cites its sources each
at its own place (note number, anchor, locator), and may give a figure with its qualifier and
what it counts; a question is disputed when its accounts disagree, and states the range of its
figures. docs/exports.md describes the files.
"""

from __future__ import annotations

from ..core.claims import Figure
from ..core.model import Event, Note, Timeline
from .i18n import catalog, format_figure
from .urls import event_path, public_url

ACCOUNT_COLUMNS = ("event", "about", "disputed", "claim", "by", "cite", "quote", "value", "high", "qualifier",
                   "counts", "figure", "disputes", "url")


def notes_data(note: Note, verified) -> dict:
    """Return one note: its number, source, and the places cited in it (locator, quote, deep link).

    `verified(quote)` says whether a quote was found in the source's stored text (None: no quote).
    """
    return {"number": note.number, "source": note.source.id, "anchor": note.anchor,
            "places": [{"anchor": p.anchor, "locator": p.locator, "quote": p.quote,
                        "quote_verified": verified(p.quote), "link": note.link_of(p)} for p in note.pinpoints]}


def figure_data(figure: Figure | None, strings: dict) -> dict | None:
    """Return a figure as {value, high, qualifier, counts, text}, or None."""
    if figure is None:
        return None
    return {"value": figure.value, "high": figure.high, "qualifier": figure.qualifier, "counts": figure.counts,
            "text": format_figure(figure, strings)}


def accounts_data(event: Event, strings: dict, verified) -> list[dict]:
    """Return an event's accounts, each with its question, its citations and its figure.

    `verified(quote, note numbers)` says whether the quote was found in each source's stored text.
    """
    return [{"about": a.about, "claim": a.claim, "by": a.by, "quote": a.quote,
             "quote_verified": verified(a.quote, a.notes),
             "cites": [{"source": c.source_id, "locator": c.locator, "note": c.note, "anchor": c.anchor}
                       for c in a.cites],
             "figure": figure_data(a.figure, strings), "disputes": a.disputes} for a in event.accounts]


def questions_data(event: Event, strings: dict) -> list[dict]:
    """Return an event's questions: whether their accounts disagree, and the range of their figures."""
    out = []
    for question in event.questions:
        span = question.span()
        out.append({"about": question.about, "disputed": question.disputed, "accounts": len(question.accounts),
                    "range": {"low": figure_data(span[0], strings), "high": figure_data(span[1], strings)}
                    if span else None})
    return out


def cite_text(cites) -> str:
    """Write an account's citations as its `cite:` is written: `[@a, para 1; @b]`."""
    return "[" + "; ".join(f"@{c.source_id}, {c.locator}" if c.locator else f"@{c.source_id}" for c in cites) + "]"


def accounts_csv(timeline: Timeline, parts=None) -> bytes:
    """Return one row per account (RFC 4180), in timeline order, with its question and whether it is disputed."""
    from .exports import each
    from .spreadsheets import CsvRows, csv_cell  # the one guard against spreadsheet formulas
    config = timeline.config
    strings = catalog(config.language)
    rows = CsvRows()

    def event_rows(event: Event) -> str:
        url = public_url(config, event_path(event))
        out = []
        for question in event.questions:
            for a in question.accounts:
                f = a.figure
                numbers = ["" if f is None else _number(f.value), "" if f is None or f.high is None else _number(f.high)]
                text = [question.about]
                words = [a.claim, a.by, cite_text(a.cites), a.quote]
                more = ["" if f is None else f.qualifier, "" if f is None else f.counts,
                        "" if f is None else format_figure(f, strings)]
                out.append([event.slug, *(csv_cell(t) for t in text), str(question.disputed).lower(),
                            *(csv_cell(t) for t in words), *numbers, *(csv_cell(t) for t in more),
                            str(a.disputes).lower(), csv_cell(url)])
        return rows(out) if out else ""
    return (rows([ACCOUNT_COLUMNS]) + "".join((parts or each)("accounts.csv", event_rows, timeline.events))).encode("utf-8")


def _number(n: int | float) -> str:
    return str(int(n)) if float(n).is_integer() else repr(float(n))


def claims_ld(event: Event, citation, strings: dict) -> list[dict]:
    """Return an event's accounts as schema.org Claims: the words, who says them, where they appear.

    `citation(source)` makes a source's CreativeWork (jsonld.citation); each appearance is a
    Quotation (or CreativeWork) that is part of it (named, not repeated in full), at the account's
    locator (`position`).
    """
    sources = {n.source.id: n.source for n in event.notes}
    out = []
    for a in event.accounts:
        claim: dict = {"@type": "Claim", "text": a.claim, "author": {"name": a.by}}
        if a.about:
            claim["about"] = {"@type": "Thing", "name": a.about}
        appearance = []
        for c in a.cites:
            work = citation(sources[c.source_id])  # named only: the event's `citation` gives it in full
            part = {key: work[key] for key in ("@type", "name", "url") if key in work}
            item: dict = {"@type": "Quotation" if a.quote else "CreativeWork", "isPartOf": part}
            if a.quote:
                item["text"] = a.quote
            if c.locator:
                item["position"] = c.locator
            appearance.append(item)
        claim["appearance"] = appearance
        if a.figure is not None:
            claim["mentions"] = _quantity(a.figure, strings)
        out.append(claim)
    return out


def _quantity(figure: Figure, strings: dict) -> dict:
    """Return a figure as a schema.org QuantitativeValue: open ends as minValue or maxValue only."""
    data: dict = {"@type": "QuantitativeValue", "description": format_figure(figure, strings)}
    if figure.high is not None:
        data.update(minValue=figure.value, maxValue=figure.high)
    elif figure.qualifier in ("at least", "more than"):
        data["minValue"] = figure.value
    elif figure.qualifier in ("almost", "up to"):
        data["maxValue"] = figure.value
    else:
        data["value"] = figure.value
    if figure.counts:
        data["unitText"] = figure.counts
    return data
