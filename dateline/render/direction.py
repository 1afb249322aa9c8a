"""Which way a language's text runs, and the lang/dir attributes of text set in another language."""

from __future__ import annotations

from markupsafe import Markup, escape

# Languages whose usual script runs right to left, and scripts that do (ku-Arab, pa-Arab...).
RTL_LANGUAGES = frozenset("ar arc azb bal bqi ckb dv fa glk he iw ji khw ks lrc mzn nqo pnb prs ps sd skr "
                          "syr ug ur yi".split())
RTL_SCRIPTS = frozenset("arab hebr syrc thaa nkoo adlm rohg samr mand".split())


def text_dir(lang: str) -> str:
    """Return 'rtl' for a BCP 47 tag written right to left (ar, fa, he, ur, ckb, ku-Arab...), else 'ltr'."""
    subtags = lang.lower().replace("_", "-").split("-")
    script = next((s for s in subtags[1:] if len(s) == 4 and s.isalpha()), "")
    if script:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if subtags[0] in RTL_LANGUAGES else "ltr"


def lang_attrs(lang: str, around: str) -> Markup:
    """Return ' lang=".." dir=".."' for text in `lang` set among text in `around`; '' when they agree."""
    if not lang or lang.lower() == around.lower():
        return Markup("")
    attrs = Markup(' lang="{}"').format(escape(lang))
    if text_dir(lang) != text_dir(around):
        attrs += Markup(' dir="{}"').format(text_dir(lang))
    return attrs
