"""Language tags from what documents write (en_GB, EN-gb, en-US-x-...), checked the
way the build checks the front matter's `language`."""

from __future__ import annotations

from booklet.frontmatter import LANGUAGE_TAG


def language_tag(value: str) -> str | None:
    """`value` as a language tag the build accepts (en_GB -> en-GB), or None."""
    tag = value.strip().replace("_", "-")
    if not tag or not LANGUAGE_TAG.match(tag):
        return None
    parts = tag.split("-")
    parts[0] = parts[0].lower()
    for index, part in enumerate(parts[1:], start=1):
        if len(part) == 2 and part.isalpha():
            parts[index] = part.upper()
        elif len(part) == 4 and part.isalpha():
            parts[index] = part.title()
    return "-".join(parts)
