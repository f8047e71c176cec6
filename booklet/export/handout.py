"""The handout as plain data for the typesetter: every part of the booklet (cover,
intro, each exercise, closing, back cover) as an HTML document of its own, the
stylesheet they share, and the files they use; rendered with the layout's
templates, and laid out once per build (typesetter.laid_out), whichever outputs
use it.

Each part is laid out on its own, so that after an edit only the parts that changed
are laid out again (export/typesetter.py). Page numbers, the page count and the
pages that links point to are given to each part as CSS custom properties (see
print.css and export/pagination.py), because no part can count the pages of the
others.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.coverage import with_fallback_faces
from booklet.glyphs import visible_text

if TYPE_CHECKING:
    from booklet.export import ExportJob
    from booklet.fonts import FontStack

# An exercise gets the largest figure that keeps it on its page: the larger one if the
# page holds it, else the usual one, and smaller ones step by step if that runs over.
FIGURE_STEPS = ("medium", "small")
LARGER_STEP = "large"
# Lined Notes pages go before the back cover to make the page count a multiple of
# `pad_to`: at most one for an even count, three for a multiple of four.
MAX_NOTES_PAGES = 3
INTERNAL_LINK = re.compile(r'href="#([^"]+)"')


@dataclass(frozen=True)
class Part:
    """One part of the handout, which starts on a new page."""

    kind: str  # "cover", "intro", "exercise", "closing", "notes" or "back-cover"
    id: str  # its element id, unique in the handout
    html: str  # a whole HTML document holding the part
    # The same document with a larger figure, tried first: kept if the page holds it.
    larger: str = ""
    warn_as: str = ""  # how warnings name it: "exercise 2 'Clamshells'"
    # Renders the document with the figure at a size of FIGURE_STEPS; None: no figure.
    sized: Callable[[str], str] | None = field(default=None, compare=False, repr=False)

    @property
    def first(self) -> str:
        """The version the typesetter tries first."""
        return self.larger or self.html

    @functools.cached_property
    def smaller(self) -> tuple[str, ...]:
        """The document with the figure one step smaller, for each of FIGURE_STEPS:
        rendered when first asked for (few exercises need them)."""
        return tuple(self.sized(step) for step in FIGURE_STEPS) if self.sized else ()

    def versions(self) -> Iterator[str]:
        """Its documents in the order the typesetter tries them; the smaller ones are
        rendered only if it gets that far."""
        if self.larger:
            yield self.larger
        yield self.html
        yield from self.smaller

    @functools.cached_property
    def links(self) -> tuple[str, ...]:
        """The element ids its links lead to, each once."""
        return tuple(dict.fromkeys(INTERNAL_LINK.findall(self.html)))


@dataclass(frozen=True)
class Asset:
    """A file the documents refer to by `href`: an image (its checked bytes) or a font."""

    href: str
    media_type: str
    data: bytes | None = field(default=None, repr=False)
    path: Path | None = None

    def read(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()

    def fingerprint(self) -> bytes:
        """Changes whenever the file does; cheap for fonts, which are read from disk."""
        if self.data is not None:
            return hashlib.sha256(self.data).digest()
        stat = self.path.stat()
        return f"{self.path}:{stat.st_size}:{stat.st_mtime_ns}".encode()


@dataclass(frozen=True)
class Metadata:
    """The PDF's document information. Kept out of the parts' documents, where a new
    modification date on every save would make every part look changed."""

    title: str
    author: str
    language: str
    created: str  # W3C date-times, as WeasyPrint takes them
    modified: str
    description: str | None = None
    generator: str = "booklet"


@dataclass(frozen=True)
class Handout:
    """Everything the typesetter needs to lay out one handout and write it."""

    source: Path  # named in warnings and errors
    paper: str
    press: bool  # bleed and crop marks (the print-shop PDF)
    stylesheet: str  # fonts.css and print.css, shared by every part
    parts: tuple[Part, ...]  # in reading order; the back cover last
    notes: tuple[Part, ...]  # lined Notes pages, inserted before the back cover as needed
    assets: tuple[Asset, ...]
    metadata: Metadata
    pad_to: int = 2  # the page count is a multiple of this: 2 to print duplex, 4 to fold

    @property
    def identity(self) -> tuple:
        """The same handout across builds, whatever its text: its page counts from the
        previous build are the best guess for this one."""
        return (str(self.source), self.paper, self.press, self.pad_to)


def book_fonts(job: ExportJob) -> FontStack:
    """The job's font stack with the fallback faces its text needs (coverage.py), made
    once per build: the PDFs and the EPUB set the text in the same fonts."""
    if "fonts" not in job.cache:
        booklet = job.booklet
        labels = job.renderer.labels(booklet.language)
        text = visible_text(booklet) + "".join(labels.values())
        html = booklet.intro_html + booklet.closing_html + booklet.author.bio_html
        html += "".join(e.html + e.name_html for e in booklet.exercises) + booklet.disclaimer_html
        job.cache["fonts"] = with_fallback_faces(job.fonts, text, html)
    return job.cache["fonts"]


def render_handout(job: ExportJob, paper: str, press: bool = False, pad_to: int = 2) -> Handout:
    """The handout of `job` on `paper`, rendered from the layout's print partials."""
    renderer, booklet = job.renderer, job.booklet
    fonts = book_fonts(job)

    def document(body: str) -> str:
        return renderer.render("print.html", booklet=booklet, body=body, paper=paper)

    exercises = {exercise.anchor: exercise for exercise in booklet.exercises}
    parts = []
    for page in renderer.pages(booklet, "print", anchor_link, paper=paper):
        if page.kind != "exercise":
            parts.append(Part(page.kind, page.id, document(page.html)))
            continue
        exercise = exercises[page.id]
        sized, larger = None, ""
        if exercise.figure:

            def sized(step: str, exercise=exercise, anchor=page.id) -> str:
                return document(
                    renderer.exercise_page(
                        booklet, exercise, "print", anchor_link, figure_size={anchor: step}
                    ).html
                )

            larger = sized(LARGER_STEP)
        name = f"exercise {exercise.number} '{exercise.name}'"
        parts.append(
            Part("exercise", page.id, document(page.html), larger, name, sized)
        )
    notes = []
    for n in range(1, MAX_NOTES_PAGES + 1):
        page = renderer.render("notes.html", booklet=booklet, id=f"notes-{n}")
        notes.append(Part("notes", f"notes-{n}", document(page)))
    stylesheet = renderer.render("fonts.css", fonts=fonts) + renderer.render(
        "print.css", paper=paper, press=press, booklet=booklet, fonts=fonts
    )
    assets = [Asset(image.href, image.media_type, data=image.data) for image in booklet.images]
    assets += [
        Asset(face.href, face.media_type, data=face.data)
        if face.data
        else Asset(face.href, face.media_type, path=face.path)
        for face in fonts.faces
    ]
    return Handout(
        source=booklet.source,
        paper=paper,
        press=press,
        stylesheet=stylesheet,
        parts=tuple(parts),
        notes=tuple(notes),
        assets=tuple(assets),
        metadata=Metadata(
            title=booklet.title,
            author=booklet.author.name,
            language=booklet.language,
            created=booklet.date.isoformat(),
            modified=booklet.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
            description=booklet.subtitle,
        ),
        pad_to=pad_to,
    )


def anchor_link(page_id: str, anchor: str | None = None) -> str:
    """Links inside the handout: to an element id, wherever the typesetter puts it."""
    return f"#{anchor or page_id}"
