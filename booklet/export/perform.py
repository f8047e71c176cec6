"""The typesetter's tasks (export/tasks.py) carried out, in the typesetter's process:
each one lays out what it needs (once per build, see Typesetter.lay_out) and
writes a file or answers with plain data."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pydyf

from booklet.export import Written
from booklet.export.engine import weasyprint
from booklet.export.handout import Asset
from booklet.export.tasks import (
    DrawFigures,
    Facts,
    HandoutFacts,
    Task,
    WriteFolded,
    WriteHandout,
    WritePress,
)
from booklet.export.typeset import ASSET_BASE, AssetFetcher, Laid, Typesetter, Warn, carefully
from booklet.output import atomic_write

RANDOM_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def perform(typesetter: Typesetter, task: Task, warn: Warn) -> object:
    return HANDLERS[type(task)](typesetter, task, warn)


def write_pdf(laid: Laid, source: Path, warn: Warn, target: Path | None = None, **options):
    """The laid-out handout as PDF (bytes, or into `target`). WeasyPrint 70 adds the
    crop marks to a page's background each time it draws the page (draw_background
    inserts a layer): the layers are put back as they were, so that a layout kept
    for the next build still draws its marks once."""
    backgrounds = [page._page_box.background for page in laid.document.pages]
    layers = [list(background.layers) if background else None for background in backgrounds]
    try:
        return carefully(source, warn, lambda: laid.document.write_pdf(target, **options))
    finally:
        for background, kept in zip(backgrounds, layers, strict=True):
            if background:
                background.layers[:] = kept


def write_handout(typesetter: Typesetter, task: WriteHandout, warn: Warn) -> Written:
    """The handout: tagged for screen readers (PDF/UA-1 when asked), its title shown
    in the viewer's title bar."""
    laid = typesetter.lay_out(task.handout, warn)
    variant = "pdf/ua-1" if task.pdf_ua else None
    with atomic_write(task.target) as temporary:
        options = {"pdf_tags": True, "pdf_variant": variant, "finisher": show_title}
        write_pdf(laid, task.handout.source, warn, temporary, **options)
    return Written(task.target, task.target.stat().st_size, len(laid.document.pages))


def write_press(typesetter: Typesetter, task: WritePress, warn: Warn) -> Written:
    """PDF/X-4 wants an output intent; sRGB matches how the colours were chosen."""
    laid = typesetter.lay_out(task.handout, warn)

    def finish(document, pdf) -> None:
        show_title(document, pdf)
        # WeasyPrint writes a random uuid4 as the XMP DocumentID of PDF/X files.
        stable = f"xmp.did:{task.document_id}".encode()
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
                obj.stream = [RANDOM_DOCUMENT_ID.sub(stable, bytes(part)) for part in obj.stream]

    with atomic_write(task.target) as temporary:
        options = {"pdf_variant": "pdf/x-4", "output_intent": "srgb", "finisher": finish}
        write_pdf(laid, task.handout.source, warn, temporary, pdf_tags=True, **options)
    return Written(task.target, task.target.stat().st_size, len(laid.document.pages))


def write_folded(typesetter: Typesetter, task: WriteFolded, warn: Warn) -> Written:
    from booklet.export.imposition import impose, saddle_stitch_sides

    laid = typesetter.lay_out(task.handout, warn)
    pages = write_pdf(laid, task.handout.source, warn)
    sides = saddle_stitch_sides(len(laid.document.pages))
    imposed = impose(pages, sides, task.sheet, task.title, task.author, task.language)
    with atomic_write(task.target) as temporary:
        temporary.write_bytes(imposed)
    return Written(task.target, task.target.stat().st_size, len(sides))


def handout_facts(typesetter: Typesetter, task: HandoutFacts, warn: Warn) -> Facts:
    laid = typesetter.lay_out(task.handout, warn)
    cover = None
    if laid.cover_key not in task.known_covers:
        cover = carefully(task.handout.source, warn, laid.cover.write_pdf)
    return Facts(laid.page_starts(), laid.cover_key, cover)


def draw_figures(typesetter: Typesetter, task: DrawFigures, warn: Warn) -> bytes:
    """One page per figure at the figure's own proportions, in one layout."""
    rules, sections = [], []
    for number, figure in enumerate(task.figures):
        rules.append(
            f"@page figure{number} {{ size: {figure.width}px {figure.height}px; margin: 0 }}"
        )
        sections.append(
            f'<section style="page: figure{number}"><img src="{figure.href}"></section>'
        )
    html = (
        "<style>"
        + "\n".join(rules)
        + " section { break-before: page } img { display: block; width: 100%; height: 100% }"
        + "</style>"
        + "".join(sections)
    )
    fetcher = AssetFetcher(Asset(f.href, "image/svg+xml", data=f.svg) for f in task.figures)
    return carefully(
        task.source,
        warn,
        lambda: weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher).write_pdf(),
    )


def show_title(document, pdf) -> None:
    """Viewers show the document's title, not its file name, and links are part of
    the printed page for assistive technology too (PDF/UA asks for both)."""
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Annot":
            obj["F"] = 4  # the Print flag: WeasyPrint leaves link annotations without it


HANDLERS: dict[type, Callable[[Typesetter, Task, Warn], object]] = {
    WriteHandout: write_handout,
    WritePress: write_press,
    WriteFolded: write_folded,
    HandoutFacts: handout_facts,
    DrawFigures: draw_figures,
}
