"""Props in thin lines, each put where the body touches it.

A prop has no position of its own in a pose file: a step is drawn under the foot on
it, a wall behind the back against it, a chair under the hips (or under the hand on
its back), a band between the parts it joins, a dumbbell in the hand.
"""

from __future__ import annotations

import math

from booklet.poses import anatomy as A
from booklet.poses import placing as P
from booklet.poses.anatomy import part_points
from booklet.poses.canvas import Canvas
from booklet.poses.placing import Placed
from booklet.poses.posefile import Pose, PropUse

LINE = A.PROP_COLOUR
THIN = A.PROP_WIDTH
BEHIND = ("wall", "doorway", "chair", "bench", "table", "step", "ball", "mat", "towel")


def draw_behind(canvas: Canvas, pose: Pose, placed: Placed) -> None:
    """The props the body is in front of: walls, furniture, the mat."""
    for use in sorted(pose.props, key=lambda u: BEHIND.index(u.name) if u.name in BEHIND else 99):
        if use.name == "towel" and len(use.parts) > 1:
            continue  # a towel held as a strap is drawn with the hands
        drawer = _BEHIND.get(use.name)
        if drawer is not None:
            drawer(canvas, pose, placed, use)


def draw_held(canvas: Canvas, pose: Pose, placed: Placed, side: str) -> None:
    """Things in the hands of one side, drawn over it; straps and bands with the near side."""
    for use in pose.props:
        if use.name == "dumbbell":
            for part in use.parts:
                if part.startswith(side):
                    _dumbbell(canvas, placed, part, side)
        elif side == "near" and use.name == "barbell":
            _barbell(canvas, pose, placed, use)
        elif side == "near" and use.name in ("band", "towel") and len(use.parts) > 1:
            points = [_grip(placed, part) for part in use.parts]
            canvas.polyline(points, LINE, THIN if use.name == "band" else 6.0)


# ---- where a part is ----


def _grip(placed: Placed, part: str) -> tuple[float, float]:
    """The point of a part that holds or is held: the middle of a hand or a foot."""
    return P.centre(placed.points, part)


def _touching_points(use: PropUse) -> list[str]:
    return [name for part in use.parts for name in part_points(part)]


def _span(placed: Placed, use: PropUse) -> tuple[float, float]:
    xs = [placed.points[n][0] for n in _touching_points(use)]
    return min(xs), max(xs)


def _face(placed: Placed, use: PropUse, name: str) -> tuple[float, float]:
    """Which way a wall or door frame stands (+1 ahead), and the x of its face: just
    beyond the outermost part against it."""
    side = placed.wall_sides[name]
    face = max(side * placed.points[n][0] + P.radius(n) for n in _touching_points(use))
    return side, side * (face + THIN / 2)


def _middle_x(placed: Placed) -> float:
    xs = [p[0] for p in placed.points.values()]
    return sum(xs) / len(xs)


def _top_of_figure(placed: Placed) -> float:
    return max(p[1] for p in placed.points.values()) + A.HEAD_RADIUS


# ---- behind the body ----


def _mat(canvas: Canvas, pose: Pose, placed: Placed, use: PropUse) -> None:
    low = [p[0] for p in placed.points.values()]
    lying = [p[0] for n, p in placed.points.items() if p[1] < P.MAT_HEIGHT + 40]
    xs = lying or low
    left, right = min(xs) - 26, max(xs) + 26
    h = P.MAT_HEIGHT
    canvas.polyline([(left, 0), (left, h), (right, h), (right, 0)], LINE, THIN)


