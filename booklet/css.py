"""Text safely written into CSS: strings and `content` values. Shared by the
templates (render.py) and the typesetter, which must not import Jinja."""

from __future__ import annotations

import string


def css_string(text: str) -> str:
    """`text` as a quoted CSS string, safe whatever it contains."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    escaped = escaped.replace("<", "\\3c ")  # no "</style>" can end the stylesheet early
    return f'"{escaped}"'


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
