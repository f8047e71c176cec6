"""The print-shop PDF: the handout's pages as PDF/X-4, with bleed and crop marks."""

from __future__ import annotations

import uuid
from pathlib import Path

from booklet.export import ExportJob, Plan
from booklet.export.handout import render_handout
from booklet.export.tasks import WritePress


def plan(job: ExportJob, target: Path) -> Plan:
    booklet = job.booklet
    # The same source and date give the same file (SOURCE_DATE_EPOCH builds).
    stable = uuid.uuid5(
        uuid.NAMESPACE_URL, f"booklet:{booklet.title}\n{booklet.author.name}\n{booklet.modified}"
    )
    return Plan([WritePress(render_handout(job, press=True), target, str(stable))])
