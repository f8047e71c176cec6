# ruff: noqa: RUF001, RUF002 (the quotation marks of each language, as they are written)
"""How a language is written: its direction, its quotation marks, whether its script
joins its letters. Used by parse (quotation marks in the author's text) and by the
templates (direction, spacing, hyphenation), for both outputs.

Direction comes from CLDR's `characterOrder` of the locale (through Babel, or the
table below for the languages the layout has labels for). Babel does not
carry CLDR's quotation marks (`<delimiters>`), so they are written down here, from
CLDR 45 (`common/main/*.xml`, `quotationStart` `quotationEnd`
`alternateQuotationStart` `alternateQuotationEnd`), for the languages the layout has
labels for; a language not listed takes English marks.

Python-Markdown's smarty extension finds which straight quote opens and which closes;
it is told to write private-use placeholders, which `educate_quotes` then turns into
the language's marks, telling an apostrophe (don't, l'eau: always ’) from a closing
single quote by whether a single quote is open.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Placeholders smarty writes (see markup.SMARTY_CHARACTERS): private-use characters,
# which no text of a handout holds.
OPEN_DOUBLE, CLOSE_DOUBLE, OPEN_SINGLE, CLOSE_SINGLE = "\ue000", "\ue001", "\ue002", "\ue003"
APOSTROPHE = "\u2019"
NARROW_NO_BREAK_SPACE = "\u202f"

# (quotationStart, quotationEnd, alternateQuotationStart, alternateQuotationEnd), CLDR 45.
QUOTES: dict[str, str] = {
    "en": "“”‘’",
    "bg": "„“„“",
    "cs": "„“‚‘",
    "da": "“”‘’",
    "de": "„“‚‘",
    "el": "«»“”",
    "es": "“”‘’",
    "et": "„“‚‘",
    "fi": "””’’",
    "fr": "«»«»",
    "fr-CH": "«»‹›",
    "ga": "“”‘’",
    "hr": "„“‚‘",
    "hu": "„”»«",
    "it": "«»“”",
    "lt": "„“„“",
    "lv": "“”‘’",
    "mt": "“”‘’",
    "nl": "‘’‘’",
    "pl": "„”«»",
    "pt": "“”‘’",
    "pt-PT": "«»“”",
    "ro": "„”«»",
    "sk": "„“‚‘",
    "sl": "„“‚‘",
    "sv": "””’’",
    "ar": "”“’‘",
    "fa": "«»‹›",
    "he": "””’’",
    "ur": "”“’‘",
    "hi": "“”‘’",
    "ru": "«»„“",
    "tr": "“”‘’",
    "uk": "«»„“",
    "zh": "“”‘’",
    "ja": "「」『』",
}
# The likely script of each language above (CLDR 45, as Babel reports it), and those
# written right to left (CLDR's characterOrder): written down, because Babel takes
# about 50 ms to load a locale's data (and the date module that data brings) in every
# build. Another language, or a tag that names its script (sr-Latn), is looked up in
# Babel; tests/test_languages.py holds this table to Babel's answers.
SCRIPTS = {
    language: script
    for script, languages in {
        "Latn": "en cs da de es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv tr",
        "Cyrl": "bg ru uk",
        "Arab": "ar fa ur",
        "Grek": "el",
        "Hebr": "he",
        "Deva": "hi",
        "Hans": "zh",
        "Jpan": "ja",
    }.items()
    for language in languages.split()
}
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}
# French sets its guillemets off from the words inside with a narrow no-break space
# (Imprimerie nationale); Swiss French does not.
SPACED_QUOTES = {"fr"}
UNSPACED_QUOTES = {"fr-CH"}
# Scripts whose letters join (or hang from one line): letter-spacing would break them.
CONNECTED_SCRIPTS = {"Arab", "Syrc", "Mong", "Nkoo", "Deva", "Beng", "Guru"}
CASED_SCRIPTS = {"Latn", "Cyrl", "Grek", "Armn", "Geor"}
# Languages whose capitals text-transform gets wrong: Turkish and Azerbaijani dotted
# i (i -> İ), Greek drops its accents in capitals.
CAPITALS_NEED_CARE = {"tr", "az", "el"}


@dataclass(frozen=True)
class Writing:
    """How text in one language is written."""

    language: str  # the BCP 47 tag as the source gave it
    direction: str  # "ltr" or "rtl"
    quotes: str  # four characters: open, close, open inner, close inner
    quote_space: str  # between a mark and the words it encloses ("" for most)
    connected: bool  # letters join: no letter-spacing
    capitals: bool  # CSS may set a label in capitals (not Turkish: i, İ; not Greek: accents)

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


@functools.lru_cache(maxsize=64)
def writing_of(language: str) -> Writing:
    tag = language.replace("_", "-")
    primary = tag.split("-")[0].lower()
    region = _region(tag)
    regional = f"{primary}-{region}" if region else primary
    quotes = QUOTES.get(regional) or QUOTES.get(primary) or QUOTES["en"]
    spaced = primary in SPACED_QUOTES and regional not in UNSPACED_QUOTES
    direction, script = _direction_and_script(tag, primary)
    return Writing(
        language=language,
        direction=direction,
        quotes=quotes,
        quote_space=NARROW_NO_BREAK_SPACE if spaced else "",
        connected=script in CONNECTED_SCRIPTS,
        capitals=script in CASED_SCRIPTS and primary not in CAPITALS_NEED_CARE,
    )


def _region(tag: str) -> str | None:
    for part in tag.split("-")[1:]:
        if len(part) == 2 and part.isalpha():
            return part.upper()
    return None


def _direction_and_script(tag: str, primary: str) -> tuple[str, str]:
    """CLDR's character order for the locale, and its script (written or likely)."""
    if primary in SCRIPTS and not any(len(part) == 4 for part in tag.split("-")[1:]):
        return ("rtl" if primary in RIGHT_TO_LEFT else "ltr"), SCRIPTS[primary]
    return _direction_and_script_in_babel(tag, primary)


