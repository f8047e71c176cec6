"""Clean HTML (or trafilatura's XML, which names the same things) into blocks.

Word documents (through mammoth), Markdown (through Python-Markdown) and the
article a boilerplate remover found in a web page all arrive here as a tree of
headings, paragraphs, lists, images, quotes and tables. Nothing is run or fetched:
scripts, frames, forms and embedded media are skipped, images are only named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from booklet.importer.document import Block, escape_markdown, squeeze

# What a browser would run, or load into the page from elsewhere.
RUN_OR_EMBEDDED = ("script", "iframe", "frame", "object", "embed", "applet")
# Those, and what a browser shows only in their place or never shows: no part of
# the article, taken out before it is looked for.
NEVER_READ = (*RUN_OR_EMBEDDED, "style", "noscript", "template")
SKIPPED = {
    *NEVER_READ,
    "frameset",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "option",
    "svg",
    "math",
    "canvas",
    "video",
    "audio",
    "source",
    "track",
    "map",
    "nav",
    "head",
    "title",
    "meta",
    "link",
    "base",
    "comments",
    "dialog",
}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCKS = {
    "p",
    "ul",
    "ol",
    "li",
    "img",
    "figure",
    "blockquote",
    "table",
    "pre",
    "hr",
    "div",
    "section",
    "article",
    "main",
    "body",
    "html",
    "header",
    "footer",
    "aside",
    "dl",
    "dt",
    "dd",
    "address",
    "details",
    "summary",
    "figcaption",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    *HEADINGS,
}
LINK_SCHEMES = {"http", "https", "mailto", "tel"}  # the links a handout may keep
_TRAFILATURA_HI = {
    "#b": "strong",
    "#i": "em",
    "#u": "u",
    "#t": "code",
    "#sup": "sup",
    "#sub": "sub",
}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def tag_of(element: etree._Element) -> str:
    """The HTML name of `element`; trafilatura's XML names mapped to HTML's."""
    if not isinstance(element.tag, str):
        return ""  # a comment or processing instruction
    tag = etree.QName(element).localname.lower()
    rend = element.get("rend", "")
    if tag == "head":
        return rend if rend in HEADINGS else ("h2" if element.getparent() is not None else "head")
    mapped = {
        "list": "ol" if rend == "ol" else "ul",
        "item": "li",
        "graphic": "img",
        "ref": "a",
        "lb": "br",
        "quote": "blockquote",
        "row": "tr",
        "cell": "th" if element.get("role") == "head" else "td",
        "doc": "div",
        "hi": _TRAFILATURA_HI.get(rend, "span"),
    }
    return mapped.get(tag, tag)


@dataclass
class _Inline:
    text: str = ""
    plain: str = ""
    images: list[Block] = field(default_factory=list)

    def add(self, other: _Inline) -> None:
        self.text += other.text
        self.plain += other.plain
        self.images.extend(other.images)


def blocks_from_html(root: etree._Element) -> list[Block]:
    """The blocks of `root`'s content, in reading order."""
    walker = _Walker()
    walker.flow(root)
    return walker.blocks


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._lists = 0

    def flow(self, element: etree._Element) -> None:
        """A container: its block children become blocks, loose inline text paragraphs."""
        pending = _Inline()
        pending.add(_text(element.text))
        for child in element:
            tag = tag_of(child)
            if tag in SKIPPED or not tag:
                pending.add(_text(child.tail))
                continue
            if tag in BLOCKS:
                self._paragraph(pending)
                pending = _Inline()
                self.block(child, tag)
            else:
                pending.add(_inline(child))
            pending.add(_text(child.tail))
        self._paragraph(pending)

    def block(self, element: etree._Element, tag: str) -> None:
        if tag in HEADINGS:
            content = _inline_children(element)
            if content.plain.strip():
                self.blocks.append(_made("heading", content, level=HEADINGS[tag]))
            self.blocks.extend(content.images)
        elif tag == "p":
            self._paragraph(_inline_children(element))
        elif tag in ("ul", "ol"):
            if not self._goes_on_after_pictures(tag == "ol"):
                self._lists += 1
            self._list(element, tag == "ol", 0, self._lists)
        elif tag == "img":
            self.blocks.append(_image(element))
        elif tag == "figure":
            self._figure(element)
        elif tag == "blockquote":
            self._quote(element)
        elif tag == "table":
            self._table(element)
        elif tag == "pre":
            text = "\n".join(line.rstrip() for line in "".join(element.itertext()).split("\n"))
            lines = [escape_markdown(line.strip()) for line in text.strip("\n").split("\n")]
            if any(lines):
                self.blocks.append(Block("paragraph", plain=squeeze(text), text="\n".join(lines)))
        elif tag == "hr":
            return
        else:
            self.flow(element)

    def _goes_on_after_pictures(self, ordered: bool) -> bool:
        """Whether a list that starts here goes on with the last one: only pictures
        between them. Word ends a list at a picture's paragraph and starts another
        after it, and the list the author made is one."""
        index = len(self.blocks) - 1
        while index >= 0 and self.blocks[index].kind == "image":
            index -= 1
        if index < 0 or index == len(self.blocks) - 1:
            return False
        last = self.blocks[index]
        same_kind = last.level > 0 or last.ordered == ordered
        return last.kind == "item" and last.list_id == self._lists and same_kind

    def _paragraph(self, content: _Inline) -> None:
        if content.plain.strip():
            self.blocks.append(_made("paragraph", content))
        self.blocks.extend(content.images)

    def _list(self, element: etree._Element, ordered: bool, depth: int, list_id: int) -> None:
        for item in element:
            tag = tag_of(item)
            if tag in ("ul", "ol"):  # a list directly inside a list: one level deeper
                self._list(item, tag == "ol", depth + 1, list_id)
                continue
            if tag != "li":
                continue
            content, nested = _Inline(), []
            content.add(_text(item.text))
            for child in item:
                child_tag = tag_of(child)
                if child_tag in ("ul", "ol"):
                    nested.append(child)
                elif child_tag in ("p", "div"):
                    if content.plain.strip():
                        content.add(_Inline("\n", " "))
                    content.add(_inline_children(child))
                elif child_tag and child_tag not in SKIPPED:
                    content.add(_inline(child))
                content.add(_text(child.tail))
            if content.plain.strip():
                block = _made("item", content, level=depth, ordered=ordered, list_id=list_id)
                block.lead = _bold_lead(item)
                self.blocks.append(block)
            self.blocks.extend(content.images)
            for child in nested:
                self._list(child, tag_of(child) == "ol", depth + 1, list_id)

    def _figure(self, element: etree._Element) -> None:
        caption = next((c for c in element if tag_of(c) == "figcaption"), None)
        caption_text = _inline_children(caption) if caption is not None else _Inline()
        images = [c for c in element.iter() if tag_of(c) == "img"]
        for img in images:
            block = _image(img)
            block.caption = squeeze(caption_text.plain) or block.caption
            block.alt = block.alt or block.caption
            self.blocks.append(block)
        if not images:  # a caption with no picture left: its words are the article's
            self._paragraph(_Inline(caption_text.text, caption_text.plain))

    def _quote(self, element: etree._Element) -> None:
        inner = _Walker()
        inner._lists = self._lists
        inner.flow(element)
        self._lists = inner._lists
        for block in inner.blocks:
            if block.kind in ("paragraph", "heading", "item"):
                block.kind, block.level = "quote", 0
            self.blocks.append(block)

    def _table(self, element: etree._Element) -> None:
        rows = []
        for row in element.iter():
            if tag_of(row) != "tr":
                continue
            cells = [_inline_children(c) for c in row if tag_of(c) in ("td", "th")]
            rows.append([" ".join(c.text.split("\n")).strip() for c in cells])
        rows = [row for row in rows if any(row)]
        if rows:
            plain = " ".join(" ".join(row) for row in rows)
            self.blocks.append(Block("table", plain=squeeze(plain), text="", rows=rows))


