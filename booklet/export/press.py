"""The print-shop PDF: the handout's pages as PDF/X-4, with bleed and crop marks
(print.css gives them when `press` is set), and an sRGB output intent, which
matches how the colours were chosen."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pydyf

from booklet.export import ExportJob, Written
from booklet.export.typesetter import Typesetter, laid_out

RANDOM_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def export(job: ExportJob, target: Path, typesetter: Typesetter) -> Written:
    booklet = job.booklet
    laid = laid_out(job, typesetter, press=True)
    # WeasyPrint writes a random uuid4 as the XMP DocumentID of PDF/X files; the same
    # source and date give the same file (SOURCE_DATE_EPOCH builds).
    stable = uuid.uuid5(
        uuid.NAMESPACE_URL, f"booklet:{booklet.title}\n{booklet.author.name}\n{booklet.modified}"
    )
    document_id = f"xmp.did:{stable}".encode()

    def stable_document_id(document, pdf) -> None:
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
                obj.stream = [
                    RANDOM_DOCUMENT_ID.sub(document_id, bytes(part)) for part in obj.stream
                ]

    typesetter.write_pdf(
        laid.document,
        laid.source,
        job.warn,
        target,
        finisher=stable_document_id,
        pdf_variant="pdf/x-4",
        output_intent="srgb",
    )
    return Written(target, target.stat().st_size, laid.pages)
