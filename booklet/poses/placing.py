"""Place a posed body on the floor and its props: what touches, touches.

A pose file gives angles a person can read and write (knee 90, trunk -90), and says
what touches the floor or a prop. Angles written by hand never put a foot exactly on
the floor and a hand exactly on the wall at once, so the figure is placed by a small
damped least-squares fit (fit.py): the body is raised or lowered, and the limbs that
touch something turn as little as they must for each touching part to meet its
surface; nothing else moves. This module says what meeting a surface is (the
residuals the fit makes small). A contact no such change can make (a hand asked to
reach a floor a metre away) is an error with the line of the prop that asks for it,
not a figure with a hand in the air.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from booklet.errors import Problem
from booklet.poses import anatomy as A
from booklet.poses.anatomy import part_points
from booklet.poses.fit import least_squares
from booklet.poses.posefile import Pose, PropUse
from booklet.poses.skeleton import pose_skeleton

# Heights of the surfaces props offer, in the drawing's units (a standing figure is
# about 360 units, 1.75 m: one unit is about 5 mm).
MAT_HEIGHT = 7.0
STEP_HEIGHT = 44.0
SEAT_HEIGHT = 96.0
CHAIR_BACK_HEIGHT = 190.0
CHAIR_BACK_BEHIND = 28.0  # a seated person's hips are this far in front of the chair's back
CHAIR_BACK_RAKE = 8.0  # the back leans back by this much at its top
BENCH_HEIGHT = 90.0
TABLE_HEIGHT = 170.0
BALL_RADIUS = 60.0
TOWEL_ROLL_RADIUS = 10.0
SURFACE_PROPS = ("floor", "mat", "step", "chair", "bench", "table", "ball", "towel")
UPRIGHT_PROPS = ("wall", "doorway")
TOLERANCE = 1.5  # units a contact may miss by (a third of the floor line's width)
CONTACT_WEIGHT = 50.0
ANCHOR_WEIGHT = 3.0
FLOOR_CLEARANCE = A.PROP_WIDTH / 2  # bodies rest on the top of a prop's line

_SEAT_PARTS = ("hips", "trunk", "shoulders", "near_thigh", "far_thigh")


@dataclass(frozen=True)
class Contact:
    prop: PropUse
    part: str
    points: tuple[str, ...]  # skeleton points of the part


@dataclass(frozen=True)
class Placed:
    """A body solved onto its props: angles (degrees) and 2-D points, floor at y = 0."""

    angles: dict[str, float]
    points: dict[str, tuple[float, float]]
    depth: dict[str, float]
    wall_sides: dict[str, float]  # for each upright prop: +1 if it stands ahead (+x)


class PlacingError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def centre(points: Mapping[str, tuple[float, ...]], part: str) -> tuple[float, float]:
    """Where a part holds or is held, and where its arrow points: the middle of its
    points; for the trunk, its curve's control point, so that a bent back is held
    where it bends."""
    names = ("trunk_bend",) if part == "trunk" else part_points(part)
    xs = [points[n][0] for n in names]
    ys = [points[n][1] for n in names]
    return (sum(xs) / len(xs), sum(ys) / len(ys))


def radius(point: str) -> float:
    if point == "head":
        return A.HEAD_RADIUS + A.HEAD_STROKE / 2
    if point in ("hips", "shoulders", "trunk"):
        return A.TRUNK_WIDTH / 2
    if point.split("_", 1)[-1] in ("shoulder", "elbow", "wrist", "fingers"):
        return A.ARM_WIDTH / 2
    return A.LEG_WIDTH / 2


def contacts_of(pose: Pose) -> list[Contact]:
    found = []
    for use in pose.props:
        if use.name in UPRIGHT_PROPS or (
            use.name in SURFACE_PROPS and not (use.name == "towel" and len(use.parts) > 1)
        ):
            for part in use.parts:
                found.append(Contact(use, part, part_points(part)))
    for touch in pose.touches:  # a hand or foot on the body: its limb reaches there
        found.append(Contact(PropUse("touch", touch.parts, touch.line), touch.name, ("grip",)))
    return found


def surface_height(contact: Contact) -> float:
    name = contact.prop.name
    if name == "mat":
        return MAT_HEIGHT
    if name == "step":
        return STEP_HEIGHT
    if name == "bench":
        return BENCH_HEIGHT
    if name == "table":
        return TABLE_HEIGHT
    if name == "towel":
        return 2 * TOWEL_ROLL_RADIUS
    if name == "chair":
        return CHAIR_BACK_HEIGHT if contact.part not in _SEAT_PARTS else SEAT_HEIGHT
    return 0.0


def _chain(part: str, view: str = "side") -> list[str]:
    """The angles that may turn so that `part` meets what it touches: in a side view
    the movements it shows (flexing), in a front view also those out to the side."""
    sideways = view != "side"
    if part == "head":
        return ["neck.flex", "neck.side"] if sideways else ["neck.flex"]
    if part in A.BODY_PARTS:
        return []
    side, limb = part.split("_", 1)
    if limb in ("hand", "forearm", "elbow"):
        joint, middle, end = "shoulder", "elbow", "wrist" if limb == "hand" else None
    else:
        joint, middle, end = "hip", "knee", "ankle" if limb in ("foot", "toes") else None
    names = [f"{joint}.flex", f"{joint}.abduct"] + ([f"{joint}.rotate"] if sideways else [])
    names += [f"{middle}.flex"] + ([f"{end}.flex"] if end else [])
    return [f"{side}.{name}" for name in names]


def _stiffness(angle: str, view: str) -> float:
    """How much turning an angle costs, per degree: distal joints give first, and the
    movement the view does not show costs more, so it stays as written."""
    move = angle.rsplit(".", 1)[-1]
    joint = angle.split(".")[-2]
    if joint in ("ankle", "wrist"):
        return 0.3
    if move in ("abduct", "rotate") or (joint == "neck" and move == "side"):
        return 0.6 if view != "side" else 2.0
    if view != "side" and joint in ("hip", "shoulder", "neck"):
        return 1.2
    return 0.6


class _Problem:
    def __init__(
        self,
        pose: Pose,
        angles: dict[str, float],
        contacts: list[Contact],
        anchor: Placed | None = None,
    ):
        self.pose = pose
        self.view = pose.view
        self.target = dict(angles)
        self.contacts = contacts if pose.view != "top" else []
        names: list[str] = []
        self.stiffer: set[str] = set()
        for contact in self.contacts:
            names += [n for n in _chain(contact.part, self.view) if n not in names]
            if contact.prop.name == "touch":  # what is touched may move toward the limb, a little
                held = [n for n in _chain(contact.prop.parts[0], self.view) if n not in names]
                names += held
                self.stiffer.update(held)
        self.names = names
        self.anchor = anchor
        self.weight = CONTACT_WEIGHT
        self.fixed = 2 if anchor is not None else 1  # lift, and the shift along the floor
        self.sides = anchor.wall_sides if anchor is not None else self._upright_sides(angles)
        self.faces: dict[str, float] = {}
        if anchor is not None:
            self.faces = self._first_faces(anchor.points)

    def _upright_sides(self, angles: dict[str, float]) -> dict[str, float]:
        """Which way each wall stands from the body: beyond the part that touches it,
        away from the body's middle; a door jamb is on the body's side of the arm."""
        points = pose_skeleton(angles, self.view).points
        middle = sum(p[0] for p in points.values()) / len(points)
        sides = {}
        for contact in self.contacts:
            name = contact.prop.name
            if name in UPRIGHT_PROPS and name not in sides:
                xs = [points[p][0] for p in contact.points]
                x = sum(xs) / len(xs)
                ahead = 1.0 if x >= middle else -1.0
                sides[name] = -ahead if name == "doorway" else ahead
        return sides

    def _first_faces(self, points: dict[str, tuple[float, float]]) -> dict[str, float]:
        """Where each wall stands: at the first part said to touch it."""
        faces: dict[str, float] = {}
        for contact in self.contacts:
            name = contact.prop.name
            if name in UPRIGHT_PROPS and name not in faces:
                side = self.sides[name]
                faces[name] = max(side * points[p][0] + radius(p) for p in contact.points)
        return faces

    def unpack(self, variables: list[float]) -> tuple[dict[str, float], float, float]:
        angles = dict(self.target)
        for name, value in zip(self.names, variables[self.fixed :], strict=True):
            angles[name] = value
        shift = variables[1] if self.fixed == 2 else 0.0
        return angles, variables[0], shift

    def residuals(self, variables: list[float], detail: bool = False):
        angles, lift, shift = self.unpack(variables)
        points = pose_skeleton(angles, self.view).points
        at = {name: (p[0] + shift, p[1] + lift) for name, p in points.items()}
        out: list[float] = []
        misses: list[tuple[Contact, float]] = []
        first_face: dict[str, float] = dict(self.faces)
        ball_x = self._ball_x(at)
        if self.anchor is not None:
            # Along an arrow's movement, what touches the floor stays where it was.
            for contact in self.contacts:
                if contact.prop.name == "touch":
                    continue
                for point in ("shoulders",) if contact.part == "trunk" else contact.points:
                    if contact.prop.name not in UPRIGHT_PROPS:
                        out.append(ANCHOR_WEIGHT * (at[point][0] - self.anchor.points[point][0]))
        for contact in self.contacts:
            errors = self._contact_errors(contact, at, first_face, ball_x)
            misses += [(contact, e) for e in errors]
            out += [self.weight * e for e in errors]
        if self.view != "top":
            for name in points:
                if name == "trunk_bend":
                    continue
                sink = radius(name) + FLOOR_CLEARANCE - at[name][1]
                out.append(self.weight * max(0.0, sink - TOLERANCE / 2))
        for name, value in zip(self.names, variables[self.fixed :], strict=True):
            stiffness = _stiffness(name, self.view) * (4.0 if name in self.stiffer else 1.0)
            out.append(stiffness * (value - self.target[name]))
        return (out, misses) if detail else out

    def _ball_x(self, at: dict[str, tuple[float, float]]) -> float | None:
        on_ball = [c for c in self.contacts if c.prop.name == "ball"]
        if not on_ball:
            return None
        xs = [at[p][0] for c in on_ball for p in c.points]
        return sum(xs) / len(xs)

    def _contact_errors(self, contact, at, first_face, ball_x) -> list[float]:
        name = contact.prop.name
        if name == "touch":
            (mx, my), (tx, ty) = centre(at, contact.part), centre(at, contact.prop.parts[0])
            return [mx - tx, my - ty]
        if name in UPRIGHT_PROPS:
            side = self.sides[name]
            faces = [side * at[p][0] + radius(p) for p in contact.points]
            if len(contact.points) == 1 or contact.part == "trunk":  # its outermost edge
                faces = [max(faces)]
            if name not in first_face:
                first_face[name] = max(faces)
                return [f - faces[0] for f in faces[1:]]  # lies flat against it
            return [f - first_face[name] for f in faces]
        if contact.part == "trunk":  # its curve rests on the surface by its lowest point
            return [
                min(
                    sy - radius("trunk") - FLOOR_CLEARANCE - _surface_at(contact, sx, ball_x)
                    for sx, sy in _trunk_samples(at)
                )
            ]
        errors = []
        seated = any(part in _SEAT_PARTS for part in contact.prop.parts)
        if name == "chair" and self.view == "side" and contact.part not in _SEAT_PARTS and seated:
            # Seated, a hand on the chair is on the top of its back, behind the hips.
            top = at["hips"][0] - CHAIR_BACK_BEHIND - CHAIR_BACK_RAKE
            errors.append(centre(at, contact.part)[0] - top)
        for point in contact.points:
            height = _surface_at(contact, at[point][0], ball_x)
            errors.append(at[point][1] - radius(point) - FLOOR_CLEARANCE - height)
        return errors

    def limits(self) -> list[tuple[float, float] | None]:
        """The lift and shift are free; each angle keeps to its joint's range."""
        ranges = [(A.ANGLES[name].low, A.ANGLES[name].high) for name in self.names]
        return [None] * self.fixed + ranges

    def start(self) -> list[float]:
        points = pose_skeleton(self.target, self.view).points
        needs = []
        for contact in self.contacts:
            if contact.prop.name in (*UPRIGHT_PROPS, "touch"):
                continue
            lowest = min(points[p][1] - radius(p) for p in contact.points)
            needs.append(surface_height(contact) + FLOOR_CLEARANCE - lowest)
        if not needs:  # nothing said: it rests on the floor by its lowest point
            needs = [FLOOR_CLEARANCE - min(p[1] - radius(n) for n, p in points.items())]
        shift = [0.0] if self.fixed == 2 else []
        return [max(needs), *shift] + [self.target[name] for name in self.names]


