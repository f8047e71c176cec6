"""Which project a build belongs to, and the options it runs with.

The project folder (the one that holds source/, images/, fonts/, layouts/ and
booklet.yaml) is found from the sources, not from where the command runs:
`--project` when given; else the nearest folder above the source that holds a
booklet.yaml; else the source's parent folder when the source lies in a folder
named source/; else the current folder. What the command line leaves out comes
from the project's booklet.yaml, then from the defaults (DEFAULT_OPTIONS).
"""

from __future__ import annotations

from pathlib import Path

from booklet.errors import UsageError
from booklet.export import resolve_formats
from booklet.options import DEFAULT_OPTIONS, BuildOptions
from booklet.settings import FILE, checked_formats, read_settings

SOURCE_FOLDER = "source"


def find_project(sources: list[Path], given: Path | None) -> Path:
    if given is not None:
        return given.resolve()
    if not sources:
        return _project_of(Path.cwd() / "any.md", Path.cwd())
    found = {_project_of(source.resolve(), Path.cwd()) for source in sources}
    if len(found) > 1:
        raise UsageError(
            "the sources belong to different projects ("
            + ", ".join(sorted(str(folder) for folder in found))
            + "); build each project on its own, or name one with --project"
        )
    return found.pop()


def _project_of(source: Path, fallback: Path) -> Path:
    for folder in source.parents:
        if (folder / FILE).is_file():
            return folder
    if source.parent.name == SOURCE_FOLDER:
        return source.parent.parent
    return fallback.resolve()


def settle(
    sources: list[Path],
    *,
    out: Path | None = None,
    formats: tuple[str, ...] | None = None,
    paper: str | None = None,
    layout: str | None = None,
    project: Path | None = None,
    strict: bool = False,
    pdf_ua: bool = False,
) -> BuildOptions:
    """The options of a build: what was given, then booklet.yaml's, then the defaults.
    The paper given here wins; left out, each source's is its front matter's, then
    booklet.yaml's, then its language region's (Builder)."""
    root = find_project(sources, project)
    settings = read_settings(root)
    return BuildOptions(
        sources=list(sources),
        out=out or settings.out or root / DEFAULT_OPTIONS.out,
        formats=formats or checked_formats(settings, resolve_formats) or DEFAULT_OPTIONS.formats,
        paper=paper,
        layout=layout or settings.layout or DEFAULT_OPTIONS.layout,
        project=root,
        strict=strict,
        pdf_ua=pdf_ua,
        settings=settings,
    )
