#!/usr/bin/env python3
"""How build time grows with the number of exercises.

Builds sources of 100, 300, 1,000 and 2,000 exercises (each with a figure) into a
temporary folder, several rounds interleaved, and reports for each size the
median build time, the time per exercise, and the marginal cost of the exercises
added since the previous size, relative to the first step: about 1.0 everywhere
means linear growth (the fixed start-up cost drops out of the differences). The
target (issue 14): the marginal cost up to 1,000 exercises at most 1.2 times the
first step's. Run: .venv/bin/python bench/scale.py [--rounds N] [--sizes 100,300,...]
"""

from __future__ import annotations

import argparse
import itertools
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (100, 300, 1000, 2000)
FRONT = (
    "---\ntitle: Scale test\nauthor:\n  name: Bench\ndisclaimer: Test only.\n---\n\n## Moves\n\n"
)


def source(folder: Path, count: int) -> Path:
    body = "".join(
        f"### Move {n}\n\n![A runner on their back.](piriformis.svg)\n\n"
        f"Lie down, breathe out and hold move {n} for ten slow counts.\n\n"
        for n in range(1, count + 1)
    )
    path = folder / f"scale-{count}.md"
    path.write_text(FRONT + body, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="exercise counts")
    args = parser.parse_args()
    sizes = tuple(int(size) for size in args.sizes.split(","))
    folder = Path(tempfile.mkdtemp())
    try:
        shutil.copytree(ROOT / "images", folder / "images")
        sources = {count: source(folder, count) for count in sizes}
        times: dict[int, list[float]] = {count: [] for count in sizes}
        for _ in range(args.rounds):
            for count, path in sources.items():  # interleaved: noise hits every size alike
                started = time.perf_counter()
                subprocess.run(
                    [
                        sys.executable,
                        str(ROOT / "make_booklet.py"),
                        str(path),
                        "--out",
                        str(folder / "out"),
                        "--project",
                        str(folder),
                    ],
                    check=True,
                    capture_output=True,
                )
                times[count].append(time.perf_counter() - started)
    finally:
        shutil.rmtree(folder)
    medians = {count: statistics.median(times[count]) for count in sizes}
    marginal = {b: (medians[b] - medians[a]) / (b - a) for a, b in itertools.pairwise(sizes)}
    first = marginal[sizes[1]]
    print(f"machine: {platform.node()}, {platform.machine()}, Python {platform.python_version()}")
    print("exercises  median s  s/exercise  marginal s/exercise  relative to first step")
    for count in sizes:
        line = f"{count:9d}  {medians[count]:8.2f}  {medians[count] / count:10.4f}"
        if count in marginal:
            line += f"  {marginal[count]:19.3f}  {marginal[count] / first:6.2f}"
        print(line)


if __name__ == "__main__":
    main()