def _step(canvas: Canvas, pose: Pose, placed: Placed, use: PropUse) -> None:
    h = P.STEP_HEIGHT
    if pose.view != "side":
        left, right = _span(placed, use)
        left, right = left - 34, right + 34
    elif all(part.endswith("_toes") for part in use.parts):
        # The balls of the feet on the edge, the heels free to drop below it.
        side = use.parts[0].split("_")[0]
        toes, heel = placed.points[f"{side}_toes"], placed.points[f"{side}_ankle"]
        ahead = 1.0 if toes[0] >= heel[0] else -1.0
        edge = (
            min(placed.points[p][0] for p in _touching_points(use))
            if ahead > 0
            else max(placed.points[p][0] for p in _touching_points(use))
        )
        edge -= ahead * 14  # under the ball of the foot
        # The bottom stair of a flight: a second riser behind shows it is a stair.
        riser = edge + ahead * 70
        canvas.polyline(
            [(riser, h), (riser, 2 * h), (riser + ahead * 60, 2 * h), (riser + ahead * 60, 0)],
            LINE,
            THIN,
        )
        left, right = sorted((edge, riser + ahead * 60))
    else:
        left, right = _span(placed, use)
        middle, half = (left + right) / 2, max(46.0, (right - left) / 2 + 16)
        left, right = middle - half, middle + half
    canvas.polyline([(left, 0), (left, h), (right, h), (right, 0)], LINE, THIN)


def _chair(canvas: Canvas, pose: Pose, placed: Placed, use: PropUse) -> None:
    seat, back_top, depth = P.SEAT_HEIGHT, P.CHAIR_BACK_HEIGHT, 84.0
    seated = any(part in P._SEAT_PARTS for part in use.parts)
    if pose.view != "side":
        middle = placed.points["hips"][0] if seated else _grip(placed, use.parts[0])[0]
        half = 46.0
        left, right = middle - half, middle + half
        canvas.polyline([(left, back_top), (left, 0)], LINE, THIN)
        canvas.polyline([(right, back_top), (right, 0)], LINE, THIN)
        canvas.polyline([(left, back_top), (right, back_top)], LINE, THIN)
        canvas.polyline([(left - 4, seat), (right + 4, seat)], LINE, THIN)
        return
    if seated:
        back = placed.points["hips"][0] - P.CHAIR_BACK_BEHIND
        toward = 1.0
    else:
        back = _grip(placed, use.parts[0])[0]
        toward = 1.0 if back >= _middle_x(placed) else -1.0
    front = back + toward * depth
    rake = P.CHAIR_BACK_RAKE if seated else 0.0
    canvas.polyline([(back - toward * rake, back_top), (back, seat), (back, 0)], LINE, THIN)
    canvas.polyline([(back, seat), (front, seat), (front, 0)], LINE, THIN)


def _bench(canvas: Canvas, pose: Pose, placed: Placed, use: PropUse) -> None:
    h = P.BENCH_HEIGHT
    left, right = _span(placed, use)
    middle, half = (left + right) / 2, max(100.0, (right - left) / 2 + 30)
    if pose.view != "side":
        half = 40.0
    left, right = middle - half, middle + half
    canvas.polyline(
        [(left, h - 12), (left, h), (right, h), (right, h - 12), (left, h - 12)], LINE, THIN
    )
    canvas.polyline([(left + 18, h - 12), (left + 18, 0)], LINE, THIN)
    canvas.polyline([(right - 18, h - 12), (right - 18, 0)], LINE, THIN)


def _table(canvas: Canvas, pose: Pose, placed: Placed, use: PropUse) -> None:
    h = P.TABLE_HEIGHT
    left, right = _span(placed, use)
    toward = 1.0 if (left + right) / 2 >= _middle_x(placed) else -1.0
    near_edge = left - 10 if toward > 0 else right + 10
    far_edge = near_edge + toward * 150
    left, right = sorted((near_edge, far_edge))
    canvas.polyline([(left, h), (right, h)], LINE, THIN)
    canvas.polyline([(left + 10, h), (left + 10, 0)], LINE, THIN)
    canvas.polyline([(right - 10, h), (right - 10, 0)], LINE, THIN)


