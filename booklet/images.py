"""Check image files before either output uses them.

SVG is a document format that can carry scripts and fetch other files; an SVG from
someone else is cleaned: scripts, event handlers, foreign objects and every
reference outside the file itself are removed, and entities are never expanded.
Raster images are opened with Pillow to make sure they are what they claim to be.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from lxml import etree

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is already far more than a page needs
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
REMOVED_ELEMENTS = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video"}
# Inside the SVG: references to its own elements (#id) and inline raster data only.
SAFE_REFERENCE = re.compile(r"^\s*(#|data:image/(png|jpeg|gif|webp);base64,)", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!#)(.*?)\1\s*\)|@import[^;]*;?", re.IGNORECASE)


class ImageRejected(Exception):
    """An image file that cannot be used safely; the message says why."""


def checked_image(path: Path) -> bytes:
    """The bytes to put in the outputs: the cleaned SVG, or the verified raster file."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise ImageRejected(f"'{path.name}' is {size // 1048576} MB; keep images under 20 MB")
    data = path.read_bytes()
    if path.suffix.lower() == ".svg":
        return clean_svg(data, path.name)
    _verify_raster(data, path.name)
    return data


def check_image_data(data: bytes, name: str) -> None:
    """Raise ImageRejected unless a build would take `data` as the image file `name`
    (its suffix says its kind). For images that are not files yet (an import)."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRejected(f"'{name}' is {len(data) // 1048576} MB; keep images under 20 MB")
    if name.lower().endswith(".svg"):
        clean_svg(data, name)
    else:
        _verify_raster(data, name)


def clean_svg(data: bytes, name: str) -> bytes:
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
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _runs_or_fetches(attribute: str, value: str) -> bool:
    """An event handler (onload=...), or a link to anything outside the SVG itself."""
    if etree.QName(attribute).localname.lower().startswith("on"):
        return True
    return attribute in ("href", XLINK_HREF) and not SAFE_REFERENCE.match(value)


def _verify_raster(data: bytes, name: str) -> None:
    from PIL import Image  # only for sources with raster images

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Image.DecompressionBombError:
        raise ImageRejected(f"'{name}' has too many pixels; scale it down") from None
    except Exception as err:  # Pillow raises many kinds for a damaged or mislabelled file
        raise ImageRejected(f"'{name}' cannot be read as an image ({err})") from None
