"""`dateline links`: ask every source's `url` and `archive_url` whether it still answers.

Outside the build, on purpose: a build never touches the network, so the same content always
gives the same site. Addresses are asked concurrently (a thread pool), each with a timeout:
HEAD first, GET when the server refuses HEAD (405, 501). Redirects are followed; a permanent one
(301, 308) is reported with the new address. Nothing is written unless `write` is asked: then
`url_status:` is set in the source file (dead, or live again), every other line kept as it was.
"""

from __future__ import annotations

import re
import socket
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .core.checker import is_http_url
from .core.errors import Problem
from .core.load import load_site

USER_AGENT = "Mozilla/5.0 (compatible; Dateline link check)"
PERMANENT = (301, 308)
REFUSED = (401, 403, 429)   # the page may well be there: the server turns robots away
HEAD_REFUSED = (405, 501)   # the server does not answer HEAD: ask again with GET


@dataclass(frozen=True)
class Verdict:
    """What one address answered: ok, moved (permanently, to `final`), dead or refused."""

    kind: str
    detail: str = ""
    final: str = ""


@dataclass(frozen=True)
class Target:
    """One address in one source file, at its line."""

    path: str
    line: int
    key: str        # url or archive_url
    url: str


@dataclass
class Report:
    """What `links` found: a problem for each address that is not plainly fine, the writes made."""

    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects (HEAD stays HEAD), remembering each hop's status."""

    def __init__(self, hops: list):
        self.hops = hops

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        self.hops.append(code)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"  # urllib (before Python 3.13) asks the new address with GET
        return new


def ask(url: str, method: str, timeout: float) -> tuple[int, str, list[int]]:
    """Return (status, final address, redirect statuses) of one request; raise what urllib raises."""
    hops: list[int] = []
    opener = urllib.request.build_opener(_Redirects(hops))
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with opener.open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)  # enough to know it answers; never the whole page
            return response.status, response.geturl(), hops
    except urllib.error.HTTPError as exc:
        exc.hops = hops
        raise


def probe(url: str, timeout: float = 10.0) -> Verdict:
    """Return what `url` answers: HEAD, then GET when HEAD is refused."""
    try:
        try:
            status, final, hops = ask(url, "HEAD", timeout)
        except urllib.error.HTTPError as exc:
            if exc.code not in HEAD_REFUSED:
                raise
            status, final, hops = ask(url, "GET", timeout)
    except urllib.error.HTTPError as exc:
        kind = "refused" if exc.code in REFUSED else "dead"
        return Verdict(kind, f"HTTP {exc.code} {exc.reason}".strip(), exc.url or url)
    except (TimeoutError, socket.timeout):
        return Verdict("dead", f"no answer within {timeout:g} s")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return Verdict("dead", f"no answer within {timeout:g} s")
        if isinstance(reason, socket.gaierror):
            return Verdict("dead", "its host name is not known (DNS)")
        return Verdict("dead", str(getattr(reason, "strerror", None) or reason))
    except (OSError, ValueError) as exc:  # a connection reset, an address urllib cannot read
        return Verdict("dead", str(exc) or type(exc).__name__)
    if any(code in PERMANENT for code in hops) and final != url:
        return Verdict("moved", f"HTTP {status}", final)
    return Verdict("ok", f"HTTP {status}", final)


def targets(root: Path) -> list[Target]:
    """Return every http(s) `url` and `archive_url` of the site's sources, with its file and line."""
    found = []
    for sf in load_site(root).sources:
        for key in ("url", "archive_url"):
            value = sf.data.get(key)
            if isinstance(value, str) and is_http_url(value.strip()):
                found.append(Target(sf.path, sf.data.line_of(key), key, value.strip()))
    return found


def check(root: Path, timeout: float = 10.0, workers: int = 8, write: bool = False) -> Report:
    """Ask every source address once, concurrently; report dead, moved and refused ones at their line."""
    found = targets(root)
    urls = sorted({t.url for t in found})
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls) or 1))) as pool:
        verdicts = dict(zip(urls, pool.map(lambda u: probe(u, timeout), urls)))
    report = Report(checked=len(urls))
    for t in found:
        problem = _problem(t, verdicts[t.url])
        if problem:
            report.problems.append(problem)
    if write:
        for path in sorted({t.path for t in found if t.key == "url"}):
            url = next(t for t in found if t.path == path and t.key == "url")
            if set_status(root / path, _status(verdicts[url.url])):
                report.written.append(path)
    return report


def _problem(t: Target, verdict: Verdict) -> Problem | None:
    """Return the warning for one address, or None when it answered at its own address."""
    where = f"'{t.key}' {t.url}"
    if verdict.kind == "moved":
        return Problem(t.path, t.line, 0, f"{where} has moved permanently to {verdict.final}",
                       f"write {t.key}: {verdict.final}", "warning", "url-moved")
    if verdict.kind == "refused":
        return Problem(t.path, t.line, 0, f"{where} refused the check ({verdict.detail})",
                       "open it in a browser: the site may turn robots away", "warning", "url-refused")
    if verdict.kind == "dead":
        hint = ("find a copy in a web archive: add archive_url:, archive_date: and url_status: dead"
                if t.key == "url" else "find another copy of the page, or leave archive_url out")
        return Problem(t.path, t.line, 0, f"{where} is dead: {verdict.detail}", hint, "warning", "url-dead")
    return None


def _status(verdict: Verdict) -> str:
    """Return the url_status an answer calls for: dead, live, or '' (leave the file alone)."""
    return {"dead": "dead", "ok": "live", "moved": "live"}.get(verdict.kind, "")


_STATUS_LINE = re.compile(r"^url_status[ \t]*:[ \t]*(?P<value>[^#\r\n]*?)[ \t]*(?P<rest>(?:#[^\r\n]*)?)(?P<end>\r?\n?)$")
_URL_LINE = re.compile(r"^url[ \t]*:")


def set_status(path: Path, status: str) -> bool:
    """Set `url_status:` in a source file, keeping every other line as it was; True when it changed.

    Only `dead`, or `live` where the file said `dead`: an editor's `unfit` or `usurped` stays, and a
    source that answers needs no line to say so.
    """
    if not status:
        return False
    text = path.read_bytes().decode("utf-8")
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
    for i, line in enumerate(lines):
        m = _STATUS_LINE.match(line)
        if m:
            current = m["value"].strip("'\" ").lower()
            if current == status or current in ("unfit", "usurped") or (status == "live" and current != "dead"):
                return False
            comment = f"  {m['rest']}" if m["rest"] else ""
            lines[i] = f"url_status: {status}{comment}{m['end'] or newline}"
            break
    else:
        if status != "dead":
            return False
        at = next((i for i, line in enumerate(lines) if _URL_LINE.match(line)), len(lines) - 1) + 1
        while at < len(lines) and lines[at][:1] in (" ", "\t"):  # the url's value goes on: insert after it
            at += 1
        if lines and not lines[-1].endswith("\n") and at == len(lines):
            lines[-1] += newline
        lines.insert(at, f"url_status: dead{newline}")
    path.write_bytes("".join(lines).encode("utf-8"))
    return True