def _surface_at(contact: Contact, x: float, ball_x: float | None) -> float:
    """The height of what `contact` rests on, at `x`: a ball's curved top under the
    middle of what rests on it, a flat surface's height elsewhere."""
    if contact.prop.name == "ball" and ball_x is not None:
        dx = x - ball_x
        return BALL_RADIUS + math.sqrt(max(0.0, BALL_RADIUS**2 - dx * dx))
    return surface_height(contact)


def _trunk_samples(at: Mapping[str, tuple[float, float]]) -> list[tuple[float, float]]:
    """Points along the trunk's curve, from the hips to the shoulders."""
    (x0, y0), (x1, y1), (x2, y2) = at["hips"], at["trunk_bend"], at["shoulders"]
    samples = []
    for i in range(9):
        t = i / 8
        a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t * t
        samples.append((a * x0 + b * x1 + c * x2, a * y0 + b * y1 + c * y2))
    return samples


def place(
    pose: Pose,
    angles: dict[str, float] | None = None,
    start: Placed | None = None,
    anchor: Placed | None = None,
    released: tuple[str, ...] = (),
) -> Placed:
    """Solve `pose` (or the same props with other `angles`) onto its floor and props.
    With `anchor`, the parts touching something stay where they are in that placing
    (for the poses along an arrow's movement), except the `released` parts, which
    let go; `start` is where the fit begins."""
    angles = dict(pose.angles if angles is None else angles)
    contacts = [c for c in contacts_of(pose) if c.part not in released]
    if anchor is not None:  # along a movement, touches let go: only the path matters
        contacts = [c for c in contacts if c.prop.name != "touch"]
    problem = _Problem(pose, angles, contacts, anchor)
    variables = problem.start() if start is None else _restart(problem, start)
    # Softly first, then firmly: a stiff fit from far away crawls.
    for weight in (CONTACT_WEIGHT / 10, CONTACT_WEIGHT, CONTACT_WEIGHT * 10):
        problem.weight = weight
        variables = least_squares(problem.residuals, variables, problem.limits(), 30)
    _, misses = problem.residuals(variables, detail=True)
    solved, lift, shift = problem.unpack(variables)
    points3 = pose_skeleton(solved, pose.view).points
    worst = max(misses, key=lambda item: abs(item[1]), default=None)
    if worst is not None and abs(worst[1]) > TOLERANCE:
        contact, miss = worst
        raise PlacingError(_miss_problem(contact, miss, _in_the_way(points3, lift, pose)))
    if pose.view != "top":
        for name, p in points3.items():
            if name != "trunk_bend" and p[1] + lift < radius(name) - 3 * TOLERANCE:
                raise PlacingError(
                    Problem(
                        f"the {name.replace('_', ' ')} goes through the floor; change the "
                        "angles, or say what touches the floor under 'props:'",
                        _first_line(pose),
                    )
                )
    return Placed(
        angles=solved,
        points={n: (p[0] + shift, p[1] + lift) for n, p in points3.items()},
        depth={n: p[2] for n, p in points3.items()},
        wall_sides=problem.sides,
    )


