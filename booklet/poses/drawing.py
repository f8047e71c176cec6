"""A pose drawn as SVG line art in the house style of images/.

Thick rounded limbs, black for the near side and grey for the far side, a circle
head, a thicker trunk, props in thin grey lines, at most two arrows in the accent
colour, no text. Far side first, then the trunk and head, then the near side, so
that the near limbs pass in front.
"""

from __future__ import annotations

import itertools
import math

from booklet.errors import Problem, SourceError
from booklet.poses import anatomy as A
from booklet.poses import props
from booklet.poses.anatomy import part_points
from booklet.poses.canvas import MIN_WIDTH, Canvas, Point
from booklet.poses.placing import Placed, PlacingError, centre, place, radius
from booklet.poses.posefile import Arrow, Pose

ARROW_STEPS = 6
ARROW_HEAD = 15.0
ARROW_GAP = 5.0  # between an arrow's end and the limb it points at
AROUND_RADIUS = 30.0
PUSH_LENGTH = 44.0
MIN_ARROW = 20.0  # shorter, and the head is all there is of it


def draw_pose(
    pose: Pose, title: str | None = None, tight: bool = False, accent: str = A.ACCENT
) -> bytes:
    """The pose as SVG bytes: the same pose and title give the same bytes. On the house
    canvas (600 units wide at least) for handouts; `tight` frames the figure alone;
    `accent` (#rrggbb) colours the arrows: the project's brand colour, if it has one."""
    try:
        placed = place(pose)
        paths = [_arrow_path(pose, placed, arrow) for arrow in pose.arrows]
    except PlacingError as err:
        raise SourceError(pose.path, err.problem) from None
    canvas = Canvas(mirror=pose.facing == "left")
    props.draw_behind(canvas, pose, placed)
    _draw_side(canvas, placed, "far", A.FAR_COLOUR, pose)
    _draw_trunk(canvas, placed)
    _draw_side(canvas, placed, "near", A.NEAR_COLOUR, pose)
    for arrow, path in zip(pose.arrows, paths, strict=True):
        _draw_arrow(canvas, arrow, path, accent)
    floor = (A.PROP_COLOUR, A.PROP_WIDTH) if pose.view != "top" else None
    return canvas.svg(title, floor, min_width=0.0 if tight else MIN_WIDTH)


def _draw_side(canvas: Canvas, placed: Placed, side: str, colour: str, pose: Pose) -> None:
    p = placed.points
    leg = [p[f"{side}_{n}"] for n in ("hip", "knee", "ankle", "toes")]
    arm = [p[f"{side}_{n}"] for n in ("shoulder", "elbow", "wrist", "fingers")]
    canvas.polyline(leg, colour, A.LEG_WIDTH)
    canvas.polyline(arm, colour, A.ARM_WIDTH)
    props.draw_held(canvas, pose, placed, side)


def _draw_trunk(canvas: Canvas, placed: Placed) -> None:
    p = placed.points
    colour = A.NEAR_COLOUR
    hips, bend, shoulders = p["hips"], p["trunk_bend"], p["shoulders"]
    middle = ((hips[0] + shoulders[0]) / 2, (hips[1] + shoulders[1]) / 2)
    if math.dist(bend, middle) > 1:
        canvas.curve(hips, bend, shoulders, colour, A.TRUNK_WIDTH)
    else:
        canvas.polyline([hips, shoulders], colour, A.TRUNK_WIDTH)
    canvas.polyline([shoulders, p["neck"]], colour, A.NECK_WIDTH)
    canvas.circle(p["head"], A.HEAD_RADIUS, colour, A.HEAD_STROKE)


# ---- arrows ----


def _part_radius(part: str) -> float:
    return max(radius(n) for n in part_points(part))


