"""Exporters, found through one mapping keyed by format name.

A format is one module with an `export(job, target, typesetter) -> Written`
function, which owns its whole recipe: it takes the rendered booklet (`job`), asks
the typesetter (export/typesetter.py, in this process) for what it needs laid out,
and writes one file at `target`. A new format is one new module and one entry in
FORMATS.

Modules are imported only when their format is built, so that `--help` and input
errors stay instant (WeasyPrint alone takes about 0.4 s to import).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.errors import UsageError

if TYPE_CHECKING:
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
    # What the exporters of one build share, made once: the handout laid out.
    cache: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Written:
    path: Path
    size: int  # bytes
    pages: int | None = None  # PDF page count


# export(job, target, typesetter) -> Written; the typesetter is export/typesetter.py's.
Exporter = Callable[[ExportJob, Path, object], Written]


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # appended to the source's stem: NAME.pdf
    module: str
    description: str
    # The papers it is made on (None: every paper), and why not on the others
    # ({paper}: the one asked for).
    papers: tuple[str, ...] | None = None
    other_papers: str = ""

    def applies_to(self, paper: str) -> bool:
        return self.papers is None or paper in self.papers

    def exporter(self) -> Exporter:
        return importlib.import_module(self.module).export


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
        papers=("letter", "a4"),
        other_papers="a folded booklet is printed on Letter or A4 sheets, not {paper}; "
        "--paper a4 makes one of A5 pages",
    ),
    "sheet": Format(
        "sheet",
        "-sheet.pdf",
        "booklet.export.sheet",
        "one-page programme: every exercise with its dose and page, a week to tick off",
    ),
}
ALL = "all"


def resolve_formats(names: list[str], paper: str | None = None) -> tuple[str, ...]:
    """The formats asked for, with `all` standing for every one that applies to
    `paper` (see left_out)."""
    unknown = [name for name in names if name not in FORMATS and name != ALL]
    if unknown or not names:
        raise UsageError(
            f"unknown format '{(unknown or [''])[0]}'; choose from: {', '.join(FORMATS)}, {ALL}"
        )
    if ALL not in names:
        return tuple(dict.fromkeys(names))
    skipped = {name for name, _ in left_out(names, paper)}
    return tuple(name for name in FORMATS if name not in skipped)


def left_out(names: list[str], paper: str | None) -> list[tuple[str, str]]:
    """The formats `all` leaves out on `paper`, each with why: (name, reason)."""
    if ALL not in names or paper is None:
        return []
    return [
        (fmt.name, fmt.other_papers.format(paper=paper.upper()))
        for fmt in FORMATS.values()
        if not fmt.applies_to(paper)
    ]
