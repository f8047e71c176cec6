"""Orchestrate a build: find the sources, parse each, hand it to each exporter.

One source is built in this process; several are built across the cores, each
worker process with its own Builder (its fonts, layout and typesetter loaded
once for all its sources). The outputs of one source are written together or not
at all (output.staged).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from booklet.errors import BookletError, BuildWarning, OutputError, UsageError
from booklet.export import ALL, FORMATS, ExportJob, Written, left_out, resolve_formats
from booklet.glyphs import warn_missing_glyphs
from booklet.options import DEFAULT_OPTIONS, BuildOptions
from booklet.output import staged
from booklet.pool import Outcome, run_jobs
from booklet.project import brand_of, layout_images

if TYPE_CHECKING:
    from booklet.export.typesetter import Typesetter
    from booklet.model import Booklet

__all__ = ["DEFAULT_OPTIONS", "BuildOptions", "Builder", "build_sources", "find_sources"]
Warn = Callable[[Path, str], None]


def find_sources(options: BuildOptions) -> list[Path]:
    if options.sources:
        return list(options.sources)
    folder = options.project.resolve() / "source"
    found = sorted(folder.glob("*.md"))
    if not found:
        raise UsageError(f"no sources given and no .md files in {folder}; name a source file")
    return found


def output_paths(options: BuildOptions, stem: str) -> dict[str, Path]:
    """{format: the file it writes} for a source whose file name is `stem`.md."""
    return {name: options.out / f"{stem}{FORMATS[name].suffix}" for name in options.formats}


def check_outputs(options: BuildOptions, sources: list[Path], inputs: list[Path] = ()) -> None:
    """Before anything is built: no two sources write the same file, and no output
    overwrites an input (a source, a client list)."""
    written_by: dict[Path, Path] = {}
    read = {path.resolve(): path for path in [*sources, *inputs]}
    for source in sources:
        for path in output_paths(options, source.stem).values():
            where = path.resolve()
            if where in written_by and written_by[where] != source.resolve():
                raise UsageError(
                    f"{written_by[where]} and {source} would both be written to {path}; "
                    "rename one of them, or build them into different --out folders"
                )
            if where in read:
                raise UsageError(
                    f"building {source} would overwrite {read[where]}; choose another --out"
                )
            written_by[where] = source.resolve()


class Builder:
    """Builds sources one by one, sharing the font stack, the layout and the
    typesetter between them."""

    def __init__(self, options: BuildOptions, warn: Warn, typesetter: Typesetter | None = None):
        from booklet.assets import Project
        from booklet.fonts import load_font_stack
        from booklet.render import Renderer
        from booklet.settings import read_settings

        resolve_formats(list(options.formats))  # the Python API: unknown names are an error
        self.options = options
        self.project = Project(options.project.resolve())
        self.settings = options.settings or read_settings(self.project.root)
        self.brand = brand_of(self.settings)
        self.fonts = load_font_stack(self.project)
        self.renderer = Renderer(
            self.project,
            options.layout,
            self.fonts,
            brand=self.brand,
            accent=self.settings.brand.accent if self.settings.brand else None,
        )
        # Pictures the layout brings (a logo, a stamp, a pattern), and the brand's logo:
        # images of every output, referred to by the layout's templates and stylesheets.
        self.images = layout_images(self.renderer.search_path, self.project.root)
        if self.brand and self.brand.logo:
            self.images.append(self.brand.logo)
        self.accent = (
            self.settings.brand.accent.shapes
            if self.settings.brand and self.settings.brand.accent
            else None
        )
        self._typesetter = typesetter
        self._warn = warn

    @property
    def typesetter(self) -> Typesetter:
        """Made on first use: WeasyPrint is imported only when something is laid out,
        so that a bad source is reported at once."""
        if self._typesetter is None:
            from booklet.export.typesetter import Typesetter

            self._typesetter = Typesetter()
        return self._typesetter

    def paper_for(self, booklet: Booklet) -> str:
        """The command line's paper, else the front matter's, else booklet.yaml's, else
        the paper of the source's language region."""
        from booklet.paper import paper_for

        return (
            self.options.paper
            or booklet.paper
            or self.settings.paper
            or paper_for(booklet.language)
        )

    def build(self, source: Path) -> list[Written]:
        """Build `source` in the options' formats: all of them, or none."""
        from booklet.parse import parse_booklet

        booklet = parse_booklet(source, self.project, self.accent, labels=self.renderer.labels)
        targets = output_paths(self.options, booklet.stem)
        if self.options.all_formats:
            paper = self.paper_for(booklet)
            for name, why in left_out([ALL], paper):
                if targets.pop(name, None):
                    self._warn(source, f"left out {name} ({FORMATS[name].description}): {why}")
        return self.export(booklet, targets, where=source)

    def export(
        self,
        booklet: Booklet,
        targets: dict[str, Path],
        where: Path,
        also: dict[Path, Callable[[dict[str, Path]], bytes]] | None = None,
    ) -> list[Written]:
        """`booklet` in each format of `targets` ({format: file}), and the files of
        `also` ({file: make its bytes from the formats' files}), written together once
        every one is made. Warnings name `where`; each is said once."""
        said: set[str] = set()

        def warn(message: str) -> None:
            if self.options.strict:  # before anything of this source is written
                raise BuildWarning.strict(where, message)
            if message not in said:
                said.add(message)
                self._warn(where, message)

        if self.images:
            booklet = dataclasses.replace(booklet, images=[*booklet.images, *self.images])
        warn_missing_glyphs(booklet, self.fonts, warn)
        missing_labels = self.renderer.labels_missing(booklet.language)
        if missing_labels:
            warn(missing_labels)
        job = ExportJob(
            booklet, self.renderer, self.fonts, self.paper_for(booklet), warn, self.options.pdf_ua
        )
        also = also or {}
        written = []
        with staged([*targets.values(), *also]) as temporaries:
            made = {name: temporaries[target] for name, target in targets.items()}
            for name, target in targets.items():
                try:
                    output = FORMATS[name].exporter()(job, made[name], self.typesetter)
                    written.append(dataclasses.replace(output, path=target))
                except OSError as err:
                    raise OutputError(
                        target,
                        f"cannot write ({err.strerror or err}); free some space or choose "
                        "another --out (earlier outputs are left as they were)",
                    ) from None
            for target, make in also.items():
                temporaries[target].write_bytes(make(made))
                written.append(Written(target, temporaries[target].stat().st_size))
        return written


def build_sources(options: BuildOptions, sources: list[Path]) -> Iterator[Outcome]:
    """Every source's outcome, in the order they finish, built across the cores."""
    check_outputs(options, sources)
    if len(sources) > 1:
        Builder(options, warn=lambda source, message: None)  # a bad layout or font: fail once
    yield from run_jobs(sources, _build_source, _start_worker, (options,))


_worker: dict = {}


def _start_worker(options: BuildOptions) -> None:
    """Each worker loads the fonts and the layout once, for all its sources."""
    warnings: list[str] = []
    _worker["warnings"] = warnings
    _worker["builder"] = Builder(
        options, warn=lambda source, message: warnings.append(f"{source}: {message}")
    )


def _build_source(source: Path) -> Outcome:
    warnings: list[str] = _worker["warnings"]
    warnings.clear()
    try:
        written = _worker["builder"].build(source)
        return Outcome(tuple(written), warnings=tuple(warnings))
    except BookletError as err:  # becomes data: exceptions do not cross processes whole
        return Outcome(error=str(err), exit_code=err.exit_code, warnings=tuple(warnings))
