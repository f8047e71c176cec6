"""The handout PDF: the print partials laid out part by part, tagged for screen
readers, PDF/UA-1 when asked."""

from __future__ import annotations

from pathlib import Path

from booklet.export import ExportJob, Written
from booklet.export.typesetter import Typesetter, laid_out


def export(job: ExportJob, target: Path, typesetter: Typesetter) -> Written:
    laid = laid_out(job, typesetter)
    variant = "pdf/ua-1" if job.pdf_ua else None
    typesetter.write_pdf(laid.document, laid.source, job.warn, target, pdf_variant=variant)
    return Written(target, target.stat().st_size, laid.pages)
