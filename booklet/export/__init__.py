"""Exporters, found through one mapping keyed by format name.

A new format is one new module with a `plan(job, target) -> Plan` function and one
entry here. A plan names the typesetter's tasks it needs (export/tasks.py: write
a PDF, or answer with the handout's page numbers...) and how to finish once they
are done. The typesetter may work in a process of its own (export/service.py),
so tasks and their answers are plain data, and the work that needs no answer
(`prepare`) runs here while the typesetter works.

Modules are imported only when their format is built, so that `--help` and input
errors stay instant (WeasyPrint alone takes ~0.4 s to import).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.errors import UsageError

if TYPE_CHECKING:
    from booklet.export.tasks import Task
    from booklet.fonts import FontStack
    from booklet.model import Booklet
    from booklet.render import Renderer


@dataclass(frozen=True)
class ExportJob:
    """Everything an exporter needs: the model, the layout, and the user's options."""

    booklet: Booklet
    renderer: Renderer
    fonts: FontStack
    paper: str
    warn: Callable[[str], None]
    pdf_ua: bool = False  # declare PDF/UA-1 in the handout
    # What the exporters of one build share: the handout rendered for the typesetter.
    cache: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Written:
    path: Path
    size: int  # bytes
    pages: int | None = None  # PDF page count


@dataclass
class Plan:
    """How an exporter makes its file: the typesetter's tasks, work to do meanwhile,
    and `finish(answers)`, with the tasks' answers in order, which returns the file."""

    tasks: list[Task]
    finish: Callable[[list[object]], Written] = lambda answers: answers[0]
    prepare: Callable[[], None] = lambda: None


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # appended to the source's stem: NAME.pdf
    module: str
    description: str

    def planner(self) -> Callable[[ExportJob, Path], Plan]:
        return importlib.import_module(self.module).plan


FORMATS: dict[str, Format] = {
    "pdf": Format("pdf", ".pdf", "booklet.export.pdf", "handout PDF to print or email"),
    "epub": Format("epub", ".epub", "booklet.export.epub", "EPUB 3 for e-readers"),
    "print": Format(
        "print", "-print.pdf", "booklet.export.press", "PDF/X-4 for a print shop: bleed, crop marks"
    ),
    "booklet": Format(
        "booklet",
        "-booklet.pdf",
        "booklet.export.saddle_stitch",
        "half-size pages imposed two-up, to print double-sided, fold and staple",
    ),
}
ALL = "all"


def resolve_formats(names: list[str]) -> tuple[str, ...]:
    """The formats asked for, with `all` standing for every one."""
    unknown = [name for name in names if name not in FORMATS and name != ALL]
    if unknown or not names:
        raise UsageError(
            f"unknown format '{(unknown or [''])[0]}'; choose from: {', '.join(FORMATS)}, {ALL}"
        )
    return tuple(FORMATS) if ALL in names else tuple(dict.fromkeys(names))
