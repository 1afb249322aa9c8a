"""Sources that last: how the original URL fares (`url_status`), its archived copy's date, remarks.

Wikipedia's citations carry the same: access-date, archive-url, archive-date, url-status.
`remarks:` are the editors' own notes on a source: checked as text, never carried into the
model, so no page or export can show them.
"""

from __future__ import annotations

from . import dates
from .checker import Checker
from .errors import nearest
from .yamlsrc import YMap

URL_STATUSES = ("live", "dead", "unfit", "usurped")


def check_lasting(data: YMap, c: Checker, url: str, archive_url: str) -> tuple:
    """Return (archive_date, url_status) of a source, reporting what does not fit together."""
    c.text(data, "remarks")  # read only to report a value that is not text
    status = c.text(data, "url_status").lower()
    if status and status not in URL_STATUSES:
        guess = nearest(status, URL_STATUSES)
        c.error(data.line_of("url_status"), f"unknown url_status '{status}'",
                (f"did you mean '{guess}'? " if guess else "") + "url_status is one of: " + ", ".join(URL_STATUSES),
                "bad-value")
        status = ""
    if status and not url and "url" not in data:
        c.error(data.line_of("url_status"), "'url_status' says how the source's url fares, and there is no url",
                "add url: or leave url_status out", "bad-value")
    archive_date = None
    if data.get("archive_date") is not None:
        try:
            archive_date = dates.parse_date(data["archive_date"])
        except dates.DateError as exc:
            c.error(data.line_of("archive_date"), f"'archive_date': {exc.message}", exc.hint, "bad-date")
        if not archive_url and "archive_url" not in data:
            c.error(data.line_of("archive_date"), "'archive_date' dates an archived copy, and there is no archive_url",
                    "add archive_url: the address of the copy, or leave archive_date out", "bad-value")
    if status in ("dead", "unfit", "usurped") and not archive_url and "archive_url" not in data:
        c.warn(data.line_of("url_status"), f"the url is {status} and no archived copy is given",
               "add archive_url: a copy in a web archive (web.archive.org, archive.today), with archive_date:",
               "no-archive")
    return archive_date, status
