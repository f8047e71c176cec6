"""The print-shop PDF: the handout's pages as PDF/X-4, with bleed and crop marks."""

from __future__ import annotations

from pathlib import Path

from booklet.export import ExportJob, Written
from booklet.export.pdf import lay_out, show_title
from booklet.output import atomic_write


def export(job: ExportJob, target: Path) -> Written:
    # PDF/X-4 wants an output intent; sRGB matches how the colours were chosen.
    document = lay_out(job, press=True)
    with atomic_write(target) as temporary:
        document.write_pdf(
            temporary,
            pdf_variant="pdf/x-4",
            output_intent="srgb",
            pdf_tags=True,
            finisher=show_title,
        )
    return Written(target, target.stat().st_size, len(document.pages))
