"""Exercise figures drawn from poses: a pose file (NAME.pose.yaml) of joint angles,
props and arrows, drawn as SVG line art in the house style, and a bundled library.

    pose = read_pose(path)           # posefile: YAML, checked, every problem with its line
    svg = draw_pose(pose, title)     # placing (contacts) + drawing: deterministic SVG bytes
"""

from __future__ import annotations

from booklet.poses.drawing import draw_pose
from booklet.poses.posefile import SUFFIX, Pose, pose_name, read_pose

__all__ = ["SUFFIX", "Pose", "draw_pose", "pose_name", "read_pose"]
