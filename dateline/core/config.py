"""site.yaml: the site's settings, checked key by key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import dates
from .errors import Problem, nearest
from .yamlsrc import YMap

KEYS = {
    "title": "the site's name, shown in every page header",
    "description": "one sentence about the timeline, for the home page and feeds",
    "author": "who keeps the timeline",
    "base_url": "where the site is published, e.g. https://user.github.io/repo/",
    "language": "language of the interface and of the entries (BCP 47, e.g. en)",
    "date_languages": "languages dateparser may read natural-language dates in",
    "allow_html": "let raw HTML in Markdown through (off: it is shown as text)",
    "cname": "custom domain for GitHub Pages; writes a CNAME file",
    "strict_quotes": "every quote must be found in its source's stored text (a warning otherwise)",
    "minify_html": "write the pages' HTML minified: no spaces between tags, quotes only where HTML needs them",
}


@dataclass(frozen=True)
class Config:
    """The site's settings after validation."""

    title: str
    base_url: str = "/"          # absolute URL or path, always ending in "/"
    description: str = ""
    author: str = ""
    language: str = "en"
    date_languages: tuple[str, ...] = ("en",)
    allow_html: bool = False
    cname: str = ""
    strict_quotes: bool = False
    minify_html: bool = False

    @property
    def base_path(self) -> str:
        """Return the path part of base_url, e.g. '/repo/', for links that must be absolute."""
        return urlsplit(self.base_url).path or "/"

    @property
    def absolute(self) -> bool:
        """Return True when base_url names a host, so feeds can carry absolute links."""
        return bool(urlsplit(self.base_url).netloc)


def parse_config(data: YMap, problems: list[Problem], base_url: str | None = None) -> Config:
    """Check site.yaml's keys and return a Config; `base_url` overrides the file's."""
    where = "site.yaml"
    for key in data:
        if key not in KEYS:
            guess = nearest(key, KEYS)
            problems.append(Problem(where, data.line_of(key), 0, f"unknown key '{key}'",
                                    f"did you mean '{guess}'?" if guess else
                                    "known keys: " + ", ".join(KEYS)))
    values: dict = {}
    for key in ("title", "description", "author", "language", "cname"):
        if key in data:
            if not isinstance(data[key], str) or not data[key].strip():
                problems.append(Problem(where, data.line_of(key), 0, f"'{key}' must be text"))
            else:
                values[key] = data[key].strip()
    if "cname" in values and not _DOMAIN.fullmatch(values["cname"]):
        problems.append(Problem(where, data.line_of("cname"), 0, f"cname {values.pop('cname')!r} is not a domain name",
                                "write the bare domain, e.g. cname: timeline.example.org"))
    if "title" not in values and "title" not in data:
        problems.append(Problem(where, data.line, 0, "missing 'title'", "add title: My timeline"))
    url = base_url if base_url is not None else data.get("base_url", "/")
    if not isinstance(url, str) or not _valid_base(url):
        problems.append(Problem(where, data.line_of("base_url"), 0, f"base_url {url!r} is not a URL or path",
                                "write https://user.github.io/repo/ or /repo/"))
    else:
        values["base_url"] = url if url.endswith("/") else url + "/"
    if "date_languages" in data:
        langs = _date_languages(data, problems)
        if langs is not None:
            values["date_languages"] = langs
    else:  # the site's language, as far as dateparser knows it ("en-GB" is read as "en")
        language = values.get("language", "en")
        known = dates.known_languages()
        values["date_languages"] = next(((code,) for code in (language, language.split("-")[0]) if code in known),
                                        ("en",))
    for key in ("allow_html", "strict_quotes", "minify_html"):
        if key in data:
            if not isinstance(data[key], bool):
                problems.append(Problem(where, data.line_of(key), 0, f"{key} must be true or false"))
            else:
                values[key] = data[key]
    return Config(**{"title": "", **values})


def _date_languages(data: YMap, problems: list[Problem]) -> tuple[str, ...] | None:
    """Return `date_languages` as a tuple of codes dateparser reads; None after reporting a problem."""
    langs, line = data["date_languages"], data.line_of("date_languages")
    if isinstance(langs, str):
        langs, lines = [langs], [line]
    else:
        lines = getattr(langs, "item_lines", [])
    if not isinstance(langs, list) or not all(isinstance(x, str) and x for x in langs):
        problems.append(Problem("site.yaml", line, 0, "date_languages must be a list of language codes",
                                "e.g. [en, fr]"))
        return None
    known, ok = dates.known_languages(), True
    for code, at in zip(langs, lines):
        if code not in known:
            guess = code.split("-")[0] if code.split("-")[0] in known else nearest(code, known)
            problems.append(Problem("site.yaml", at, 0, f"unknown language code '{code}' in date_languages",
                                    f"did you mean '{guess}'?" if guess else
                                    "use codes dateparser reads, such as en, fr, de, es, ar, nb, zh-Hans"))
            ok = False
    return tuple(langs) if ok else None


# A host name as GitHub Pages' CNAME file holds it: labels of letters, digits and inner hyphens.
_DOMAIN = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?",
                     re.IGNORECASE)


def _valid_base(url: str) -> bool:
    """Return True for an http(s) URL or an absolute path."""
    parts = urlsplit(url)
    if parts.scheme:
        return parts.scheme in ("http", "https") and bool(parts.netloc)
    return url.startswith("/") and "//" not in url and ".." not in url.split("/")
