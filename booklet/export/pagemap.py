"""Print page numbers in the EPUB: where each page of the handout PDF begins (the
typesetter tells: export/typesetter.py), as page-break markers in the content and a
page-list in the navigation document, so "see page 5 of the handout" works on an
e-reader too."""

from __future__ import annotations

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
HEADINGS = {f"{{{XHTML}}}h{level}": level for level in range(1, 7)}


def add_page_markers(root: etree._Element, starts: dict[str, int]) -> list[int]:
    """Put a page-break marker first inside each element of `root` that begins a page;
    return the page numbers placed."""
    placed = []
    for element in root.iter(f"{{{XHTML}}}*"):
        number = starts.get(element.get("id", ""))
        if number is None:
            continue
        marker = etree.Element(
            f"{{{XHTML}}}span",
            {
                f"{{{EPUB}}}type": "pagebreak",
                "role": "doc-pagebreak",
                "id": f"page-{number}",
                "aria-label": str(number),
            },
        )
        element.insert(0, marker)
        marker.tail = element.text
        element.text = None
        placed.append(number)
    return placed


def nest_headings(root: etree._Element, top: int = 2) -> None:
    """Headings that nest: the document's first is `top` (the title page's h1 is the
    only h1; every other document starts at h2), and none is more than one level
    below the one before it (a `####` in a section's text after its `##`)."""
    previous = top - 1
    for element in root.iter(*HEADINGS):
        level = HEADINGS[element.tag]
        wanted = max(top, min(level, previous + 1))
        if wanted != level:
            element.tag = f"{{{XHTML}}}h{wanted}"
        previous = wanted


def add_page_list_to_ncx(ncx: bytes, pages: list[tuple[int, str]], label: str) -> bytes:
    """The page list in the NCX too (`pageList`), for reading systems that read only
    the NCX (older Kobo and Adobe engines, Calibre's Kindle conversions)."""
    root = etree.fromstring(ncx)
    if not pages:
        return ncx
    page_list = etree.SubElement(root, f"{{{NCX}}}pageList")
    text = etree.SubElement(etree.SubElement(page_list, f"{{{NCX}}}navLabel"), f"{{{NCX}}}text")
    text.text = label
    for number, href in sorted(pages):
        target = etree.SubElement(
            page_list,
            f"{{{NCX}}}pageTarget",
            {"id": f"page-target-{number}", "type": "normal", "value": str(number)},
        )
        label_text = etree.SubElement(
            etree.SubElement(target, f"{{{NCX}}}navLabel"), f"{{{NCX}}}text"
        )
        label_text.text = str(number)
        etree.SubElement(target, f"{{{NCX}}}content", {"src": href})
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def finish_navigation(
    nav: bytes,
    pages: list[tuple[int, str]],
    landmarks: list[tuple[str, str, str]],
    direction: str = "ltr",
    names: dict[str, str] | None = None,
) -> bytes:
    """Add the page-list and more landmarks (epub:type, href, title) to the navigation
    document ebooklib wrote, and its direction. The landmarks and the page-list are
    hidden: they are for navigation, not for reading, where the navigation document
    is shown as a page (the contents stay visible)."""
    root = etree.fromstring(nav)
    root.set("dir", direction)
    body = root.find(f"{{{XHTML}}}body")
    body.set("dir", direction)
    for nav_element in body.iterfind(f"{{{XHTML}}}nav[@{{{EPUB}}}type='landmarks']"):
        nav_element.set("hidden", "hidden")
    names = names or {}
    for link in body.iterfind(f".//{{{XHTML}}}a[@{{{EPUB}}}type='title-page']"):
        link.set(f"{{{EPUB}}}type", "titlepage")  # the EPUB 3 name of the guide's type
    landmark_list = body.find(f".//{{{XHTML}}}nav[@{{{EPUB}}}type='landmarks']/{{{XHTML}}}ol")
    for kind, href, title in landmarks:
        item = etree.SubElement(landmark_list, f"{{{XHTML}}}li")
        link = etree.SubElement(item, f"{{{XHTML}}}a", {f"{{{EPUB}}}type": kind, "href": href})
        link.text = title
    if pages:
        page_list = etree.SubElement(
            body, f"{{{XHTML}}}nav", {f"{{{EPUB}}}type": "page-list", "hidden": "hidden"}
        )
        items = etree.SubElement(page_list, f"{{{XHTML}}}ol")
        for number, href in sorted(pages):
            link = etree.SubElement(
                etree.SubElement(items, f"{{{XHTML}}}li"), f"{{{XHTML}}}a", {"href": href}
            )
            link.text = str(number)
    # Each landmark named, so that a screen reader tells the three apart.
    for nav_element in body.iterfind(f"{{{XHTML}}}nav"):
        name = names.get(nav_element.get(f"{{{EPUB}}}type", ""))
        if name:
            nav_element.set("aria-label", name)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
