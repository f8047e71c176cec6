"""Contrast between colours, as WCAG 2 measures it (relative luminance)."""

from __future__ import annotations

WHITE, BLACK = "#ffffff", "#000000"
# Large text (headings): WCAG 2.2 AA asks 3:1; body text 4.5:1.
TEXT_ON_WHITE = 4.5
LARGE_TEXT_ON_BLACK = 3.0


def luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def reads_in_any_theme(colour: str) -> bool:
    """A colour for large text that reads on a white page and in a dark theme."""
    return (
        contrast(colour, WHITE) >= TEXT_ON_WHITE and contrast(colour, BLACK) >= LARGE_TEXT_ON_BLACK
    )
