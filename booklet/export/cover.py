"""The EPUB's cover image: the handout's front cover as a JPEG, so that the book in
the e-reader's library looks like the printed handout.

The typesetter names the cover's layout with a key made of everything it depends
on (its HTML, the stylesheet, its images, the fonts, the page numbers it is
given); the picture is kept in the cache under that key, and drawn again only when
one of those changes.
"""

from __future__ import annotations

import io

from booklet import cache
from booklet.export.typesetter import Laid, Typesetter, Warn

JPEG_QUALITY = 88
RECIPE = "pdfium-jpeg-88"  # change it when _jpeg changes: cache names


def cover_jpeg(laid: Laid, typesetter: Typesetter, warn: Warn, height_px: int) -> bytes:
    name = cache.key("cover", RECIPE, height_px, laid.cover_key)
    return cache.made(
        name,
        lambda: _jpeg(
            typesetter.write_pdf(laid.cover, laid.source, warn, pdf_tags=False), height_px
        ),
    )


def _jpeg(pdf: bytes, height_px: int) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        _, height_pt = page.get_size()
        image = page.render(scale=height_px / height_pt).to_pil().convert("RGB")
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False)
    return buffer.getvalue()
