"""SVG figures as PNG pictures for e-readers.

Kindle's converters and some older e-ink readers draw SVG badly or not at all; a
PNG shows everywhere. The PDF keeps the vector SVGs.
"""

from __future__ import annotations

import io

import pypdfium2
from lxml import etree
from PIL import Image as PILImage

from booklet import cache
from booklet.export import ExportJob
from booklet.export.engine import weasyprint
from booklet.export.pdf import ASSET_BASE, AssetFetcher
from booklet.model import Image

WIDTH_PX = 1200  # sharp on a 300 ppi e-reader across the screen, still small
PALETTE_COLOURS = 64
RECIPE = "weasyprint-pdfium-64-colours"  # change it when _draw or _png change: cache keys


def rasterise(job: ExportJob, images: list[Image]) -> dict[str, tuple[str, bytes]]:
    """{SVG href: (PNG href, PNG bytes)} for every SVG among `images`. Pictures made
    before come from the cache; the rest are drawn in one WeasyPrint pass."""
    svgs = [image for image in images if image.media_type == "image/svg+xml"]
    names = {image.href: cache.key("figure", RECIPE, WIDTH_PX, image.data) for image in svgs}
    pngs = {href: cache.load(name) for href, name in names.items()}
    missing = [image for image in svgs if pngs[image.href] is None]
    if missing:
        for href, png in _draw(job, missing).items():
            pngs[href] = png
            cache.store(names[href], png)
    return {href: (href.removesuffix(".svg") + ".png", png) for href, png in pngs.items()}


def _draw(job: ExportJob, svgs: list[Image]) -> dict[str, bytes]:
    """{SVG href: PNG bytes}, laid out in one pass, one page per figure at the
    figure's own proportions."""
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
            result[image.href] = _png(bitmap.to_pil().convert("RGB"))
        return result
    finally:
        document.close()


def _png(picture: PILImage.Image) -> bytes:
    """Line art in 64 colours is a third of the size of full colour, and quick to
    encode. The quantiser makes white 254-grey; a page-white background stays white."""
    palette_picture = picture.quantize(PALETTE_COLOURS, method=PILImage.Quantize.FASTOCTREE)
    palette = palette_picture.getpalette() or []
    for start in range(0, len(palette), 3):
        if min(palette[start : start + 3]) >= 250:
            palette[start : start + 3] = [255, 255, 255]
    palette_picture.putpalette(palette)
    buffer = io.BytesIO()
    palette_picture.save(buffer, "PNG")
    return buffer.getvalue()


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
