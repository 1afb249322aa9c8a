"""`dateline archive`: a source's page fetched, its article's text stored, for checking quotes.

The text goes to `sources-text/<id>.txt` in the site (never output/, which every build
replaces), and the source file gains `text:`, `accessed:` (the day it was fetched) and
`text_sha256:` (the text's hash, so `check` can tell when the copy was changed since), every
other line of the file kept as it was. The article is found in the page by trafilatura, a
maintained extractor that leaves out menus, footers and comments; it loads only here.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import yaml

from . import init
from .core import chars, quotes, yamlsrc
from .core.errors import BuildError, Problem, nearest_id
from .core.files import MAX_FILE_BYTES
from .core.load import SourceFile, load_site
from .core.rules import check_source

FOLDER = "sources-text"
MAX_PAGE_BYTES = 20_000_000   # a news page with its markup; the text it holds is far smaller
TIMEOUT = 30.0                # seconds without an answer before giving up on a server
HTML = ("text/html", "application/xhtml+xml")


@dataclass
class Archived:
    """What `archive` did: the text files written, and the sources it left alone (as notes)."""

    written: list[Path] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def archive(root: Path, ids: list[str], every: bool = False, force: bool = False,
            today: dt.date | None = None, timeout: float = TIMEOUT) -> Archived:
    """Fetch and store the text of the sources `ids` (or, with `every`, of each one with a URL and no text yet).

    A source that already has `text:` is fetched again only with `force`. Each source is
    stored whole or not at all; the problems of all of them are raised together at the end.
    """
    root = Path(root)
    if not (root / "site.yaml").is_file():
        raise BuildError([Problem("site.yaml", 0, 0, "site.yaml is missing",
                                  "run the command from the site's folder, or pass --site PATH")])
    site = load_site(root)
    known = {sf.id: sf for sf in site.sources}
    problems: list[Problem] = []
    for sid in ids:
        if sid not in known:
            guess = nearest_id(sid, known)
            problems.append(_arg(f"unknown source '{sid}'", f"did you mean '{guess}'?" if guess
                                 else f"start it with `dateline new-source {sid} --title ... --publisher ... --url ...`"))
    if problems:
        raise BuildError(problems)
    done = Archived()
    chosen = sorted(known) if every else list(dict.fromkeys(ids))
    for sid in chosen:
        sf = known[sid]
        found: list[Problem] = []
        source = check_source(sf, found)
        if source is None:
            problems.extend(p for p in found if p.severity == "error")
            continue
        has_text = "text" in sf.data
        if not source.url:
            if not every:
                problems.append(Problem(sf.path, sf.data.line, 0, f"source '{sid}' has no url to fetch",
                                        "add url: with the article's address, or save its text by hand and set text:"))
            else:
                done.notes.append(Problem(sf.path, sf.data.line, 0, f"not archived: '{sid}' has no url",
                                          severity="info", code="archive-skipped"))
            continue
        if has_text and not force:
            where = Problem(sf.path, sf.data.line_of("text"), 0, f"'{sid}' already has a stored text ({source.text})",
                            "pass --force to fetch it again and replace it", code="archive-skipped")
            if every:
                done.notes.append(_info(where))
            else:
                problems.append(where)
            continue
        try:
            text = extract(*fetch(source.url, timeout), source.url)
            done.written.append(store(root, sf, text, today or dt.date.today()))
        except ArchiveError as exc:
            problems.append(Problem(sf.path, sf.data.line_of("url"), 0, f"cannot archive {source.url}: {exc}",
                                    exc.hint))
    if problems:
        raise BuildError(problems)
    return done


class ArchiveError(Exception):
    """Why a page could not be archived, with how to go on."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


BY_HAND = f"save the article's text by hand into {FOLDER}/ and set text: to it"


