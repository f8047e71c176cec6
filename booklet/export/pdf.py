"""The handout PDF, laid out by WeasyPrint from the print partials."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pydyf

from booklet.errors import OutputError, SourceError
from booklet.export import ExportJob, Written
from booklet.export.engine import (
    FatalURLFetchingError,
    URLFetcher,
    URLFetcherResponse,
    weasyprint,
)
from booklet.output import atomic_write
from booklet.render import Page

# Relative URLs in the document resolve against this base; the fetcher below serves
# only the files the booklet declared (its images and fonts) and refuses the rest.
ASSET_BASE = "file:///booklet-assets/"
# When an exercise spills onto a second page, its figure shrinks step by step.
FIGURE_STEPS = ("medium", "small")


def export(job: ExportJob, target: Path) -> Written:
    """The handout: tagged for screen readers (PDF/UA-1 when asked), its title shown
    in the viewer's title bar."""
    document = lay_out(job)
    variant = "pdf/ua-1" if job.pdf_ua else None
    with atomic_write(target) as temporary:
        document.write_pdf(temporary, pdf_tags=True, pdf_variant=variant, finisher=show_title)
    return Written(target, target.stat().st_size, len(document.pages))


def show_title(document, pdf) -> None:
    """Viewers show the document's title, not its file name, and links are part of
    the printed page for assistive technology too (PDF/UA asks for both)."""
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Annot":
            obj["F"] = 4  # the Print flag: WeasyPrint leaves link annotations without it


def lay_out(job: ExportJob, press: bool = False, extra_notes: int = 0):
    """Lay the handout out; shrink the figures of exercises that do not fit their page,
    and warn about any that still do not. `press` adds bleed and crop marks;
    `extra_notes` lined Notes pages go before the back cover. Each layout is made
    once per build and shared through the job's cache."""
    key = ("layout", job.paper, press, extra_notes)
    if key not in job.cache:
        job.cache[key] = _lay_out(job, press, extra_notes)
    return job.cache[key]


def _lay_out(job: ExportJob, press: bool, extra_notes: int):
    figure_size: dict[str, str] = {}

    def render():
        return render_document(job, print_pages(job, figure_size, extra_notes), press)

    document = render()
    for step in FIGURE_STEPS:
        # A smaller figure frees at most a few inches: only worth a new layout for
        # exercises that run onto one more page, not for pages of text.
        spilled = spilled_exercises(document, job, pages=1)
        if not spilled:
            break
        figure_size.update(dict.fromkeys(spilled, step))
        document = render()
    runs_over = overflow(document, job)
    for anchor in spilled_exercises(document, job, pages=len(document.pages)):
        exercise = next(e for e in job.booklet.exercises if e.anchor == anchor)
        over = runs_over[anchor]
        tried = " even with a smaller figure" if anchor in figure_size else ""
        job.warn(
            f"exercise {exercise.number} '{exercise.name}' does not fit on one page{tried} "
            f"(it runs onto {over} more); shorten its text"
        )
    return document


def print_pages(
    job: ExportJob, figure_size: dict[str, str] | None = None, extra_notes: int = 0
) -> list[Page]:
    pages = job.renderer.pages(
        job.booklet, "print", _anchor_link, figure_size=figure_size or {}, paper=job.paper
    )
    labels = job.renderer.labels(job.booklet.language)
    notes = [
        Page(
            "notes",
            f"notes-{n}",
            labels["notes"],
            job.renderer.render("notes.html", booklet=job.booklet, id=f"notes-{n}"),
        )
        for n in range(1, extra_notes + 1)
    ]
    return pages[:-1] + notes + pages[-1:]


def render_document(job: ExportJob, pages: list[Page], press: bool = False):
    html = job.renderer.render(
        "print.html", booklet=job.booklet, pages=pages, paper=job.paper, press=press
    )
    fetcher = AssetFetcher(job)
    with _weasyprint_warnings(job.warn):
        try:
            return weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher).render()
        except FatalURLFetchingError as err:
            raise SourceError(
                job.booklet.source, f"the layout refers to a file it may not read: {err}"
            ) from None
        except Exception as err:  # WeasyPrint's own failures: report, do not hide the type
            raise OutputError(
                job.booklet.source, f"WeasyPrint failed: {type(err).__name__}: {err}"
            ) from err


def spilled_exercises(document, job: ExportJob, pages: int = 1) -> list[str]:
    """Anchors of exercises that run onto more pages than their own; with `pages`, only
    those that run over by at most that many. Each exercise and the closing page start
    on a new page, so an exercise ends where the next part begins."""
    over = overflow(document, job)
    return [anchor for anchor, extra in over.items() if 0 < extra <= pages]


def overflow(document, job: ExportJob) -> dict[str, int]:
    """For each exercise's anchor, how many pages it runs onto beyond its first."""
    first_page: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
    starts = [e.anchor for e in job.booklet.exercises] + ["closing"]
    return {
        anchor: first_page[following] - first_page[anchor] - 1
        for anchor, following in itertools.pairwise(starts)
    }


def _anchor_link(page_id: str, anchor: str | None = None) -> str:
    return f"#{anchor or page_id}"


class AssetFetcher(URLFetcher):
    """Serves the booklet's own images and fonts; refuses every other URL, local or remote."""

    def __init__(self, job: ExportJob):
        super().__init__(allowed_protocols=["file", "data"])
        # Images as checked at parse time (SVGs cleaned); fonts from the font stack.
        self.files: dict[str, tuple[bytes | Path, str]] = {
            image.href: (image.data, image.media_type) for image in job.booklet.images
        }
        self.files.update({face.href: (face.path, face.media_type) for face in job.fonts.faces})

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):  # self-contained, e.g. the Notes page's ruled lines
            return super().fetch(url, headers)
        name = url.removeprefix(ASSET_BASE) if url.startswith(ASSET_BASE) else None
        found = self.files.get(name) if name else None
        if found is None:
            raise FatalURLFetchingError(f"'{url}' is not one of the booklet's images or fonts")
        content, media_type = found
        body = content.read_bytes() if isinstance(content, Path) else content
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})


@contextmanager
def _weasyprint_warnings(warn) -> Iterator[None]:
    """Pass WeasyPrint's warnings (ignored CSS, unloadable images) on as build warnings."""
    handler = _Relay(warn)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


class _Relay(logging.Handler):
    def __init__(self, warn):
        super().__init__(logging.WARNING)
        self._warn = warn

    def emit(self, record: logging.LogRecord) -> None:
        self._warn(f"WeasyPrint: {record.getMessage()}")
