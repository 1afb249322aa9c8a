"""`Checker`: collects the problems of one file, so that each check is one line."""

from __future__ import annotations

from urllib.parse import urlsplit

from .errors import Problem, nearest
from .yamlsrc import YMap


class Checker:
    """Collects problems for one file, so each check is one line."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path, self.problems = path, problems

    def error(self, line: int, message: str, hint: str = "", code: str = "") -> None:
        self.problems.append(Problem(self.path, line, 0, message, hint, "error", code))

    def warn(self, line: int, message: str, hint: str = "", code: str = "") -> None:
        self.problems.append(Problem(self.path, line, 0, message, hint, "warning", code))

    def info(self, line: int, message: str, hint: str = "", code: str = "") -> None:
        """Record a note for the editor to read: not a fault, so even --strict passes it."""
        self.problems.append(Problem(self.path, line, 0, message, hint, "info", code))

    def unknown_keys(self, data: YMap, known: tuple[str, ...], what: str) -> None:
        """Report every key that is not one of `known`, suggesting the nearest."""
        for key in data:
            if key not in known:
                guess = nearest(key, known)
                hint = f"did you mean '{guess}'?" if guess else f"{what} keys are: {', '.join(known)}"
                self.error(data.line_of(key), f"unknown key '{key}' in {what}", hint, "unknown-key")

    def text(self, data: YMap, key: str, required: bool = False, what: str = "") -> str:
        """Return data[key] as stripped text, reporting a missing or non-text value."""
        if key not in data or data[key] is None:
            if required:
                self.error(data.line, f"missing '{key}'{what}", f"add a line `{key}: ...`", f"missing-{key}")
            return ""
        value = data[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(data.line_of(key), f"'{key}' must be text", "quote it if needed", "bad-value")
            return ""
        return value.strip()

    def names(self, data: YMap, key: str) -> tuple[str, ...]:
        """Return a list of names (or a single name) as a tuple of stripped strings."""
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(data.line_of(key), f"'{key}' must be a list of names", f"write {key}: [one, two]",
                       "bad-value")
            return ()
        return tuple(dict.fromkeys(v.strip() for v in value))

    def url(self, data: YMap, key: str) -> str:
        """Return an http(s) URL, reporting any other scheme."""
        value = self.text(data, key)
        if value and not is_http_url(value):
            self.error(data.line_of(key), f"'{key}' must be an http or https URL, not {value[:60]!r}",
                       "leave it out when the source has no URL: never invent one", "bad-url")
            return ""
        return value


def is_http_url(url: str) -> bool:
    """Return True for an absolute http(s) URL without spaces."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in url)
