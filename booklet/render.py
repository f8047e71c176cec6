"""Booklet model -> HTML, with Jinja2 and the layout's partials.

Knows Jinja2 and the model, nothing about files on disk beyond the layout search
path. Both outputs are rendered from the same partials; `medium` ("print" or
"epub") only changes where links and images point.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path, PurePath
from types import TracebackType

import jinja2
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from booklet import cache, colour
from booklet.assets import Project
from booklet.colour import Accent, reads_in_any_theme
from booklet.confine import is_inside, present, special_file_problem
from booklet.css import css_content, css_string
from booklet.errors import SourceError
from booklet.fonts import FontStack
from booklet.layout_check import CONTROL, rendered_problem
from booklet.model import Booklet, Brand, Exercise
from booklet.options import DEFAULT_LAYOUT
from booklet.paper_links import short_address, spell_out_links
from booklet.schedule import read_schedule
from booklet.typography import writing_of

BUNDLED_LAYOUTS = Path(str(files("booklet.layouts")))
LABELS = "labels.yaml"
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Page:
    """One part of the booklet that starts a new page (PDF) or file (EPUB)."""

    kind: str  # "cover", "intro", "exercise", "closing" or "back-cover"
    id: str  # anchor in the PDF, file stem in the EPUB
    title: str  # for navigation
    html: str  # the rendered partial, one <section>


# href(page_id, anchor) -> the link to that page (and anchor) from another page.
Linker = Callable[[str, str | None], str]


def layout_search_path(project: Project, layout: str) -> list[Path]:
    """The project's `layouts/NAME/`, then the bundled one of that name, then the bundled
    default: so a project can override one partial without copying the rest."""
    folders = [project.layouts / layout, BUNDLED_LAYOUTS / layout, BUNDLED_LAYOUTS / DEFAULT_LAYOUT]
    found = [folder for folder in dict.fromkeys(folders) if folder.is_dir()]
    if layout != DEFAULT_LAYOUT and len(found) == 1:
        raise SourceError(
            project.layouts / layout, f"layout '{layout}' not found; create this folder"
        )
    return found


class ConfinedLoader(jinja2.FileSystemLoader):
    """Layout files from the search path, but only regular files that lie inside the
    project (or the bundled layouts) once every symlink is followed: a FIFO would
    block the build, and a link could show any file on the disk in the PDF."""

    def __init__(self, searchpath: list[Path], allowed: list[Path]):
        super().__init__(searchpath)
        self.allowed = allowed

    def get_source(self, environment: jinja2.Environment, template: str):
        for folder in self.searchpath:
            candidate = Path(folder, *jinja2.loaders.split_template_path(template))
            if present(candidate):
                confined_file(candidate, self.allowed)
                break
        return super().get_source(environment, template)


def confined_file(path: Path, allowed: list[Path]) -> None:
    """Refuse a layout file that is not a regular file inside the allowed folders."""
    if not any(is_inside(path, folder) for folder in allowed):
        raise SourceError(
            path, "links to a file outside the project; copy the file itself into the layout"
        )
    refused = special_file_problem(path)
    if refused:
        raise SourceError(path, refused)


class LayoutSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, narrowed to what a layout needs: the booklet's words, names and
    numbers. Layouts are the part users download from someone else, so a template may
    not reach Python's internals (the sandbox's own rule: nothing starting with `_`,
    no changing the data), nor a file on disk or the bytes of one: `booklet.source`,
    `image.path` and `image.data` are out of its reach."""

    def is_safe_attribute(self, obj: object, attr: str, value: object) -> bool:
        if isinstance(obj, PurePath) or isinstance(value, (PurePath, bytes, bytearray)):
            return False
        return super().is_safe_attribute(obj, attr, value)


