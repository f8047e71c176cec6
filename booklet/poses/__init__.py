"""Exercise figures drawn from poses: a pose file (NAME.pose.yaml) of joint angles,
props and arrows, drawn as SVG line art in the house style, and a bundled library.

    pose = read_pose(path)           # posefile: YAML, checked, every problem with its line
    svg = draw_pose(pose, title)     # placing (contacts) + drawing: deterministic SVG bytes

The drawing modules are imported on first use (PEP 562): a build whose source uses
no pose, and `make-booklet --help`, never load them.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "draw_pose": "booklet.poses.drawing",
    "SUFFIX": "booklet.poses.posefile",
    "Pose": "booklet.poses.posefile",
    "pose_name": "booklet.poses.posefile",
    "read_pose": "booklet.poses.posefile",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'booklet.poses' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
