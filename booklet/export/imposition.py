"""Saddle-stitch imposition: which pages go where on the folded sheets, and the
sheets themselves, made with pypdf page transformations."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject, TextStringObject

Side = tuple[int, int]  # (left page, right page), 1-based


def saddle_stitch_sides(page_count: int, right_to_left: bool = False) -> list[Side]:
    """The sides of the sheets in printing order: sheet 1 front, sheet 1 back, sheet 2
    front... Printed double-sided (flip on the short edge), stacked and folded, the
    pages read 1, 2, ..., page_count. The front of the first sheet carries the last
    page on the left and the first on the right: the covers. A booklet bound at the
    right (Arabic, Hebrew: read right to left) is the mirror image, every side's two
    pages swapped: the first page on the left of the first sheet."""
    if page_count <= 0 or page_count % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {page_count}")
    sides: list[Side] = []
    for sheet in range(page_count // 4):
        sides.append((page_count - 2 * sheet, 2 * sheet + 1))  # front
        sides.append((2 * sheet + 2, page_count - 2 * sheet - 1))  # back
    if right_to_left:
        return [(right, left) for left, right in sides]
    return sides


def impose(
    pdf: bytes,
    sides: list[Side],
    sheet: tuple[float, float],
    title: str,
    author: str,
    language: str,
) -> bytes:
    """Two pages side by side on each landscape sheet side (`sheet` is its width and
    height in points), meeting at the fold in the middle. The pages are merged as
    they are (vector text, embedded fonts), so the text stays selectable."""
    reader = PdfReader(io.BytesIO(pdf))
    width = float(reader.pages[0].mediabox.width)
    height = float(reader.pages[0].mediabox.height)
    sheet_width, sheet_height = sheet
    # Two A5 pages are 296 mm wide, an A4 sheet 297: the pages meet at the fold and
    # the spare millimetre goes to the outer edges.
    fold, top = sheet_width / 2, (sheet_height - height) / 2
    writer = PdfWriter()
    for left, right in sides:
        side = writer.add_blank_page(width=sheet_width, height=sheet_height)
        side.merge_transformed_page(
            reader.pages[left - 1], Transformation().translate(fold - width, top)
        )
        side.merge_transformed_page(reader.pages[right - 1], Transformation().translate(fold, top))
        side.compress_content_streams()  # merged content is written uncompressed otherwise
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "booklet"})
    writer.root_object[NameObject("/Lang")] = TextStringObject(language)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
