"""The kinds of term an event is filed under (tags, places, actors), declared once.

Read by the timeline (terms, aliases.yaml), the renderer (term pages, URLs, the index's filters,
the event page) and the templates (as the global `kinds`): a new kind is one line here, its
field on `model.Event`, and its strings in render/i18n.py.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of term."""

    name: str       # "places": the key in Timeline.taxonomies and aliases.yaml, the folder of its pages
    field: str      # "place": the Event field that holds its names
    singular: str   # "place": the data- attribute of a filter, an i18n key
    many: bool      # the field holds several names (a tuple), not one (a string, maybe empty)

    def values(self, event) -> tuple[str, ...]:
        """Return the names an event gives this kind, in the entry's order."""
        value = getattr(event, self.field)
        if self.many:
            return value
        return (value,) if value else ()

    @property
    def everything(self) -> str:
        """The i18n key of the filter's "all ..." choice."""
        return f"all_{self.name}"


class Kinds(tuple):
    """The kinds in the order pages show them, with what templates ask of them."""

    def listed(self, event) -> list[tuple[Kind, tuple[str, ...]]]:
        """Return (kind, names) for the kinds of several names an event has names for (its footer)."""
        return [(kind, kind.values(event)) for kind in self if kind.many and kind.values(event)]


KINDS = Kinds((Kind("tags", "tags", "tag", True), Kind("places", "place", "place", False),
               Kind("actors", "actors", "actor", True)))
BY_NAME = {kind.name: kind for kind in KINDS}
