"""The words that tell what a passage is: a disclaimer, a byline, a person's name.

Only wording is used, never position alone, so that the same rules serve a web
page, a Word document and scraped text. Each rule is small and tested.
"""

from __future__ import annotations

import re

# Wording that only a disclaimer uses: enough on its own.
_DISCLAIMER_STRONG = re.compile(
    r"\bdisclaimer\b"
    r"|\bfor (?:general )?(?:information(?:al)?|educational)(?: (?:and|or) [a-z ]{3,30})? "
    r"(?:purposes )?only\b"
    r"|\b(?:information(?:al)?|educational) (?:(?:or|and) [a-z ]{3,30} )?purposes only\b"
    r"|\bnot (?:intended (?:as|to be) |meant (?:as|to be) |a substitute for |to be taken as |"
    r"to replace )?(?:professional |personal(?:i[sz]ed)? )?medical advice\b"
    r"|\bdoes not (?:constitute|replace|provide) (?:professional )?medical advice\b"
    r"|\bno (?:doctor|physician)[- ]patient relationship\b",
    re.IGNORECASE,
)
# Wording a disclaimer often has, but so may an exercise ("if it hurts, consult your
# doctor"): counts only for a passage that is not inside an exercise.
_DISCLAIMER_WEAK = re.compile(
    r"\b(?:consult|speak (?:with|to)|talk (?:with|to)|check with|ask) (?:with )?(?:your |a |an )"
    r"(?:own )?(?:doctor|physician|gp|health ?care (?:provider|professional)|physio(?:therapist)?|"
    r"qualified|medical professional)",
    re.IGNORECASE,
)
_DISCLAIMER_HEADING = re.compile(
    r"^(?:medical |health |important )?(?:disclaimer|notice|important)s?:?$", re.IGNORECASE
)

# "Written by", "Written By", "About the author", "Author": the line that opens a byline block.
BYLINE_HEADING = re.compile(
    r"^(?:written by|words by|about the author|about the writer|author|by)[:.]?$", re.IGNORECASE
)
# "By Tonya Russell", "Written by Tonya Russell · 2 March 2025 · 4 min read".
BYLINE = re.compile(
    r"^(?:written |words |posted |reviewed )?by[:\s]\s*"
    r"(?P<name>[^\u00b7\u2022|,\u2013\u2014\d]{3,80}?)"
    r"(?:\s*(?:[\u00b7\u2022|,\u2013\u2014]|\bon\b|\bupdated\b|\bpublished\b).*)?$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ][\w'\u2019.-]*|(?:de|da|del|der|van|von|la|le|di|du|dos|bin|al|ter|ten|y)|[A-Z]\.)$"
)


def is_disclaimer(text: str, strong_only: bool = False) -> bool:
    if _DISCLAIMER_STRONG.search(text):
        return True
    return not strong_only and bool(_DISCLAIMER_WEAK.search(text))


def is_disclaimer_heading(text: str) -> bool:
    return bool(_DISCLAIMER_HEADING.match(text.strip()))


def looks_like_name(text: str) -> bool:
    """A person's name as bylines write it: two to five capitalised words."""
    words = text.split()
    if not 2 <= len(words) <= 5 or len(text) > 80:
        return False
    return all(_NAME_WORD.match(word) for word in words) and words[0][0].isupper()


def byline_name(text: str) -> str | None:
    """The name in a one-line byline ("By Priya Shah · 4 min read"), if it is one."""
    match = BYLINE.match(text.strip())
    if not match:
        return None
    name = match.group("name").strip()
    return name if looks_like_name(name) else None
