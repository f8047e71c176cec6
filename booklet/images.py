"""Check image files before either output uses them.

An image's bytes decide what it is, never its name: an SVG, or a PNG, JPEG, GIF or
WebP picture, each packed under its real media type; other kinds (TIFF, ICO, BMP...)
are refused, since an EPUB cannot carry them.

SVG is a document format that can carry scripts and fetch other files; an SVG from
someone else is cleaned: scripts, event handlers, foreign objects and every
reference outside the file itself are removed, and entities are never expanded. Its
drawing is bounded: the elements it would draw once every `<use>` is expanded, how
deep they nest, its bytes, and its shape (a figure 1 unit wide and 300 tall is not a
figure). Pictures inside it (data: URIs) are checked like any other picture.

A raster picture is decoded whole, every frame of it, so a truncated JPEG or a PNG
with a broken zlib stream is refused rather than packed as a third of a picture; its
size is read before decoding (at most 40 megapixels, 20 MB). An animation that
flashes more than three times a second (WCAG 2.3.1) is refused.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import re
import warnings
from dataclasses import dataclass

from lxml import etree

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is already far more than a page needs
# Line art is a few KB; this is room for a detailed illustration. Every element costs
# the typesetter about 0.15 ms per drawing (and a figure is drawn for the PDF, for the
# EPUB's picture, and again smaller when its page is too full).
MAX_SVG_BYTES = 2 * 1024 * 1024
MAX_SVG_ELEMENTS = 10_000  # counted with every <use> expanded
MAX_SVG_DEPTH = 64  # the typesetter draws nested groups recursively
MAX_ASPECT_RATIO = 20  # a figure may be a wide strip or a tall column, not a line
MAX_FRAMES = 1_000
MAX_DECODED_PIXELS = 400_000_000  # every frame of an animation, decoded
MAX_FLASHES_PER_SECOND = 3  # WCAG 2.3.1, three flashes or below threshold

SVG_TYPE = "image/svg+xml"
# Pillow's name for each kind the outputs can carry: (media type, file suffix).
RASTER_TYPES = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}
SUFFIXES = {SVG_TYPE: ".svg"} | dict(RASTER_TYPES.values())

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
REMOVED_ELEMENTS = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video"}
# Inside the SVG: references to its own elements (#id) and inline raster data only.
SAFE_REFERENCE = re.compile(r"^\s*(#|data:image/(png|jpeg|gif|webp);base64,)", re.IGNORECASE)
INLINE_PICTURE = re.compile(r"^\s*data:image/[a-z]+;base64,(.*)$", re.IGNORECASE | re.DOTALL)
CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!#)(.*?)\1\s*\)|@import[^;]*;?", re.IGNORECASE)
LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in|)\s*$")
UNIT_PX = {
    "": 1.0,
    "px": 1.0,
    "pt": 4 / 3,
    "pc": 16.0,
    "mm": 96 / 25.4,
    "cm": 96 / 2.54,
    "in": 96.0,
}


class ImageRejected(Exception):
    """An image file that cannot be used safely; the message says why."""


@dataclass(frozen=True)
class CheckedImage:
    data: bytes  # what the outputs get: the cleaned SVG, or the verified picture as it is
    media_type: str  # found from the bytes

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.media_type]


def checked_image(path) -> CheckedImage:
    """The image at `path` as the outputs get it, or ImageRejected saying why not."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise ImageRejected(
            f"'{path.name}' is {size / 1048576:.1f} MB; keep images under "
            f"{MAX_IMAGE_BYTES >> 20} MB"
        )
    return checked_bytes(path.read_bytes(), path.name)


def checked_bytes(data: bytes, name: str) -> CheckedImage:
    if _looks_like_xml(data):
        return CheckedImage(clean_svg(data, name), SVG_TYPE)
    media_type = verify_raster(data, name)
    return CheckedImage(data, media_type)


def _looks_like_xml(data: bytes) -> bool:
    return data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


# ---- SVG ----


