"""Markdown without front matter (and odfdo's Markdown export of an .odt) into blocks.

Python-Markdown, set up as the build sets it up (raw HTML shown as text, never
passed through), turns it into HTML; the HTML reading does the rest, so a `#`
heading, a list or an image means the same here as in a web page. It is given
only Markdown within the build's limits (bounds.py): some of its patterns take
time that grows with the square of what they scan.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import markdown
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

from booklet.bounds import markdown_problems
from booklet.errors import Problem, SourceError
from booklet.importer.document import Article, Block
from booklet.importer.html_blocks import blocks_from_html
from booklet.importer.sniff import decode_text, read_bytes


def read_markdown(path: Path) -> Article:
    text = decode_text(path, read_bytes(path), "a Markdown file")
    if text.lstrip("\n").startswith("---\n"):
        raise SourceError(
            path,
            Problem(
                "already starts with front matter: it is a source; build it with "
                f"make-booklet {path}",
                1,
            ),
        )
    blocks = blocks_from_markdown(text, path)
    return Article(path=path, kind="Markdown file", blocks=blocks, image_folder=path.parent)


def blocks_from_markdown(text: str, path: Path, lines_are_the_file: bool = True) -> list[Block]:
    """The blocks of Markdown `text` read from `path`, or a SourceError for the first
    limit it goes past. `lines_are_the_file`: the text is the file's own (a line
    number says where), not made from it (an .odt's export, where one would not)."""
    problems = markdown_problems(text, 1)
    if problems:
        first = problems[0]  # one line; the build lists them all once it is a source
        raise SourceError(path, first if lines_are_the_file else Problem(first.message))
    md = markdown.Markdown(extensions=[SaneListExtension(), TableExtension()], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text)
    if not html.strip():
        return []
    return blocks_from_html(lxml.html.fragment_fromstring(html, create_parent="div"))
