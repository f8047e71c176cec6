"""`make-booklet figures`: the library of poses, to list, to look at, to copy and change.

make-booklet figures                    one line a figure: its name, its default alt text
make-booklet figures --sheet FILE.pdf   every figure drawn with its name, a few pages
make-booklet figures --copy NAME DIR    NAME.pose.yaml into DIR, to edit
"""

from __future__ import annotations

import argparse
import base64
import html
import shutil
from pathlib import Path
from typing import TextIO

from booklet.errors import OutputError, UsageError
from booklet.output import atomic_write
from booklet.poses.drawing import draw_pose
from booklet.poses.library import closest_names, library_names, library_pose
from booklet.poses.posefile import SUFFIX, read_pose

SHEET_COLUMNS = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sheet",
        type=Path,
        metavar="FILE.pdf",
        help="draw every figure with its name into a PDF of a few pages, to choose from",
    )
    parser.add_argument(
        "--copy",
        nargs=2,
        metavar=("NAME", "DIR"),
        help="write the pose file NAME.pose.yaml into DIR (e.g. your project's images/) "
        "to change it; a source then finds your copy first",
    )


def run(args: argparse.Namespace, stdout: TextIO) -> int:
    if args.sheet and args.copy:
        raise UsageError("give --sheet or --copy, not both")
    if args.copy:
        name, folder = args.copy
        target = copy_pose(name, Path(folder))
        print(f"wrote {target}", file=stdout)
        return 0
    if args.sheet:
        pages = write_sheet(args.sheet)
        print(f"wrote {args.sheet} ({len(library_names())} figures, {pages} pages)", file=stdout)
        return 0
    for name in library_names():
        pose = read_pose(library_pose(name))
        print(f"{name}: {pose.alt}", file=stdout)
    return 0


def copy_pose(name: str, folder: Path) -> Path:
    name = name.removesuffix(SUFFIX)
    source = library_pose(name)
    if source is None:
        raise UsageError(f"no figure '{name}' in the library{_did_you_mean(name)}")
    target = folder / f"{name}{SUFFIX}"
    if target.exists():
        raise OutputError(target, "already exists; remove it or copy into another folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as handle, source.open("rb") as original:
            shutil.copyfileobj(original, handle)
    except OSError as err:
        raise OutputError(target, f"cannot write ({err.strerror})") from None
    return target


def _did_you_mean(name: str) -> str:
    close = closest_names(name)
    if close:
        return "; did you mean " + " or ".join(close) + "?"
    return "; make-booklet figures lists them"


def sheet_html() -> str:
    cells = []
    for name in library_names():
        pose = read_pose(library_pose(name))
        data = base64.b64encode(draw_pose(pose, tight=True)).decode("ascii")
        cells.append(
            f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{html.escape(pose.alt)}">'
            f"<figcaption>{html.escape(name)}</figcaption></figure>"
        )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>booklet: the library of figures</title><style>"
        "@page { size: letter; margin: 0.5in; }"
        "body { margin: 0; font-family: sans-serif; }"
        f"main {{ display: grid; grid-template-columns: repeat({SHEET_COLUMNS}, 1fr);"
        " gap: 0.18in; }"
        "figure { margin: 0; break-inside: avoid; border: 0.5pt solid #bbb; padding: 0.08in;"
        " }"
        "figure img { display: block; width: 100%; height: 1.75in; object-fit: contain; }"
        "figcaption { font-size: 10pt; text-align: center; margin-top: 0.04in; }"
        "</style></head><body><main>" + "".join(cells) + "</main></body></html>"
    )


def write_sheet(target: Path) -> int:
    """Every library figure with its name, on Letter pages. Returns the page count."""
    from booklet.export.engine import weasyprint

    document = weasyprint.HTML(string=sheet_html()).render()
    with atomic_write(target) as temporary:
        document.write_pdf(temporary)
    return len(document.pages)