class _SameSchemes(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https only (urllib also follows them to ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise ArchiveError(f"the server redirects to {newurl[:80]!r}", BY_HAND)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, timeout: float = TIMEOUT) -> tuple[bytes, str]:
    """Return the page at `url` and its media type (with parameters), refusing what is not a page."""
    opener = urllib.request.build_opener(_SameSchemes)
    request = urllib.request.Request(url, headers={"User-Agent": f"Dateline/{init.version()} (archive)",
                                                   "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"})
    try:
        with opener.open(request, timeout=timeout) as response:
            data = response.read(MAX_PAGE_BYTES + 1)
            media = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise ArchiveError(f"the server answered {exc.code} {exc.reason}",
                           "check the url in a browser; if the page is gone, point url at an archived copy "
                           "(archive_url) or " + BY_HAND) from None
    except (urllib.error.URLError, OSError) as exc:  # no such host, refused, timed out, TLS...
        reason = getattr(exc, "reason", exc)
        raise ArchiveError(f"no answer ({reason})", "check the address and your connection, then try again") from None
    if len(data) > MAX_PAGE_BYTES:
        raise ArchiveError(f"the page is larger than {MAX_PAGE_BYTES // 1_000_000} MB", BY_HAND)
    return data, media


def extract(data: bytes, media: str, url: str) -> str:
    """Return the article's text from a page (HTML through trafilatura; plain text as it is)."""
    header = Message()
    header["Content-Type"] = media or "text/html"
    kind, charset = header.get_content_type(), header.get_param("charset") or "utf-8"
    if kind == "text/plain":
        try:
            text = data.decode(str(charset))
        except (LookupError, UnicodeDecodeError):
            raise ArchiveError(f"the text is not {charset}", BY_HAND) from None
    elif kind in HTML:
        try:
            import trafilatura
        except ImportError as exc:  # not installed, or a dependency of it missing
            raise ArchiveError("archive needs trafilatura, which is not installed"
                               + (f" ({exc})" if exc.name != "trafilatura" else ""),
                               "pip install 'dateline[archive]' (or: pip install trafilatura lxml_html_clean)") from None
        logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its own notes are not the editor's
        text = trafilatura.extract(data, url=url, include_comments=False, include_tables=True,
                                   include_images=False, favor_precision=True) or ""
    else:
        raise ArchiveError(f"it is {kind}, not a web page", BY_HAND)
    text = chars.CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        raise ArchiveError("no article text was found in the page", BY_HAND)
    if len(text.encode()) > MAX_FILE_BYTES:
        raise ArchiveError("the text found is larger than a source's text may be", BY_HAND)
    return text + "\n"


def store(root: Path, sf: SourceFile, text: str, today: dt.date) -> Path:
    """Write the text and record it in the source file; return the text file's path."""
    name = f"{FOLDER}/{sf.id}.txt"
    source_path = root / sf.path
    updated = set_keys(source_path.read_text(encoding="utf-8"),
                       {"text": name, "accessed": today.isoformat(), "text_sha256": quotes.digest(text)})
    check = yamlsrc.load(updated)
    if not isinstance(check, yamlsrc.YMap) or check.get("text") != name:
        raise ArchiveError(f"{sf.path} is not written one `key: value` a line, so it cannot be updated",
                           f"add text: {name}, accessed: and text_sha256: by hand")
    (root / FOLDER).mkdir(exist_ok=True)
    _replace(root / name, text)
    _replace(source_path, updated)
    return root / name


_TOP_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?:[ \t]|$)")


def set_keys(text: str, values: dict[str, str]) -> str:
    """Return a block-YAML mapping's text with `values` set, every other line (comments too) as it was.

    A key already there is rewritten in place (with any indented lines that continued its
    value); the others are added at the end, in the order given.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out, left, skipping = [], dict(values), False
    for line in lines:
        if skipping and (line[:1] in (" ", "\t")):
            continue  # the rest of a value being replaced
        skipping = False
        m = _TOP_KEY.match(line)
        if m and m[1] in left:
            out.append(_line(m[1], left.pop(m[1])))
            skipping = True
            continue
        out.append(line)
    out += [_line(key, value) for key, value in left.items()]
    return "\n".join(out) + "\n"


def _line(key: str, value: str) -> str:
    return yaml.safe_dump({key: value}, allow_unicode=True, width=4096).rstrip("\n")


def _replace(path: Path, text: str) -> None:
    """Write a file whole: a temporary file beside it, then renamed over it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _info(p: Problem) -> Problem:
    return Problem(p.path, p.line, 0, f"not archived: {p.message}", p.hint, "info", p.code)


def _arg(message: str, hint: str = "") -> Problem:
    return Problem("archive", 0, 0, message, hint, "error", "bad-argument")
