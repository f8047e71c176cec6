"""The body the figures are drawn with: its joints, how far each one moves, its sizes.

Angles are in degrees. Every joint has one or more movements (flex, abduct, rotate,
side, twist), each with the range a healthy adult reaches, so that a pose file asking
a knee to bend backwards is an error and not a drawing. Lengths are in the drawing's
units, the pixels of images/: a standing figure is about 360 units tall.
"""

from __future__ import annotations

from dataclasses import dataclass

from booklet import colour

SIDES = ("near", "far")  # near: toward the viewer, drawn black; far: drawn grey


@dataclass(frozen=True)
class Movement:
    low: float
    high: float
    about: str  # what the positive direction is, for the docs and error messages


# Joints of the body as a whole (the `body:` block of a pose file).
BODY_JOINTS: dict[str, dict[str, Movement]] = {
    # The trunk's angle in the picture: the line from the hips to the shoulders.
    "trunk": {"tilt": Movement(-180, 180, "0 upright, 90 leaning forward level, -90 on the back")},
    "spine": {
        "flex": Movement(-40, 80, "rounding the back (+) or arching it (-)"),
        "side": Movement(-40, 40, "bending toward the near side (+)"),
        "twist": Movement(-60, 60, "turning the shoulders toward the near side (+)"),
    },
    "neck": {
        "flex": Movement(-60, 75, "chin toward the chest (+) or head back (-)"),
        "side": Movement(-45, 45, "ear toward the near shoulder (+)"),
    },
    "head": {"flex": Movement(-40, 40, "nodding forward (+)")},
}

# Joints of each side (the `near:` and `far:` blocks).
LIMB_JOINTS: dict[str, dict[str, Movement]] = {
    "shoulder": {
        "flex": Movement(-60, 180, "arm forward and up (+) or back (-)"),
        "abduct": Movement(-30, 180, "arm out to the side (+) or across the body (-)"),
        "rotate": Movement(-90, 90, "turning the arm outward (+) or inward (-)"),
    },
    "elbow": {"flex": Movement(0, 150, "bending the elbow")},
    # The stick hand has no palm: bending the way the elbow bends (+) or back (-).
    "wrist": {"flex": Movement(-90, 90, "bending the hand the way the elbow bends (+)")},
    "hip": {
        "flex": Movement(-30, 140, "thigh forward and up (+) or back (-)"),
        "abduct": Movement(-30, 70, "leg out to the side (+) or across (-)"),
        "rotate": Movement(-45, 60, "turning the knee outward (+) or inward (-)"),
    },
    "knee": {"flex": Movement(0, 155, "bending the knee")},
    # The drawn foot is the sole's line; kneeling, or pointed, it lies along the shin.
    "ankle": {"flex": Movement(-90, 35, "toes up toward the shin (+) or pointed (-)")},
}

# A number alone for a joint is its first movement: `knee: 90`, `trunk: -90`.
MAIN_MOVEMENT = {name: next(iter(moves)) for name, moves in (BODY_JOINTS | LIMB_JOINTS).items()}


def all_angles() -> dict[str, Movement]:
    """Every angle by its full name: 'trunk.tilt', 'near.knee.flex', ..."""
    angles = {
        f"{joint}.{move}": limits
        for joint, moves in BODY_JOINTS.items()
        for move, limits in moves.items()
    }
    for side in SIDES:
        for joint, moves in LIMB_JOINTS.items():
            for move, limits in moves.items():
                angles[f"{side}.{joint}.{move}"] = limits
    return angles


ANGLES = all_angles()

# Lengths (drawing units), as in images/: trunk from hip to shoulder line, and so on.
TRUNK = 110.0
NECK = 16.0
HEAD_RADIUS = 21.0
SHOULDER_HALF_WIDTH = 22.0  # the arms leave the trunk at its edges
HIP_HALF_WIDTH = 14.0
UPPER_ARM = 64.0
FOREARM = 54.0
HAND = 16.0
THIGH = 90.0
SHIN = 86.0
FOOT = 26.0

# Stroke widths and colours of the house style.
TRUNK_WIDTH = 30.0
LEG_WIDTH = 15.0
ARM_WIDTH = 13.0
NECK_WIDTH = 12.0
HEAD_STROKE = 7.0
NEAR_COLOUR = "#1a1a1a"
FAR_COLOUR = "#8a8a8a"
PROP_COLOUR = "#555555"
PROP_WIDTH = 4.0
ACCENT = colour.DEFAULT  # the one accent colour of the house style
ARROW_WIDTH = 6.0

# Parts of the body that can touch the floor or a prop, or carry an arrow. Each is
# one point, or a segment between two points (it lies flat on what it touches); the
# trunk is the segment from the hips to the shoulders.
BODY_PARTS = {
    "head": ("head",),
    "shoulders": ("shoulders",),
    "hips": ("hips",),
    "trunk": ("hips", "shoulders"),
}
LIMB_PARTS = {
    "hand": ("wrist", "fingers"),
    "forearm": ("elbow", "wrist"),
    "elbow": ("elbow",),
    "knee": ("knee",),
    "shin": ("knee", "ankle"),
    "thigh": ("hip", "knee"),
    "foot": ("ankle", "toes"),
    "heel": ("ankle",),
    "toes": ("toes",),
}
PLURALS = {
    "hands": "hand",
    "forearms": "forearm",
    "elbows": "elbow",
    "knees": "knee",
    "shins": "shin",
    "thighs": "thigh",
    "feet": "foot",
    "heels": "heel",
}


def part_names() -> list[str]:
    names = list(BODY_PARTS)
    names += [f"{side}_{part}" for side in SIDES for part in LIMB_PARTS]
    return names + list(PLURALS)


def part_points(part: str) -> tuple[str, ...]:
    """The skeleton's points of a part: 'near_shin' -> ('near_knee', 'near_ankle')."""
    if part in BODY_PARTS:
        return BODY_PARTS[part]
    side, limb = part.split("_", 1)
    return tuple(f"{side}_{point}" for point in LIMB_PARTS[limb])


def expand_part(name: str) -> list[str]:
    """'feet' -> ['near_foot', 'far_foot']; a single part stays itself."""
    if name in PLURALS:
        return [f"{side}_{PLURALS[name]}" for side in SIDES]
    return [name]
