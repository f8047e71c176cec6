"""The Booklet model: plain data that flows from `parse` to `render` and the exporters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Image:
    """An image file the booklet uses, with the name it gets inside the outputs."""

    path: Path  # resolved file on disk
    href: str  # where it lives inside the output, e.g. "images/piriformis.svg"
    alt: str
    data: bytes = field(repr=False, compare=False, default=b"")  # checked (SVG: cleaned) bytes
    media_type: str = "image/svg+xml"  # of `data`, which is what the outputs get


MEDIA_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


@dataclass(frozen=True)
class Figure:
    """An image shown as an exercise's figure, with the caption it gets in a sequence."""

    image: Image
    caption: str


@dataclass(frozen=True)
class Author:
    name: str
    bio_html: str = ""
    photo: Image | None = None


@dataclass(frozen=True)
class Exercise:
    number: int  # 1-based, in reading order
    name: str  # plain text, for bookmarks and navigation
    name_html: str  # the same with its inline markup, for the page
    anchor: str  # unique id, e.g. "exercise-2"
    figure: Image | None  # the first image in the exercise, shown large
    html: str  # the exercise text, without its figure
    dose: str | None = None  # e.g. "3 sets of 10, twice a day": shown in a box
    video: str | None = None  # a demonstration's web address: a QR code on paper
    # Every figure of the exercise, `figure` first: two or more stand side by side.
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Section:
    title: str  # plain text; empty for exercises that come before any ## heading
    title_html: str
    anchor: str
    html: str  # lead-in text of the section
    exercises: list[Exercise] = field(default_factory=list)


@dataclass(frozen=True)
class Brand:
    """The clinic or club a handout comes from (booklet.yaml's brand), as the layout
    shows it: its name, its logo, and how to reach it."""

    name: str
    logo: Image | None = None
    logo_alt: str = ""
    contact: tuple[str, ...] = ()  # the contact block, line by line
    phone: str = ""
    email: str = ""
    website: str = ""  # as written
    website_url: str = ""  # with its scheme, for a link


@dataclass(frozen=True)
class Booklet:
    source: Path
    stem: str  # output file name without extension
    title: str
    subtitle: str | None
    language: str
    author: Author
    cover: Image | None
    disclaimer_html: str
    date: dt.date
    modified: dt.datetime  # UTC; reproducible: SOURCE_DATE_EPOCH or the source's mtime
    intro_html: str
    sections: list[Section]
    closing_html: str
    images: list[Image]  # every image used, each once, in order of first use
    # A handout personalised for one client: their name and the date on the cover,
    # the clinician's note on the intro page. Never in the file's metadata.
    paper: str | None = None  # as the front matter names it: letter, a4 or a5
    prepared_for: str | None = None
    prepared_on: dt.date | None = None
    note_html: str = ""

    @property
    def exercises(self) -> list[Exercise]:
        return [exercise for section in self.sections for exercise in section.exercises]