def _arrow_path(pose: Pose, placed: Placed, arrow: Arrow) -> list[Point]:
    if arrow.kind == "around":
        return [centre(placed.points, arrow.part)]
    if arrow.kind == "push":
        return _push_path(placed, arrow)
    drawn = placed.angles
    path, previous = [], placed
    for step in range(ARROW_STEPS + 1):
        t = step / ARROW_STEPS
        angles = dict(drawn)
        for name, target in arrow.change.items():
            angles[name] = drawn[name] + t * (target - drawn[name])
        try:
            previous = place(pose, angles, start=previous, anchor=placed, released=arrow.releases)
        except PlacingError as err:
            raise PlacingError(
                Problem(f"along this arrow's movement, {err.problem.message}", arrow.line)
            ) from None
        path.append(centre(previous.points, arrow.part))
    if arrow.towards_drawn:
        path.reverse()
    if math.dist(path[0], path[-1]) < 2:
        raise PlacingError(
            Problem(
                f"this arrow's movement does not move the {arrow.part.replace('_', ' ')}; "
                "change other angles, or follow another part",
                arrow.line,
            )
        )
    gap = _part_radius(arrow.part) + ARROW_GAP
    trimmed = _trim(path, gap, at_start=not arrow.towards_drawn)
    if len(trimmed) < 2 or _length(trimmed) < MIN_ARROW:
        # A small movement still gets an arrow that can be seen, pointing the same way.
        end = path[-1] if arrow.towards_drawn else trimmed[-1] if trimmed else path[-1]
        (sx, sy), (ex, ey) = path[0], path[-1]
        length = math.hypot(ex - sx, ey - sy)
        ux, uy = (ex - sx) / length, (ey - sy) / length
        if arrow.towards_drawn:
            end = (ex - ux * gap, ey - uy * gap)
        else:
            end = (sx + ux * (gap + MIN_ARROW), sy + uy * (gap + MIN_ARROW))
        trimmed = [(end[0] - ux * MIN_ARROW, end[1] - uy * MIN_ARROW), end]
    return trimmed


def _push_path(placed: Placed, arrow: Arrow) -> list[Point]:
    """A straight arrow that ends a little short of the part, coming from `direction`'s
    opposite side: pushing the part that way."""
    x, y = centre(placed.points, arrow.part)
    angle = math.radians(arrow.direction)
    ux, uy = math.sin(angle), math.cos(angle)
    gap = _part_radius(arrow.part) + ARROW_GAP
    start = gap + PUSH_LENGTH
    return [(x - ux * start, y - uy * start), (x - ux * gap, y - uy * gap)]


def _draw_arrow(canvas: Canvas, arrow: Arrow, path: list[Point], colour: str) -> None:
    dx, dy = arrow.offset or (0.0, 0.0)
    width = A.ARROW_WIDTH
    if arrow.kind == "around":
        x, y = path[0][0] + dx, path[0][1] + dy
        # Around the trunk, a flat ring: a turn about the body's long axis.
        rx, ry = (
            (70.0, 16.0)
            if arrow.part in ("trunk", "shoulders", "hips")
            else (
                AROUND_RADIUS,
                AROUND_RADIUS * 0.8,
            )
        )
        arc = [
            (x + rx * math.cos(a), y + ry * math.sin(a))
            for a in (math.radians(200 - 40 * k) for k in range(8))
        ]
        canvas.smooth(arc, colour, width)
        tip, before = arc[-1], arc[-2]
    else:
        moved = [(x + dx, y + dy) for x, y in path]
        canvas.smooth(_simplified(moved), colour, width)
        tip, before = moved[-1], moved[-2]
    angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
    wings = [
        (tip[0] - ARROW_HEAD * math.cos(angle + s), tip[1] - ARROW_HEAD * math.sin(angle + s))
        for s in (0.6, -0.6)
    ]
    canvas.polyline([wings[0], tip, wings[1]], colour, width)


def _trim(path: list[Point], gap: float, at_start: bool) -> list[Point]:
    """Cut `gap` off the end that touches the drawn part, so the arrow stays clear of it."""
    points = path if at_start else path[::-1]
    anchor = points[0]
    kept = [p for p in points if math.dist(p, anchor) >= gap]
    if not kept:
        return []
    first = kept[0]
    index = points.index(first)
    if index > 0:
        a, b = points[index - 1], first
        da, db = math.dist(a, anchor), math.dist(b, anchor)
        t = (gap - da) / (db - da) if db > da else 0.0
        kept.insert(0, (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    return kept if at_start else kept[::-1]


def _simplified(points: list[Point], most: int = 4) -> list[Point]:
    """At most `most` points along the path, evenly by length: a short, smooth curve."""
    if len(points) <= most:
        return points
    total = _length(points)
    wanted = [total * k / (most - 1) for k in range(most)]
    out, run, i = [], 0.0, 0
    for target in wanted:
        while i < len(points) - 2 and run + math.dist(points[i], points[i + 1]) < target:
            run += math.dist(points[i], points[i + 1])
            i += 1
        a, b = points[i], points[i + 1]
        seg = math.dist(a, b) or 1.0
        t = min(max((target - run) / seg, 0.0), 1.0)
        out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    return out


def _length(points: list[Point]) -> float:
    return sum(math.dist(a, b) for a, b in itertools.pairwise(points))
