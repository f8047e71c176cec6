"""Which paper a handout is printed on when nothing names it: the one its readers
have, from the source's language region.

CLDR (the Unicode Common Locale Data Repository) records the paper size in use
in each territory: A4 everywhere but the territories below, which use US Letter
(supplementalData.xml, <measurementData>, <paperSize type="US-Letter">, CLDR 46).
Babel carries CLDR's likely subtags, which give a language without a region its
most likely one (en -> US, de -> DE), but not the paper sizes: the list is written
down here.
"""

from __future__ import annotations

PAPERS = ("letter", "a4", "a5")  # what a handout is printed on
LETTER_TERRITORIES = frozenset(
    {"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"}
)


def region_of(language: str) -> str | None:
    """The region of a BCP 47 tag (en-GB -> GB), else the language's most likely one
    by CLDR (en -> US, fr -> FR), else None."""
    parts = language.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            return part.upper()
        if len(part) == 3 and part.isdigit():  # a UN M.49 area (es-419): no one country
            return None
    from babel.core import get_global  # only now: Babel's import is 5 ms of a build

    likely = get_global("likely_subtags").get(parts[0].lower(), "")  # en -> en_Latn_US
    region = likely.split("_")[-1]
    return region if len(region) == 2 and region.isalpha() else None


def paper_for(language: str) -> str:
    """letter where CLDR says US Letter is the paper of the language's region, else a4."""
    return "letter" if region_of(language) in LETTER_TERRITORIES else "a4"
