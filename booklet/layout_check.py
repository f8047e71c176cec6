"""What a layout puts into the outputs is checked like the booklet's own content.

A layout is often downloaded from someone else, and its templates write HTML,
XHTML and CSS that go into the PDF and, as they are, into the EPUB. Whatever they
render must hold no script, no event handler and no reference to anything outside
the outputs (`@import url(http...)`, `<script src=http...>`, `url(//host/x)`): an
e-reader would run or fetch it. Links (`<a href>`) may be web or mail addresses, as
in the source. Control characters, which XML cannot hold, are refused too.

Each check returns what is wrong, as words for the user, or None.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

import tinycss2
from lxml import etree, html

# Elements that run, embed or fetch, or change where the document's links lead.
FORBIDDEN_ELEMENTS = {
    "script",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "link",
    "form",
    "portal",
    "audio",
    "video",
    "source",
    "track",
    "foreignobject",
    "handler",
    "listener",
}
# Attributes whose value is a URL the reader would load (not follow, as a link).
URL_ATTRIBUTES = {
    "src",
    "href",
    "srcset",
    "poster",
    "data",
    "action",
    "formaction",
    "background",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
    "codebase",
    "archive",
}
LINK_ELEMENTS = {"a", "area"}
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
# Inline pictures are the only URLs with a scheme that load nothing from anywhere.
INLINE_DATA = re.compile(r"^\s*data:(image/|font/|application/font|application/x-font)", re.I)
CSS_RUNNING = {"behavior", "-moz-binding"}
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def rendered_problem(name: str, text: str) -> str | None:
    """What is wrong with the text a template rendered, judged by its kind (its name's
    extension); None when it may go into the outputs."""
    control = CONTROL.search(text)
    if control:
        return f"writes an invisible control character (U+{ord(control.group()):04X})"
    if name.endswith(".css"):
        return stylesheet_problem(text)
    if name.endswith((".html", ".xhtml", ".htm")):
        return markup_problem(text)
    return None


def markup_problem(text: str) -> str | None:
    if not text.strip():
        return None
    # The lenient HTML parser reads anything a browser or an e-reader would read.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None  # nothing a reader could parse either; the exporter says more
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        tag = etree.QName(element).localname.lower() if "}" in element.tag else element.tag
        tag = tag.split(":")[-1].lower()
        if tag in FORBIDDEN_ELEMENTS:
            return f"writes a <{tag}> element"
        if tag == "meta" and set(element.attrib) - {"charset", "name", "content"}:
            return "writes a <meta> element that does more than name the charset"
        for attribute, value in element.attrib.items():
            local = attribute.split("}")[-1].split(":")[-1].lower()
            if local.startswith("on"):
                return f"writes an event handler ({local}=...) on <{tag}>"
            if local in URL_ATTRIBUTES:
                problem = _url_problem(value, link=tag in LINK_ELEMENTS and local == "href")
                if problem:
                    return f"writes <{tag} {local}={value[:60]!r}>, {problem}"
            if local == "style":
                problem = _css_problem(tinycss2.parse_blocks_contents(value))
                if problem:
                    return f"writes a style attribute on <{tag}> that {problem}"
        if tag == "style":
            problem = stylesheet_problem(element.text_content())
            if problem:
                return f"writes a <style> element that {problem.removeprefix('writes ')}"
    return None


@functools.lru_cache(maxsize=32)
def stylesheet_problem(css: str) -> str | None:
    """Kept by text: the PDFs and the EPUB share fonts.css, and --watch renders the
    same stylesheets after every edit (print.css takes 8 ms to tokenise)."""
    problem = _css_problem(tinycss2.parse_stylesheet(css))
    return f"writes CSS that {problem}" if problem else None


def _css_problem(nodes) -> str | None:
    for node in nodes:
        kind = node.type
        if kind == "at-rule":
            if node.lower_at_keyword == "import":
                return "imports another stylesheet (@import); put its rules in this one"
            problem = _css_problem(node.prelude) or (
                _css_problem(tinycss2.parse_blocks_contents(node.content)) if node.content else None
            )
        elif kind == "qualified-rule":
            problem = _css_problem(node.prelude) or _css_problem(
                tinycss2.parse_blocks_contents(node.content)
            )
        elif kind == "declaration":
            if node.lower_name in CSS_RUNNING:
                return f"runs code ({node.lower_name})"
            problem = _css_problem(node.value)
        elif kind == "url":
            problem = _url_problem(node.value, link=False)
            problem = f"loads url({node.value[:60]}), {problem}" if problem else None
        elif kind == "function":
            if node.lower_name == "expression":
                return "runs code (expression())"
            problem = None
            if node.lower_name == "url" or "image" in node.lower_name:
                for token in node.arguments:
                    if token.type == "string" and (problem := _url_problem(token.value, False)):
                        return f"loads {node.lower_name}({token.value[:60]!r}), {problem}"
            problem = problem or _css_problem(node.arguments)
        elif kind in ("() block", "[] block", "{} block"):
            problem = _css_problem(node.content)
        else:
            problem = None
        if problem:
            return problem
    return None


def _url_problem(value: str, link: bool) -> str | None:
    """Why a URL may not be in the outputs: anything with a host, any scheme but inline
    data (and, for links, web and mail addresses)."""
    value = value.strip()
    if INLINE_DATA.match(value) and not link:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return "which is not a URL"
    scheme = parts.scheme.lower()
    if link and scheme in LINK_SCHEMES:
        return None
    if scheme or parts.netloc or value.startswith(("//", "\\\\")):
        if link:
            return "a link that is not a web or mail address"
        return "a reference outside the outputs; use a file of the layout or inline data"
    return None
