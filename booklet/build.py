"""Orchestrate a build: find the sources, parse each, hand it to each exporter.

One source is built here, with the typesetter in a process of its own where that
helps (export/service.py); several are built across the cores, each worker with
its own typesetter. This module imports the heavy parts (Jinja, Markdown, fonts)
only when building, so that the typesetter's process can start before them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.errors import BookletError, BuildWarning, UsageError
from booklet.export import FORMATS, ExportJob, Written, resolve_formats
from booklet.export.service import LocalTypesetter, TypesetterProcess, can_fork, carry_out
from booklet.glyphs import warn_missing_glyphs
from booklet.options import DEFAULT_OPTIONS, BuildOptions
from booklet.pool import Outcome, run_jobs

if TYPE_CHECKING:
    pass

__all__ = ["DEFAULT_OPTIONS", "BuildOptions", "Builder", "build_sources", "find_sources"]
Warn = Callable[[Path, str], None]
Typesetter = LocalTypesetter | TypesetterProcess


def find_sources(options: BuildOptions) -> list[Path]:
    if options.sources:
        return list(options.sources)
    folder = options.project.resolve() / "source"
    found = sorted(folder.glob("*.md"))
    if not found:
        raise UsageError(f"no sources given and no .md files in {folder}; name a source file")
    return found


class Builder:
    """Builds sources one by one, sharing the font stack, the layout and the
    typesetter between them."""

    def __init__(self, options: BuildOptions, warn: Warn, typesetter: Typesetter | None = None):
        from booklet.assets import Project
        from booklet.fonts import load_font_stack
        from booklet.render import Renderer

        resolve_formats(list(options.formats))  # the Python API: unknown names are an error
        self.options = options
        self.project = Project(options.project.resolve())
        self.fonts = load_font_stack(self.project)
        self.renderer = Renderer(self.project, options.layout, self.fonts)
        self.typesetter = typesetter or LocalTypesetter.shared()
        self._warn = warn

    def build(self, source: Path) -> list[Written]:
        """Build `source` in the options' formats."""
        from booklet.parse import parse_booklet

        booklet = parse_booklet(source, self.project)

        def warn(message: str) -> None:
            if self.options.strict:
                raise BuildWarning.strict(source, message)
            self._warn(source, message)

        warn_missing_glyphs(booklet, self.fonts, warn)
        job = ExportJob(
            booklet, self.renderer, self.fonts, self.options.paper, warn, self.options.pdf_ua
        )
        out = self.options.out
        plans = {
            name: FORMATS[name].planner()(job, out / f"{booklet.stem}{FORMATS[name].suffix}")
            for name in self.options.formats
        }
        written = carry_out(self.typesetter, plans, source, self.options.strict, warn)
        return [written[name] for name in self.options.formats]


def build_sources(options: BuildOptions, sources: list[Path]) -> Iterator[Outcome]:
    """Every source's outcome, in the order they finish, built across the cores."""
    if len(sources) == 1:
        yield build_one(options, sources[0])
        return
    _builder(options)  # a bad layout or font: fail once, here
    yield from run_jobs(sources, _build_source, _start_worker, (options,))


def build_one(options: BuildOptions, source: Path) -> Outcome:
    """One source. Where it can, the typesetter starts in its own process first, and
    imports WeasyPrint while this process loads the layout and parses the source."""
    typesetter = TypesetterProcess("fork") if can_fork() else None
    try:
        _start_worker(options, typesetter)
        return _build_source(source)
    finally:
        _worker.clear()
        if typesetter is not None:
            typesetter.close()


def _builder(options: BuildOptions) -> Builder:
    return Builder(options, warn=lambda source, message: None)


_worker: dict = {}


def _start_worker(options: BuildOptions, typesetter: Typesetter | None = None) -> None:
    """Each worker loads the fonts and the layout once, for all its sources."""
    warnings: list[str] = []
    _worker["warnings"] = warnings
    _worker["builder"] = Builder(
        options,
        warn=lambda source, message: warnings.append(f"{source}: {message}"),
        typesetter=typesetter,
    )


def _build_source(source: Path) -> Outcome:
    warnings: list[str] = _worker["warnings"]
    warnings.clear()
    try:
        written = _worker["builder"].build(source)
        return Outcome(tuple(written), warnings=tuple(warnings))
    except BookletError as err:  # becomes data: exceptions do not cross processes whole
        return Outcome(error=str(err), exit_code=err.exit_code, warnings=tuple(warnings))