def _direction_and_script_in_babel(tag: str, primary: str) -> tuple[str, str]:
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    locale = None
    for candidate in (tag, primary):
        try:
            locale = Locale.parse(candidate, sep="-")
            break
        except (UnknownLocaleError, ValueError):
            continue
    if locale is None:
        return "ltr", "Latn"
    likely = get_global("likely_subtags").get(primary, "").split("_")  # ar -> ar_Arab_EG
    script = locale.script or (likely[1] if len(likely) > 2 else "Latn")
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return direction, script


TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
# French punctuation that a space sets off, which must not begin a line.
SPACE_BEFORE = re.compile(r"(?<=\S)[ \u00a0]([;!?»])")
SPACE_BEFORE_COLON = re.compile(r"(?<=\S) :")
SPACE_AFTER = re.compile(r"« ")


def space_punctuation(html: str, writing: Writing) -> str:
    """French spacing where the author typed plain spaces: a narrow no-break space
    inside guillemets and before ; ! ?, a no-break space before a colon, so that no
    line starts with the mark."""
    if not writing.quote_space:
        return html
    pieces = TAG_OR_TEXT.split(html)
    for index in range(0, len(pieces), 2):  # the text between tags
        text = SPACE_BEFORE.sub(NARROW_NO_BREAK_SPACE + r"\1", pieces[index])
        text = SPACE_BEFORE_COLON.sub("\u00a0:", text)
        pieces[index] = SPACE_AFTER.sub("«" + NARROW_NO_BREAK_SPACE, text)
    return "".join(pieces)


QUOTE_MARKS = re.compile(f"[{OPEN_DOUBLE}{CLOSE_DOUBLE}{OPEN_SINGLE}{CLOSE_SINGLE}]")


def educate_quotes(html: str, writing: Writing) -> str:
    """The placeholders smarty wrote, as the language's quotation marks and apostrophes."""
    if not QUOTE_MARKS.search(html):
        return space_punctuation(html, writing)
    open_, close, inner_open, inner_close = writing.quotes
    space = writing.quote_space
    singles_open = 0

    def mark(match: re.Match) -> str:
        nonlocal singles_open
        char = match.group()
        if char == OPEN_DOUBLE:
            return open_ + space
        if char == CLOSE_DOUBLE:
            return space + close
        if char == OPEN_SINGLE:
            singles_open += 1
            return inner_open + space
        if singles_open:  # a single quote is open: this one closes it
            singles_open -= 1
            return space + inner_close
        return APOSTROPHE  # don't, l'eau, the runners' legs

    return space_punctuation(QUOTE_MARKS.sub(mark, html), writing)
