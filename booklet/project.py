"""Which project a build belongs to, the options it runs with, and the pictures the
project adds to every handout (its brand's logo, its layout's own files).

The project folder (the one that holds source/, images/, fonts/, layouts/ and
booklet.yaml) is found from the sources, not from where the command runs:
`--project` when given; else the nearest folder above the source that holds a
booklet.yaml; else the source's parent folder when the source lies in a folder
named source/; else the current folder. What the command line leaves out comes
from the project's booklet.yaml, then from the defaults (DEFAULT_OPTIONS).
"""

from __future__ import annotations

from pathlib import Path

from booklet.confine import is_inside, special_file_problem
from booklet.errors import SourceError, UsageError
from booklet.export import ALL, resolve_formats
from booklet.images import ImageRejected, checked_image
from booklet.model import MEDIA_TYPES, Brand, Image
from booklet.options import DEFAULT_OPTIONS, BuildOptions
from booklet.settings import FILE, Settings, checked_formats, read_settings

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
    all_formats: bool = False,
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
        all_formats=paper is None
        and (all_formats or (formats is None and ALL in (settings.formats or ()))),
        paper=paper,
        layout=layout or settings.layout or DEFAULT_OPTIONS.layout,
        project=root,
        strict=strict,
        pdf_ua=pdf_ua,
        settings=settings,
    )


def brand_of(settings: Settings) -> Brand | None:
    """The brand as the layout shows it, its logo checked and cleaned like every image."""
    brand = settings.brand
    if brand is None:
        return None
    logo = None
    if brand.logo is not None:
        try:
            checked = checked_image(brand.logo)
        except ImageRejected as err:
            raise SourceError(settings.path, f"brand.logo: {err}") from None
        logo = Image(
            path=brand.logo,
            href=f"images/brand-logo{checked.suffix}",
            alt=brand.logo_alt,
            data=checked.data,
            media_type=checked.media_type,
        )
    return Brand(
        name=brand.name,
        logo=logo,
        logo_alt=brand.logo_alt,
        contact=tuple(brand.contact_lines),
        phone=brand.phone,
        email=brand.email,
        website=brand.website,
        website_url=brand.website_url if brand.website else "",
    )


def layout_images(folders: list[Path], project: Path) -> list[Image]:
    """The picture files at the top of the layout's folders, by file name (the project's
    layout over the bundled one), each checked and cleaned like every image, and
    confined: a link that leads out of the project is refused."""
    from booklet.render import BUNDLED_LAYOUTS  # imports Jinja: only when building

    found: dict[str, Image] = {}
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.name in found or path.suffix.lower() not in MEDIA_TYPES:
                continue
            if not (is_inside(path, project) or is_inside(path, BUNDLED_LAYOUTS)):
                raise SourceError(path, "links to a file outside the project; copy it here")
            refused = special_file_problem(path)
            if refused:
                raise SourceError(path, refused)
            try:
                checked = checked_image(path)
            except ImageRejected as err:
                raise SourceError(path, str(err)) from None
            found[path.name] = Image(
                path=path.resolve(),
                href=path.name,
                alt="",
                data=checked.data,
                media_type=checked.media_type,
            )
    return list(found.values())
