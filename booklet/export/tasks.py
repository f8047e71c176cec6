"""What the typesetter can be asked to do, and what it answers: plain data, so that
the typesetter can work in a process of its own (export/service.py).

A format's `plan` (see export/__init__.py) lists the tasks it needs; the typesetter
performs them (export/typeset.py) and the plan's `finish` turns the answers into a
file. Tasks run in order of `priority`: what another output is waiting for (the
EPUB needs the handout's page numbers and cover) comes before writing files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from booklet.export.handout import Handout

ANSWER_FIRST = 0  # others wait for the answer
WRITE = 1


@dataclass(frozen=True)
class Task:
    priority = WRITE


@dataclass(frozen=True)
class WriteHandout(Task):
    """The handout PDF: tagged for screen readers, PDF/UA-1 when asked."""

    handout: Handout
    target: Path
    pdf_ua: bool = False


@dataclass(frozen=True)
class WritePress(Task):
    """The print-shop PDF: PDF/X-4 with an sRGB output intent, bleed and crop marks."""

    handout: Handout
    target: Path
    document_id: str  # the XMP DocumentID: the same for the same source and date


@dataclass(frozen=True)
class WriteFolded(Task):
    """The folded booklet: the half-size handout imposed two-up on landscape sheets."""

    handout: Handout
    target: Path
    sheet: tuple[float, float]  # width and height of the landscape sheet, in points
    title: str
    author: str
    language: str


@dataclass(frozen=True)
class HandoutFacts(Task):
    """What the EPUB takes from the handout's layout: where each page begins, and the
    front cover. The cover comes as a one-page PDF unless its key is in `known_covers`
    (the covers the asker already has as pictures)."""

    priority = ANSWER_FIRST
    handout: Handout
    known_covers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Facts:
    page_starts: dict[str, int]  # {element id: the handout page it begins}
    cover_key: str  # changes with anything the cover's layout depends on
    cover_pdf: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Figure:
    href: str
    svg: bytes = field(repr=False)
    width: float  # CSS pixels
    height: float


@dataclass(frozen=True)
class DrawFigures(Task):
    """SVG figures drawn into a PDF, one page each at its own proportions (the EPUB
    turns them into PNG pictures)."""

    priority = ANSWER_FIRST
    source: Path  # named in errors
    figures: tuple[Figure, ...]
