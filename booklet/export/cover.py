"""The EPUB's cover image: the PDF's front cover, rendered to a JPEG.

So the book in the e-reader's library looks like the printed handout.
"""

from __future__ import annotations

import io

import pypdfium2

from booklet.export import ExportJob
from booklet.export.pdf import lay_out

JPEG_QUALITY = 88


def render_cover_jpeg(job: ExportJob, height_px: int) -> bytes:
    handout = lay_out(job)  # the same layout as the handout PDF: page 1 is the cover
    pdf = handout.copy([handout.pages[0]]).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        _, height_pt = page.get_size()
        bitmap = page.render(scale=height_px / height_pt)
        image = bitmap.to_pil().convert("RGB")
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False)
    return buffer.getvalue()
