"""A small site whose entries exercise every export: each precision, spans, a moment in a time
zone, quotes, commas, newlines, non-ASCII text and a title that tries to close a <script>."""

from __future__ import annotations

from dateline import pipeline as site

INJECTION = '</script><script>alert(1)</script> & <b>"bold"</b>'

SITE = """
-- site.yaml --
title: Test timeline
description: Events for the export tests.
author: The Test Desk
base_url: {base_url}
language: en
-- content/sources/wire.yaml --
title: Talks collapse in Geneva
publisher: Global Wire
authors: ["Doe, Jane", Reuters staff]
url: https://news.example.com/talks?id=1&lang=en
published: 2019-10-13
accessed: 2019-10-20
language: en
type: article
-- content/sources/report.yaml --
title: Annual report on river levels
publisher: River Agency
published: 2019-11
type: report
-- content/sources/statement.yaml --
title: Statement on the floods
publisher: City Hall
published: 2019-10-12
type: statement
-- content/events/talks.md --
---
title: 'Talks in "Geneva, Switzerland" fail'
date: 2019-10-13
place: Geneva, Switzerland
actors: [Party A, "Party B, the other one"]
tags: [diplomacy, talks]
summary: |
  The talks failed, "again", after a night of argument.

  A second paragraph, with a comma.
sources:
  - id: wire
    quote: the talks collapsed
---
The talks collapsed [@wire]. Café owners in Genève were unsurprised — ça arrive. Long text follows so that the description needs folding across several lines of the calendar file.
-- content/events/flood.md --
---
title: River floods the valley
date: 2019-10-09
end: 2019-10-13
place: Riverside
tags: [floods]
summary: The river rose for five days.
sources: [statement, report]
---
The river rose [@statement] and stayed high [@report].
-- content/events/season.md --
---
title: A wet autumn
date: 2019-10~
summary: Rain fell all month, approximately.
sources: [report]
---
It rained [@report].
-- content/events/dam.md --
---
title: Dam built
date: "2018"
---
The dam was finished.
-- content/events/warning.md --
---
title: Warning issued
date: "2019-10-13T05:30+03:00"
summary: An early warning went out.
---
An early warning went out.
-- content/events/injection.md --
---
title: '{injection}'
date: 2019-10-14
summary: 'A summary with </script> in it & more.'
---
Body.
"""


def spec(base_url: str = "https://example.org/tl/") -> str:
    """Return the export test site as a `-- path --` spec."""
    return SITE.replace("{base_url}", base_url).replace("{injection}", INJECTION.replace("'", "''"))


def build(make_site, base_url: str = "https://example.org/tl/", name: str = "site") -> dict[str, bytes]:
    """Build the export test site in memory and return {output path: bytes}."""
    return site.build(make_site(spec(base_url), name=name), write=False).files
