"""--watch: build, then rebuild whenever a source, a layout, an image or a font
changes (booklet.yaml too: the brand, the paper; its out, layout and formats are read
when the watch starts). This process keeps the layout's templates and the fonts loaded, and its
typesetter keeps WeasyPrint's fonts, stylesheets and every part's layout
(export/typesetter.py), so a rebuild lays out only the parts that changed.

A bad edit prints its error and the watch goes on: the previous outputs stay as
they were (outputs are written atomically), and the next good save rebuilds them.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from booklet.build import Builder, BuildOptions
from booklet.errors import BookletError
from booklet.pool import Outcome
from booklet.settings import FILE as SETTINGS_FILE

# Wait this long after the last change before rebuilding: an editor's save is often
# several file events (write a temporary file, rename it over the old one).
SETTLE_MS = 50
IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


def watch(
    options: BuildOptions,
    sources: list[Path],
    stdout: TextIO,
    stderr: TextIO,
    stop_event=None,  # anything with is_set(): lets tests end the watch
) -> int:
    try:
        return _watch(options, sources, stdout, stderr, stop_event)
    except KeyboardInterrupt:  # Ctrl-C during a build: the usual way to stop, too
        return 0


def _watch(options: BuildOptions, sources: list[Path], stdout, stderr, stop_event) -> int:
    sources = [source.resolve() for source in sources]
    session = _Session(options)
    try:
        if session.load(stderr):
            for source in sources:
                _build(session, source, stdout, stderr, verbose=True)
        return _watch_changes(options, sources, session, stdout, stderr, stop_event)
    finally:
        session.close()


def _watch_changes(options, sources, session: _Session, stdout, stderr, stop_event) -> int:
    from watchfiles import watch as file_changes

    folders = _watched_folders(options, sources)
    announce = (
        f"watching {len(sources)} source{'s' if len(sources) > 1 else ''} and "
        f"{', '.join(str(folder) for folder in folders)}; Ctrl-C stops"
    )
    wanted = _Relevant(options, sources)
    while stop_event is None or not stop_event.is_set():
        for batch in file_changes(
            *folders,
            watch_filter=wanted,
            step=SETTLE_MS,
            stop_event=stop_event,
            rust_timeout=500,
            yield_on_timeout=True,  # twice a second, to notice new folders (below)
            raise_interrupt=False,
        ):
            if announce:  # only now is the watcher in place: a save from now on counts
                print(announce, file=stdout, flush=True)
                announce = ""
            changed = {Path(path) for _, path in batch}
            if not changed:
                # A project's layouts/ or fonts/ made while we watch: watch it, reload.
                now_watched = _watched_folders(options, sources)
                if now_watched == folders:
                    continue
                folders = now_watched
                session.builder = None
                changed = {folder for folder in folders if wanted.is_layout_or_font(folder)}
            _rebuild(session, sources, changed, wanted, stdout, stderr)
            if not changed.isdisjoint(folders):
                break  # the folders changed: watch the new set
        else:
            return 0  # stopped
    return 0


def _rebuild(session: _Session, sources, changed, wanted, stdout, stderr) -> None:
    """Build again after `changed`."""
    started = time.perf_counter()
    # A layout or a font: load them again. A source or an image: the loaded ones stay.
    reload = session.builder is None or any(wanted.is_layout_or_font(p) for p in changed)
    if reload and not session.load(stderr):
        return
    touched = [source for source in sources if source in changed]
    ok = all(
        [
            _build(session, source, stdout, stderr, verbose=False)
            # Only the sources that changed, unless something they share changed too.
            for source in (touched if set(touched) == changed else sources)
        ]
    )
    if ok:
        names = ", ".join(sorted(path.name for path in changed))
        print(
            f"rebuilt in {time.perf_counter() - started:.2f} s ({names} changed)",
            file=stdout,
            flush=True,
        )


class _Session:
    """What a watch keeps warm between rebuilds: the builder holds the templates and
    fonts, loaded again when a layout or font file changes; the typesetter stays for
    the whole watch, its layouts keyed by all that went into them (so a changed
    layout or font is never met by a stale one)."""

    def __init__(self, options: BuildOptions):
        from booklet.export.typesetter import Typesetter

        self.options = options
        self.warnings: list[str] = []
        self.builder: Builder | None = None
        self.typesetter = Typesetter()

    def load(self, stderr: TextIO) -> bool:
        """Load the layout and the fonts (again); False, and the error said, if bad."""
        try:
            self.builder = Builder(
                dataclasses.replace(self.options, settings=None),  # booklet.yaml read again
                warn=lambda source, message: self.warnings.append(f"{source}: {message}"),
                typesetter=self.typesetter,
            )
            return True
        except BookletError as err:
            self.builder = None
            _error(str(err), stderr)
            return False

    def build(self, source: Path) -> Outcome:
        self.warnings.clear()
        try:
            written = self.builder.build(source)
            return Outcome(tuple(written), warnings=tuple(self.warnings))
        except BookletError as err:
            return Outcome(error=str(err), exit_code=err.exit_code, warnings=tuple(self.warnings))

    def close(self) -> None:
        self.typesetter.close()


def _build(session: _Session, source: Path, stdout: TextIO, stderr: TextIO, verbose: bool) -> bool:
    outcome = session.build(source)
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=stderr, flush=True)
    if outcome.error:
        _error(outcome.error, stderr)
        return False
    if verbose:
        for item in outcome.written:
            print(f"wrote {item.path}", file=stdout, flush=True)
    return True


def _error(message: str, stderr: TextIO) -> None:
    for line in message.splitlines():
        print(f"error: {line}", file=stderr, flush=True)
    print("(still watching: save a fix to rebuild)", file=stderr, flush=True)


def _watched_folders(options: BuildOptions, sources: list[Path]) -> list[Path]:
    project = options.project.resolve()
    candidates = [source.parent for source in sources] + [
        project / "images",
        project / "fonts",
        project / "layouts",
    ]
    folders: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and not any(folder.is_relative_to(f) for f in folders):
            folders = [f for f in folders if not f.is_relative_to(folder)] + [folder]
    settings = project / SETTINGS_FILE  # the file alone: the project folder may be huge
    if settings.is_file() and not any(settings.is_relative_to(f) for f in folders):
        folders.append(settings)
    return folders


class _Relevant:
    """Which changed files call for a rebuild: the sources, images, fonts and
    layout files; never the outputs (which may be written inside a watched folder)."""

    def __init__(self, options: BuildOptions, sources: Iterable[Path]):
        project = options.project.resolve()
        self.sources = set(sources)
        self.out = options.out.resolve()
        self.layouts = project / "layouts"
        self.fonts = project / "fonts"
        self.settings = project / SETTINGS_FILE

    def __call__(self, change, path: str) -> bool:
        path = Path(path)
        if path.is_relative_to(self.out) or path.name.startswith("."):
            return False
        return (
            path in self.sources
            or path.suffix.lower() in IMAGE_SUFFIXES
            or self.is_layout_or_font(path)
        )

    def is_layout_or_font(self, path: Path) -> bool:
        """A change that calls for the layout, the fonts and the settings read again."""
        return (
            path.is_relative_to(self.layouts)
            or path.is_relative_to(self.fonts)
            or path == self.settings
        )
