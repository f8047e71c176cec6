"""From an Article to a Draft: the title, the author, the disclaimer, the cover and
the article's parts, each taken from where the article has it.

Nothing is reworded: a block is kept, moved (the disclaimer to the front matter,
the byline to `author`) or dropped as clutter, and every drop is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from booklet.importer.clutter import clutter_reason, without_placeholders
from booklet.importer.document import Article, Block, escape_markdown, squeeze
from booklet.importer.structure import Structure, structure
from booklet.importer.wording import (
    BYLINE_HEADING,
    byline_name,
    is_disclaimer,
    is_disclaimer_heading,
    looks_like_name,
)

MAX_BIO_PARAGRAPHS = 3


@dataclass
class Draft:
    title: str | None  # inline Markdown
    language: str
    language_from: str
    author: str | None
    author_from: str
    bio: str | None  # Markdown
    photo: Block | None  # an image block; kept only when its file is there
    cover: Block | None
    disclaimer: str | None  # Markdown
    disclaimer_from: str
    parts: Structure
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def recognise(article: Article, language: str | None = None) -> Draft:
    blocks = _without_clutter(article)
    title, blocks = _title(article, blocks)
    author, author_from, bio, photo, blocks = _byline(article, blocks)
    disclaimer, disclaimer_from, blocks = _disclaimer(article, blocks)
    cover = None
    if blocks and blocks[0].kind == "image":
        cover, blocks = blocks[0], blocks[1:]
    parts = structure(blocks)
    if language:
        tag, tag_from = language, "--language"
    elif article.language:
        tag, tag_from = article.language, article.language_from
    else:
        tag, tag_from = "en", "none given; --language sets it"
    return Draft(
        title=title,
        language=tag,
        language_from=tag_from,
        author=author,
        author_from=author_from,
        bio=bio,
        photo=photo,
        cover=cover,
        disclaimer=disclaimer,
        disclaimer_from=disclaimer_from,
        parts=parts,
        dropped=article.dropped,
        notes=list(parts.notes),
    )


def _without_clutter(article: Article) -> list[Block]:
    """Clutter that came through a web page's or a document's text (the text reader
    has dropped its own line by line)."""
    kept = []
    for block in article.blocks:
        if block.kind in ("image", "table"):
            kept.append(block)
            continue
        reason = clutter_reason(block.plain)
        if reason:
            article.dropped.append(f"{block.plain} ({reason})")
            continue
        text, placeholders = without_placeholders(block.text)
        if placeholders:
            article.dropped.extend(f"{p} (a placeholder)" for p in placeholders)
            block.text = text
            block.plain = without_placeholders(block.plain)[0]
            if not block.plain:
                continue
        kept.append(block)
    return kept


def _same(a: str, b: str) -> bool:
    return squeeze(a).casefold().rstrip(".") == squeeze(b).casefold().rstrip(".")


def _title(article: Article, blocks: list[Block]) -> tuple[str | None, list[Block]]:
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    if article.title:
        for index in headings:
            if _same(blocks[index].plain, article.title):
                return blocks[index].text, blocks[:index] + blocks[index + 1 :]
        return escape_markdown(article.title), blocks
    top = [i for i in headings if blocks[i].level == 1]
    if top:
        index = top[0]
        return blocks[index].text, blocks[:index] + blocks[index + 1 :]
    return None, blocks


def _byline(article: Article, blocks: list[Block]):
    """The author's name, bio and photo, from a "Written by" block or a "By ..." line;
    what the document's metadata says wins for the name."""
    author, author_from = article.author, article.author_from
    bio, photo = article.bio, article.photo
    kept: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        one_line = byline_name(block.plain) if len(block.plain.split()) <= 20 else None
        if block.kind in ("heading", "paragraph") and BYLINE_HEADING.match(block.plain):
            name_at = index + 1
            if name_at < len(blocks) and looks_like_name(blocks[name_at].plain):
                name = blocks[name_at].plain
                if not author:
                    author, author_from = name, f"the '{block.plain}' block"
                index = name_at + 1
                if index < len(blocks) and blocks[index].kind == "image":
                    photo = photo or blocks[index]
                    index += 1
                elif index < len(blocks) and _describes(blocks[index].plain, name):
                    # The alt text of a photo the copy could not carry.
                    photo = photo or Block("image", src="", alt=blocks[index].plain)
                    index += 1
                if not bio:
                    bio, index = _bio_from(blocks, index)
                continue
            if block.plain.lower().startswith("about the"):
                index += 1
                if not bio:
                    bio, index = _bio_from(blocks, index)
                continue
        if one_line and block.kind in ("heading", "paragraph"):
            if not author:
                author, author_from = one_line, "the byline"
            index += 1
            continue
        if (
            bio
            and block.kind == "paragraph"
            and any(_same(block.plain, part) for part in bio.split("\n\n"))
        ):
            index += 1
            continue
        if author and block.kind in ("heading", "paragraph") and _same(block.plain, author):
            index += 1
            continue
        kept.append(block)
        index += 1
    return author, author_from, bio, photo, kept


