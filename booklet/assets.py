"""Find the files a source refers to, and only inside the folders it may read.

Image paths resolve relative to the source file first, then in the project's
`images/` folder. Nothing outside those two folders is ever opened: a path that
is absolute, has a URL scheme, or escapes with `..` or a symlink is refused.

A pose (`NAME.pose.yaml`) resolves the same way and then in booklet's library of
poses; it becomes an SVG image drawn from the pose, like any other figure.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from booklet import cache
from booklet.confine import present, special_file_problem
from booklet.images import ImageRejected, checked_image, clean_svg
from booklet.model import MEDIA_TYPES, Image
from booklet.poses.posefile import MAX_POSE_BYTES, SUFFIX, pose_name, too_large


@dataclass(frozen=True)
class Project:
    """The folder that holds `source/`, `images/`, `fonts/` and `layouts/`."""

    root: Path

    @property
    def images(self) -> Path:
        return self.root / "images"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"

    @property
    def sources(self) -> Path:
        return self.root / "source"


class AssetRefused(Exception):
    """A reference that does not name a readable file inside the allowed folders.

    Internal to parsing: the parser turns it into a Problem with the source line.
    """


@dataclass
class ImageFinder:
    source_dir: Path
    project: Project
    accent: str | None = None  # the brand's colour, for the arrows of poses drawn here
    _by_path: dict[Path, Image] = field(default_factory=dict)
    _hrefs: set[str] = field(default_factory=set)

    def find(self, reference: str, alt: str) -> Image:
        """The Image for `reference`, resolved and checked; the same file gives the same Image."""
        if _is_pose(reference):
            return self._find_pose(reference, alt)
        path = self._resolve(reference)
        if path in self._by_path:
            return self._by_path[path]
        try:
            checked = checked_image(path)
        except ImageRejected as err:
            raise AssetRefused(str(err)) from None
        # The bytes decide what it is: a JPEG named .png is packed as the JPEG it is.
        image = Image(
            path=path,
            href=self._unique_href(path.stem, checked.suffix),
            alt=alt,
            data=checked.data,
            media_type=checked.media_type,
        )
        self._by_path[path] = image
        return image

    def _find_pose(self, reference: str, alt: str) -> Image:
        """A pose file drawn as an SVG figure. A bad pose file raises its own SourceError
        (its file and line); a pose found nowhere is a problem of the source."""
        from booklet.poses import draw_pose, read_pose

        path = self._resolve_pose(reference)
        if path in self._by_path:
            return self._by_path[path]
        size = path.stat().st_size
        if size > MAX_POSE_BYTES:
            raise AssetRefused(f"pose '{reference}' {too_large(size)}")
        pose = read_pose(path)  # checked even when its drawing is kept: its errors stay
        name = cache.key("pose", *_pose_code(), path.read_bytes(), alt, self.accent or "")
        svg = cache.made(
            name,
            lambda: (
                draw_pose(pose, title=alt, accent=self.accent)
                if self.accent
                else draw_pose(pose, title=alt)
            ),
        )
        image = Image(
            path=path,
            href=self._unique_href(pose_name(path), ".svg"),
            alt=alt,
            data=clean_svg(svg, path.name),
            media_type="image/svg+xml",
        )
        self._by_path[path] = image
        return image

    def _resolve_pose(self, reference: str) -> Path:
        from booklet.poses.library import closest_names, library_pose

        found = self._locate(reference)
        if found is not None:
            return found
        name = pose_name(reference)
        in_library = library_pose(name) if "/" not in reference else None
        if in_library is not None:
            return in_library
        close = closest_names(name)
        hint = (
            "did you mean " + " or ".join(f"{n}{SUFFIX}" for n in close) + "?"
            if close
            else "make-booklet figures lists the library's poses"
        )
        folders = dict.fromkeys([self.source_dir, self.project.images])
        where = " or ".join(str(folder) for folder in folders)
        raise AssetRefused(
            f"pose '{reference}' not found in {where} nor in booklet's library; {hint}"
        )

    @property
    def images(self) -> list[Image]:
        return list(self._by_path.values())

    def _resolve(self, reference: str) -> Path:
        found = self._locate(reference)
        if found is None:
            folders = [self.source_dir, self.project.images]
            where = " or ".join(str(folder) for folder in dict.fromkeys(folders))
            raise AssetRefused(f"image '{reference}' not found in {where}; check the file name")
        return found

    def _locate(self, reference: str) -> Path | None:
        """The file `reference` names in the source's folder or images/, None if it is in
        neither; AssetRefused if it is a path that may not be read."""
        parts = urlsplit(reference)
        if parts.scheme or parts.netloc:
            raise AssetRefused(
                f"'{reference}' is not a local file; save the image next to the source "
                "or in images/ and give its file name"
            )
        relative = PurePosixPath(unquote(parts.path))
        if relative.is_absolute() or not relative.parts:
            raise AssetRefused(
                f"'{reference}' is an absolute path; give a path relative to the source "
                "or to images/"
            )
        if relative.suffix.lower() not in MEDIA_TYPES and not _is_pose(reference):
            kinds = ", ".join(sorted(MEDIA_TYPES))
            raise AssetRefused(
                f"'{reference}' is not an image file this tool can use ({kinds}, or a pose: "
                f"NAME{SUFFIX})"
            )
        folders = [self.source_dir, self.project.images]
        for folder in folders:
            candidate = folder / Path(*relative.parts)
            refused = special_file_problem(candidate) if present(candidate) else None
            if refused and not candidate.is_dir():
                raise AssetRefused(f"image '{reference}' {refused}")
            if candidate.is_file():
                real = candidate.resolve()
                if not any(_is_inside(real, allowed) for allowed in folders):
                    raise AssetRefused(
                        f"'{reference}' points outside the source's folder and images/; "
                        "copy the image into one of them"
                    )
                return real
        return None

    def _unique_href(self, name: str, suffix: str) -> str:
        # Letters, digits, - and _ only: no escaping in URLs, nothing EPUBCheck frowns on.
        ascii_stem = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_stem).strip("-") or "image"
        href, n = f"images/{stem}{suffix}", 1
        while href in self._hrefs:
            n += 1
            href = f"images/{stem}-{n}{suffix}"
        self._hrefs.add(href)
        return href


def _is_pose(reference: str) -> bool:
    return unquote(urlsplit(reference).path).lower().endswith(SUFFIX)


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder.resolve())
    except ValueError:
        return False
    return True


@functools.cache
def _pose_code() -> tuple[str, ...]:
    """The code that draws poses, as installed: each module of booklet/poses by its
    identity (cache.identity). A drawn pose is kept in the cache by these, the pose
    file and the title and colour: placing a pose's contacts is a numerical fit,
    0.05-0.3 s a pose, and the same inputs draw the same bytes."""
    folder = Path(__file__).parent / "poses"
    return tuple(cache.identity(module) for module in sorted(folder.glob("*.py")))
