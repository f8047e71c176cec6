"""Which files booklet opens: regular files, inside the folders it may read.

A FIFO or a device where a file is expected would block the build for ever or read
without end, and a symlink can lead anywhere on the disk; both are refused with the
file's name wherever booklet reads a file (sources, images, fonts, layout files,
the client list), before the file is opened.
"""

from __future__ import annotations

import stat
from pathlib import Path


def special_file_problem(path: Path) -> str | None:
    """Why `path` (which exists) cannot be read as a file, or None for a regular file."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return f"cannot be read ({err.strerror}); check the file"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    kind = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
    )
    return f"is {kind}, not a file; replace it with a regular file"


def is_inside(path: Path, folder: Path) -> bool:
    """`path`, with every symlink followed, lies inside `folder` (symlinks followed too)."""
    return path.resolve().is_relative_to(folder.resolve())


def present(path: Path) -> bool:
    """Whether the path names anything at all, a broken symlink included."""
    return path.exists() or path.is_symlink()
