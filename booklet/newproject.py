"""`make-booklet new DIR`: a project that builds as it is, to edit into one's own.

It holds booklet.yaml with every setting explained (all commented out), a short
example article in source/, three figures of the pose library in images/ (to see
how a figure is changed), fonts/fonts.yaml, and a README saying what to edit. The
files are booklet's own (booklet/starter/, shipped in the package); a folder that
is not empty is refused, so nothing of the user's is ever overwritten.
"""

from __future__ import annotations

import argparse
from importlib.resources import files
from pathlib import Path
from typing import TextIO

from booklet.errors import OutputError, UsageError
from booklet.poses.library import library_pose

STARTER = files("booklet") / "starter"
FILES = ("booklet.yaml", "README.md", "source/first-handout.md", "fonts/fonts.yaml")
FIGURES = ("glute-bridge", "clamshell", "side-leg-raise")  # the example's, into images/


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, metavar="DIR", help="the new project's folder")


def run(args: argparse.Namespace, stdout: TextIO) -> int:
    folder: Path = args.folder
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(
            f"{folder} is not an empty folder; give a new folder's name, e.g. "
            "make-booklet new my-handouts"
        )
    try:
        for name in FILES:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((STARTER / name).read_bytes())
        (folder / "images").mkdir()
        for figure in FIGURES:
            pose = library_pose(figure)
            (folder / "images" / pose.name).write_bytes(pose.read_bytes())
    except OSError as err:
        raise OutputError(folder, f"cannot make the project here ({err.strerror})") from None
    print(
        f"made a project in {folder}: edit source/first-handout.md and booklet.yaml, "
        f"then build it with: cd {folder} && make-booklet",
        file=stdout,
    )
    return 0
