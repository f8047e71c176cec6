"""The one accent colour, and text in it that reads: WCAG 2's contrast ratio against
white, and a darker shade of the same hue where a brand's colour is too light for
text (it is kept as it is for rules and shapes)."""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass

HEX = re.compile(r"^#([0-9a-fA-F]{6})$")
TEXT_CONTRAST = 4.5  # WCAG 2 AA for body-size text
LARGE_TEXT = 3.0  # WCAG 2 AA for large text (headings), here on black: a dark theme
WHITE, BLACK = "#ffffff", "#000000"
DEFAULT = "#a33600"  # the bundled layout's accent: 6.8:1 on white


@dataclass(frozen=True)
class Accent:
    shapes: str  # #rrggbb, for rules, borders, the arrow...
    text: str  # the same, or darkened to TEXT_CONTRAST on white
    key: str = "colour"  # how booklet.yaml spelled it: colour or color

    @property
    def darkened(self) -> bool:
        return self.text != self.shapes

    @property
    def warning(self) -> str:
        return (
            f"the brand colour {self.shapes} is {contrast_on_white(self.shapes):.1f}:1 on white, "
            f"too light for text: text in it is printed in {self.text} "
            f"({contrast_on_white(self.text):.1f}:1), rules and shapes stay {self.shapes}"
        )


def accent(written: str, key: str = "colour") -> Accent | None:
    """The accent for a colour as written (#rrggbb), or None if it is not one."""
    match = HEX.match(written.strip())
    if match is None:
        return None
    colour = f"#{match[1].lower()}"
    return Accent(colour, readable_on_white(colour), key)


def readable_on_white(colour: str) -> str:
    """`colour`, or the lightest shade of its hue that has TEXT_CONTRAST on white."""
    if contrast_on_white(colour) >= TEXT_CONTRAST:
        return colour
    hue, lightness, saturation = colorsys.rgb_to_hls(*_rgb(colour))
    low, high = 0.0, lightness  # lightness 0 is black: always readable
    for _ in range(30):
        middle = (low + high) / 2
        if contrast_on_white(_hex(colorsys.hls_to_rgb(hue, middle, saturation))) >= TEXT_CONTRAST:
            low = middle
        else:
            high = middle
    return _hex(colorsys.hls_to_rgb(hue, low, saturation))


def contrast_on_white(colour: str) -> float:
    """WCAG 2's contrast ratio of `colour` against white."""
    return contrast(colour, WHITE)


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio between two colours (#rrggbb or #rgb)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def reads_in_any_theme(colour: str) -> bool:
    """A colour for large text that reads on a white page and in a dark theme."""
    return contrast(colour, WHITE) >= TEXT_CONTRAST and contrast(colour, BLACK) >= LARGE_TEXT


def _luminance(colour: str) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value) for value in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(colour: str) -> tuple[float, float, float]:
    digits = colour.lstrip("#")
    if len(digits) == 3:  # #rgb, as CSS writes it
        digits = "".join(digit * 2 for digit in digits)
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(max(value, 0.0), 1.0) * 255):02x}" for value in rgb)