def _bio_from(blocks: list[Block], index: int) -> tuple[str | None, int]:
    """The bio that starts at `index`, and the index after it. It ends at the next
    block that is not a paragraph (a heading: the next part of the article), at a
    paragraph recognised as something else (a disclaimer, a byline), or after
    MAX_BIO_PARAGRAPHS; what follows it stays in the article. (A bio already found
    elsewhere is not looked for here: the same paragraphs are then dropped as
    repeats, any others kept.)"""
    paragraphs = []
    while (
        index < len(blocks)
        and blocks[index].kind == "paragraph"
        and len(paragraphs) < MAX_BIO_PARAGRAPHS
        and not _ends_bio(blocks[index].plain)
    ):
        paragraphs.append(blocks[index].text)
        index += 1
    return "\n\n".join(paragraphs) or None, index


def _ends_bio(text: str) -> bool:
    return is_disclaimer(text) or bool(BYLINE_HEADING.match(text) or byline_name(text))


def _describes(text: str, name: str) -> bool:
    """A picture's description that starts with the person's name ("Tonya Russell with
    her hands on her hips"), not a sentence of the bio."""
    return (
        text.startswith(name)
        and not text.rstrip().endswith((".", "!", "?"))
        and len(text.split()) <= 20
    )


def _disclaimer(article: Article, blocks: list[Block]):
    for index, block in enumerate(blocks):
        if block.kind == "heading" and is_disclaimer_heading(block.plain):
            end = index + 1
            while end < len(blocks) and blocks[end].kind in ("paragraph", "quote"):
                end += 1
            if end > index + 1:
                text = "\n\n".join(b.text for b in blocks[index + 1 : end])
                return text, f"under the heading '{block.plain}'", blocks[:index] + blocks[end:]
    prose = [i for i, b in enumerate(blocks) if b.kind in ("paragraph", "quote")]
    strong = [i for i in prose if is_disclaimer(blocks[i].plain, strong_only=True)]
    if strong:
        chosen = _run_around(blocks, strong[-1])
        where = "in the text, by its wording"
    elif prose and is_disclaimer(blocks[prose[-1]].plain):
        chosen = _run_around(blocks, prose[-1])
        where = "the last paragraph, by its wording"
    elif article.disclaimer:
        return article.disclaimer, "on the page, outside the article", blocks
    else:
        return None, "", blocks
    text = "\n\n".join(blocks[i].text for i in chosen)
    return text, where, [b for i, b in enumerate(blocks) if i not in chosen]


def _run_around(blocks: list[Block], index: int) -> list[int]:
    """`index` and the paragraphs right next to it that read like a disclaimer too."""
    start = end = index
    while (
        start > 0
        and blocks[start - 1].kind == "paragraph"
        and is_disclaimer(blocks[start - 1].plain, strong_only=True)
    ):
        start -= 1
    while (
        end + 1 < len(blocks)
        and blocks[end + 1].kind == "paragraph"
        and is_disclaimer(blocks[end + 1].plain)
    ):
        end += 1
    return list(range(start, end + 1))
