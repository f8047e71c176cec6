"""Which font faces the EPUB embeds, each cut to the characters it draws.

An e-book carries its fonts whole: the four faces of Atkinson Hyperlegible alone were
228 KB of our article's 225 KB EPUB. Here the EPUB's stylesheet is applied to its
documents (cssselect2 and tinycss2, WeasyPrint's own CSS parsers): every piece of
text gets the family list, weight and style the stylesheet gives it, each character
the first family of that list that has it, and each face the characters it draws. A
face that draws nothing is left out; the others are cut to their characters
(coverage.cut), with their name table (copyright, licence) whole.
"""

from __future__ import annotations

from collections.abc import Iterable

import cssselect2
import tinycss2
from lxml import etree

from booklet.coverage import cut_faces, needed_characters
from booklet.fonts import FontFace, FontStack, characters_of

# What browsers' own stylesheets make bold or italic (HTML's rendering section).
BOLD_ELEMENTS = {"h1", "h2", "h3", "h4", "h5", "h6", "b", "strong", "th", "dt"}
ITALIC_ELEMENTS = {"em", "i", "cite", "dfn", "var", "address"}
Style = tuple[tuple[str, ...], int, str]  # families, weight, style


def embedded_faces(
    css: str, documents: Iterable[etree._Element], fonts: FontStack
) -> list[FontFace]:
    """The faces of `fonts` that `css` sets some text of `documents` in, each cut to
    the characters it draws there."""
    matcher = _matcher(css)
    texts: dict[Style, list[str]] = {}  # each style's text, to look each character up once
    for root in documents:
        for text, style in _styled_text(root, matcher):
            texts.setdefault(style, []).append(text)
    coverage: dict[FontFace, frozenset[int]] = {}  # read when first needed: each read costs
    drawn: dict[FontFace, set[str]] = {}
    for style, pieces in texts.items():
        faces = _faces_for(style, fonts)
        for ch in needed_characters("".join(pieces)):
            face = _covering(ch, faces, coverage)
            if face is not None:
                drawn.setdefault(face, set()).add(ch)
    return cut_faces(drawn.items())


def _faces_for(style: Style, fonts: FontStack) -> list[FontFace]:
    """For each family of the style's list that `fonts` has, its face nearest the
    style's weight and slant, in the list's order."""
    families, weight, slant = style
    chosen = []
    for family in families:
        faces = [face for face in fonts.faces if face.family.casefold() == family.casefold()]
        if faces:
            chosen.append(
                min(
                    faces,
                    key=lambda f: (f.style != slant, abs(f.weight - weight), f.weight < weight),
                )
            )
    return chosen


def _covering(ch: str, faces: list[FontFace], coverage: dict) -> FontFace | None:
    """The first of `faces` that has `ch`."""
    for face in faces:
        if face not in coverage:  # a face cut for this book covers what it was cut to
            coverage[face] = characters_of_data(face) if face.data else characters_of(face.path)
        if ord(ch) in coverage[face]:
            return face
    return None


def characters_of_data(face: FontFace) -> frozenset[int]:
    import io

    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(face.data), lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def _matcher(css: str) -> cssselect2.Matcher:
    matcher = cssselect2.Matcher()
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    for order, rule in enumerate(rules):
        if rule.type != "qualified-rule":
            continue
        declared = {}
        for declaration in tinycss2.parse_declaration_list(
            rule.content, skip_whitespace=True, skip_comments=True
        ):
            if declaration.type == "declaration" and declaration.name in (
                "font-family",
                "font-weight",
                "font-style",
            ):
                declared[declaration.name] = tinycss2.serialize(declaration.value).strip()
        if not declared:
            continue
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError:
            continue
        for selector in selectors:
            if selector.pseudo_element is None:
                matcher.add_selector(selector, (order, declared))
    return matcher


def _styled_text(root: etree._Element, matcher: cssselect2.Matcher):
    """(text, style) for every piece of text in the document's body."""
    wrapper = cssselect2.ElementWrapper.from_xml_root(root)
    styles: dict[etree._Element, Style] = {}
    for element in wrapper.iter_subtree():
        node = element.etree_element
        parent = node.getparent()
        inherited = styles.get(parent, (("",), 400, "normal"))
        families, weight, style = inherited
        name = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if name in BOLD_ELEMENTS:
            weight = 700
        if name in ITALIC_ELEMENTS:
            style = "italic"
        matches = sorted(matcher.match(element), key=lambda m: (m[0], m[3][0]))
        for _specificity, _order, _pseudo, (_, declared) in matches:
            if "font-family" in declared:
                families = _family_names(declared["font-family"])
            if "font-weight" in declared:
                weight = _weight(declared["font-weight"], weight)
            if "font-style" in declared:
                style = "italic" if declared["font-style"] in ("italic", "oblique") else "normal"
        styles[node] = (families, weight, style)
        if name in ("head", "title", "style", "script"):
            continue
        if node.text:
            yield node.text, styles[node]
        if node.tail and parent is not None:
            yield node.tail, styles.get(parent, inherited)


def _family_names(value: str) -> tuple[str, ...]:
    names = []
    for part in value.split(","):
        name = part.strip().strip("\"'")
        if name:
            names.append(name)
    return tuple(names)


def _weight(value: str, inherited: int) -> int:
    if value == "bold" or value == "bolder":
        return 700
    if value in ("normal", "lighter"):
        return 400
    try:
        return 700 if int(value) >= 600 else 400
    except ValueError:
        return inherited
