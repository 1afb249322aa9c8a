"""iCalendar line folding cuts by octets, as the character-by-character original did."""

from hypothesis import given, strategies as st

from dateline.render.feeds import fold


def fold_by_characters(line: str, limit: int = 75) -> str:
    """The first, slow version of fold(): the reference."""
    out, current = [], b""
    for char in line:
        octets = char.encode("utf-8")
        if len(current) + len(octets) > limit:
            out.append(current)
            current = b" "
        current += octets
    out.append(current)
    return b"\r\n".join(out).decode("utf-8")


@given(st.text(alphabet="ab c,\\;éç€😀\u0301", max_size=400), st.sampled_from([75, 10, 6]))
def test_fold_is_the_reference(line, limit):
    assert fold(line, limit) == fold_by_characters(line, limit)


def test_no_folded_line_is_longer_than_75_octets_nor_splits_a_character():
    folded = fold("DESCRIPTION:" + "Café à Genève — ça arrive 😀 " * 20)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "Café à Genève — ça arrive 😀 " * 20
