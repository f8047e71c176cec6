"""Names for files and folders made from words people wrote: ASCII letters, digits
and hyphens, transliterated so that every script gives one ("Zoé O'Neil" ->
"zoe-o-neil", "Иван Петров" -> "ivan-petrov"), needing no escaping in a path or a
link. One rule for a client's folder, an imported draft and its images."""

from __future__ import annotations

from slugify import slugify


def slug(text: str, fallback: str, max_length: int = 80) -> str:
    """`text` as a name (cut at a word, at most `max_length` characters), or
    `fallback` when nothing of it is left ("!!!")."""
    return slugify(text, max_length=max_length, word_boundary=True) or fallback
