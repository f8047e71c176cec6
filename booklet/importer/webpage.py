"""A saved web page: the article found by trafilatura, the rest of the page dropped.

The page is parsed with lxml (no network, no scripts: lxml never runs or fetches
anything) to read what the page says about itself: its language, title, author,
the author's box and a disclaimer kept outside the article. trafilatura then finds
the article's text and leaves out navigation, banners, share bars, newsletter
boxes, related links, comments and footers. Every line of the page that is not in
the draft is counted as dropped.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import lxml.html
from lxml import etree

from booklet.errors import SourceError
from booklet.importer.document import Article, Block, squeeze
from booklet.importer.html_blocks import (
    BLOCKS,
    NEVER_READ,
    RUN_OR_EMBEDDED,
    SKIPPED,
    blocks_from_html,
    tag_of,
)
from booklet.importer.languages import language_tag
from booklet.importer.sniff import decode_text, read_bytes
from booklet.importer.wording import byline_name, is_disclaimer, looks_like_name

_LOOKS_LIKE_HTML = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|p|div|article|h1)\b", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_AUTHOR_BOX = re.compile(r"author|byline|bio\b|contributor|writer", re.IGNORECASE)
_NOT_A_BOX = re.compile(r"avatar|image|photo|img|link|date|time", re.IGNORECASE)
_INVISIBLE = SKIPPED - {"nav", "form", "button", "select", "option", "comments"}
# How the report names each (the others: an embedded object).
_WHAT_RUNS = {"script": "script", "iframe": "embedded frame", "frame": "embedded frame"}
# Where a browser starts a new line: every block, and the controls it shows.
_LINE_BREAKING = BLOCKS | {"br", "nav", "form", "button", "label", "option"}


def read_web_page(path: Path) -> Article:
    text = decode_text(path, read_bytes(path), "a web page", html=True)
    if not _LOOKS_LIKE_HTML.search(text[:20000]):
        raise SourceError(
            path, "is not a web page: it has no HTML in it; if it is text, name it .txt"
        )
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )
    # An XHTML page's <?xml ... encoding="..."?>: already decoded, and lxml refuses
    # text that still says how it is encoded.
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        raise _no_article(path) from None
    article = Article(path=path, kind="web page", blocks=[], image_folder=path.parent)
    article.never_run = _never_run(tree)
    article.language, article.language_from = _language(tree)
    article.title = _title(tree)
    article.author, article.author_from = _author(tree)
    article.bio, article.photo = _author_box(tree, article.author)
    article.disclaimer = _outside_disclaimer(tree)
    article.blocks = _article_blocks(path, tree)
    if not any(block.kind == "paragraph" or block.kind == "item" for block in article.blocks):
        raise _no_article(path)
    article.dropped = _dropped_lines(tree, article)
    return article


def _no_article(path: Path) -> SourceError:
    return SourceError(
        path,
        "has no article text that could be found; save the page again once it has loaded "
        "(in the browser: Save Page As, Web Page, complete), or copy its text into a .txt file",
    )


def _article_blocks(path: Path, tree: lxml.html.HtmlElement) -> list[Block]:
    import trafilatura  # the boilerplate remover; imported only for web pages
    from trafilatura.settings import use_config

    # Below this many characters trafilatura falls back to a plain-text extraction
    # that runs headings, lists and paragraphs together: a short handout page is
    # still an article, with its structure.
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")

    # What a browser would run or embed, and the text it shows only when it cannot
    # (<noscript>), is no part of the article: gone before the article is looked for.
    cleaned = copy.deepcopy(tree)
    etree.strip_elements(cleaned, *NEVER_READ, with_tail=False)
    _captions_onto_images(cleaned)
    extracted = trafilatura.extract(
        cleaned,
        output_format="xml",
        include_images=True,
        include_formatting=True,
        include_links=True,
        include_tables=True,
        include_comments=False,
        favor_recall=True,
        deduplicate=False,
        config=config,
    )
    if not extracted:
        raise _no_article(path)
    root = etree.fromstring(extracted.encode(), etree.XMLParser(resolve_entities=False))
    main = root.find("main")
    return blocks_from_html(main if main is not None else root)


def _captions_onto_images(tree: lxml.html.HtmlElement) -> None:
    """A <figcaption>'s words as its pictures' title, which trafilatura keeps (it
    drops the <figcaption> itself) and the reading takes as the caption."""
    for caption in tree.iter("figcaption"):
        figure = caption.getparent()
        words = squeeze(caption.text_content())
        if figure is None or not words:
            continue
        for img in figure.iter("img"):
            img.set("title", words)


def _never_run(tree: lxml.html.HtmlElement) -> list[str]:
    counts = {}
    for tag in RUN_OR_EMBEDDED:
        what = _WHAT_RUNS.get(tag, "embedded object")
        found = len(tree.xpath(f"//{tag}"))
        if tag == "script":
            found -= len(tree.xpath("//script[@type='application/ld+json']"))
        if found:
            counts[what] = counts.get(what, 0) + found
    return [f"{n} {what}{'s' if n > 1 else ''}" for what, n in counts.items()]


def _language(tree: lxml.html.HtmlElement) -> tuple[str | None, str]:
    candidates = [
        (tree.get("lang"), "the page's lang"),
        (tree.get("{http://www.w3.org/XML/1998/namespace}lang"), "the page's xml:lang"),
        (_meta(tree, "http-equiv", "content-language"), "the page's Content-Language"),
        (_meta(tree, "property", "og:locale"), "the page's og:locale"),
    ]
    for value, where in candidates:
        tag = language_tag(value or "")
        if tag:
            return tag, where
    return None, ""


def _meta(tree: lxml.html.HtmlElement, attribute: str, name: str) -> str | None:
    for meta in tree.iter("meta"):
        if (meta.get(attribute) or "").strip().lower() == name:
            content = squeeze(meta.get("content") or "")
            if content:
                return content
    return None


def _title(tree: lxml.html.HtmlElement) -> str | None:
    for h1 in tree.iter("h1"):
        text = squeeze(h1.text_content())
        if text:
            return text
    og = _meta(tree, "property", "og:title")
    if og:
        return og
    title = tree.find(".//title")
    if title is not None and title.text:
        # "Three stretches for stiff hips | Runner's Corner": the site's name goes.
        return re.split(r"\s+[|\u2013\u2014-]\s+", squeeze(title.text))[0] or None
    return None


def _author(tree: lxml.html.HtmlElement) -> tuple[str | None, str]:
    meta = _meta(tree, "name", "author")
    if meta and "://" not in meta:
        return meta, '<meta name="author">'
    for script in tree.xpath("//script[@type='application/ld+json']"):
        name = _json_ld_author(script.text or "")
        if name:
            return name, "the page's structured data"
    for link in tree.xpath("//a[@rel='author'] | //*[@itemprop='author']"):
        text = squeeze(link.text_content())
        name = byline_name(text) or (text if looks_like_name(text) else None)
        if name:
            return name, "the byline"
    for element in tree.xpath("//*[contains(@class, 'byline') or contains(@class, 'author')]"):
        name = byline_name(squeeze(element.text_content()))
        if name:
            return name, "the byline"
    return None, ""


def _json_ld_author(text: str) -> str | None:
    if len(text) > 200_000:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node[:50])
        elif isinstance(node, dict):
            author = node.get("author")
            if isinstance(author, list) and author:
                author = author[0]
            if isinstance(author, dict):
                author = author.get("name")
            if isinstance(author, str) and looks_like_name(squeeze(author)):
                return squeeze(author)
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
    return None


def _author_box(tree: lxml.html.HtmlElement, author: str | None) -> tuple[str | None, Block | None]:
    """The author's bio (and photo) from a box such as <div class="author-bio">."""
    for element in tree.xpath("//*[@class or @id]"):
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if not _AUTHOR_BOX.search(names) or _NOT_A_BOX.search(names):
            continue
        paragraphs = [squeeze(p.text_content()) for p in element.iter("p")]
        bio = [
            text
            for text in paragraphs
            if len(text.split()) >= 6 and not byline_name(text) and text != author
        ]
        if not bio:
            continue
        photo = None
        for img in element.iter("img"):
            photo = Block(
                "image", src=(img.get("src") or "").strip(), alt=squeeze(img.get("alt") or "")
            )
            break
        return "\n\n".join(bio), photo
    return None, None