def _restart(problem: _Problem, start: Placed) -> list[float]:
    lift, shift = start.points["hips"][1], start.points["hips"][0]
    fixed = [lift, shift] if problem.fixed == 2 else [lift]
    return fixed + [start.angles[name] for name in problem.names]


def _in_the_way(points3: dict, lift: float, pose: Pose) -> list[str]:
    """Parts that rest on the floor without being said to touch it."""
    if pose.view == "top":
        return []
    touching = {p for c in contacts_of(pose) for p in c.points if c.prop.name != "touch"}
    return [
        name.replace("_", " ")
        for name, p in points3.items()
        if name not in touching
        and name != "trunk_bend"
        and p[1] + lift < radius(name) + FLOOR_CLEARANCE + TOLERANCE
    ]


def _miss_problem(contact: Contact, miss: float, in_the_way: list[str]) -> Problem:
    part = contact.part.replace("_", " ")
    where = contact.prop.name
    if where == "touch":
        held = contact.prop.parts[0].replace("_", " ")
        chain = " or ".join(_joint_names(contact.part))
        return Problem(
            f"the {part} cannot reach the {held} it touches ({abs(miss):.0f} units short); "
            f"change the {chain}, or bring the {held} closer",
            contact.prop.line,
        )
    if where in UPRIGHT_PROPS:
        off = f"{abs(miss):.0f} units off"
        what = f"the {part} cannot lie against the {where} with the others ({off})"
    elif miss > 0:
        what = f"the {part} cannot reach down to the {where} ({miss:.0f} units above it)"
    else:
        what = f"the {part} cannot rest on the {where} without the rest of the body sinking"
    chain = ", ".join(_joint_names(contact.part))
    fix = f"change the {chain} or the trunk" if chain else "change the trunk or the other contacts"
    if in_the_way:
        fix += f" (the {', '.join(in_the_way)} rest on the floor first: add them under 'props:')"
    return Problem(f"{what}; {fix}", contact.prop.line)


def _joint_names(part: str) -> list[str]:
    """'near hip', 'near knee': the joints that could move `part`, for messages."""
    return sorted({name.rsplit(".", 1)[0].replace(".", " ") for name in _chain(part)})


def _first_line(pose: Pose) -> int:
    return min(pose.lines.values(), default=1)
