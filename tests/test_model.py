import pytest

from dateline.core.model import slugify, text_fragment


@pytest.mark.parametrize("title, slug", [
    ("Mass escape from Ain Issa camp", "mass-escape-from-ain-issa-camp"),
    ("Turkey launches \"Operation Peace Spring\"", "turkey-launches-operation-peace-spring"),
    ("Qamichli : l'évasion", "qamichli-l-evasion"),
    ("../../etc/passwd", "etc-passwd"),
])
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_non_latin_titles_get_distinct_safe_slugs():
    a, b = slugify("هروب من مخيم عين عيسى"), slugify("قصف رأس العين")
    assert a != b and a.isascii() and a.replace("x", "").isalnum()


def test_text_fragment_escapes_dashes_and_spaces():
    assert text_fragment("ISIS-affiliated  terrorists, 785") == "ISIS%2Daffiliated%20terrorists%2C%20785"
