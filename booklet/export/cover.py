"""The EPUB's cover image: the PDF's front cover, rendered to a JPEG.

So the book in the e-reader's library looks like the printed handout.
"""

from __future__ import annotations

import io

import pypdfium2

from booklet.export import ExportJob
from booklet.export.pdf import print_pages, render_document

JPEG_QUALITY = 88


def render_cover_jpeg(job: ExportJob, height_px: int) -> bytes:
    cover = [page for page in print_pages(job) if page.kind == "cover"]
    pdf = render_document(job, cover).write_pdf()
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
