"""Images checked by their bytes, decoded whole, bounded in size and in drawing, and
packed under their real media type; each refusal is one line naming the image."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from PIL import Image

from tests.helpers import Epub, minimal_source, run, write_source


def build(project, tmp_path, name: str, data: bytes, *extra: str):
    folder = project / "source"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    source = write_source(folder, minimal_source(f"### One\n\n![A figure.]({name})\n\nDo it.\n"))
    started = time.perf_counter()
    result = run(source, "--out", tmp_path / "out", "--project", project, *extra)
    return source, result, time.perf_counter() - started


def refused(project, tmp_path, name: str, data: bytes, words: str) -> str:
    source, result, seconds = build(project, tmp_path, name, data)
    assert result.code == 2, result.err
    assert result.err.startswith(f"error: {source}:10: '{name}"), result.err
    assert words in result.err, result.err
    assert len(result.err.splitlines()) == 1
    assert "Warning" not in result.err and "Traceback" not in result.err
    assert not (tmp_path / "out").exists()
    assert seconds < 20, f"took {seconds:.0f} s"
    return result.err


def picture(kind: str, size=(120, 80), mode="RGB", noise=True, **options) -> bytes:
    image = Image.effect_noise(size, 60).convert(mode) if noise else Image.new(mode, size)
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


# ---- size ----


def test_an_image_over_40_megapixels_is_refused_with_its_size(project, tmp_path):
    big = picture("PNG", (8200, 6150), mode="1", noise=False)  # 50.4 MP, a few KB
    refused(project, tmp_path, "big.png", big, "is 8200 x 6150 pixels (50.4 megapixels)")


def test_an_image_over_20_mb_is_refused_with_its_size(project, tmp_path):
    folder = project / "source"
    folder.mkdir(parents=True)
    with (folder / "huge.jpg").open("wb") as file:
        file.truncate(21 * 1024 * 1024)
    source = write_source(folder, minimal_source("### One\n\n![A figure.](huge.jpg)\n"))
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.err == (f"error: {source}:10: 'huge.jpg' is 21.0 MB; keep images under 20 MB\n")


# ---- decoded whole ----


@pytest.fixture(autouse=True)
def weasyprint_imported():
    """As in a --watch or a batch worker: WeasyPrint loaded, with its Pillow settings."""
    import weasyprint  # noqa: F401


def test_a_truncated_jpeg_is_refused(project, tmp_path):
    whole = picture("JPEG", (400, 300))
    refused(project, tmp_path, "cut.jpg", whole[: len(whole) // 3], "is a damaged JPEG file")


def png_with_broken_zlib_stream() -> bytes:
    """A PNG whose chunks are all well-formed (right lengths, right checksums) but
    whose image data does not inflate."""
    data = picture("PNG", (200, 200))
    out, position = [data[:8]], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IDAT":
            body = body[:2] + bytes(b ^ 0x5A for b in body[2:40]) + body[40:]
        crc = struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        out.append(struct.pack(">I", len(body)) + kind + body + crc)
        position += 12 + length
    return b"".join(out)


def test_a_png_with_a_broken_zlib_stream_is_refused(project, tmp_path):
    refused(project, tmp_path, "blank.png", png_with_broken_zlib_stream(), "is a damaged PNG")


# ---- the bytes decide ----


@pytest.mark.parametrize(
    "kind, words",
    [("TIFF", "is a TIFF image"), ("ICO", "is an ICO image"), ("BMP", "is a BMP image")],
)
def test_kinds_the_outputs_cannot_carry_are_refused_whatever_their_name(
    project, tmp_path, kind, words
):
    data = picture(kind, (64, 64))
    refused(project, tmp_path, "photo.png", data, f"{words}; the outputs carry SVG, PNG, JPEG")


def test_a_jpeg_named_png_is_packed_as_the_jpeg_it_is(project, tmp_path):
    _, result, _ = build(project, tmp_path, "photo.png", picture("JPEG"), "--format", "epub")
    assert result.code == 0, result.err
    epub = Epub(tmp_path / "out" / "test.epub")
    items = [i for i in epub.manifest.values() if i.get("href").startswith("images/photo")]
    assert [(i.get("href"), i.get("media-type")) for i in items] == [
        ("images/photo.jpg", "image/jpeg")
    ]
    assert epub.read("images/photo.jpg")[:3] == b"\xff\xd8\xff"
    assert b'src="images/photo.jpg"' in epub.read("exercise-1.xhtml")


# ---- SVG drawing bounded ----

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300" viewBox="0 0 600 300">'


def fanned_out_svg(levels: int, fan: int = 10) -> bytes:
    parts = [SVG_OPEN, '<defs><rect id="l0" width="1" height="1"/>']
    for level in range(1, levels + 1):
        uses = f'<use href="#l{level - 1}"/>' * fan
        parts.append(f'<g id="l{level}">{uses}</g>')
    parts.append(f'</defs><use href="#l{levels}"/></svg>')
    return "".join(parts).encode()


def test_an_svg_whose_use_elements_fan_out_is_refused(project, tmp_path):
    data = fanned_out_svg(6)
    assert len(data) < 1500
    refused(project, tmp_path, "fan.svg", data, "draws more than 10,000 elements once its <use>")


def test_an_svg_of_600000_rects_is_refused(project, tmp_path):
    rects = '<rect width="1" height="1"/>' * 600_000  # 16.8 MB
    refused(project, tmp_path, "rects.svg", (SVG_OPEN + rects + "</svg>").encode(), "MB; keep SVGs")


def test_an_svg_of_20000_small_rects_is_refused(project, tmp_path):
    rects = "<rect width='1' height='1'/>" * 20_000
    refused(project, tmp_path, "rects.svg", (SVG_OPEN + rects + "</svg>").encode(), "10,000")


def test_an_svg_that_uses_itself_is_refused(project, tmp_path):
    data = SVG_OPEN + '<g id="a"><rect width="5" height="5"/><use href="#a"/></g></svg>'
    refused(project, tmp_path, "loop.svg", data.encode(), "has a <use> that refers to itself")


def test_an_svg_nested_deeper_than_a_drawing_needs_is_refused(project, tmp_path):
    data = SVG_OPEN + "<g>" * 200 + "<rect width='5' height='5'/>" + "</g>" * 200 + "</svg>"
    refused(project, tmp_path, "deep.svg", data.encode(), "nests its elements more than 64 deep")


@pytest.mark.parametrize(
    "size", ['width="1" height="300"', 'width="800" height="1"', 'viewBox="0 0 1 300"']
)
def test_an_svg_of_an_extreme_shape_is_refused(project, tmp_path, size):
    data = f'<svg xmlns="http://www.w3.org/2000/svg" {size}><rect width="1" height="1"/></svg>'
    refused(project, tmp_path, "line.svg", data.encode(), "times as")


def test_a_broken_picture_inside_an_svg_is_refused(project, tmp_path):
    inner = png_with_broken_zlib_stream()
    import base64

    href = "data:image/png;base64," + base64.b64encode(inner).decode()
    data = SVG_OPEN + f'<image href="{href}" width="10" height="10"/></svg>'
    refused(project, tmp_path, "inner.svg", data.encode(), "(a picture inside it)")


# ---- animations ----


def animation(values: list[int], duration_ms: int) -> bytes:
    frames = [Image.new("L", (60, 60), value) for value in values]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], duration=duration_ms, loop=0
    )
    return buffer.getvalue()


def test_a_gif_that_flashes_is_refused(project, tmp_path):
    data = animation([0, 255] * 100, 20)  # 25 flashes a second
    refused(project, tmp_path, "flash.gif", data, "flashes more than 3 times a second")


def test_a_flash_in_one_quarter_of_a_picture_counts(project, tmp_path):
    frames = []
    for n in range(40):
        frame = Image.new("L", (80, 80), 255)
        frame.paste(0 if n % 2 else 255, (0, 0, 40, 40))
        frames.append(frame)
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0)
    refused(project, tmp_path, "corner.gif", buffer.getvalue(), "flashes more than 3 times")


@pytest.mark.parametrize(
    "values, duration",
    [([0, 255] * 4, 400), (list(range(0, 256, 8)), 40)],  # slow flashes; a smooth fade
)
def test_an_animation_that_does_not_flash_is_built(project, tmp_path, values, duration):
    _, result, _ = build(
        project, tmp_path, "calm.gif", animation(values, duration), "--format", "epub"
    )
    assert result.code == 0, result.err
