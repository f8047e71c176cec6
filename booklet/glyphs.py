"""Characters the fonts cannot draw, named before anything is laid out.

WeasyPrint silently draws characters the fonts lack in a system font, or as empty
boxes, and e-readers in one of their own: the author is told which, so they can
add a font that has them.
"""

from __future__ import annotations

from collections.abc import Callable

from booklet.fonts import FontStack, missing_characters
from booklet.markup import plain_text
from booklet.model import Booklet


def visible_text(booklet: Booklet) -> str:
    """Every piece of text the reader will see, without markup."""
    pieces = [
        booklet.title,
        booklet.subtitle or "",
        booklet.author.name,
        booklet.author.bio_html,
        booklet.disclaimer_html,
        booklet.intro_html,
        booklet.closing_html,
    ]
    for section in booklet.sections:
        pieces += [section.title, section.html]
        pieces += [text for e in section.exercises for text in (e.name, e.html, e.dose or "")]
    pieces += [booklet.prepared_for or "", booklet.note_html]
    return plain_text("\n".join(pieces))


def warn_missing_glyphs(booklet: Booklet, fonts: FontStack, warn: Callable[[str], None]) -> None:
    missing = missing_characters(visible_text(booklet), fonts)
    if missing:
        shown = "".join(missing[:20]) + ("…" if len(missing) > 20 else "")
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in missing[:5])
        warn(
            f"the fonts ({', '.join(sorted({fonts.body, fonts.headings}))}) have no "
            f"glyphs for {shown} ({codes}{', …' if len(missing) > 5 else ''}); they will "
            "show in another font or as empty boxes: add a font that has them to fonts/"
        )
