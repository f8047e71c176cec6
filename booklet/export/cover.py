"""The EPUB's cover image: the handout's front cover as a JPEG, so that the book in
the e-reader's library looks like the printed handout.

The typesetter lays the cover out with the handout and names its layout with a
key made of everything that layout depends on (its HTML, the stylesheet, its
images, the fonts, the page numbers it is given); the picture is kept in the cache
under that key, and drawn again only when one of those changes.
"""

from __future__ import annotations

import io

from booklet import cache
from booklet.errors import OutputError
from booklet.export.tasks import Facts

JPEG_QUALITY = 88
RECIPE = "pdfium-jpeg-88"  # change it when _jpeg changes: cache names


def known_covers(height_px: int) -> frozenset[str]:
    """The cover keys whose picture at this height is in the cache."""
    prefix = _prefix(height_px)
    return frozenset(name.removeprefix(prefix) for name in cache.names(prefix))


def cover_jpeg(facts: Facts, height_px: int) -> bytes:
    name = _prefix(height_px) + facts.cover_key
    picture = cache.load(name)
    if picture is None:
        if facts.cover_pdf is None:  # gone from the cache since the typesetter was asked
            raise OutputError(cache.folder() / name, "left the cache during the build; build again")
        picture = _jpeg(facts.cover_pdf, height_px)
        cache.store(name, picture)
    return picture


def _prefix(height_px: int) -> str:
    return cache.key("cover", RECIPE, height_px) + "-"


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
