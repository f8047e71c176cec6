"""Text safely written into CSS: strings and `content` values. Shared by the
templates (render.py) and the typesetter, which must not import Jinja.

Every value that enters a stylesheet from outside the layout (a font's family name,
a label, a page number) goes through `css_string`: whatever it holds, it stays one
CSS string token and cannot end the rule, the stylesheet or a `<style>` element.
"""

from __future__ import annotations

import string

# Characters that are written as hex escapes: the string's own delimiters and
# backslash are escaped by a backslash; line breaks (which would end the string),
# every other control character, and `<`, `>`, `&` (no `</style>` or entity can come
# out of a string) as `\hex ` (the space ends the escape and is not part of the text).
_HEX_ESCAPED = {*map(chr, range(0x20)), "\x7f", "<", ">", "&"}


def css_string(text: str) -> str:
    """`text` as a double-quoted CSS string that reads back as `text` (CSS turns NUL
    into U+FFFD, as it would anywhere), safe whatever it contains."""
    out = []
    for char in str(text):
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char in _HEX_ESCAPED:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def css_content(template: str, **counters: str) -> str:
    """A label such as "page {page} of {pages}" as a CSS `content` value, with each
    {name} replaced by the CSS given for it, e.g. page="counter(page)"."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(css_string(literal))
        if name:
            parts.append(counters[name])
    return " ".join(parts)
