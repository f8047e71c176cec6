"""The handout PDF: laid out by the typesetter from the print partials, one part at a
time (export/typeset.py), tagged for screen readers."""

from __future__ import annotations

from pathlib import Path

from booklet.export import ExportJob, Plan
from booklet.export.handout import render_handout
from booklet.export.tasks import WriteHandout


def plan(job: ExportJob, target: Path) -> Plan:
    return Plan([WriteHandout(render_handout(job), target, job.pdf_ua)])
