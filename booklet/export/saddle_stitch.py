"""The folded booklet: the handout laid out at half size and imposed two-up on
landscape sheets, to print double-sided (flip on the short edge), fold and staple."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from booklet.errors import UsageError
from booklet.export import ExportJob, Written
from booklet.export.imposition import impose, saddle_stitch_sides
from booklet.export.pdf import lay_out
from booklet.output import atomic_write

# The sheet the user prints on -> the page size of the booklet (half the sheet),
# and the sheet laid landscape, in points.
HALF_OF = {"letter": "half-letter", "a4": "a5"}
LANDSCAPE_SHEET = {"letter": (792.0, 612.0), "a4": (841.89, 595.28)}


def export(job: ExportJob, target: Path) -> Written:
    if job.paper not in HALF_OF:
        raise UsageError(
            f"a folded booklet is printed on Letter or A4 sheets, not {job.paper.upper()}; "
            "use --paper letter or --paper a4"
        )
    half = dataclasses.replace(job, paper=HALF_OF[job.paper])
    document = lay_out(half)
    # Each sheet folds into four pages: pad with lined Notes pages before the back
    # cover (the page count is already even, so this adds 0 or 2).
    missing = -len(document.pages) % 4
    if missing:
        document = lay_out(half, extra_notes=missing)
    sides = saddle_stitch_sides(len(document.pages))
    booklet = job.booklet
    imposed = impose(
        document.write_pdf(),
        sides,
        LANDSCAPE_SHEET[job.paper],
        booklet.title,
        booklet.author.name,
        booklet.language,
    )
    with atomic_write(target) as temporary:
        temporary.write_bytes(imposed)
    return Written(target, target.stat().st_size, len(sides))
