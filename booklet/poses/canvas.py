"""A tiny SVG writer: lines, curves and circles in the figure's coordinates (y up),
written with short, stable numbers and framed to what was drawn.

Stable: the same calls give the same bytes (numbers rounded to a tenth, no dates, no
ids), which makes a drawn pose as reproducible as the rest of a build.
"""

from __future__ import annotations

import math

Point = tuple[float, float]
MARGIN = 10.0
MIN_WIDTH = 600.0  # the width of the house canvas of images/
FLOOR_INSET = 20.0  # on the house canvas the floor stops short of its edges


def number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Canvas:
    def __init__(self, mirror: bool = False):
        self.mirror = mirror
        self.elements: list[str] = []
        self.left = self.bottom = math.inf
        self.right = self.top = -math.inf

    # ---- coordinates ----

    def _xy(self, p: Point) -> str:
        x = -p[0] if self.mirror else p[0]
        return f"{number(x)} {number(-p[1])}"

    def _extend(self, points: list[Point], pad: float) -> None:
        for x, y in points:
            x = -x if self.mirror else x
            self.left = min(self.left, x - pad)
            self.right = max(self.right, x + pad)
            self.bottom = min(self.bottom, y - pad)
            self.top = max(self.top, y + pad)

    # ---- shapes ----

    def polyline(self, points: list[Point], colour: str, width: float) -> None:
        points = _without_repeats(points)
        if len(points) == 1:
            points = points * 2
        d = "M" + " L".join(self._xy(p) for p in points)
        self._path(d, colour, width)
        self._extend(points, width / 2)

    def curve(self, start: Point, control: Point, end: Point, colour: str, width: float) -> None:
        d = f"M{self._xy(start)} Q{self._xy(control)} {self._xy(end)}"
        self._path(d, colour, width)
        # A quadratic curve stays inside the triangle of its points; near enough.
        middle = _bezier(start, control, end, 0.5)
        self._extend([start, middle, end], width / 2)

    def smooth(self, points: list[Point], colour: str, width: float) -> None:
        """A curve through the points (Catmull-Rom as cubic pieces)."""
        points = _without_repeats(points)
        if len(points) < 3:
            self.polyline(points, colour, width)
            return
        d = f"M{self._xy(points[0])}"
        for i in range(len(points) - 1):
            p0 = points[max(i - 1, 0)]
            p1, p2 = points[i], points[i + 1]
            p3 = points[min(i + 2, len(points) - 1)]
            c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
            c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
            d += f" C{self._xy(c1)} {self._xy(c2)} {self._xy(p2)}"
        self._path(d, colour, width)
        self._extend(points, width / 2)

    def circle(self, centre: Point, r: float, colour: str, width: float, fill="#ffffff") -> None:
        x, y = self._xy(centre).split()
        self.elements.append(
            f'<circle cx="{x}" cy="{y}" r="{number(r)}" fill="{fill}" stroke="{colour}" '
            f'stroke-width="{number(width)}"/>'
        )
        self._extend([centre], r + width / 2)

    def dot(self, centre: Point, r: float, colour: str) -> None:
        x, y = self._xy(centre).split()
        self.elements.append(f'<circle cx="{x}" cy="{y}" r="{number(r)}" fill="{colour}"/>')
        self._extend([centre], r)

    def _path(self, d: str, colour: str, width: float) -> None:
        self.elements.append(f'<path d="{d}" stroke="{colour}" stroke-width="{number(width)}"/>')

    # ---- the file ----

    def svg(
        self,
        title: str | None = None,
        floor: tuple[str, float] | None = None,
        min_width: float = MIN_WIDTH,
    ) -> bytes:
        """The SVG, framed to what was drawn: its bounding box, widened to the house
        canvas (`min_width`) when narrower, so that every figure of a handout is drawn
        at one scale and with the same weight of line, as the figures of images/ are.
        `floor` (colour, width) draws the floor line across the figure's whole width,
        a little past it on both sides."""
        spare = min_width - (self.right - self.left + 2 * MARGIN)
        if spare > 0:
            self.left, self.right = self.left - spare / 2, self.right + spare / 2
        if floor is not None and self.left < math.inf:
            colour, width = floor
            reach = 24.0 if spare <= 0 else -FLOOR_INSET
            left, right = self.left - reach, self.right + reach
            self.elements.insert(
                0,
                f'<path d="M{number(left)} 0 H{number(right)}" stroke="{colour}" '
                f'stroke-width="{number(width)}"/>',
            )
            self.left, self.right = left - width / 2, right + width / 2
            self.bottom = min(self.bottom, -width / 2)
        x0, x1 = math.floor(self.left - MARGIN), math.ceil(self.right + MARGIN)
        y0, y1 = math.floor(-self.top - MARGIN), math.ceil(-self.bottom + MARGIN)
        width, height = x1 - x0, y1 - y0
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="{x0} {y0} {width} {height}" role="img">'
        )
        lines = [head]
        if title:
            lines.append(f"<title>{escape(title)}</title>")
        lines.append('<g fill="none" stroke-linecap="round" stroke-linejoin="round">')
        lines += self.elements
        lines += ["</g>", "</svg>", ""]
        return "\n".join(lines).encode("utf-8")


def _bezier(a: Point, b: Point, c: Point, t: float) -> Point:
    u = 1 - t
    return (
        u * u * a[0] + 2 * u * t * b[0] + t * t * c[0],
        u * u * a[1] + 2 * u * t * b[1] + t * t * c[1],
    )


def _without_repeats(points: list[Point]) -> list[Point]:
    kept = [points[0]]
    for p in points[1:]:
        if abs(p[0] - kept[-1][0]) > 0.05 or abs(p[1] - kept[-1][1]) > 0.05:
            kept.append(p)
    return kept


def escape(text: str) -> str:
    """Text for XML content: &, < and > as entities."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


__all__ = ["Canvas", "escape", "number"]