def _outside_disclaimer(tree: lxml.html.HtmlElement) -> str | None:
    """A disclaimer the page keeps outside the article (a box, the footer)."""
    marked = tree.xpath(
        "//*[contains(translate(@class, 'DISCLAIMER', 'disclaimer'), 'disclaimer') or "
        "contains(translate(@id, 'DISCLAIMER', 'disclaimer'), 'disclaimer')]"
    )
    for element in marked:
        text = squeeze(element.text_content())
        if len(text.split()) >= 6:
            return text
    for p in tree.iter("p"):
        text = squeeze(p.text_content())
        if is_disclaimer(text, strong_only=True) and len(text.split()) >= 6:
            return text
    return None


def _dropped_lines(tree: lxml.html.HtmlElement, article: Article) -> list[str]:
    """The page's visible lines that are nowhere in what was kept."""
    body = tree.find("body")
    if body is None:
        return []
    body = copy.deepcopy(body)
    for element in list(body.iter()):
        tag = tag_of(element)
        if tag in _INVISIBLE:
            element.drop_tree()
            continue
        if tag in _LINE_BREAKING:
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
    kept = " \n ".join(
        [b.plain for b in article.blocks]
        + [b.alt for b in article.blocks]
        + [b.caption for b in article.blocks]
        + [article.title or "", article.author or "", article.bio or "", article.disclaimer or ""]
    )
    kept = squeeze(kept)
    lines = [squeeze(line) for line in body.text_content().split("\n")]
    return [line for line in lines if line and line not in kept]
