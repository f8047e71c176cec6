"""The draft source: YAML front matter and Markdown in our format (DESIGN.md).

Every value is written so that it reads back as exactly what was found: YAML
scalars through PyYAML's own quoting, long Markdown fields as literal blocks,
paragraphs wrapped at 80 columns without ever starting a line with something
Markdown would read as a heading, a list or a quote. Where something the build
requires was not found, a YAML comment says what to add there; the build then
names the field.
"""

from __future__ import annotations

import re

import yaml

from booklet.importer.document import Block, escape_markdown
from booklet.importer.figures import Figures
from booklet.importer.recognise import Draft

WIDTH = 80
# What could end a Markdown image title written in double quotes (the rest of a
# title is taken as written).
_TITLE_SPECIAL = re.compile(r'([\\"()])')
# The start of a line that Markdown would not read as running text.
_BLOCK_START = re.compile(
    r"^(?:#|>|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|=+$|-+$|"
    r"\|| {4}|dose:)",
    re.IGNORECASE,
)


def draft_text(draft: Draft, figures: Figures) -> str:
    return _front_matter(draft, figures) + "\n" + _body(draft, figures)


def _front_matter(draft: Draft, figures: Figures) -> str:
    lines = ["---"]
    if draft.title:
        lines.append(f"title: {_scalar(draft.title)}")
    else:
        lines += _missing("title", "no title found in the input", "title: The article's title")
    lines.append(f"language: {_scalar(draft.language)}")
    if draft.author:
        lines += ["author:", f"  name: {_scalar(draft.author)}"]
        if draft.bio:
            lines += _literal("bio", draft.bio, indent="  ")
        photo = figures.reference(draft.photo, "the author's photo") if draft.photo else None
        if photo:
            lines += [f"  photo: {_scalar(photo)}", f"  photo_alt: {_scalar(draft.photo.alt)}"]
    else:
        lines += _missing(
            "author", "no author found in the input", "author:\n  name: The Author's Name"
        )
    cover = figures.reference(draft.cover, "the lead image") if draft.cover else None
    if cover:
        lines += ["cover:", f"  image: {_scalar(cover)}", f"  alt: {_scalar(draft.cover.alt)}"]
    if draft.disclaimer:
        lines += _literal("disclaimer", draft.disclaimer)
    else:
        lines += _missing(
            "disclaimer",
            "none found in the input; every handout needs one",
            "disclaimer: The advice here is for general information only ...",
        )
    lines.append("---")
    return "\n".join(lines) + "\n"


def _missing(field: str, why: str, example: str) -> list[str]:
    return [
        f"# {field}: {why}. Required: add it here, e.g.",
        *(f"# {line}" for line in example.split("\n")),
    ]


def _scalar(value: str) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10_000, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _literal(field: str, markdown: str, indent: str = "") -> list[str]:
    """A Markdown value as a YAML literal block: its lines read back exactly."""
    lines = [f"{indent}{field}: |-"]
    for paragraph_index, paragraph in enumerate(markdown.split("\n\n")):
        if paragraph_index:
            lines.append("")
        lines += [f"{indent}  {line}" for line in _wrap(paragraph, WIDTH - len(indent) - 2)]
    return lines


def _body(draft: Draft, figures: Figures) -> str:
    chunks: list[str] = []
    parts = draft.parts
    chunks += _blocks(parts.intro, figures)
    for section in parts.sections:
        if section.title is not None:
            chunks.append(f"## {_heading(section.title)}")
        chunks += _blocks(section.blocks, figures)
        for exercise in section.exercises:
            chunks.append(f"### {_heading(exercise.name)}")
            chunks += _blocks(exercise.blocks, figures)
        if section.after:
            chunks.append("---")
            chunks += _blocks(section.after, figures)
    if parts.closing:
        chunks.append("---")
        chunks += _blocks(parts.closing, figures, closing=True)
    return "\n\n".join(chunk for chunk in chunks if chunk) + "\n"


def _heading(text: str) -> str:
    text = " ".join(text.split("\n"))
    return text + "\\" if text.endswith("#") else text  # a closing # would be dropped


def _blocks(blocks: list[Block], figures: Figures, closing: bool = False) -> list[str]:
    chunks: list[str] = []
    previous: Block | None = None
    numbers: dict[tuple[int, int], int] = {}
    for block in blocks:
        if block.kind == "item":
            key = (block.list_id, block.level)
            numbers[key] = numbers.get(key, 0) + 1
            for deeper in [k for k in numbers if k[0] == block.list_id and k[1] > block.level]:
                del numbers[deeper]
            text = _item(block, numbers[key])
            same_list = previous is not None and previous.kind == "item"
            if same_list and previous.list_id == block.list_id and chunks:
                chunks[-1] += "\n" + text
            else:
                chunks.append(text)
        elif block.kind == "image":
            reference = figures.reference(block)
            if reference:
                chunks.append(f"![{escape_markdown(block.alt)}]({reference}{_title(block)})")
        elif block.kind == "heading":
            # Only in the closing: a section-level heading there is closing text.
            chunks.append(f"## {_heading(block.text)}" if closing else f"**{block.text}**")
        elif block.kind == "quote":
            chunks.append("\n".join("> " + line for line in _wrap(block.text, WIDTH - 2)))
        elif block.kind == "table":
            chunks.append(_table(block.rows))
        else:
            chunks.append("\n".join(_wrap(block.text, WIDTH)))
        previous = block
    return chunks


def _title(image: Block) -> str:
    """The image's caption as its Markdown title (the build's caption for it), when
    it says more than the alt text."""
    if not image.caption or image.caption == image.alt:
        return ""
    return ' "' + _TITLE_SPECIAL.sub(r"\\\1", image.caption) + '"'


def _item(block: Block, number: int) -> str:
    indent = "    " * block.level
    marker = f"{number}. " if block.ordered else "- "
    lines = _wrap(block.text, WIDTH - len(indent) - 4)
    head = indent + marker + lines[0]
    return "\n".join([head, *(indent + "    " + line for line in lines[1:])])


def _table(rows: list[list[str]]) -> str:
    width = max(len(row) for row in rows)
    cells = [[cell.replace("|", "\\|") for cell in row] + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters (a longer word stays whole). A line break
    the input had is kept as a Markdown hard break (two spaces at the end)."""
    out: list[str] = []
    pieces = text.split("\n")
    for index, piece in enumerate(pieces):
        lines = _fill(piece.split(), width)
        if not lines:
            continue
        if index < len(pieces) - 1:
            lines[-1] += "  "
        out += lines
    out = out or [""]
    if _BLOCK_START.match(out[0]):
        out[0] = _escape_start(out[0])
    return out


def _fill(words: list[str], width: int) -> list[str]:
    lines: list[list[str]] = []
    for word in words:
        if lines and len(" ".join([*lines[-1], word])) <= width:
            lines[-1].append(word)
        else:
            lines.append([word])
    # A line that would start like a heading, list, quote or dose line instead
    # ends the line before: the words stay as they are, only the break moves.
    index = 1
    while index < len(lines):
        if _BLOCK_START.match(" ".join(lines[index])):
            lines[index - 1].append(lines[index].pop(0))
            if not lines[index]:
                del lines[index]
                continue
        else:
            index += 1
    return [" ".join(line) for line in lines]


def _escape_start(line: str) -> str:
    """A backslash where a paragraph's first characters would be read as markup."""
    match = re.match(r"^(\d{1,9})([.)])", line)
    if match:
        return match.group(1) + "\\" + line[len(match.group(1)) :]
    if line[:1] in "#>-+*=|":
        return "\\" + line
    return line
