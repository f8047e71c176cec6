"""Forward kinematics: joint angles to the 3-D positions of the body's joints.

The body is a small 3-D skeleton seen in orthographic projection: x to the right of
the picture, y up, z toward the viewer. The view decides how the body stands in
that space before the angles move it: in the side view the figure faces right with
its near side toward the viewer; in the front and top views it faces the viewer,
its near side on the viewer's left. The trunk's tilt then turns the whole body in
the picture's plane, so `trunk: -90` lies a side-view figure on its back, and
`trunk: 90` lies a front-view figure on its far side, near side up (side-lying).

Each joint turns its limb in the limb's own frame (along the bone, forward, outward),
so a movement means the same thing in every posture: knees and elbows bend one way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from booklet.poses import anatomy as A

Vector = tuple[float, float, float]
OBLIQUE = 0.25  # how far a point behind the picture's plane shows to the right, per unit


def add(a: Vector, b: Vector) -> Vector:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def scale(a: Vector, k: float) -> Vector:
    return (a[0] * k, a[1] * k, a[2] * k)


def along(origin: Vector, direction: Vector, length: float) -> Vector:
    return add(origin, scale(direction, length))


def _turn(a: Vector, b: Vector, degrees: float) -> tuple[Vector, Vector]:
    """Turn the perpendicular unit vectors a and b in their plane, a toward b."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (
        (a[0] * c + b[0] * s, a[1] * c + b[1] * s, a[2] * c + b[2] * s),
        (b[0] * c - a[0] * s, b[1] * c - a[1] * s, b[2] * c - a[2] * s),
    )


@dataclass(frozen=True)
class Frame:
    """Three perpendicular unit vectors: forward, up (along the bone, toward the head
    for the trunk; away from the joint for a limb: `down`), and the side axis."""

    forward: Vector
    up: Vector
    side: Vector

    def bent_forward(self, degrees: float) -> Frame:
        up, forward = _turn(self.up, self.forward, degrees)
        return Frame(forward, up, self.side)

    def bent_sideways(self, degrees: float) -> Frame:
        up, side = _turn(self.up, self.side, degrees)
        return Frame(self.forward, up, side)

    def twisted(self, degrees: float) -> Frame:
        forward, side = _turn(self.forward, self.side, degrees)
        return Frame(forward, self.up, side)


