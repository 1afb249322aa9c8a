"""Properties that hold for every input, not only the ones we thought of (hypothesis, bounded)."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.cli import main
from dateline.core.dates import MONTHS_EN, DateError, parse_date
from dateline.core.model import slugify
from dateline.core.rules import EVENT_KEYS, SOURCE_KEYS

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre")

# --- dates: never more precise than what was written -------------------------------------------

years = st.integers(min_value=1, max_value=9999)
months = st.integers(min_value=1, max_value=12)


@st.composite
def coarse_dates(draw) -> tuple[str, int, int | None]:
    """Return (text, year, month or None) for a date written to the year or to the month."""
    year, month = draw(years), draw(months)
    form = draw(st.sampled_from(["YYYY", "YYYY-MM", "YYYY-MM~", "YYYY?", "Month YYYY", "Mon YYYY",
                                 "mois YYYY", "MONTH YYYY"]))
    qualifier = form[-1] if form[-1] in "~?" else ""
    if form.startswith("YYYY"):
        text = f"{year:04d}" + (f"-{month:02d}" if "MM" in form else "") + qualifier
        return text, year, month if "MM" in form else None
    year = draw(st.integers(min_value=1000, max_value=2999))  # dateparser reads four-digit years
    name = {"Month": MONTHS_EN[month - 1], "Mon": MONTHS_EN[month - 1][:3], "mois": MONTHS_FR[month - 1],
            "MONTH": MONTHS_EN[month - 1].upper()}[form.split()[0]]
    return f"{name} {year}", year, month


@BOUNDED
@given(coarse_dates())
def test_a_date_is_never_more_precise_than_its_text(case):
    text, year, month = case
    try:
        date = parse_date(text, ("en", "fr"))
    except DateError:
        return  # refusing is allowed; inventing a day is not
    assert date.day is None and date.hour is None
    assert date.year == year
    assert date.month == month


@BOUNDED
@given(st.integers(min_value=-10**6, max_value=10**6) | st.text(max_size=30))
def test_the_date_parser_answers_or_refuses_but_never_crashes(value):
    try:
        date = parse_date(value, ("en", "fr"))
    except DateError as exc:
        assert exc.message
    else:
        assert 1 <= date.year <= 9999 and date.precision in ("year", "month", "day", "minute")


# --- slugs: always one safe path segment --------------------------------------------------------

@BOUNDED
@given(st.text())
def test_a_slug_is_always_a_safe_path_segment(text):
    slug = slugify(text)
    assert SLUG.fullmatch(slug), slug  # so: not empty, no '/', no '..', only [a-z0-9-]
    assert len(slug) <= 92
    assert slugify(slug) == slug


@BOUNDED
@given(st.text(alphabet=st.characters(whitelist_categories=("Lo",)), min_size=1), st.text(max_size=20),
       st.text(max_size=20))
def test_titles_that_lose_letters_to_the_slug_keep_a_slug_of_their_own(letters, before, after):
    one, two = before + letters + after, after + letters + before + letters
    if one != two and any(c.isalnum() and not c.isascii() for c in letters):
        assert slugify(one) != slugify(two)


# --- the build: odd front matter gives a message, never an uncaught exception -------------------

SCALARS = ["2019-10-13", "2019", "2019-10", "null", "~", "", "yes", "no", "1e999", ".nan", "0x1F", "-0044",
           "[", "]", "{", "}", "[a, b", "{a: 1}", '"open', "'x'", "&a", "*a", "&a [1]", "!!binary aGk=",
           "!!python/object:os.system x", "|", ">-", "- item", "2019-02-30", "---", "...", "@x", "`x`",
           "%TAG", "? x", "[@bbc]", "<script>", "!!set {a}", "!!omap [a: 1]", "!!timestamp 2019-10-13",
           "2019-10-13T25:61", "<<: *a", "\t", "\ufeff", "\x85", "\u2028"]
# Mostly printable text, so that most examples get past the YAML parser to validation and rendering.
chars = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t:-[]{}#&*!|>'\"%@`,?\\")
keys = st.sampled_from(EVENT_KEYS + SOURCE_KEYS + ("<<", "? ", "- ", "", "title title", "1", "~")) | \
    st.text(chars, max_size=8)
values = st.sampled_from(SCALARS) | st.text(chars, max_size=12) | st.text(max_size=6) | st.integers().map(str)
line = st.tuples(st.sampled_from(["", "", "", " ", "  ", "\t", "    ", "- ", "  - "]), keys,
                 st.sampled_from([": ", ": ", ": ", ":", " : ", ":\t", " ", ""]), values).map("".join)
SKELETON = {"event": "title: T\ndate: 2019-10-13\n", "source": "title: S\n", "site": "title: Site\n", "list": "- "}
yamlish = st.lists(line, max_size=12).map("\n".join)
MESSAGE = re.compile(r"[^:]+(?::\d+(?::\d+)?)?: (?:error|warning|info): \S.*|built \d+ events?, .*"
                     r"|\d+ errors?; nothing was written")

GOOD = {
    "site.yaml": "title: Fuzzed\nbase_url: /\n",
    "content/sources/bbc.yaml": 'title: A report\npublished: "2019-10-13"\n',
    "content/events/good.md": "---\ntitle: Good\ndate: 2019-10-13\nsources: [bbc]\n---\nFine [@bbc].\n",
}


@pytest.fixture(scope="module")
def fuzz_root():
    folder = Path(tempfile.mkdtemp(prefix="dateline-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def build_with(root: Path, where: str, data: bytes) -> tuple[int, str]:
    """Build the good site with `data` as the file `where`; return (exit code, stderr)."""
    shutil.rmtree(root / "site", ignore_errors=True)
    for rel_path, text in GOOD.items():
        (root / "site" / rel_path).parent.mkdir(parents=True, exist_ok=True)
        (root / "site" / rel_path).write_text(text)
    (root / "site" / where).write_bytes(data)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", "--site", str(root / "site"), "--output", str(root / "out")])
    return code, err.getvalue()


TARGETS = {"event": "content/events/fuzz.md", "source": "content/sources/fuzz.yaml",
           "site": "site.yaml", "list": "content/events/fuzz.yaml"}


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(target=st.sampled_from(sorted(TARGETS)), text=yamlish, skeleton=st.booleans(), closed=st.booleans())
def test_odd_yaml_ends_in_a_message_or_a_site_never_an_exception(fuzz_root, target, text, skeleton, closed):
    text = SKELETON[target] + text if skeleton else text
    data = f"---\n{text}\n---\nBody.\n" if target == "event" and closed else text
    code, err = build_with(fuzz_root, TARGETS[target], data.encode("utf-8", "surrogatepass"))
    assert code in (0, 1), err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if not MESSAGE.fullmatch(line)] == []  # one message a line
    if code == 1:
        assert ": error: " in err


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(target=st.sampled_from(sorted(TARGETS)), data=st.binary(max_size=200), wrap=st.booleans())
def test_random_bytes_end_in_a_message_or_a_site_never_an_exception(fuzz_root, target, data, wrap):
    if wrap:
        data = b"---\n" + data + b"\n---\n"
    code, err = build_with(fuzz_root, TARGETS[target], data)
    assert code in (0, 1), err
    assert "Traceback" not in err