def _wall(canvas: Canvas, pose: Pose, placed: Placed, use: PropUse) -> None:
    top = _top_of_figure(placed) + 24
    if pose.view != "side":  # a panel of wall behind the figure, wider than its reach
        xs = [p[0] for p in placed.points.values()]
        left, right = min(xs) - 90, max(xs) + 90
        top += 30
        canvas.polyline([(left, 0), (left, top), (right, top), (right, 0)], LINE, THIN)
        return
    _, x = _face(placed, use, "wall")
    canvas.polyline([(x, 0), (x, top)], LINE, THIN)


def _doorway(canvas: Canvas, pose: Pose, placed: Placed, use: PropUse) -> None:
    top = max(_top_of_figure(placed) + 40, 400.0)
    if pose.view != "side":
        xs = [_grip(placed, part)[0] for part in use.parts]
        left, right = min(xs) - 10, max(xs) + 10
        if len(xs) == 1:
            left, right = sorted((xs[0], 2 * placed.points["hips"][0] - xs[0]))
        canvas.polyline([(left, 0), (left, top), (right, top), (right, 0)], LINE, THIN)
        return
    side, x = _face(placed, use, "doorway")
    jamb = 24.0  # the wall's thickness: seen from the side, the frame is edge-on
    canvas.polyline([(x, 0), (x, top), (x + side * jamb, top), (x + side * jamb, 0)], LINE, THIN)


def _ball(canvas: Canvas, pose: Pose, placed: Placed, use: PropUse) -> None:
    xs = [placed.points[n][0] for n in _touching_points(use)]
    centre = (sum(xs) / len(xs), P.BALL_RADIUS + P.FLOOR_CLEARANCE)
    canvas.circle(centre, P.BALL_RADIUS - THIN / 2, LINE, THIN)


def _towel_roll(canvas: Canvas, pose: Pose, placed: Placed, use: PropUse) -> None:
    x = _grip(placed, use.parts[0])[0]
    r = P.TOWEL_ROLL_RADIUS
    canvas.circle((x, r + P.FLOOR_CLEARANCE), r - THIN / 2, LINE, THIN)
    canvas.circle((x, r + P.FLOOR_CLEARANCE), r / 3, LINE, THIN / 1.5)


_BEHIND = {
    "mat": _mat,
    "step": _step,
    "chair": _chair,
    "bench": _bench,
    "table": _table,
    "wall": _wall,
    "doorway": _doorway,
    "ball": _ball,
    "towel": _towel_roll,
}


# ---- held ----


def _dumbbell(canvas: Canvas, placed: Placed, part: str, side: str) -> None:
    colour = A.NEAR_COLOUR if side == "near" else A.FAR_COLOUR
    grip = _grip(placed, part)
    wrist, fingers = placed.points[f"{side}_wrist"], placed.points[f"{side}_fingers"]
    dx, dy = fingers[0] - wrist[0], fingers[1] - wrist[1]
    length = math.hypot(dx, dy) or 1.0
    across = (-dy / length, dx / length)  # the bar lies across the hand
    half = 17.0
    ends = [(grip[0] + across[0] * s * half, grip[1] + across[1] * s * half) for s in (-1, 1)]
    canvas.polyline(ends, colour, 6.0)
    for end in ends:
        plate = [
            (end[0] - dx / length * 11, end[1] - dy / length * 11),
            (end[0] + dx / length * 11, end[1] + dy / length * 11),
        ]
        canvas.polyline(plate, colour, 11.0)


def _barbell(canvas: Canvas, pose: Pose, placed: Placed, use: PropUse) -> None:
    grips = [_grip(placed, part) for part in use.parts]
    x = sum(g[0] for g in grips) / len(grips)
    y = sum(g[1] for g in grips) / len(grips)
    if pose.view == "side":
        canvas.circle((x, y), 40.0, A.NEAR_COLOUR, A.HEAD_STROKE)
        canvas.dot((x, y), 8.0, A.NEAR_COLOUR)
        return
    reach = 150.0
    canvas.polyline([(x - reach, y), (x + reach, y)], A.NEAR_COLOUR, 6.0)
    for end in (x - reach + 16, x + reach - 16):
        canvas.polyline([(end, y - 36), (end, y + 36)], A.NEAR_COLOUR, 12.0)