def _made(kind, content: _Inline, **fields) -> Block:
    lines = [_SPACES.sub(" ", line).strip() for line in content.text.split("\n")]
    return Block(
        kind, plain=squeeze(content.plain), text="\n".join(line for line in lines if line), **fields
    )


def _text(text: str | None) -> _Inline:
    if not text:
        return _Inline()
    flat = _SPACES.sub(" ", text.replace("\n", " "))
    return _Inline(escape_markdown(flat), flat)


def _inline_children(element: etree._Element) -> _Inline:
    content = _text(element.text)
    for child in element:
        tag = tag_of(child)
        if tag and tag not in SKIPPED:
            content.add(_inline(child))
        content.add(_text(child.tail))
    return content


def _inline(element: etree._Element) -> _Inline:
    tag = tag_of(element)
    if tag == "br":
        return _Inline("\n", " ")
    if tag == "img":
        return _Inline(images=[_image(element)])
    inner = _inline_children(element)
    if tag in ("strong", "b"):
        return _wrapped(inner, "**")
    if tag in ("em", "i", "cite", "dfn", "var"):
        return _wrapped(inner, "*")
    if tag == "code" and "`" not in inner.plain and inner.plain.strip():
        return _Inline(f"`{inner.plain}`", inner.plain, inner.images)
    if tag == "a":
        href = (element.get("href") or element.get("target") or "").strip()
        if urlsplit(href).scheme.lower() in LINK_SCHEMES and inner.plain.strip():
            label = inner.text.strip()
            return _Inline(f"[{label}](<{href}>)", inner.plain, inner.images)
    return inner


def _wrapped(inner: _Inline, marker: str) -> _Inline:
    """Emphasis around `inner`, with its outer spaces outside the markers (Markdown
    does not see `** bold**` as bold)."""
    core = inner.text.strip()
    if not core or "\n" in core:
        return inner
    before = " " if inner.text[:1].isspace() else ""
    after = " " if inner.text[-1:].isspace() else ""
    return _Inline(f"{before}{marker}{core}{marker}{after}", inner.plain, inner.images)


def _image(element: etree._Element) -> Block:
    src = (element.get("src") or element.get("data-src") or "").strip()
    caption = squeeze(element.get("title") or "")
    alt = squeeze(element.get("alt") or "") or caption
    return Block("image", src=src, alt=alt, caption=caption)


def _bold_lead(item: etree._Element) -> str:
    """The words a list item opens with in bold ("**Clamshells.** Lie on your side...")."""
    if (item.text or "").strip():
        return ""
    for child in item:
        tag = tag_of(child)
        if tag in ("p", "div"):
            return _bold_lead(child)
        if tag in ("strong", "b"):
            return squeeze("".join(child.itertext()))
        return ""
    return ""
