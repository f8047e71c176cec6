#!/usr/bin/env python3
"""How fast booklet is, against the pipeline a user would otherwise script.

In one run, with the contenders interleaved round by round (so the noise of a
shared machine hits them alike), it measures:

- cold builds: our CLI making the PDF and the EPUB of a source in a fresh process,
  against the reference: `pandoc` Markdown -> EPUB, `pandoc` Markdown -> HTML, then
  the `weasyprint` command line (the same WeasyPrint as ours) HTML -> PDF. For our
  article and for a generated source of 50 exercises. With the figure cache empty
  ("first build") and filled ("next builds"). Peak memory (RSS) of each process.
- batch: 12 sources in one call against 12 calls one after another;
- watch: `--watch` on our article, the rebuild time it reports after each edit.

Medians (with min and max) and ratios ours/reference; the targets at the end.
`--write` also puts the results in bench/RESULTS.md. Run:
    .venv/bin/python bench/run.py [--rounds N] [--write] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUR_SOURCE = ROOT / "source" / "hamstring-exercises-for-runners.md"
FIGURES = ["piriformis.svg", "clamshells.svg", "glute-bridges.svg", "donkey-kicks.svg"]
TARGETS = {"cold": 1.0, "rss_mb": 200, "watch_s": 0.3, "batch": 0.6}


# ---- one timed process ----


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process; it must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode != 0 or "ERROR" in errors:  # WeasyPrint's missing images, say
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{errors}")
    return elapsed, usage.ru_maxrss / 1024  # KiB on Linux


def ours(source: Path, project: Path, out: Path, env: dict) -> tuple[float, float]:
    return timed(
        [
            *(sys.executable, str(ROOT / "make_booklet.py"), str(source), "--out", str(out)),
            *("--format", "pdf,epub", "--project", str(project)),
        ],
        cwd=out.parent,
        env=env,
    )


def weasyprint_command() -> list[str]:
    script = Path(sys.executable).parent / "weasyprint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "weasyprint"]


def reference(source: Path, images: Path, out: Path) -> tuple[float, float]:
    """pandoc -> EPUB, pandoc -> HTML, weasyprint HTML -> PDF: summed time, max RSS."""
    out.mkdir(exist_ok=True)
    for image in images.iterdir():  # WeasyPrint finds the HTML's images next to it
        shutil.copy(image, out / image.name)
    resources = f"--resource-path={source.parent}:{images}"
    steps = [
        ["pandoc", str(source), "-o", str(out / "ref.epub"), resources],
        ["pandoc", str(source), "-s", "-o", str(out / "ref.html"), resources],
        [*weasyprint_command(), str(out / "ref.html"), str(out / "ref.pdf")],
    ]
    total, peak = 0.0, 0.0
    for step in steps:
        seconds, rss = timed(step, cwd=out)
        total, peak = total + seconds, max(peak, rss)
    return total, peak


# ---- sources ----


def fifty_exercises(folder: Path) -> Path:
    body = "".join(
        f"### Move {n}\n\n![A runner doing move {n}.]({FIGURES[n % len(FIGURES)]})\n\n"
        f"Lie on your back with your knees bent and hold move {n} for ten slow counts, "
        "breathing out as you lift and in as you lower.\n\n"
        "Rest for thirty seconds, then repeat on the other side. Stop if it hurts.\n\n"
        for n in range(1, 51)
    )
    path = folder / "fifty.md"
    path.write_text(
        "---\ntitle: Fifty moves\nauthor:\n  name: Bench\ndisclaimer: Test only.\n---\n\n"
        "A long programme.\n\n## Moves\n\n" + body,
        encoding="utf-8",
    )
    return path


# ---- measurements ----


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def cold_builds(work: Path, rounds: int, have_pandoc: bool) -> dict:
    project = work / "project"
    shutil.copytree(ROOT / "images", project / "images")
    sources = {"our article": OUR_SOURCE, "50 exercises": fifty_exercises(project)}
    cache = work / "cache"
    results: dict = {}
    for name in sources:
        results[name] = {"first": [], "next": [], "rss": [], "reference": [], "ref_rss": []}
    for round_number in range(rounds + 1):  # round 0 warms the OS file caches, untimed
        for name, source in sources.items():
            row = results[name]
            out = Path(tempfile.mkdtemp(dir=work, prefix="out-"))
            empty = {**os.environ, "BOOKLET_CACHE": str(out / "empty-cache")}
            filled = {**os.environ, "BOOKLET_CACHE": str(cache)}
            first = ours(source, project, out, empty)
            following = ours(source, project, out, filled)
            ref = reference(source, project / "images", out / "ref") if have_pandoc else None
            if round_number == 0:
                continue
            row["first"].append(first[0])
            row["next"].append(following[0])
            row["rss"] += [first[1], following[1]]
            if ref:
                row["reference"].append(ref[0])
                row["ref_rss"].append(ref[1])
    return results


def batch(work: Path, rounds: int) -> dict:
    project = work / "batch"
    shutil.copytree(ROOT / "images", project / "images")
    text = OUR_SOURCE.read_text(encoding="utf-8")
    sources = []
    for n in range(12):
        path = project / f"handout-{n:02}.md"
        path.write_text(text, encoding="utf-8")
        sources.append(str(path))
    env = {**os.environ, "BOOKLET_CACHE": str(work / "cache")}
    one_call, separate = [], []
    command = [sys.executable, str(ROOT / "make_booklet.py")]
    options = ["--format", "pdf,epub", "--project", str(project)]
    for _ in range(rounds):
        out = work / "batch-out"
        one_call.append(timed([*command, *sources, "--out", str(out), *options], project, env)[0])
        total = 0.0
        for source in sources:
            total += timed([*command, source, "--out", str(out), *options], project, env)[0]
        separate.append(total)
    return {"one call": one_call, "separate calls": separate}


def watch(work: Path, edits: int) -> list[float]:
    """The rebuild times --watch reports after real edits of our article."""
    project = work / "watch"
    shutil.copytree(ROOT / "images", project / "images")
    source = project / "article.md"
    source.write_text(OUR_SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    command = [sys.executable, "-u", str(ROOT / "make_booklet.py"), str(source), "--watch"]
    command += ["--out", str(project / "out"), "--format", "pdf,epub", "--project", str(project)]
    env = {**os.environ, "BOOKLET_CACHE": str(work / "cache")}
    process = subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()

    def wait_for(pattern: str, count: int) -> list[str]:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = [line for line in list(lines) if re.search(pattern, line)]
            if len(found) >= count:
                return found
            if process.poll() is not None:
                raise SystemExit("--watch stopped:\n" + "".join(lines))
            time.sleep(0.02)
        raise SystemExit(f"--watch printed no {pattern!r}:\n" + "".join(lines))

    try:
        wait_for("^watching", 1)
        for n in range(1, edits + 1):
            text = source.read_text(encoding="utf-8")
            source.write_text(text.replace("Your hamstrings", f"Your hamstrings ({n})", 1))
            wait_for(r"^rebuilt in", n)
            time.sleep(0.5)
        reported = wait_for(r"^rebuilt in", edits)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return [float(re.search(r"rebuilt in ([0-9.]+) s", line)[1]) for line in reported]


# ---- report ----


def spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    if not values:
        return "n/a"
    return (
        f"{median(values):.{digits}f} {unit} "
        f"({min(values):.{digits}f} to {max(values):.{digits}f}, n={len(values)})"
    )


def machine() -> list[str]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo") if "model name" in line),
        platform.processor() or "?",
    )
    memory = next((line.split()[1] for line in _read("/proc/meminfo") if "MemTotal" in line), "0")
    pandoc = "not installed"
    if shutil.which("pandoc"):
        pandoc = subprocess.run(
            ["pandoc", "--version"], capture_output=True, text=True, check=False
        ).stdout.splitlines()[0]
    return [
        f"- date: {dt.date.today().isoformat()}",
        f"- machine: {platform.platform()}; {cpu}; {os.cpu_count()} cores; "
        f"{int(memory) / 1048576:.1f} GB RAM",
        f"- Python {platform.python_version()}, WeasyPrint {version('weasyprint')}, {pandoc}",
    ]


def _read(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def report(args, cold: dict, batches: dict, rebuilds: list[float], have_pandoc: bool) -> str:
    out = ["# Benchmark results", "", *machine(), f"- command: `{' '.join(sys.argv)}`", ""]
    out += ["## Cold builds (a fresh process each; PDF + EPUB)", ""]
    out += ["| source | ours, first build | ours, next builds | reference | ratio (next) "
            "| ratio (first) | peak RSS ours | peak RSS reference |", "|---" * 8 + "|"]  # fmt: skip
    ratios = {}
    for name, row in cold.items():
        ref_rss = f"{median(row['ref_rss']):.0f} MB" if row["ref_rss"] else "n/a"
        ratio_next = median(row["next"]) / median(row["reference"]) if row["reference"] else None
        ratio_first = median(row["first"]) / median(row["reference"]) if row["reference"] else None
        ratios[name] = ratio_next
        out.append(
            f"| {name} | {spread(row['first'])} | {spread(row['next'])} | "
            f"{spread(row['reference'])} | "
            f"{f'{ratio_next:.2f}' if ratio_next else 'n/a'} | "
            f"{f'{ratio_first:.2f}' if ratio_first else 'n/a'} | "
            f"{median(row['rss']):.0f} MB (max {max(row['rss']):.0f}) | "
            f"{ref_rss} |"
        )
    if not have_pandoc:
        out.append("\npandoc was not installed (Debian: `apt-get install pandoc`): no reference.")
    out += [
        "",
        "First build: an empty figure cache (the EPUB's PNG figures are drawn). Next "
        "builds: the cache filled by an earlier build, as on any later build of the same "
        "figures. The reference has no cache to fill.",
        "",
        "## Batch: 12 sources",
        "",
        f"- one call: {spread(batches['one call'])}",
        f"- 12 separate calls: {spread(batches['separate calls'])}",
    ]
    batch_ratio = median(batches["one call"]) / median(batches["separate calls"])
    out += [f"- ratio: {batch_ratio:.2f}", "", "## Watch: rebuild after an edit of our article"]
    out += ["", f"- reported by --watch: {spread(rebuilds)}", ""]
    our_rss = max(max(row["rss"]) for row in cold.values())
    checks = [
        ("cold build of our article ≤ 1.0 x reference (next builds)",
         ratios.get("our article"), TARGETS["cold"], "x"),
        ("peak RSS ≤ 200 MB (any of our builds)", our_rss, TARGETS["rss_mb"], " MB"),
        ("watch rebuild ≤ 0.3 s (median)", median(rebuilds), TARGETS["watch_s"], " s"),
        ("12 sources in one call ≤ 0.6 x 12 calls", batch_ratio, TARGETS["batch"], "x"),
    ]  # fmt: skip
    out += ["## Targets", "", "| target | measured | met |", "|---|---|---|"]
    for label, value, limit, unit in checks:
        met = "n/a" if value is None else ("yes" if value <= limit else "**no**")
        shown = "n/a" if value is None else f"{value:.2f}{unit}"
        out.append(f"| {label} | {shown} | {met} |")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of cold builds")
    parser.add_argument("--batch-rounds", type=int, default=2)
    parser.add_argument("--watch-edits", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="one round of everything")
    parser.add_argument("--write", action="store_true", help="also write bench/RESULTS.md")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.batch_rounds, args.watch_edits = 1, 1, 2
    have_pandoc = shutil.which("pandoc") is not None
    if not have_pandoc:
        print("pandoc not found: install Debian's pandoc package (apt-get install pandoc); "
              "the reference pipeline is skipped")  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    try:
        print("cold builds ...", flush=True)
        cold = cold_builds(work, args.rounds, have_pandoc)
        print("batch ...", flush=True)
        batches = batch(work, args.batch_rounds)
        print("watch ...", flush=True)
        rebuilds = watch(work, args.watch_edits)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(args, cold, batches, rebuilds, have_pandoc)
    print(text)
    if args.write:
        (ROOT / "bench" / "RESULTS.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
