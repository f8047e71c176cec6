"""Markdown text to HTML with Python-Markdown, checking every image on the way."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

from booklet.model import Image
from booklet.typography import (
    CLOSE_DOUBLE,
    CLOSE_SINGLE,
    OPEN_DOUBLE,
    OPEN_SINGLE,
    Writing,
    educate_quotes,
    writing_of,
)

# Typographic quotes and dashes as characters, not named entities: the EPUB is XML
# and knows no `&rsquo;`. Quotes as placeholders, which become the marks of the
# source's language (typography.educate_quotes).
SMARTY_CHARACTERS = {
    "left-single-quote": OPEN_SINGLE,
    "right-single-quote": CLOSE_SINGLE,
    "left-double-quote": OPEN_DOUBLE,
    "right-double-quote": CLOSE_DOUBLE,
    "left-angle-quote": "\u00ab",
    "right-angle-quote": "\u00bb",
    "ellipsis": "\u2026",
    "ndash": "\u2013",
    "mdash": "\u2014",
}

TAG = re.compile(r"<[^>]*>")
# A character reference such as &#x0B; passes through Markdown as written; the
# characters XML cannot hold (C0 controls, surrogates, U+FFFE/FFFF) would make the
# EPUB's documents malformed.
CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
# Deeper than any real handout; far deeper trees make the layout engine recurse too deep.
MAX_NESTING = 40

# Links that mean the same in print, in a PDF viewer and on an e-reader. Others
# (javascript:, file:, links to other files or anchors) would break or do harm.
LINK_SCHEMES = {"http", "https", "mailto", "tel"}

# Called with (src, alt) for every image; returns the Image or raises ValueError
# with a message for the user.
ImageLookup = Callable[[str, str], Image]


@dataclass
class Rendered:
    html: str
    images: list[Image] = field(default_factory=list)  # in order, the figure first if any
    figure: Image | None = None
    # The figures an exercise shows: the first image, then every image that stands in
    # a paragraph of images only; each with its caption (its title, else its alt).
    figures: list[tuple[Image, str]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (src, message)


class MarkdownRenderer:
    """One Python-Markdown instance, reset between chunks (building one costs more)."""

    def __init__(self, find_image: ImageLookup, writing: Writing | None = None):
        self._writing = writing or writing_of("en")
        self._collector = _ImageCollector(find_image)
        # Extensions as instances: Python-Markdown looks a name up among every
        # installed package's entry points (importlib.metadata), 0.012 s of a build.
        self._md = markdown.Markdown(
            extensions=[
                SaneListExtension(),
                SmartyExtension(substitutions=SMARTY_CHARACTERS),
                TableExtension(),
                _CollectImages(self._collector),
            ],
            output_format="xhtml",
        )
        # Raw HTML in the source is shown as text, never passed through: a source
        # from someone else must not be able to add scripts, frames or remote loads.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")

    def render(self, text: str, take_figure: bool = False) -> Rendered:
        self._md.reset()
        self._collector.start(take_figure)
        html = educate_quotes(self._md.convert(text), self._writing)
        result = self._collector.result
        result.html = html
        for match in CHARACTER_REFERENCE.finditer(html):
            point = int(match[1], 16) if match[1] else int(match[2])
            if not _fits_xml(point):
                result.problems.append(
                    (
                        match[0],
                        f"{match[0]} stands for a character that cannot be shown (U+{point:04X}); "
                        "delete it",
                    )
                )
        return result

    def inline(self, text: str) -> str:
        """A heading's text as inline HTML (emphasis, typographic quotes), without <p>."""
        html = self.render(text).html
        if html.startswith("<p>") and html.endswith("</p>"):
            html = html[3:-4]
        return html


def _fits_xml(point: int) -> bool:
    return (
        point in (0x9, 0xA, 0xD)
        or 0x20 <= point <= 0xD7FF
        or 0xE000 <= point <= 0xFFFD
        or 0x10000 <= point <= 0x10FFFF
    )


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, for bookmarks, navigation, metadata and checks."""
    return html.unescape(TAG.sub("", fragment))


class _ImageCollector(Treeprocessor):
    def __init__(self, find_image: ImageLookup):
        super().__init__()
        self._find_image = find_image
        self.result = Rendered("")
        self._take_figure = False

    def start(self, take_figure: bool) -> None:
        self.result = Rendered("")
        self._take_figure = take_figure

    def run(self, root: ET.Element) -> None:
        if _depth(root) > MAX_NESTING:
            self.result.problems.append(
                ("", f"lists or quotes are nested more than {MAX_NESTING} deep; flatten them")
            )
            return
        for link in root.iter("a"):
            href = _unstash(link.get("href", ""))
            if urlsplit(href).scheme.lower() not in LINK_SCHEMES:
                self.result.problems.append(
                    (
                        href,
                        f"link '{href}' is not a web or mail address; in a handout a link "
                        "must start with https://, http://, mailto: or tel:",
                    )
                )
        parents = {child: parent for parent in root.iter() for child in parent}
        for img in list(root.iter("img")):
            src, alt = img.get("src", ""), (img.get("alt") or "").strip()
            if not alt:
                self.result.problems.append(
                    (src, f"image '{src}' has no alt text; write ![what it shows]({src})")
                )
                continue
            try:
                image = self._find_image(src, alt)
            except ValueError as err:
                self.result.problems.append((src, str(err)))
                continue
            img.set("src", image.href)
            caption = (img.get("title") or "").strip() or alt
            if self._take_figure and self.result.figure is None:
                self.result.figure = image
                self.result.figures.append((image, caption))
                _remove(img, parents)
            elif self._take_figure and _stands_alone(img, parents):
                self.result.figures.append((image, caption))
                _remove(img, parents)
            self.result.images.append(image)


def _stands_alone(img: ET.Element, parents: dict[ET.Element, ET.Element]) -> bool:
    """`img` is in a paragraph that holds nothing but images."""
    parent = parents.get(img)
    if parent is None or parent.tag != "p" or (parent.text or "").strip():
        return False
    return all(child.tag == "img" and not (child.tail or "").strip() for child in parent)


def _depth(element: ET.Element) -> int:
    """How deep the tree goes, without recursion (the tree may be thousands deep)."""
    deepest, stack = 0, [(element, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node)
    return deepest


def _unstash(text: str) -> str:
    """Python-Markdown hides e-mail autolinks behind entities ("&#109;ailto:") and
    stashes the ampersands (\x02amp\x03): the address as a reader would see it."""
    return html.unescape(text.replace("\x02amp\x03", "&"))


def _remove(element: ET.Element, parents: dict[ET.Element, ET.Element]) -> None:
    """Take `element` out of the tree, and its paragraph too if nothing else is left in it."""
    parent = parents[element]
    if element.tail and element.tail.strip():
        previous = _previous_sibling(parent, element)
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)
    if parent.tag == "p" and len(parent) == 0 and not (parent.text or "").strip():
        parents[parent].remove(parent)


def _previous_sibling(parent: ET.Element, element: ET.Element) -> ET.Element | None:
    previous = None
    for child in parent:
        if child is element:
            return previous
        previous = child
    return None


class _CollectImages(Extension):
    def __init__(self, collector: _ImageCollector):
        super().__init__()
        self._collector = collector

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After inline patterns (priority 20) so the <img> elements exist.
        md.treeprocessors.register(self._collector, "booklet_images", 5)