def clean_svg(data: bytes, name: str) -> bytes:
    if len(data) > MAX_SVG_BYTES:
        raise ImageRejected(
            f"'{name}' is an SVG of {len(data) / 1048576:.1f} MB; keep SVGs under "
            f"{MAX_SVG_BYTES >> 20} MB (simplify the drawing)"
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise ImageRejected(f"'{name}' is not a valid SVG file ({err})") from None
    if etree.QName(root).localname != "svg":
        raise ImageRejected(
            f"'{name}' is not an SVG image (its root is <{etree.QName(root).localname}>)"
        )
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # entities and the like
            element.getparent().remove(element)
            continue
        if etree.QName(element).localname in REMOVED_ELEMENTS:
            element.getparent().remove(element)
            continue
        for attribute in list(element.attrib):
            value = element.attrib[attribute]
            if _runs_or_fetches(attribute, value):
                del element.attrib[attribute]
            elif etree.QName(attribute).localname == "style":
                element.attrib[attribute] = CSS_URL.sub("", value)
        if etree.QName(element).localname == "style" and element.text:
            element.text = CSS_URL.sub("", element.text)
    _check_drawing(root, name)
    _check_shape(root, name)
    _check_inline_pictures(root, name)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _runs_or_fetches(attribute: str, value: str) -> bool:
    """An event handler (onload=...), or a link to anything outside the SVG itself."""
    if etree.QName(attribute).localname.lower().startswith("on"):
        return True
    return attribute in ("href", XLINK_HREF) and not SAFE_REFERENCE.match(value)


def _check_drawing(root: etree._Element, name: str) -> None:
    """How much drawing the SVG asks for, with each <use> standing for a copy of what
    it refers to (which may hold <use> elements of its own: six levels of ten make a
    million). Counted without recursion, each element once (memoised), in document
    order reversed so that most references are counted before their users."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    elements = [element for element in root.iter() if isinstance(element.tag, str)]
    too_deep = next((e for e in elements if _depth_over(e, MAX_SVG_DEPTH)), None)
    if too_deep is not None:
        raise ImageRejected(
            f"'{name}' nests its elements more than {MAX_SVG_DEPTH} deep; flatten the groups"
        )
    cost: dict[etree._Element, int] = {}
    for element in _dependency_order(elements, by_id, name):
        total = 1 + sum(cost[child] for child in element if isinstance(child.tag, str))
        target = _use_target(element, by_id)
        if target is not None:
            total += cost[target]
        cost[element] = min(total, MAX_SVG_ELEMENTS + 1)
    if cost[root] > MAX_SVG_ELEMENTS:
        raise ImageRejected(
            f"'{name}' draws more than {MAX_SVG_ELEMENTS:,} elements once its <use> elements "
            "are expanded; simplify the drawing"
        )


def _depth_over(element: etree._Element, limit: int) -> bool:
    depth = 0
    while element is not None:
        depth += 1
        if depth > limit:
            return True
        element = element.getparent()
    return False


def _use_target(element: etree._Element, by_id: dict) -> etree._Element | None:
    if etree.QName(element).localname != "use":
        return None
    reference = (element.get("href") or element.get(XLINK_HREF) or "").strip()
    return by_id.get(reference[1:]) if reference.startswith("#") else None


def _dependency_order(elements: list, by_id: dict, name: str) -> list:
    """Every element after its children and after what it <use>s (a topological order,
    found iteratively); a <use> that leads back to itself is refused."""
    order, state = [], {}  # state: 1 while being visited, 2 once done
    for start in elements:
        if state.get(start) == 2:
            continue
        stack = [(start, False)]
        while stack:
            element, expanded = stack.pop()
            if expanded:
                state[element] = 2
                order.append(element)
                continue
            if state.get(element) == 2:
                continue
            if state.get(element) == 1:
                raise ImageRejected(f"'{name}' has a <use> that refers to itself; remove it")
            state[element] = 1
            stack.append((element, True))
            depends = [child for child in element if isinstance(child.tag, str)]
            target = _use_target(element, by_id)
            if target is not None:
                depends.append(target)
            for other in depends:
                if state.get(other) == 1:
                    raise ImageRejected(f"'{name}' has a <use> that refers to itself; remove it")
                if state.get(other) != 2:
                    stack.append((other, False))
    return order


def _check_shape(root: etree._Element, name: str) -> None:
    width, height = _svg_size(root)
    if width is None or height is None:
        return  # no size of its own: the layout gives it one
    if width <= 0 or height <= 0:
        raise ImageRejected(f"'{name}' is {width:g} x {height:g}: it has no area to draw")
    ratio = max(width / height, height / width)
    if ratio > MAX_ASPECT_RATIO:
        raise ImageRejected(
            f"'{name}' is {width:g} x {height:g} units, {ratio:.0f} times as "
            f"{'wide' if width > height else 'tall'} as it is "
            f"{'tall' if width > height else 'wide'}; a figure is at most "
            f"{MAX_ASPECT_RATIO} times longer one way than the other (check its width, "
            "height and viewBox)"
        )


def _svg_size(root: etree._Element) -> tuple[float | None, float | None]:
    """The SVG's size in CSS pixels: from width and height where they are absolute
    lengths, else from the viewBox; None for what neither says."""
    box = (root.get("viewBox") or "").replace(",", " ").split()
    box_size = (None, None)
    if len(box) == 4:
        with contextlib.suppress(ValueError):
            box_size = (float(box[2]), float(box[3]))
    sizes = []
    for attribute, from_box in zip(("width", "height"), box_size, strict=True):
        match = LENGTH.match(root.get(attribute) or "")
        sizes.append(float(match[1]) * UNIT_PX[match[2]] if match else from_box)
    if None in sizes and None not in box_size:  # one given, the other from the box's shape
        known = 0 if sizes[0] is not None else 1
        if box_size[known]:
            sizes[1 - known] = sizes[known] * box_size[1 - known] / box_size[known]
    return sizes[0], sizes[1]


def _check_inline_pictures(root: etree._Element, name: str) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("href", XLINK_HREF):
            match = INLINE_PICTURE.match(element.get(attribute) or "")
            if not match:
                continue
            try:
                data = base64.b64decode(match[1], validate=False)
            except (binascii.Error, ValueError):
                raise ImageRejected(f"'{name}' holds a picture that is not valid base64") from None
            verify_raster(data, f"{name}' (a picture inside it) '")


# ---- raster pictures ----


def verify_raster(data: bytes, name: str) -> str:
    """Decode the whole picture, every frame; its media type, or ImageRejected."""
    from PIL import Image, ImageFile  # only for sources with raster images

    with warnings.catch_warnings():
        # Pillow warns past its own pixel limit; ours is checked before any decoding.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        saved = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
        # WeasyPrint, once imported, tells Pillow to fill truncated pictures with grey
        # (weasyprint/images.py): here a truncated picture must fail.
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = None, False
        try:
            return _decode(Image, data, name)
        finally:
            Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _decode(Image, data: bytes, name: str) -> str:
    try:
        picture = Image.open(io.BytesIO(data))
    except Exception as err:  # Pillow raises many kinds for a file that is no picture
        raise ImageRejected(f"'{name}' cannot be read as an image ({err})") from None
    with picture:
        kind = picture.format or "unknown"
        if kind not in RASTER_TYPES:
            kinds = "SVG, PNG, JPEG, GIF and WebP"
            article = "an" if kind[0] in "AEIOU" else "a"
            raise ImageRejected(
                f"'{name}' is {article} {kind} image; the outputs carry {kinds}: convert it to one"
            )
        width, height = picture.size
        if width * height > MAX_PIXELS:
            raise ImageRejected(
                f"'{name}' is {width} x {height} pixels ({width * height / 1e6:.1f} megapixels); "
                f"keep images under {MAX_PIXELS // 1_000_000} megapixels: scale it down"
            )
        frames = getattr(picture, "n_frames", 1) if kind != "JPEG" else 1
        if frames > MAX_FRAMES or frames * width * height > MAX_DECODED_PIXELS:
            raise ImageRejected(
                f"'{name}' is an animation of {frames:,} frames of {width} x {height}; "
                "use a still picture"
            )
        try:
            _verify_structure(Image, data)
            flashes = _Flashes()
            for index in range(frames):
                picture.seek(index)
                picture.load()
                if frames > 1:
                    flashes.add(picture)
                    if flashes.too_many():
                        raise ImageRejected(
                            f"'{name}' is an animation that flashes more than "
                            f"{MAX_FLASHES_PER_SECOND} times a second, which can cause "
                            "seizures; use a still picture"
                        )
        except ImageRejected:
            raise
        except Exception as err:  # truncated data, a broken zlib stream, a bad frame
            raise ImageRejected(
                f"'{name}' is a damaged {kind} file ({err or type(err).__name__}); "
                "save it again from the original"
            ) from None
    return RASTER_TYPES[kind][0]


def _verify_structure(Image, data: bytes) -> None:
    """Pillow's own consistency check (chunk checksums of a PNG), on a fresh copy:
    verify() leaves the picture it checked unusable."""
    with Image.open(io.BytesIO(data)) as copy:
        copy.verify()


class _Flashes:
    """Counts flashes in the frames of an animation, as WCAG 2.3.1 defines them: a
    pair of opposing changes in relative luminance of a tenth or more, the darker
    state below 0.8. Judged for the whole picture and for each quarter of it (a
    flash over a quarter of a figure is a large area of the screen)."""

    WINDOW_MS = 1000

    def __init__(self):
        self.now = 0.0
        self.regions: list[_Region] | None = None

    def add(self, picture) -> None:
        from PIL import Image

        frame = picture.convert("RGBA")
        white = Image.new("RGBA", frame.size, "white")  # as on a page
        grey = Image.alpha_composite(white, frame).convert("L")
        quarters = list(grey.resize((2, 2), Image.Resampling.BOX).tobytes())
        values = [_linear(sum(quarters) / 4), *(_linear(q) for q in quarters)]
        if self.regions is None:
            self.regions = [_Region() for _ in values]
        for region, value in zip(self.regions, values, strict=True):
            region.add(self.now, value)
        duration = picture.info.get("duration") or 0
        # Browsers show frames of 10 ms or less for 100 ms.
        self.now += duration if duration > 10 else 100

    def too_many(self) -> bool:
        return any(region.too_many(self.WINDOW_MS) for region in self.regions or [])


class _Region:
    """The luminance of one region over time, and when it changed direction."""

    def __init__(self):
        self.changes: list[float] = []  # when each opposing change happened
        self.direction = 0  # of the last change: +1 lighter, -1 darker, 0 none yet
        self.anchor = 0.0  # the extreme since the last change (before one: both)
        self.high = self.low = None

    def add(self, when: float, value: float) -> None:
        if self.direction == 0:
            if self.high is None:
                self.high = self.low = value
            self.high, self.low = max(self.high, value), min(self.low, value)
            if value - self.low >= 0.1 and self.low < 0.8:
                self._change(when, +1, value)
            elif self.high - value >= 0.1 and value < 0.8:
                self._change(when, -1, value)
        elif self.direction > 0:
            self.anchor = max(self.anchor, value)
            if self.anchor - value >= 0.1 and value < 0.8:
                self._change(when, -1, value)
        else:
            self.anchor = min(self.anchor, value)
            if value - self.anchor >= 0.1 and self.anchor < 0.8:
                self._change(when, +1, value)

    def _change(self, when: float, direction: int, value: float) -> None:
        self.changes.append(when)
        self.direction, self.anchor = direction, value

    def too_many(self, window: float) -> bool:
        # More than three flashes is more than six opposing changes within a second.
        limit = 2 * MAX_FLASHES_PER_SECOND
        changes = self.changes
        return len(changes) > limit and changes[-1] - changes[-1 - limit] < window


def _linear(grey: float) -> float:
    """Relative luminance of an sRGB grey level 0..255."""
    channel = grey / 255
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
