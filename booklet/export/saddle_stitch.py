"""The folded booklet: the handout laid out at half size and imposed two-up on
landscape sheets (export/imposition.py), to print double-sided (flip on the short
edge), fold and staple."""

from __future__ import annotations

from pathlib import Path

from booklet.errors import UsageError
from booklet.export import ExportJob, Written
from booklet.export.imposition import impose, saddle_stitch_sides
from booklet.export.typesetter import Typesetter, laid_out
from booklet.typography import writing_of

# The sheet the user prints on -> the page size of the booklet (half the sheet),
# and the sheet laid landscape, in points.
HALF_OF = {"letter": "half-letter", "a4": "a5"}
LANDSCAPE_SHEET = {"letter": (792.0, 612.0), "a4": (841.89, 595.28)}


def export(job: ExportJob, target: Path, typesetter: Typesetter) -> Written:
    if job.paper not in HALF_OF:
        raise UsageError(
            f"a folded booklet is printed on Letter or A4 sheets, not {job.paper.upper()}; "
            "use --paper letter or --paper a4"
        )
    # Each sheet folds into four pages: lined Notes pages before the back cover make
    # the page count a multiple of four.
    laid = laid_out(job, typesetter, paper=HALF_OF[job.paper], pad_to=4)
    # Untagged: a sheet's reading order (the last page beside the first) is for the
    # printer, and the pages' tags would not survive being placed on sheets. Screen
    # readers have the handout PDF.
    pages = typesetter.write_pdf(laid.document, laid.source, job.warn, pdf_tags=False)
    sides = saddle_stitch_sides(laid.pages, writing_of(job.booklet.language).rtl)
    booklet = job.booklet
    imposed = impose(
        pages,
        sides,
        LANDSCAPE_SHEET[job.paper],
        booklet.title,
        booklet.author.name,
        booklet.language,
    )
    target.write_bytes(imposed)
    return Written(target, target.stat().st_size, len(sides))
