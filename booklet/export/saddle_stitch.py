"""The folded booklet: the handout laid out at half size and imposed two-up on
landscape sheets, to print double-sided (flip on the short edge), fold and staple."""

from __future__ import annotations

from pathlib import Path

from booklet.errors import UsageError
from booklet.export import ExportJob, Plan
from booklet.export.handout import render_handout
from booklet.export.tasks import WriteFolded

# The sheet the user prints on -> the page size of the booklet (half the sheet),
# and the sheet laid landscape, in points.
HALF_OF = {"letter": "half-letter", "a4": "a5"}
LANDSCAPE_SHEET = {"letter": (792.0, 612.0), "a4": (841.89, 595.28)}


def plan(job: ExportJob, target: Path) -> Plan:
    if job.paper not in HALF_OF:
        raise UsageError(
            f"a folded booklet is printed on Letter or A4 sheets, not {job.paper.upper()}; "
            "use --paper letter or --paper a4"
        )
    # Each sheet folds into four pages: lined Notes pages before the back cover make
    # the page count a multiple of four.
    half = render_handout(job, paper=HALF_OF[job.paper], pad_to=4)
    booklet = job.booklet
    sheet = LANDSCAPE_SHEET[job.paper]
    task = WriteFolded(half, target, sheet, booklet.title, booklet.author.name, booklet.language)
    return Plan([task])
