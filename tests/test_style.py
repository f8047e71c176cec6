"""The stylesheets hold to the visual rules of DESIGN.md."""

from __future__ import annotations

import re

import pytest

from booklet.assets import Project
from booklet.fonts import load_font_stack
from booklet.render import Renderer
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    project = Project(ROOT)
    return Renderer(project, "default", load_font_stack(project))


def stylesheets(renderer: Renderer) -> dict[str, str]:
    sheets = {"ereader.css": renderer.render("ereader.css")}
    for paper in ("letter", "a4", "a5", "half-letter"):
        for press in (False, True):
            sheets[f"print.css ({paper}{', press' if press else ''})"] = renderer.render(
                "print.css", paper=paper, press=press, labels=renderer.labels("en")
            )
    for paper in ("letter", "a4", "a5"):  # the programme sheet's
        sheets[f"sheet.css ({paper})"] = renderer.render(
            "sheet.css", paper=paper, labels=renderer.labels("en")
        )
    return sheets


def contrast_on_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(d * 2 for d in hex_digits)
    r, g, b = (int(hex_digits[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_every_text_colour_reads_on_white(renderer):
    for name, css in stylesheets(renderer).items():
        colours = re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", css)
        assert colours, name
        for colour in colours:
            assert contrast_on_white(colour) >= 4.5, f"{name}: {colour}"


def test_one_accent_colour(renderer):
    for name, css in stylesheets(renderer).items():
        chromatic = {
            c.lower()
            for c in re.findall(r"#[0-9a-fA-F]{6}\b", css)
            if len({c[1:3], c[3:5], c[5:7]}) > 1
        }
        assert chromatic == {"#a33600"}, name


def test_e_reader_css_uses_relative_units_only(renderer):
    css = renderer.render("ereader.css")
    body = re.sub(r"@font-face\s*{[^}]*}", "", css)
    assert not re.search(r"\d(px|pt|pc|in|cm|mm)\b", body)
    assert not re.search(r"(?<![-\w])height\s*:(?!\s*auto\b)", body), "no fixed heights"
    assert not re.search(r"(?<![-\w])position\s*:", body), "no positioning"


def test_body_text_size_on_paper(renderer):
    for name, css in stylesheets(renderer).items():
        if name.startswith("print"):
            size = float(re.search(r"html\s*{[^}]*font-size:\s*([\d.]+)pt", css).group(1))
            assert 12 <= size <= 13, name
