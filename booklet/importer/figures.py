"""The article's images: found where the input keeps them, checked, named for the
project's images/ folder. Nothing is fetched and nothing outside the input's own
folder is read: a remote image, a file elsewhere on disk or a picture the text only
describes is left out and named in the report.

Where the images go (the rule the report states): the project is the folder above
the draft's `source/` folder when the draft is written into a folder named `source`
(the draft then names an image by its file name, found in the project's images/ as
the build looks there); otherwise the project is the draft's own folder, and the
draft names `images/NAME`, which the build finds next to the source.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from booklet.images import MAX_IMAGE_BYTES, ImageRejected, checked_bytes
from booklet.importer.document import Article, Block
from booklet.importer.sniff import what_it_is
from booklet.slugs import slug

_KINDS = {
    "a PNG image": ".png",
    "a JPEG image": ".jpg",
    "a GIF image": ".gif",
    "a WebP image": ".webp",
}
_DATA_URI = re.compile(r"^data:image/[\w.+-]+;base64,(?P<data>.*)$", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class ImagePlace:
    """Where the draft's images go, and how the draft names them."""

    folder: Path  # the project's images/
    prefix: str  # "" (the draft is in source/) or "images/" (the draft is beside images/)

    @classmethod
    def for_draft(cls, draft: Path) -> ImagePlace:
        folder = draft.parent.resolve()
        if folder.name == "source":
            return cls(folder.parent / "images", "")
        return cls(folder / "images", "images/")


@dataclass
class Copy:
    name: str  # file name in images/
    data: bytes
    exists: bool  # the same file is already there: nothing to write


@dataclass
class Figures:
    """Every image of the draft, resolved once."""

    article: Article
    place: ImagePlace
    copies: list[Copy] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # copied, but with no alt text
    _by_source: dict[str, str | None] = field(default_factory=dict)

    def reference(self, block: Block, what: str = "image") -> str | None:
        """How the draft names `block`'s file, or None when it is left out."""
        key = block.src or f"described:{block.alt}"
        if key not in self._by_source:
            self._by_source[key] = self._resolve(block, what)
        reference = self._by_source[key]
        if reference and not block.alt.strip():
            if reference not in self.unplaced:
                self.unplaced.append(reference)
            return None
        return reference

    def _resolve(self, block: Block, what: str) -> str | None:
        src = block.src
        if not src:
            self.missing.append(
                f"{what} described as '{block.alt}': the picture is not in the input"
            )
            return None
        data, name = self._data(src, what)
        if data is None:
            return None
        kind = what_it_is(data)
        suffix = _KINDS.get(kind or "") or (".svg" if _is_svg(data) else None)
        if suffix is None:
            self.missing.append(f"{what} {src}: not an image the build can use")
            return None
        try:
            checked_bytes(data, Path(name).stem + suffix)  # as the build will check it
        except ImageRejected as err:
            self.missing.append(f"{what} {src}: {err}")
            return None
        # Named only once accepted: naming it puts it on the list of files to write.
        return self.place.prefix + self._file_name(name, suffix, data)

    def _data(self, src: str, what: str) -> tuple[bytes | None, str]:
        if src in self.article.embedded:
            embedded = self.article.embedded[src]
            return embedded.data, embedded.name
        if src.startswith("linked:"):
            self.missing.append(f"{what} the document links to (not inside it): never opened")
            return None, ""
        data_uri = _DATA_URI.match(src)
        if data_uri:
            try:
                data = base64.b64decode(data_uri.group("data"), validate=False)
            except (binascii.Error, ValueError):
                self.missing.append(f"{what} written into the page: cannot be read")
                return None, ""
            return data, f"{self.article.path.stem}-image"
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            self.missing.append(f"{what} {_short(src)}: on the web, never fetched")
            return None, ""
        relative = PurePosixPath(unquote(parts.path))
        folder = self.article.image_folder
        if folder is None or relative.is_absolute() or not relative.parts:
            self.missing.append(f"{what} {_short(src)}: not next to the input, never read")
            return None, ""
        base = folder.resolve()
        candidate = (base / Path(*relative.parts)).resolve()
        if not candidate.is_relative_to(base):
            self.missing.append(f"{what} {_short(src)}: outside the input's folder, never read")
            return None, ""
        if not candidate.is_file():
            self.missing.append(f"{what} {_short(src)}: not found next to the input")
            return None, ""
        if candidate.stat().st_size > MAX_IMAGE_BYTES:
            self.missing.append(f"{what} {_short(src)}: over {MAX_IMAGE_BYTES // 1048576} MB")
            return None, ""
        return candidate.read_bytes(), candidate.stem

    def _file_name(self, name: str, suffix: str, data: bytes) -> str:
        """A file name for images/ that no other image has (the same file keeps it)."""
        stem = slug(Path(name).stem, "image", max_length=60)
        for n in range(1, 10_000):
            candidate = f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}"
            taken = next((c for c in self.copies if c.name == candidate), None)
            if taken is not None:
                if taken.data == data:
                    return candidate
                continue
            on_disk = self.place.folder / candidate
            if on_disk.exists():
                if on_disk.is_file() and on_disk.read_bytes() == data:
                    self.copies.append(Copy(candidate, data, exists=True))
                    return candidate
                continue
            self.copies.append(Copy(candidate, data, exists=False))
            return candidate
        raise ValueError("no free image name")  # ten thousand images of one name: not reached


def _is_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return (
        head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE svg")) and b"<svg" in data[:65536]
    )


def _short(src: str) -> str:
    return src if len(src) <= 90 else src[:87] + "..."
