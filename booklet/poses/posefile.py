"""Read a pose file (NAME.pose.yaml) into a Pose, reporting every problem with its line.

A pose file is YAML, composed (not loaded) so that each value keeps its line:

    alt: A person lies on their back ...      # the default alt text (required)
    view: side                                # side, front or top
    facing: right                             # right or left
    body: {trunk: -90, spine: 0, neck: 10}
    near: {hip: 90, knee: 90, shoulder: {flex: 20, abduct: 10}}
    far: {hip: 40}                            # not given: as on the near side
    props: {floor: [shoulders, feet], band: [near_knee, far_knee]}
    arrows: [{path_of: hips, from: {body: {trunk: -75}}}]

docs/poses.md describes every field. The same joint table (anatomy.py) checks
the ranges, so a pose that no body can take is refused here, before it is drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from booklet.errors import Problem, SourceError
from booklet.fields import Document, compose
from booklet.poses.anatomy import (
    ANGLES,
    BODY_JOINTS,
    BODY_PARTS,
    LIMB_JOINTS,
    MAIN_MOVEMENT,
    SIDES,
    expand_part,
    part_names,
)

MAX_POSE_BYTES = 64 * 1024
MAX_ALT = 300
SUFFIX = ".pose.yaml"
VIEWS = ("side", "front", "top")
FACINGS = ("right", "left")
FIELDS = ("alt", "view", "facing", "body", "near", "far", "touches", "props", "arrows")
MAX_ARROWS = 2
DIRECTIONS = {"up": 0.0, "forward": 90.0, "down": 180.0, "back": -90.0}
# An arrow is moved off its part by a little, to clear a limb: a third of a standing
# figure at most, so that it stays by the figure and the picture keeps its size.
MAX_OFFSET = 120.0

# Each prop, and how many body parts it takes (at least, at most).
PROPS: dict[str, tuple[int, int]] = {
    "floor": (1, 12),
    "mat": (1, 12),
    "chair": (1, 4),
    "step": (1, 4),
    "wall": (1, 6),
    "bench": (1, 6),
    "table": (1, 4),
    "band": (2, 4),
    "ball": (1, 4),
    "dumbbell": (1, 2),
    "barbell": (1, 2),
    "towel": (1, 4),
    "doorway": (1, 2),
}
# Props held in the hand, and the parts they can be put on.
HELD = {"dumbbell": ("near_hand", "far_hand"), "barbell": ("near_hand", "far_hand")}


@dataclass(frozen=True)
class PropUse:
    """A prop and the body parts that touch it (for a band or towel: that it runs between)."""

    name: str
    parts: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Arrow:
    """A movement, drawn as an arrow. Three kinds:

    - `path_of: PART` with `to:` or `from:`: the path the part takes between the drawn
      pose and the angles given (`change`), solved pose by pose, so it is the real path;
    - `around: PART`: a circle around it (ankle circles; around the trunk, a turn);
    - `push: PART` with `toward: DIRECTION`: a short straight arrow pressing on the part
      (a chin pushed back, a knee pressed down), for movements too small to trace.
    """

    part: str
    line: int
    kind: str = "path"  # path, around or push
    change: dict[str, float] = field(default_factory=dict)
    towards_drawn: bool = False
    direction: float = 0.0  # push: degrees in the picture, 0 up, 90 the way the figure faces
    offset: tuple[float, float] | None = None
    releases: tuple[str, ...] = ()  # parts that let go of what they touch as it moves


@dataclass(frozen=True)
class Pose:
    path: Path
    alt: str
    view: str
    facing: str
    angles: dict[str, float]  # every angle of anatomy.ANGLES, in degrees
    lines: dict[str, int]  # the line each given angle was written on
    props: tuple[PropUse, ...]
    arrows: tuple[Arrow, ...]
    touches: tuple[PropUse, ...] = ()  # name: a limb part; parts: the body part it is on

    @property
    def name(self) -> str:
        return pose_name(self.path)


def pose_name(path: Path | str) -> str:
    name = Path(path).name
    return name[: -len(SUFFIX)] if name.endswith(SUFFIX) else Path(name).stem


def read_pose(path: Path) -> Pose:
    """The Pose in `path`, or a SourceError listing every problem with its line."""
    size = path.stat().st_size
    if size > MAX_POSE_BYTES:
        raise SourceError(path, Problem(too_large(size), 1))
    return parse_pose(path, path.read_bytes())


def too_large(size: int) -> str:
    return f"is {size // 1024} KB; a pose file is at most {MAX_POSE_BYTES // 1024} KB"


def parse_pose(path: Path, data: bytes) -> Pose:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SourceError(path, Problem("is not UTF-8 text; save it as UTF-8", line)) from None
    root = _compose(path, text)
    reader = _Reader(path)
    pose = reader.read(root)
    if reader.problems:
        raise SourceError(path, sorted(reader.problems, key=lambda p: p.line or 0))
    return pose


def _compose(path: Path, text: str) -> yaml.MappingNode:
    """The pose file's mapping, composed as front matter is (fields.py): no aliases,
    no absurd nesting, every YAML error with its line."""
    if not text.strip():
        raise SourceError(path, Problem("is empty; a pose needs at least 'alt:'", 1))
    document = Document(
        path,
        name="the pose file",
        max_chars=MAX_POSE_BYTES,
        too_large="a pose file is short",
        how_deep="a pose nests two deep (near: then knee:)",
        example="alt: ...",
    )
    return compose(document, text)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, message: str, node: yaml.Node) -> None:
        self.problems.append(Problem(message, _line(node)))

    def read(self, root: yaml.MappingNode) -> Pose:
        fields = self.mapping(root, FIELDS, "field", "the fields are")
        alt = self.text(fields.get("alt"), "alt", MAX_ALT)
        if "alt" not in fields:
            self.problems.append(
                Problem("'alt' is required: write what the figure shows, for who cannot see it", 1)
            )
        view = self.choice(fields.get("view"), "view", VIEWS)
        facing = self.choice(fields.get("facing"), "facing", FACINGS)
        given: dict[str, float] = {}
        lines: dict[str, int] = {}
        self.angles(fields, given, lines)
        angles = resolve_angles(given)
        props = self.props(fields.get("props"))
        arrows = self.arrows(fields.get("arrows"))
        touches = self.touches(fields.get("touches"))
        return Pose(self.path, alt, view, facing, angles, lines, props, arrows, touches)

    # ---- fields ----

    def mapping(
        self, node: yaml.Node, allowed, what: str, listing: str, where: str = ""
    ) -> dict[str, yaml.Node]:
        """The keys of a mapping node; unknown and repeated keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(f"{where or 'the file'} must hold fields ({', '.join(allowed)})", node)
            return {}
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                inside = f" in {where}" if where else ""
                self.problem(f"unknown {what} '{key}'{inside}; {listing}: {known}", key_node)
            elif key in found:
                self.problem(f"'{key}' is given twice; keep one", key_node)
            else:
                found[key] = value_node
        return found

    def text(self, node: yaml.Node | None, name: str, limit: int) -> str:
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.problem(f"'{name}' must be text", node)
            return ""
        value = " ".join(node.value.split())
        if not value:
            self.problem(f"'{name}' is empty; say what the figure shows", node)
        elif len(value) > limit:
            self.problem(f"'{name}' is {len(value)} characters; keep it under {limit}", node)
        return value

    def choice(self, node: yaml.Node | None, name: str, choices: tuple[str, ...]) -> str:
        if node is None:
            return choices[0]
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        if value not in choices:
            self.problem(f"'{name}' must be one of: {', '.join(choices)}", node)
            return choices[0]
        return value

    def number(
        self, node: yaml.Node, name: str, low: float, high: float, unit="degrees", about=""
    ) -> float | None:
        """The number in `node`, if it is one from `low` to `high`; else a problem that
        says the range (in `unit`, and what its positive direction is: `about`)."""
        value = None
        if isinstance(node, yaml.ScalarNode) and node.tag in (
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
        ):
            try:
                value = float(node.value.replace("_", ""))
            except ValueError:
                value = None
        if value is None or math.isnan(value):
            self.problem(f"{name} must be a number of {unit}, like 45", node)
            return None
        if not low <= value <= high:
            self.problem(
                f"{name} {_degrees(value)} is out of its range, "
                f"{_degrees(low)} to {_degrees(high)} {unit}" + (f" ({about})" if about else ""),
                node,
            )
            return None
        return value

    # ---- angles ----

    def angles(self, fields: dict, given: dict[str, float], lines: dict[str, int]) -> None:
        if "body" in fields:
            self.joint_block(fields["body"], "", BODY_JOINTS, "body", given, lines)
        for side in SIDES:
            if side in fields:
                self.joint_block(fields[side], f"{side}.", LIMB_JOINTS, side, given, lines)

    def joint_block(self, node, prefix, joints, where, given, lines) -> None:
        for joint, value in self.mapping(node, joints, "joint", "the joints are", where).items():
            label = f"{where} {joint}" if where != "body" else joint
            moves = joints[joint]
            if isinstance(value, yaml.MappingNode):
                found = self.mapping(value, moves, "movement", f"the {joint} has", label).items()
            else:
                found = [(MAIN_MOVEMENT[joint], value)]
            for move, number_node in found:
                name = f"{prefix}{joint}.{move}"
                limits = ANGLES[name]
                degrees = self.number(
                    number_node, f"{label} {move}", limits.low, limits.high, about=limits.about
                )
                if degrees is None:
                    continue
                given[name] = degrees
                lines[name] = _line(number_node)

    # ---- props ----

    def props(self, node: yaml.Node | None) -> tuple[PropUse, ...]:
        if node is None:
            return ()
        uses = []
        for name, value in self.mapping(node, PROPS, "prop", "the props are", "props").items():
            parts = self.parts(value, f"the {name}")
            least, most = PROPS[name]
            if parts is None:
                continue
            if not least <= len(parts) <= most:
                if least == most:
                    count = f"{least}"
                elif least == 1:
                    count = f"at most {most}"
                else:
                    count = f"{least} to {most}"
                self.problem(f"the {name} takes {count} body parts, not {len(parts)}", value)
                continue
            if name in HELD and (wrong := [part for part in parts if part not in HELD[name]]):
                where = ", ".join(HELD[name])
                self.problem(
                    f"a {name} is held in the hand, not on the {wrong[0].replace('_', ' ')}; "
                    f"put it on {where} or hands",
                    value,
                )
                continue
            uses.append(PropUse(name, tuple(parts), _line(value)))
        return tuple(uses)

    def parts(self, node: yaml.Node, owner: str) -> list[str] | None:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        names: list[str] = []
        for item in items:
            if not isinstance(item, yaml.ScalarNode) or item.value not in part_names():
                shown = item.value if isinstance(item, yaml.ScalarNode) else "this"
                self.problem(
                    f"unknown body part '{shown}' for {owner}; the parts are: "
                    + ", ".join(part_names()),
                    item,
                )
                return None
            names += expand_part(item.value)
        return names

    def touches(self, node: yaml.Node | None) -> tuple[PropUse, ...]:
        """`touches: {near_hand: near_foot, near_heel: far_knee}`: a hand holds, a foot
        rests on, another part of the body; the limb reaches it."""
        if node is None:
            return ()
        limbs = [n for n in part_names() if n not in BODY_PARTS]
        found = []
        for part, value in self.mapping(
            node, limbs, "limb part", "the limb parts are", "touches"
        ).items():
            parts = self.parts(value, f"the {part.replace('_', ' ')} to touch")
            if parts is None:
                continue
            if len(parts) != 1:
                self.problem("a limb touches one body part; name one, like near_knee", value)
                continue
            for each in expand_part(part):
                found.append(PropUse(each, (parts[0],), _line(value)))
        return tuple(found)

    # ---- arrows ----

    def arrows(self, node: yaml.Node | None) -> tuple[Arrow, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.problem("'arrows' must be a list: '- path_of: near_knee' then 'to: ...'", node)
            return ()
        if len(node.value) > MAX_ARROWS:
            self.problem(f"a figure has at most {MAX_ARROWS} arrows; keep the main movement", node)
            return ()
        return tuple(arrow for item in node.value if (arrow := self.arrow(item)) is not None)

    def arrow(self, node: yaml.Node) -> Arrow | None:
        keys = ("path_of", "to", "from", "releases", "around", "push", "toward", "offset")
        found = self.mapping(node, keys, "arrow field", "an arrow has", "the arrow")
        if not found:
            return None
        line = _line(node)
        ends = [key for key in ("to", "from") if key in found]
        kinds = [key for key in ("path_of", "around", "push") if key in found]
        shapes = (
            "'path_of: PART' with 'to:' or 'from:', 'around: PART', or 'push: PART' with 'toward:'"
        )
        if len(kinds) != 1:
            self.problem(f"an arrow is one of {shapes}", node)
            return None
        if kinds[0] == "around":
            part = self.single_part(found["around"])
            return Arrow(part, line, "around", offset=self.offset(found)) if part else None
        if kinds[0] == "push":
            part = self.single_part(found["push"])
            direction = self.direction(found.get("toward"), node)
            if part is None or direction is None:
                return None
            return Arrow(part, line, "push", direction=direction, offset=self.offset(found))
        if len(ends) != 1:
            self.problem(
                "an arrow that is the 'path_of' a part needs 'to:' or 'from:', one of them: "
                "the angles at the other end of the movement",
                node,
            )
            return None
        part = self.single_part(found["path_of"])
        releases = self.parts(found["releases"], "the arrow") if "releases" in found else []
        change: dict[str, float] = {}
        self.angles(
            self.mapping(found[ends[0]], ("body", *SIDES), "field", "it holds", ends[0]),
            change,
            {},
        )
        if not change and not self.problems:
            self.problem(f"'{ends[0]}' names no angle that changes", found[ends[0]])
        if part is None or not change:
            return None
        return Arrow(
            part,
            line,
            "path",
            change,
            towards_drawn=ends[0] == "from",
            offset=self.offset(found),
            releases=(part, *(releases or [])),
        )

    def direction(self, node: yaml.Node | None, arrow: yaml.Node) -> float | None:
        if node is None:
            self.problem("a 'push' arrow needs 'toward:' (up, down, forward, back)", arrow)
            return None
        if isinstance(node, yaml.ScalarNode) and node.value in DIRECTIONS:
            return DIRECTIONS[node.value]
        return self.number(node, "'toward'", -180, 180, about="0 up, 90 forward")

    def single_part(self, node: yaml.Node) -> str | None:
        parts = self.parts(node, "the arrow")
        if parts is not None and len(parts) != 1:
            self.problem("an arrow follows one body part; name one, like near_knee", node)
            return None
        return parts[0] if parts else None

    def offset(self, found: dict) -> tuple[float, float] | None:
        node = found.get("offset")
        if node is None:
            return None
        if isinstance(node, yaml.SequenceNode) and len(node.value) == 2:
            numbers = [
                self.number(item, f"the offset {way}", -MAX_OFFSET, MAX_OFFSET, "units")
                for item, way in zip(node.value, ("forward", "up"), strict=True)
            ]
            if None not in numbers:
                return (numbers[0], numbers[1])
            return None
        self.problem("'offset' is two numbers, [forward, up], in the figure's units", node)
        return None


def resolve_angles(given: dict[str, float]) -> dict[str, float]:
    """Every angle: what the file gives, else 0; a joint the far side does not name at
    all moves as the near side's does (a symmetric pose names one side only)."""
    far_joints = {name.rsplit(".", 1)[0] for name in given if name.startswith("far.")}
    angles = {}
    for name in ANGLES:
        joint = name.rsplit(".", 1)[0]
        if name in given:
            angles[name] = given[name]
        elif name.startswith("far.") and joint not in far_joints:
            angles[name] = given.get("near." + name.removeprefix("far."), 0.0)
        else:
            angles[name] = 0.0
    return angles


def _degrees(value: float) -> str:
    return f"{value:g}"