class Renderer:
    def __init__(
        self,
        project: Project,
        layout: str,
        fonts: FontStack,
        brand: Brand | None = None,
        accent: Accent | None = None,
    ):
        self.search_path = layout_search_path(project, layout)
        self.allowed = [project.root, BUNDLED_LAYOUTS]
        self.fonts = fonts
        self.env = LayoutSandbox(
            loader=jinja2.ChoiceLoader(
                [
                    ConfinedLoader(self.search_path, self.allowed),
                    # `{% extends "!default/exercise.html" %}` reaches the bundled partial
                    # even when the project overrides it (as Pelican's themes do).
                    jinja2.PrefixLoader(
                        {
                            "!default": ConfinedLoader(
                                [BUNDLED_LAYOUTS / DEFAULT_LAYOUT], self.allowed
                            )
                        }
                    ),
                ]
            ),
            autoescape=jinja2.select_autoescape(["html", "xhtml"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["css_string"] = css_string
        self.env.filters["css_content"] = css_content
        self.env.filters["long_date"] = long_date
        self.env.filters["font_families"] = font_families
        self.env.filters["reads_in_any_theme"] = reads_in_any_theme
        # What every template may use: the project's brand (None without one) and the
        # accent colour, for shapes and for text (e-readers ignore CSS variables: the
        # stylesheets are written with it).
        self.env.globals["brand"] = brand
        self.env.globals["accent"] = accent or colour.accent(colour.DEFAULT)
        # Doses and videos (issue 16): the tick-off grid a dose asks for, read in the
        # booklet's language; a video's address as a QR code and as a reader types it.
        self.env.filters["schedule"] = lambda dose, language: read_schedule(
            dose, self.labels(language)
        )
        self.env.filters["qr_code"] = qr_code
        self.env.filters["short_address"] = short_address
        self._labels: list[dict] | None = None

    def labels_missing(self, language: str) -> str | None:
        """A warning when the layout has no words for `language` (English is used)."""
        self.labels(language)
        wanted = language.split("-")[0].lower()
        if any(table.get(wanted) for table in self._labels):
            return None
        return (
            f"the layout has no labels in the language '{language}' (\"Exercise 2 of 5\", "
            f'"Notes", "Disclaimer"...), so they are in English; add \'{wanted}:\' to your '
            "layout's labels.yaml to write them in the source's language"
        )

    def labels(self, language: str) -> dict[str, str]:
        """The layout's words for `language` (by primary subtag), falling back to English.
        A project's labels.yaml need only hold the words it changes: every labels.yaml
        on the search path counts, the project's over the bundled ones."""
        if self._labels is None:
            self._labels = [
                _read_labels(folder / LABELS, self.allowed) for folder in reversed(self.search_path)
            ]
            self._labels = [table for table in self._labels if table]
        merged: dict[str, str] = {}
        for wanted in (FALLBACK_LANGUAGE, language.split("-")[0].lower()):
            for table in self._labels:  # the bundled default first, the project's last
                merged.update(table.get(wanted) or {})
        return merged

    def render(self, template: str, **context) -> str:
        if "booklet" in context:
            language = context["booklet"].language
            context.setdefault("labels", self.labels(language))
            context.setdefault("writing", writing_of(language))
        try:
            loaded = self.env.get_template(template)
            context.setdefault("fonts", self.fonts)
            text = loaded.render(**context)
        except jinja2.TemplateNotFound as err:
            raise SourceError(
                self.search_path[0], f"template '{err.name}' not found in the layout"
            ) from None
        except jinja2.TemplateError as err:
            where, line = getattr(err, "filename", None), getattr(err, "lineno", None)
            if where is None:  # an error while rendering: the traceback knows where
                where, line = self._template_frame(err.__traceback__) or (template, None)
            location = f"{where}:{line}" if line else where
            message = f"layout template error: {err.message}"
            if isinstance(err, SecurityError):
                message += "; a layout may use the booklet's data, not Python's internals or files"
            raise SourceError(Path(location), message) from None
        if context.get("medium") == "print" and template.endswith(".html"):
            text = spell_out_links(text)  # on paper, a link shows its address
        problem = rendered_problem(template, text)
        if problem:
            raise SourceError(
                loaded.filename or template,
                f"{problem}; a layout may not add scripts, event handlers or references "
                "outside the outputs",
            )
        return text

    def _template_frame(self, traceback: TracebackType | None) -> tuple[str, int] | None:
        """The innermost place in a layout file that the traceback passes through: Jinja
        gives each template line a frame of its own, named after the template's file."""
        folders = [*self.search_path, BUNDLED_LAYOUTS]
        found = None
        while traceback is not None:
            filename = traceback.tb_frame.f_code.co_filename
            if any(Path(filename).is_relative_to(folder) for folder in folders):
                found = (filename, traceback.tb_lineno)
            traceback = traceback.tb_next
        return found

    def pages(self, booklet: Booklet, medium: str, href: Linker, **context) -> list[Page]:
        """Every page-worthy part in reading order, each rendered from its partial."""
        labels = self.labels(booklet.language)
        common = {"booklet": booklet, "medium": medium, "href": href, "labels": labels, **context}
        pages = [
            Page("cover", "cover", labels["cover"], self.render("cover.html", **common)),
            Page("intro", "intro", labels["introduction"], self.render("intro.html", **common)),
        ]
        pages += [
            self.exercise_page(booklet, exercise, medium, href, **context)
            for exercise in booklet.exercises
        ]
        pages.append(
            Page("closing", "closing", labels["closing"], self.render("closing.html", **common))
        )
        pages.append(
            Page(
                "back-cover",
                "back-cover",
                labels["disclaimer"],
                self.render("back-cover.html", **common),
            )
        )
        return pages

    def exercise_page(
        self, booklet: Booklet, exercise: Exercise, medium: str, href: Linker, **context
    ) -> Page:
        """One exercise's page; `figure_size` in the context can make its figure smaller."""
        html = self.render(
            "exercise.html",
            booklet=booklet,
            medium=medium,
            href=href,
            exercise=exercise,
            total=len(booklet.exercises),
            **context,
        )
        return Page("exercise", exercise.anchor, exercise.name, html)


def _read_labels(path: Path, allowed: list[Path]) -> dict[str, dict[str, str]]:
    """{language: {label: words}} from a labels.yaml, or {} when there is none. Once
    checked, a file's table is kept in the cache as JSON, by the file's bytes: the 34
    languages of the bundled one take 0.011 s to load with libyaml, 0.002 s as JSON."""
    if not present(path):
        return {}
    confined_file(path, allowed)
    data = path.read_bytes()
    kept = cache.made(
        cache.key("labels", data),
        lambda: json.dumps(_checked_labels(path, data), ensure_ascii=False).encode("utf-8"),
    )
    return json.loads(kept)


def _checked_labels(path: Path, data: bytes) -> dict[str, dict[str, str]]:
    try:
        # libyaml's loader where PyYAML has it: the labels of 34 languages take 0.1 s
        # to load in pure Python, 0.013 s in C (the same data).
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        table = yaml.load(data.decode("utf-8"), Loader=loader)
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise SourceError(path, f"is not valid YAML in UTF-8: {err}") from None
    if table is None:
        return {}
    shape_ok = isinstance(table, dict) and all(
        isinstance(words, dict) and all(isinstance(text, str) for text in words.values())
        for words in table.values()
    )
    if not shape_ok:
        raise SourceError(
            path, "must map languages to labels, e.g. 'en:' then '  notes: Notes' on the next line"
        )
    for language, words in table.items():
        for key in (language, *words):
            if not isinstance(key, str):  # YAML reads no, on, 1, 2026-01-01 as no text
                kind = (
                    "yes or no"
                    if isinstance(key, bool) or key is None
                    else "a date"
                    if isinstance(key, dt.date)
                    else "a number"
                )
                raise SourceError(
                    path,
                    f"a name is read as {kind} ({key}), not as text; put language and "
                    "label names that YAML reads otherwise in quotes: 'no':, 'on':, '1':",
                )
        for label, text in words.items():
            control = CONTROL.search(text)
            if control:  # a YAML escape such as "\0" or "\a"
                raise SourceError(
                    path,
                    f"the label '{label}' holds an invisible control character "
                    f"(U+{ord(control.group()):04X}); delete it",
                )
    return table


@functools.lru_cache(maxsize=16)
def bundled_labels(language: str) -> dict[str, str]:
    """The bundled default layout's words for `language`, English where it has none:
    for reading a source without a layout at hand (the Dose: and Video: lines)."""
    table = _read_labels(BUNDLED_LAYOUTS / DEFAULT_LAYOUT / LABELS, [BUNDLED_LAYOUTS])
    merged: dict[str, str] = {}
    for wanted in (FALLBACK_LANGUAGE, language.split("-")[0].lower()):
        merged.update(table.get(wanted) or {})
    return merged


def qr_code(address: str) -> str:
    """A QR code of `address` as an SVG data URL, drawn as vector art: black modules
    on white with the four-module quiet zone that scanners need (segno)."""
    import segno

    code = segno.make(address, error="m", micro=False)
    return code.svg_data_uri(scale=4, border=4, dark="#000", light="#fff", omitsize=True)


def font_families(fonts: FontStack, role: str) -> str:
    """The CSS font-family list for text of `role` ("body" or "headings"): the role's
    family, the fallback families the book has faces of, and a generic family."""
    return ", ".join([*(css_string(name) for name in fonts.families(role)), "sans-serif"])


def long_date(date: dt.date, language: str) -> str:
    """`date` written out in `language`: "25 November 2026", "25. November 2026".
    Babel holds the month names and word order of every locale (CLDR); a language
    it does not know is written in English."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date

    try:
        locale = Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(FALLBACK_LANGUAGE)
    return format_date(date, "long", locale=locale)
