"""Structured data for pages: schema.org JSON-LD for events and the timeline, the canonical URL.

JSON-LD sits in a <script> element, where HTML escaping does not apply: `<`, `>` and `&` are
written as JSON escapes, so no string in it can close the element (`</script>`).
"""

from __future__ import annotations

import json

from markupsafe import Markup

from ..core.model import Event, Media, Source, Timeline
from .accounts import claims_ld
from .i18n import catalog
from .media import public_image, shown_size
from ..core.checker import is_http_url
from .text import csl_type, plain_text, sources_of
from .urls import absolute_url, event_path, page_path, public_url

# schema.org types for the CSL item types of sources; anything else is a CreativeWork.
SCHEMA_TYPES = {
    "article-newspaper": "NewsArticle", "article-magazine": "Article", "article-journal": "ScholarlyArticle",
    "article": "Article", "report": "Report", "book": "Book", "chapter": "Chapter", "webpage": "WebPage",
    "post-weblog": "BlogPosting", "post": "SocialMediaPosting", "dataset": "Dataset", "map": "Map",
    "thesis": "Thesis", "legislation": "Legislation", "broadcast": "Clip",
}
# Each by a replace where it occurs: str.translate looks every character up in a dict (at
# 100,000 events, 7 s of a clean build's CPU; a replace is a scan in C).
_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script(data: dict) -> Markup:
    """Return `data` as a <script type="application/ld+json"> element that no string can break out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _UNSAFE:
        if char in text:
            text = text.replace(char, escaped)
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')


GLOBALS = {"canonical": "page", "event_ld": "page", "index_ld": "timeline"}  # what each reads (pages.GLOBALS)


def page_context(timeline: Timeline, path: str) -> dict:
    """Return what templates need on page `path`: its canonical URL and the JSON-LD makers."""
    config = timeline.config
    return {
        "canonical": "" if path == "404.html" else absolute_url(config, page_path(path)),
        "event_ld": lambda event: script(event_data(timeline, event)),
        "index_ld": lambda: script(item_list(timeline)),
    }


def event_data(timeline: Timeline, event: Event) -> dict:
    """Return a schema.org Event for an event page, its sources as `citation`."""
    config = timeline.config
    data: dict = {"@context": "https://schema.org", "@type": "Event", "name": event.title,
                  "startDate": event.date.iso}
    if event.end:
        data["endDate"] = event.end.iso
    if event.place:
        data["location"] = {"@type": "Place", "name": event.place}
    description = plain_text(event.summary_md, config.allow_html)
    if description:
        data["description"] = description
    data["url"] = public_url(config, event_path(event))
    data["inLanguage"] = event.lang or config.language
    if event.media:
        data["image"] = [image(config, m) for m in event.media]
    citations = [citation(s) for s in sources_of(event)]
    if citations:
        data["citation"] = citations
    if event.modified:
        data["mainEntityOfPage"] = page_changes(event, data["url"])
    if event.accounts:  # what each source says about the event's questions, as schema.org Claims
        data["subjectOf"] = claims_ld(event, citation, catalog(config.language))
    return data


def page_changes(event: Event, url: str) -> dict:
    """Return the event's page as a WebPage with its dateModified and corrections (CorrectionComment):
    schema.org gives them to the writing about an event, not to the event."""
    page: dict = {"@type": "WebPage", "@id": url, "dateModified": event.modified.iso}
    if event.corrections:
        page["correction"] = [{"@type": "CorrectionComment", "datePublished": c.date.iso,
                               "text": f"{c.what} {c.why}".strip()} for c in event.corrections]
    return page


def image(config, media: Media) -> dict:
    """Return an image as a schema.org ImageObject: its URL, size, caption and credit."""
    data: dict = {"@type": "ImageObject", "contentUrl": public_image(config, media)}
    width, height = shown_size(media)
    if width:
        data.update(width=width, height=height)
    data["description"] = media.alt
    if media.caption:
        data["caption"] = media.caption
    if media.credit:
        data["creditText"] = media.credit
    if media.licence:  # schema.org's `license` is a URL; a licence's name is a notice
        data["license" if is_http_url(media.licence) else "copyrightNotice"] = media.licence
    return data


def citation(source: Source) -> dict:
    """Return a source as a schema.org CreativeWork (NewsArticle, Report...)."""
    data: dict = {"@type": SCHEMA_TYPES.get(csl_type(source), "CreativeWork"), "name": source.title}
    if source.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in source.authors]
    if source.publisher:
        data["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.url and source.url_status not in ("unfit", "usurped"):
        data["url"] = source.url
    if source.archive_url:
        data["archivedAt"] = source.archive_url
    if source.is_post:
        data["text"] = source.words
        if source.handle:
            data.setdefault("author", [{"@type": "Person"}])[0]["alternateName"] = source.handle
    if source.published:
        data["datePublished"] = source.published.iso
    if source.language:
        data["inLanguage"] = source.language
    return data


def item_list(timeline: Timeline) -> dict:
    """Return a schema.org ItemList of every event, in timeline order, for the home page."""
    config = timeline.config
    # A summary page's list, as schema.org's consumers read one: each item its position and the
    # URL of its own page, where the event's JSON-LD names and dates it (`event_ld`). Naming and
    # dating every event here as well cost the sample's home page 2.4 KB of its 50.
    items = [{"@type": "ListItem", "position": position, "url": public_url(config, event_path(event))}
             for position, event in enumerate(timeline.events, start=1)]
    data = {"@context": "https://schema.org", "@type": "ItemList", "name": config.title}
    if config.description:
        data["description"] = config.description
    data.update({"url": public_url(config), "numberOfItems": len(items),
                 "itemListOrder": "https://schema.org/ItemListOrderAscending", "itemListElement": items})
    return data
