"""SVG figures as PNG pictures for e-readers.

Kindle's converters and some older e-ink readers draw SVG badly or not at all; a
PNG shows everywhere. The PDF keeps the vector SVGs.
"""

from __future__ import annotations

import io

import pypdfium2
import weasyprint
from lxml import etree

from booklet.export import ExportJob
from booklet.export.pdf import ASSET_BASE, AssetFetcher
from booklet.model import Image

WIDTH_PX = 1200  # sharp on a 300 ppi e-reader across the screen, still small


def rasterise(job: ExportJob, images: list[Image]) -> dict[str, tuple[str, bytes]]:
    """{SVG href: (PNG href, PNG bytes)} for every SVG among `images`, laid out in one
    pass, one page per figure at the figure's own proportions."""
    svgs = [image for image in images if image.media_type == "image/svg+xml"]
    if not svgs:
        return {}
    rules, sections = [], []
    for number, image in enumerate(svgs):
        width, height = _size(image.data)
        rules.append(f"@page figure{number} {{ size: {width}px {height}px; margin: 0 }}")
        sections.append(f'<section style="page: figure{number}"><img src="{image.href}"></section>')
    html = (
        "<style>"
        + "\n".join(rules)
        + " section { break-before: page } img { display: block; width: 100%; height: 100% }"
        + "</style>"
        + "".join(sections)
    )
    pdf = weasyprint.HTML(
        string=html, base_url=ASSET_BASE, url_fetcher=AssetFetcher(job)
    ).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        result = {}
        for image, page in zip(svgs, document, strict=True):
            bitmap = page.render(scale=WIDTH_PX / page.get_width())
            buffer = io.BytesIO()
            bitmap.to_pil().convert("RGB").save(buffer, "PNG", optimize=True)
            result[image.href] = (image.href.removesuffix(".svg") + ".png", buffer.getvalue())
        return result
    finally:
        document.close()


def _size(svg: bytes) -> tuple[float, float]:
    """The SVG's width and height in CSS pixels: its width/height, else its viewBox."""
    root = etree.fromstring(svg)
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        return float(root.get("width", "").removesuffix("px")), float(
            root.get("height", "").removesuffix("px")
        )
    except ValueError:
        if len(box) == 4:
            return float(box[2]), float(box[3])
    return 600.0, 300.0  # no size at all: a landscape figure
