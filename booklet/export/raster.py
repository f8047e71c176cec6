"""SVG figures as PNG pictures for e-readers.

Kindle's converters and some older e-ink readers draw SVG badly or not at all; a
PNG shows everywhere. The PDF keeps the vector SVGs. The typesetter draws the
figures; here they become PNGs, kept in the cache so that each is drawn once.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from lxml import etree

from booklet import cache
from booklet.export.typesetter import Figure, Typesetter, Warn
from booklet.model import Image

WIDTH_PX = 1200  # sharp on a 300 ppi e-reader across the screen, still small
# A figure of an odd shape (a tall thin one) would be huge at that width: no
# picture has more pixels than this, whatever its shape.
MAX_PIXELS = 4_000_000
PALETTE_COLOURS = 64
RECIPE = "weasyprint-pdfium-64-colours-4mp"  # change it when drawing or _png change: cache keys


def figure_pictures(
    images: list[Image], typesetter: Typesetter, source: Path, warn: Warn
) -> dict[str, bytes]:
    """{SVG href: PNG bytes} for the SVGs among `images`: from the cache, or drawn."""
    pictures, missing = {}, []
    for image in images:
        if image.media_type != "image/svg+xml":
            continue
        picture = cache.load(_name(image.data))
        if picture is None:
            missing.append(Figure(image.href, image.data, *_size(image.data)))
        else:
            pictures[image.href] = picture
    if missing:
        pictures.update(_drawn(typesetter.draw_figures(source, missing, warn), missing))
    return pictures


def png_href(svg_href: str) -> str:
    return svg_href.removesuffix(".svg") + ".png"


def _drawn(pdf: bytes, figures: list[Figure]) -> dict[str, bytes]:
    """{SVG href: PNG bytes} from the typesetter's drawing: one page per figure."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        pictures = {}
        for figure, page in zip(figures, document, strict=True):
            width, height = page.get_size()
            scale = min(WIDTH_PX / width, math.sqrt(MAX_PIXELS / (width * height)))
            bitmap = page.render(scale=scale)
            pictures[figure.href] = _png(bitmap.to_pil().convert("RGB"))
            cache.store(_name(figure.svg), pictures[figure.href])
        return pictures
    finally:
        document.close()


def _name(svg: bytes) -> str:
    return cache.key("figure", RECIPE, WIDTH_PX, MAX_PIXELS, svg)


def _png(picture) -> bytes:
    """Line art in 64 colours is a third of the size of full colour, and quick to
    encode. The quantiser makes white 254-grey; a page-white background stays white."""
    from PIL import Image as PILImage

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
    for width, height in (
        (root.get("width", ""), root.get("height", "")),
        (box[2], box[3]) if len(box) == 4 else ("", ""),
    ):
        try:
            size = float(width.removesuffix("px")), float(height.removesuffix("px"))
        except ValueError:
            continue
        if all(0 < side < math.inf for side in size):
            return size
    return 600.0, 300.0  # no usable size at all: a landscape figure
