"""The poses that ship with booklet (booklet/poses/library/NAME.pose.yaml)."""

from __future__ import annotations

import difflib
from importlib import resources
from pathlib import Path

from booklet.poses.posefile import SUFFIX, pose_name


def library_folder() -> Path:
    return Path(str(resources.files("booklet.poses") / "library"))


def library_names() -> list[str]:
    return sorted(pose_name(p) for p in library_folder().glob(f"*{SUFFIX}"))


def library_pose(name: str) -> Path | None:
    """The bundled pose file called `name` (without .pose.yaml), if there is one."""
    if name not in library_names():
        return None
    return library_folder() / f"{name}{SUFFIX}"


def closest_names(name: str, count: int = 3) -> list[str]:
    return difflib.get_close_matches(name, library_names(), n=count, cutoff=0.7)
