"""Orchestrate a build: find the sources, parse each, hand it to each exporter."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from booklet.assets import Project
from booklet.errors import BookletError, BuildWarning, UsageError
from booklet.export import FORMATS, PAPERS, ExportJob, Written
from booklet.export.alongside import Alongside, can_fork
from booklet.fonts import FontStack, load_font_stack, missing_characters
from booklet.model import Booklet, visible_text
from booklet.parse import parse_booklet
from booklet.pool import Outcome, run_jobs
from booklet.render import DEFAULT_LAYOUT, Renderer


@dataclass(frozen=True)
class BuildOptions:
    """Every option of a build, with its default. The CLI takes its defaults from here."""

    sources: list[Path] = field(default_factory=list)  # none: every source/*.md of the project
    out: Path = Path("build")
    formats: tuple[str, ...] = ("pdf", "epub")
    paper: str = "letter"
    layout: str = DEFAULT_LAYOUT
    project: Path = Path(".")
    strict: bool = False
    pdf_ua: bool = False

    def __post_init__(self) -> None:
        unknown = [name for name in self.formats if name not in FORMATS]
        if unknown or not self.formats:
            raise UsageError(
                f"unknown format '{(unknown or [''])[0]}'; choose from: {', '.join(FORMATS)}"
            )
        if self.paper not in PAPERS:
            raise UsageError(f"unknown paper '{self.paper}'; choose from: {', '.join(PAPERS)}")


DEFAULT_OPTIONS = BuildOptions()

Warn = Callable[[Path, str], None]


def find_sources(options: BuildOptions) -> list[Path]:
    if options.sources:
        return list(options.sources)
    folder = Project(options.project.resolve()).sources
    found = sorted(folder.glob("*.md"))
    if not found:
        raise UsageError(f"no sources given and no .md files in {folder}; name a source file")
    return found


def warn_missing_glyphs(booklet: Booklet, fonts: FontStack, warn: Callable[[str], None]) -> None:
    """WeasyPrint silently draws characters the fonts lack in a system font, or as
    empty boxes: name them, so the author can add a font that has them."""
    missing = missing_characters(visible_text(booklet), fonts)
    if missing:
        shown = "".join(missing[:20]) + ("…" if len(missing) > 20 else "")
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in missing[:5])
        warn(
            f"the fonts ({', '.join(sorted({fonts.body, fonts.headings}))}) have no "
            f"glyphs for {shown} ({codes}{', …' if len(missing) > 5 else ''}); they will "
            "show in another font or as empty boxes: add a font that has them to fonts/"
        )


class Builder:
    """Builds sources one by one, sharing the font stack and the layout between them."""

    def __init__(self, options: BuildOptions, warn: Warn):
        self.options = options
        self.project = Project(options.project.resolve())
        self.fonts = load_font_stack(self.project)
        self.renderer = Renderer(self.project, options.layout, self.fonts)
        self._warn = warn

    def build(self, source: Path, formats: tuple[str, ...] | None = None) -> list[Written]:
        """Build `source` in the options' formats, or in `formats` when given."""
        booklet = parse_booklet(source, self.project)

        def warn(message: str) -> None:
            if self.options.strict:
                raise BuildWarning(f"{source}: {message} (an error because of --strict)")
            self._warn(source, message)

        warn_missing_glyphs(booklet, self.fonts, warn)
        job = ExportJob(
            booklet, self.renderer, self.fonts, self.options.paper, warn, self.options.pdf_ua
        )
        names = list(formats or self.options.formats)
        out = self.options.out
        targets = {name: out / f"{booklet.stem}{FORMATS[name].suffix}" for name in names}
        written: dict[str, Written] = {}
        epub_alongside = None
        if "epub" in names and len(names) > 1 and can_fork():
            # The EPUB needs the handout's layout: make it here, and the forked
            # child that writes the EPUB inherits it (see export/alongside.py).
            from booklet.export.pdf import lay_out

            lay_out(job)
            epub_alongside = Alongside(FORMATS["epub"].exporter(), job, targets["epub"])
            names.remove("epub")
        try:
            for name in names:
                written[name] = FORMATS[name].exporter()(job, targets[name])
        except BookletError:
            if epub_alongside is not None:
                with contextlib.suppress(BookletError):  # the first error is the one to tell
                    epub_alongside.result()
            raise
        if epub_alongside is not None:
            written["epub"] = epub_alongside.result()
        return [written[name] for name in formats or self.options.formats]


def build_sources(options: BuildOptions, sources: list[Path]) -> Iterator[Outcome]:
    """Every source's outcome, in the order they finish, built across the cores."""
    Builder(options, warn=lambda source, message: None)  # a bad layout or font: fail once, here
    return run_jobs(sources, _build_source, _start_worker, (options,))


_worker: dict = {}


def _start_worker(options: BuildOptions) -> None:
    """Each worker loads the fonts and the layout once, for all its sources."""
    warnings: list[str] = []
    _worker["warnings"] = warnings
    _worker["builder"] = Builder(
        options, warn=lambda source, message: warnings.append(f"{source}: {message}")
    )


def _build_source(source: Path, formats: tuple[str, ...] | None = None) -> Outcome:
    warnings: list[str] = _worker["warnings"]
    warnings.clear()
    try:
        written = _worker["builder"].build(source, formats)
        return Outcome(tuple(written), warnings=tuple(warnings))
    except BookletError as err:  # becomes data: exceptions do not cross processes whole
        return Outcome(error=str(err), exit_code=err.exit_code, warnings=tuple(warnings))
