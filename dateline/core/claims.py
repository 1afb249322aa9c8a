"""Accounts as claims: who says what about a question of an event, cited where, with its figure.

Plain frozen data like model.py (which imports these); reading them from YAML is accounts.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # model.py imports this module: Media is only named here
    from .model import Media


@dataclass(frozen=True)
class Cite:
    """One source an account cites: where in it, and the note and place it links to."""

    source_id: str
    locator: str
    note: int
    anchor: str        # the note, or the place in it, that the citation links to
    id: str = ""       # the citation's own anchor, for the note's link back ("account-2-1")


QUALIFIERS = ("at least", "more than", "about", "exactly", "almost", "up to")


@dataclass(frozen=True)
class Figure:
    """A number an account gives, with its qualifier ("at least") and what it counts; `high` for a range."""

    value: int | float
    qualifier: str = ""          # one of QUALIFIERS, or "" when the source gives the number bare
    counts: str = ""
    high: int | float | None = None   # "2,500 to 3,000": value 2500, high 3000

    def bounds(self) -> tuple[float, float]:
        """Return the lowest and highest the figure allows (an open end is infinite)."""
        low, high = self.value, self.value if self.high is None else self.high
        if self.qualifier in ("at least", "more than"):
            return low, float("inf")
        if self.qualifier in ("almost", "up to"):
            return float("-inf") if self.qualifier == "up to" else low, high
        return low, high

    def same(self, other: Figure) -> bool:
        """Return True when two figures say the same (number, range and qualifier)."""
        return (self.value, self.high, self.qualifier) == (other.value, other.high, other.qualifier)


@dataclass(frozen=True)
class Account:
    """One answer a source gives to a question about the event: who claims what, cited where."""

    claim: str
    by: str
    cites: tuple[Cite, ...]
    quote: str = ""
    about: str = ""              # the question it answers; accounts of one question are compared
    figure: Figure | None = None
    disputes: bool = False       # the editor's word that it contradicts the others of its question
    line: int = 0
    media: tuple[Media, ...] = ()  # images the account shows (`media:`, as an event's), beside its claim

    @property
    def notes(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(c.note for c in self.cites))

    @property
    def value(self) -> int | float | None:
        return self.figure.value if self.figure else None


@dataclass(frozen=True)
class Question:
    """The accounts that answer one question (`about:`), and whether they disagree."""

    about: str
    accounts: tuple[Account, ...]

    @property
    def figures(self) -> list[Figure]:
        return [a.figure for a in self.accounts if a.figure is not None]

    @property
    def disputed(self) -> bool:
        """Return True when its accounts disagree: an account says so, or their figures differ."""
        if len(self.accounts) < 2:
            return False
        figures = self.figures
        return any(a.disputes for a in self.accounts) or any(not f.same(figures[0]) for f in figures[1:])

    def span(self) -> tuple[Figure, Figure] | None:
        """Return the lowest and the highest figure given, when they differ; open ends count as highest."""
        figures = self.figures
        if len(figures) < 2:
            return None
        rank = {"up to": 0, "almost": 0, "at least": 2, "more than": 3}
        low = min(figures, key=lambda f: (f.value, rank.get(f.qualifier, 1)))
        high = max(figures, key=lambda f: (f.bounds()[1], f.high or f.value, rank.get(f.qualifier, 1)))
        if low.same(high):
            return None
        # a range ("2,500 to 3,000") gives the span its near end only: "from 2,500 to at least 4,000"
        if low.high is not None:
            low = Figure(low.value, "", low.counts)
        if high.high is not None:
            high = Figure(high.high, "", high.counts)
        return low, high
