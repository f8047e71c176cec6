"""The print-shop PDF: the handout's pages as PDF/X-4, with bleed and crop marks."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pydyf

from booklet.export import ExportJob, Written
from booklet.export.pdf import lay_out, show_title
from booklet.output import atomic_write

RANDOM_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def export(job: ExportJob, target: Path) -> Written:
    # PDF/X-4 wants an output intent; sRGB matches how the colours were chosen.
    document = lay_out(job, press=True)
    booklet = job.booklet
    # The same source and date give the same file (SOURCE_DATE_EPOCH builds).
    stable = uuid.uuid5(
        uuid.NAMESPACE_URL, f"booklet:{booklet.title}\n{booklet.author.name}\n{booklet.modified}"
    )

    def finish(document, pdf) -> None:
        show_title(document, pdf)
        # WeasyPrint writes a random uuid4 as the XMP DocumentID of PDF/X files.
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
                obj.stream = [
                    RANDOM_DOCUMENT_ID.sub(f"xmp.did:{stable}".encode(), bytes(part))
                    for part in obj.stream
                ]

    with atomic_write(target) as temporary:
        document.write_pdf(
            temporary, pdf_variant="pdf/x-4", output_intent="srgb", pdf_tags=True, finisher=finish
        )
    return Written(target, target.stat().st_size, len(document.pages))
