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

# A heading that opens the article's closing words, in the languages booklet's labels
# come in most (en, fr, de, es, it, pt, nl); matched in any of them, as the language
# an input says it is in may be only a default. It may go on ("Final thoughts on
# hamstrings").
_CLOSING_HEADING = re.compile(
    r"^(?:final (?:thoughts?|words?)|closing thoughts|parting thoughts|last words|"
    r"(?:in )?conclusions?|(?:in )?summary|to (?:sum (?:it )?up|conclude)|"
    r"(?:the )?bottom line|wrapping (?:it )?up|(?:the |key )?takeaways?|"
    r"en conclusion|en r\u00e9sum\u00e9|pour (?:conclure|finir)|le mot de la fin|en bref|"
    r"fazit|zusammenfassung|schlussgedanken|schlusswort|zum schluss|abschlie\u00dfend|"
    r"conclusi\u00f3n(?:es)?|en (?:resumen|conclusi\u00f3n)|para (?:terminar|concluir)|"
    r"reflexiones finales|resumen|"
    r"conclusion[ei]|in (?:sintesi|conclusione)|per concludere|considerazioni finali|"
    r"riassunto|conclus\u00e3o|em (?:resumo|conclus\u00e3o)|considera\u00e7\u00f5es finais|"
    r"resumo|conclusie|tot (?:slot|besluit)|samenvatting|ten slotte)"
    r"(?:[\s:,.!\u2013\u2014-].{0,80})?$",
    re.IGNORECASE,
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


def is_closing_heading(text: str) -> bool:
    """A heading such as "Final thoughts", "In summary" or "Fazit": what follows it
    is the closing, never an exercise."""
    return bool(_CLOSING_HEADING.match(text.strip()))


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
