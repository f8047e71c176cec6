"""The plain intermediate form every kind of input is read into.

A reader (web page, Word or LibreOffice document, Markdown, text) turns its file
into an `Article`: what its metadata says (title, language, author) and the
article's text as a flat list of `Block`s in reading order. Everything after that
(finding the byline, the disclaimer and the exercises, writing the draft) works on
this form only, so it is the same for every kind of input.

Inline text is kept twice: as Markdown (`text`: emphasis, links, escapes) for the
draft, and as plain words (`plain`) for recognising what a block is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item", "image", "quote", "table"]

# Characters that mean something inline in Markdown; escaped in text that is
# meant to be read as written.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]])")
# A character or entity reference (&amp; &#233;) that Markdown would turn into a character.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_SPACES = re.compile(r"\s+")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that shows exactly that text."""
    return _ENTITY.sub("&amp;", _INLINE_SPECIAL.sub(r"\\\1", text))


def squeeze(text: str) -> str:
    """Runs of white space (line breaks, tabs, no-break spaces) as one space."""
    return _SPACES.sub(" ", text).strip()


@dataclass
class Block:
    """One block of the article: a heading, paragraph, list item, image, quote or table.

    In `text`, a line break the input had inside the block is a newline."""

    kind: BlockKind
    plain: str = ""  # the words as a reader sees them
    text: str = ""  # the same as inline Markdown
    level: int = 0  # heading: 1-6; list item: nesting depth, 0 at the top
    ordered: bool = False  # list item of a numbered list
    list_id: int = 0  # list items of one list share it
    src: str = ""  # image: as the input names it ("" when the input only describes one)
    alt: str = ""  # image: its alt text
    caption: str = ""  # image: the words shown with it (<figcaption>, title), plain
    lead: str = ""  # list item: the words it opens with in bold, if any
    rows: list[list[str]] = field(default_factory=list)  # table: cells as inline Markdown

    @classmethod
    def from_plain(cls, kind: BlockKind, plain: str, **fields) -> Block:
        plain = squeeze(plain)
        return cls(kind, plain=plain, text=escape_markdown(plain), **fields)


@dataclass
class EmbeddedImage:
    """An image stored inside a document (.docx, .odt), under the name it will get."""

    name: str
    data: bytes


@dataclass
class Article:
    """What a reader found in one input file."""

    path: Path
    kind: str  # "web page", "Word document", ...
    blocks: list[Block]
    title: str | None = None
    language: str | None = None
    language_from: str = ""  # where the language came from, for the report
    author: str | None = None
    author_from: str = ""
    bio: str | None = None  # Markdown
    photo: Block | None = None  # the author's photo, an image block, when the input has one
    disclaimer: str | None = None  # Markdown, when found outside the article's text
    image_folder: Path | None = None  # where the input's relative image paths start
    embedded: dict[str, EmbeddedImage] = field(default_factory=dict)  # src -> image
    dropped: list[str] = field(default_factory=list)  # clutter left out, line by line
    never_run: list[str] = field(default_factory=list)  # scripts, frames: counted, not kept