def base_frame(view: str, tilt: float) -> Frame:
    """The trunk's frame: the view's standing posture, turned by the trunk's tilt
    clockwise in the picture (forward, for a side view facing right)."""
    if view == "side":
        frame = Frame((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    else:
        frame = Frame((0.0, 0.0, 1.0), (0.0, 1.0, 0.0), (-1.0, 0.0, 0.0))
    c, s = math.cos(math.radians(tilt)), math.sin(math.radians(tilt))

    def clockwise(v: Vector) -> Vector:
        return (v[0] * c + v[1] * s, -v[0] * s + v[1] * c, v[2])

    return Frame(clockwise(frame.forward), clockwise(frame.up), clockwise(frame.side))


@dataclass(frozen=True)
class Skeleton:
    """Joint positions, the pelvis at the origin. Points are named 'hips', 'shoulders',
    'neck', 'head' (the head's centre), 'trunk_bend' (the trunk curve's control point),
    and per side 'near_shoulder', 'near_elbow', 'near_wrist', 'near_fingers',
    'near_hip', 'near_knee', 'near_ankle', 'near_toes' (and far_...)."""

    points: dict[str, Vector]


def pose_skeleton(angles: dict[str, float], view: str) -> Skeleton:
    a = angles
    chord = base_frame(view, a["trunk.tilt"])
    # The spine bends evenly: the pelvis turns back by half, the chest forward by half.
    flex, side, twist = a["spine.flex"], a["spine.side"], a["spine.twist"]
    pelvis = chord.bent_forward(-flex / 2).bent_sideways(-side / 2)
    chest = chord.bent_forward(flex / 2).bent_sideways(side / 2).twisted(twist)
    hips: Vector = (0.0, 0.0, 0.0)
    shoulders = along(hips, chord.up, A.TRUNK)
    # Control point of the trunk's curve: where the end tangents meet.
    middle = along(hips, chord.up, A.TRUNK / 2)
    bend = along(middle, chord.forward, -A.TRUNK / 2 * math.tan(math.radians(flex / 2)))
    bend = along(bend, chord.side, -A.TRUNK / 2 * math.tan(math.radians(side / 2)))
    points = {"hips": hips, "shoulders": shoulders, "trunk_bend": bend}

    neck = chest.bent_forward(a["neck.flex"]).bent_sideways(a["neck.side"])
    points["neck"] = along(shoulders, neck.up, A.NECK)
    head = neck.bent_forward(a["head.flex"])
    points["head"] = along(points["neck"], head.up, A.HEAD_RADIUS)

    for name, outward in (("near", 1.0), ("far", -1.0)):
        _arm(points, a, name, chest, outward)
        _leg(points, a, name, pelvis, outward)
    if view == "side":
        # Seen a little from the front: the far limbs peek out behind the near ones,
        # as in images/. Heights do not change, so what touches the floor still does.
        points = {n: (x - OBLIQUE * z, y, z) for n, (x, y, z) in points.items()}
    return Skeleton(points)


def _limb_frame(trunk: Frame, outward: float) -> Frame:
    """A limb hanging from the trunk: `up` along the bone away from the joint (down
    the body), `side` pointing outward from the body's midline."""
    return Frame(trunk.forward, scale(trunk.up, -1.0), scale(trunk.side, outward))


def _swing(frame: Frame, flex: float, abduct: float, rotate: float, abduct_first: bool) -> Frame:
    """A ball joint; rotate then turns the limb outward about the bone. The shoulder
    abducts, then flexes: an arm out to the side with flex -30 is drawn back, as in a
    doorway stretch. The hip flexes, then abducts: a thigh drawn up with abduct 40
    opens the knee out, as in a clamshell or a figure-4 stretch."""
    if abduct_first:
        return frame.bent_sideways(abduct).bent_forward(flex).twisted(rotate)
    return frame.bent_forward(flex).bent_sideways(abduct).twisted(rotate)


def _arm(points: dict, a: dict, side: str, chest: Frame, outward: float) -> None:
    p = f"{side}."
    joint = along(points["shoulders"], chest.side, outward * A.SHOULDER_HALF_WIDTH)
    upper = _swing(
        _limb_frame(chest, outward),
        a[p + "shoulder.flex"],
        a[p + "shoulder.abduct"],
        a[p + "shoulder.rotate"],
        abduct_first=True,
    )
    elbow = along(joint, upper.up, A.UPPER_ARM)
    fore = upper.bent_forward(a[p + "elbow.flex"])  # elbows bend forward only
    wrist = along(elbow, fore.up, A.FOREARM)
    hand = fore.bent_forward(a[p + "wrist.flex"])
    points.update(
        {
            f"{side}_shoulder": joint,
            f"{side}_elbow": elbow,
            f"{side}_wrist": wrist,
            f"{side}_fingers": along(wrist, hand.up, A.HAND),
        }
    )


def _leg(points: dict, a: dict, side: str, pelvis: Frame, outward: float) -> None:
    p = f"{side}."
    joint = along(points["hips"], pelvis.side, outward * A.HIP_HALF_WIDTH)
    thigh = _swing(
        _limb_frame(pelvis, outward),
        a[p + "hip.flex"],
        a[p + "hip.abduct"],
        a[p + "hip.rotate"],
        abduct_first=False,
    )
    knee = along(joint, thigh.up, A.THIGH)
    shin = thigh.bent_forward(-a[p + "knee.flex"])  # knees bend backward only
    ankle = along(knee, shin.up, A.SHIN)
    # The foot points forward, square to the shin; flexing the ankle lifts the toes.
    foot = shin.bent_forward(90 + a[p + "ankle.flex"])
    points.update(
        {
            f"{side}_hip": joint,
            f"{side}_knee": knee,
            f"{side}_ankle": ankle,
            f"{side}_toes": along(ankle, foot.up, A.FOOT),
        }
    )
