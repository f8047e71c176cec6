"""Print page numbers in the EPUB: where each page of the handout PDF begins (the
typesetter tells: export/typeset.py), as page-break markers in the content and a
page-list in the navigation document, so "see page 5 of the handout" works on an
e-reader too."""

from __future__ import annotations

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"


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


def finish_navigation(
    nav: bytes, pages: list[tuple[int, str]], landmarks: list[tuple[str, str, str]]
) -> bytes:
    """Add the page-list (hidden: it is for navigation, not reading) and more landmarks
    (epub:type, href, title) to the navigation document ebooklib wrote."""
    root = etree.fromstring(nav)
    body = root.find(f"{{{XHTML}}}body")
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
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
