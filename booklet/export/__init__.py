"""Exporters, found through one mapping keyed by format name.

A new format is one new module with an `export(job, target) -> Written` function and
one entry here. Modules are imported only when their format is built, so that
`--help` and input errors stay instant (WeasyPrint alone takes ~0.4 s to import).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from booklet.fonts import FontStack
from booklet.model import Booklet
from booklet.render import Renderer

PAPERS = ("letter", "a4", "a5")


@dataclass(frozen=True)
class ExportJob:
    """Everything an exporter needs: the model, the layout, and the user's options."""

    booklet: Booklet
    renderer: Renderer
    fonts: FontStack
    paper: str
    warn: Callable[[str], None]
    pdf_ua: bool = False  # declare PDF/UA-1 in the handout
    # Layouts already made for this booklet, shared by the exporters of one build
    # (the EPUB takes its cover and page numbers from the handout's layout).
    cache: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Written:
    path: Path
    size: int  # bytes
    pages: int | None = None  # PDF page count


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # appended to the source's stem: NAME.pdf
    module: str
    description: str

    def exporter(self) -> Callable[[ExportJob, Path], Written]:
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
    ),
}
ALL = "all"


def resolve_formats(names: list[str]) -> tuple[str, ...]:
    """The formats asked for, with `all` standing for every one."""
    return tuple(FORMATS) if ALL in names else tuple(dict.fromkeys(names))
