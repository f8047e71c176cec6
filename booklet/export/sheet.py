"""The programme sheet (`NAME-sheet.pdf`): every exercise of the handout on one
page (two past eight exercises), each with its number, name, a small copy of its
figure, its dose and the page of the handout it is on, then a week's tick-off grid,
the title and (with a brand) the clinic's details. It is what goes on the fridge.

Rendered from the layout's `sheet.html` (wrapped in `print.html`) and `sheet.css`,
laid out by the typesetter as a document of its own. The pages of the handout come
from the handout's own layout in this build (typesetter.laid_out), so they are the
pages of the handout the client has.
"""

from __future__ import annotations

from pathlib import Path

from booklet.export import ExportJob, Written
from booklet.export.handout import Asset, Metadata
from booklet.export.typesetter import Typesetter, laid_out

# An exercise takes a row of the sheet; a page holds this many with the week's grid.
EXERCISES_PER_PAGE = 8


def export(job: ExportJob, target: Path, typesetter: Typesetter) -> Written:
    booklet, renderer = job.booklet, job.renderer
    labels = renderer.labels(booklet.language)
    pages = laid_out(job, typesetter).page_starts()
    stylesheet = renderer.render("fonts.css") + renderer.render(
        "sheet.css", paper=job.paper, labels=labels
    )
    assets = [Asset(image.href, image.media_type, data=image.data) for image in booklet.images]
    assets += [Asset(face.href, face.media_type, path=face.path) for face in job.fonts.faces]
    metadata = Metadata(
        title=f"{labels['sheet']}: {booklet.title}",
        author=booklet.author.name,
        language=booklet.language,
        created=booklet.date.isoformat(),
        modified=booklet.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        description=booklet.subtitle,
    )
    exercises = len(booklet.exercises)
    allowed = max(1, -(-exercises // EXERCISES_PER_PAGE))
    for compact in (False, True):
        body = renderer.render(
            "sheet.html",
            booklet=booklet,
            medium="print",
            labels=labels,
            pages=pages,
            paper=job.paper,
            compact=compact,
        )
        html = renderer.render("print.html", booklet=booklet, body=body, paper=job.paper)
        document = typesetter.lay_out_document(
            booklet.source, html, stylesheet, assets, metadata, job.warn
        )
        if len(document.pages) <= allowed:
            break
    else:
        job.warn(
            f"the programme sheet of {exercises} exercises runs onto {len(document.pages)} "
            f"pages, not {allowed}, even with smaller figures; shorten the doses or the names"
        )
    variant = "pdf/ua-1" if job.pdf_ua else None
    typesetter.write_pdf(document, booklet.source, job.warn, target, pdf_variant=variant)
    return Written(target, target.stat().st_size, len(document.pages))
