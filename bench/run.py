#!/usr/bin/env python3
"""How fast booklet is, against the pipeline a user would otherwise script.

One run, the contenders interleaved round by round: the machine is shared and noisy,
so the noise hits everyone alike and medians drop the odd slow round. It measures
- cold builds (a fresh process, warm OS caches): our CLI making the PDF and the EPUB,
  against `pandoc` -> EPUB, `pandoc -s` -> HTML, then the `weasyprint` command line of
  this virtualenv (the same WeasyPrint) -> PDF; for our article and for 50 generated
  exercises; wall time and peak RSS. Ours twice: as a next build (the cache filled by
  an earlier build, as every build after the first) and as a first build (empty);
  and WeasyPrint alone doing the layout and PDF writing of that build, nothing else
  (bench/weasyprint_alone.py), the floor of a build of those pages in one process;
- batch: 12 copies of our article, each with a title of its own (so that they share
  no page), in one call, against 12 calls one after another;
- watch: after each real edit (in the intro, then in an exercise, in turn), the
  rebuild time `--watch` reports and the wall time from the save to its report.
All in temporary folders, the figure cache (BOOKLET_CACHE) too: the untimed warm-up
fills it, so timed builds are the usual "next build". `--before DIR` adds an earlier
checkout of booklet (e.g. `git worktree add /tmp/before COMMIT`) as one more
contender in every part, run with the same Python and packages, interleaved with
the others: before and after in one run. Targets at the end; `--write` also writes
bench/RESULTS.md. Run: .venv/bin/python bench/run.py [--quick] [--write] [--before DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import queue
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / "hamstring-exercises-for-runners.md"
MAKE = [sys.executable, str(ROOT / "make_booklet.py")]
ALONE = [sys.executable, str(ROOT / "bench" / "weasyprint_alone.py")]
BEFORE: Path | None = None  # --before: an earlier checkout, to run beside this one
BEFORE_PACKAGE: Path | None = None  # its package, as installed (install_before)
FIGURES = ("piriformis", "clamshells", "glute-bridges", "donkey-kicks", "deadlifts")  # .svg
EDITS = ("important muscle group", "take it slowly")  # in the intro, in exercise 1
NO_PANDOC = (
    "pandoc not found: install Debian's pandoc package (apt-get install pandoc); "
    "the reference pipeline is skipped"
)
Timing = tuple[float, float]  # wall seconds, peak RSS in MB


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[Timing, str]:
    """Time one process, and its peak RSS from wait4 (which only a Popen we reap ourselves
    gives); it must exit 0. Also returns its stderr, for the checks of the warm-up."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    # stderr is read after the exit: fine for these short warnings, a pipe holds 64 KiB.
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"exit {process.returncode}: {shlex.join(command)}\n{errors}")
    return (elapsed, usage.ru_maxrss / 1024), errors  # ru_maxrss is KiB on Linux


def make(before: bool = False) -> list[str]:
    """The command that builds: this checkout's, or the earlier one's (--before)."""
    return [sys.executable, "-m", "booklet"] if before else MAKE


def env_of(env: dict[str, str], before: bool) -> dict[str, str]:
    """The earlier checkout runs as a package of its own, put first on the path (the
    virtualenv's booklet is this checkout's, installed editable)."""
    if not before:
        return env
    # A cache of its own: the two versions' entries are not the same data.
    cache = Path(env["BOOKLET_CACHE"]).with_name("cache-before")
    return {**env, "PYTHONPATH": str(BEFORE_PACKAGE), "BOOKLET_CACHE": str(cache)}


def install_before(work: Path) -> None:
    """The earlier checkout's package, with its layouts inside it as an installed
    package has them (pyproject maps the top-level layouts/ to booklet.layouts)."""
    global BEFORE_PACKAGE
    BEFORE_PACKAGE = work / "before-package"
    shutil.copytree(BEFORE / "booklet", BEFORE_PACKAGE / "booklet")
    shutil.copytree(BEFORE / "layouts", BEFORE_PACKAGE / "booklet" / "layouts")


def tree_rss(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Peak RSS in MB of a process and its children together (an earlier booklet ran
    its typesetter in a child), sampled every 5 ms; in a run of its own, so that
    sampling slows no timed build."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        pids, total = [process.pid], 0
        while pids:
            pid = pids.pop()
            try:
                with open(f"/proc/{pid}/statm") as statm:
                    total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
                with open(f"/proc/{pid}/task/{pid}/children") as children:
                    pids += [int(child) for child in children.read().split()]
            except (OSError, ValueError):
                continue
        peak = max(peak, total)
        time.sleep(0.005)
    return peak / 1024**2


def options(out: Path, project: Path) -> list[str]:
    return ["--out", str(out), "--format", "pdf,epub", "--project", str(project)]


def ours(
    source: Path, project: Path, out: Path, env: dict[str, str], before: bool = False
) -> Timing:
    command = [*make(before), str(source), *options(out, project)]
    return run(command, out.parent, env_of(env, before))[0]


def weasyprint_command() -> list[str]:
    script = Path(sys.executable).parent / "weasyprint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "weasyprint"]


def reference(source: Path, images: Path, out: Path, notes: list[str] | None = None) -> Timing:
    """The three commands one after another: total seconds, and the peak RSS of the
    WeasyPrint step (the pandoc ones are small). With `notes` (the warm-up), check."""
    resources = f"--resource-path={source.parent}:{images}"
    steps = [
        ["pandoc", str(source), "-o", str(out / "ref.epub"), resources],
        ["pandoc", str(source), "-s", "-o", str(out / "ref.html"), resources],
        [*weasyprint_command(), str(out / "ref.html"), str(out / "ref.pdf")],
    ]
    total = rss = 0.0
    for step in steps:
        (seconds, rss), said = run(step, out)
        total += seconds
        lines, tool = said.strip().splitlines(), f"{Path(step[0]).name} on {source.name}"
        if notes is None or not lines:
            continue
        if "ERROR" in said:  # WeasyPrint exits 0 on an image it cannot load: unfair to us
            raise SystemExit(f"{tool}:\n{said}")
        notes.append(f"{tool}: {len(lines)} line(s) on stderr, the first: {lines[0]}")
    if notes is not None and not (out / "ref.pdf").stat().st_size:
        raise SystemExit(f"the reference PDF of {source.name} is empty")
    return total, rss


def fifty_exercises(folder: Path) -> Path:
    body = "".join(
        f"### Move {n}\n\n![A runner doing move {n}.]({FIGURES[n % len(FIGURES)]}.svg)\n\n"
        f"Lie on your back with your knees bent and hold move {n} for ten slow counts, "
        "breathing out as you lift and in as you lower.\n\n"
        "Rest for thirty seconds, then repeat on the other side. Stop if it hurts.\n\n"
        for n in range(1, 51)
    )
    path = folder / "fifty.md"
    front = "---\ntitle: Fifty moves\nauthor:\n  name: Bench\ndisclaimer: Test only.\n---\n\n"
    path.write_text(front + "A long programme.\n\n## Moves\n\n" + body, encoding="utf-8")
    return path


def project_with_images(folder: Path) -> Path:
    shutil.copytree(ROOT / "images", folder / "images")
    return folder


def cold(work: Path, rounds: int, env: dict[str, str], notes: list[str]) -> dict:
    project = project_with_images(work / "cold")
    # Our article in a project of its own: the repository's own layouts/ is the
    # bundled layout of this checkout, which an earlier checkout (--before) cannot read.
    article = project_with_images(work / "article")
    (article / "source").mkdir()
    shutil.copy(SOURCE, article / "source" / SOURCE.name)
    cases = {
        "our article": (article / "source" / SOURCE.name, article),
        "50 exercises": (fifty_exercises(project), project),
    }
    contenders = {}  # (source, who): a build, to time
    for number, (name, (source, home)) in enumerate(cases.items()):
        out, ref = work / f"out-{number}", work / f"ref-{number}"
        out.mkdir()
        ref.mkdir()
        for image in (home / "images").iterdir():  # so that WeasyPrint draws ref.html's images
            (ref / image.name).symlink_to(image)
        for who, before in [("", False), *([("before ", True)] if BEFORE else [])]:
            mine = work / f"{who.strip() or 'now'}-{number}"
            mine.mkdir()
            contenders[name, f"{who}ours"] = lambda s=source, h=home, o=mine, b=before: ours(
                s, h, o, env, b
            )
            # A first build: the cache empty (figures, cover, page counts made on the way).
            contenders[name, f"{who}first"] = lambda s=source, h=home, o=mine, b=before: ours(
                s,
                h,
                o,
                {**env, "BOOKLET_CACHE": tempfile.mkdtemp(dir=work, prefix="empty-")},
                b,
            )
            ours(source, home, mine, env, before)  # the untimed warm-up
        # WeasyPrint alone on the pages this build laid out (bench/weasyprint_alone.py).
        alone = work / f"alone-{number}"
        alone.mkdir()
        run([*ALONE, "record", str(source), str(home), str(alone)], work, env)
        contenders[name, "alone"] = lambda a=alone: run(
            [*ALONE, "replay", str(a), str(a / "alone.pdf")], work, env
        )[0]
        if shutil.which("pandoc"):
            contenders[name, "ref"] = lambda s=source, i=home / "images", r=ref: reference(s, i, r)
            reference(source, home / "images", ref, notes)  # the warm-up, with its checks
    results = {
        name: {key: [] for who in contender_names() for key in (who, f"{who}_rss")}
        for name in cases
    }
    for number in range(rounds):
        # Who goes first alternates too, in case a build slows down the one after it.
        for (name, who), build in sorted(contenders.items(), reverse=number % 2 == 1):
            seconds, rss = build()
            results[name][who].append(seconds)
            results[name][f"{who}_rss"].append(rss)
    for number, (name, (source, home)) in enumerate(cases.items()):
        for who, before in [("", False), *([("before ", True)] if BEFORE else [])]:
            command = [*make(before), str(source), *options(work / f"out-{number}", home)]
            results[name][f"{who}tree_rss"] = [tree_rss(command, work, env_of(env, before))]
    return results


def contender_names() -> list[str]:
    names = ["ours", "first", "alone", "ref"]
    return names + (["before ours", "before first"] if BEFORE else [])


def batch(work: Path, rounds: int, env: dict[str, str]) -> dict[str, list[float]]:
    project = project_with_images(work / "batch")
    text = SOURCE.read_text(encoding="utf-8")
    sources = [str(project / f"handout-{letter}.md") for letter in "abcdefghijkl"]
    for letter, path in zip("abcdefghijkl", sources, strict=True):
        # Each its own title, which every page shows: like twelve different handouts,
        # they share no page a worker could reuse.
        own = text.replace("title: ", f"title: ({letter}) ", 1)
        Path(path).write_text(own, encoding="utf-8")
    flags = options(project / "out", project)
    # The warm-up: the batch's own files, and what the cache keeps of each source
    # (its cover picture), as for the cold builds' next builds.
    run([*MAKE, *sources, *flags], project, env)
    times: dict[str, list[float]] = {"one call": [], "12 separate calls": []}
    if BEFORE:
        times["before: one call"] = []
        run([*make(True), *sources, *flags], project, env_of(env, True))
    for _ in range(rounds):
        times["one call"].append(run([*MAKE, *sources, *flags], project, env)[0][0])
        separate = [run([*MAKE, source, *flags], project, env)[0][0] for source in sources]
        times["12 separate calls"].append(sum(separate))
        if BEFORE:
            before = run([*make(True), *sources, *flags], project, env_of(env, True))
            times["before: one call"].append(before[0][0])
    return times


class Watcher:
    """A `--watch` process on a copy of our article, and its rebuilds timed."""

    def __init__(self, work: Path, env: dict[str, str], before: bool):
        self.project = project_with_images(work / ("watch-before" if before else "watch"))
        self.source = self.project / "article.md"
        self.text = SOURCE.read_text(encoding="utf-8")
        self.source.write_text(self.text, encoding="utf-8")
        command = [sys.executable, "-u", *make(before)[1:], str(self.source), "--watch"]
        command += options(self.project / "out", self.project)
        self.process = subprocess.Popen(
            command,
            cwd=self.project,
            env=env_of(env, before),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
        self.output: list[str] = []  # everything it printed, to show why it did not watch
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:  # a thread, so that waiting for a line can time out
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put((time.perf_counter(), line))
        self.lines.put((time.perf_counter(), None))  # the process has ended

    def wait_for(self, pattern: str, notes: list[str]) -> tuple[float, re.Match] | None:
        deadline = time.monotonic() + 60
        while (left := deadline - time.monotonic()) > 0:
            try:
                seen, line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                return None
            if match := re.search(pattern, line):
                return seen, match
            if line.startswith("error"):
                notes.append(f"--watch: {line.strip()}")
        return None

    def edit(self, n: int, notes: list[str]) -> tuple[float, float] | None:
        """A real edit, as a user's, different each time (a bare touch may be no change),
        one place at a time: in an exercise, then in the intro, and so on. Returns the
        rebuild time --watch reports and the time from the save to that line."""
        edited = EDITS[n % len(EDITS)]
        self.text = re.sub(
            rf"{re.escape(edited)}( \(\d+\))?", f"{edited} ({n})", self.text, count=1
        )
        saved = time.perf_counter()
        self.source.write_text(self.text, encoding="utf-8")
        found = self.wait_for(r"rebuilt in ([0-9.]+) s", notes)
        if found is None:
            notes.append(f"--watch: no 'rebuilt in' line after edit {n}; stopped there")
            return None
        return float(found[1][1]), found[0] - saved

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # Ctrl-C: the way a user stops it
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def watch(work: Path, edits: int, env: dict[str, str], notes: list[str]) -> dict | None:
    """Times of `--watch` rebuilds after real edits, the watchers' edits in turn (this
    checkout's and, with --before, the earlier one's); None if --watch is not there."""
    watchers = {"": Watcher(work, env, False)}
    if BEFORE:
        watchers["before: "] = Watcher(work, env, True)
    times: dict[str, list[float]] = {}
    try:
        for who, watcher in watchers.items():
            if watcher.wait_for(r"watching", notes) is None:
                said = " / ".join(line.strip() for line in watcher.output[-3:]) or "nothing"
                notes.append(f"{who}watch: not available (it printed: {said})")
                return None
            times[f"{who}reported by --watch"], times[f"{who}save to line (wall)"] = [], []
        for n in range(1, edits + 1):
            for who, watcher in watchers.items():
                timed = watcher.edit(n, notes)
                if timed is None:
                    return times
                times[f"{who}reported by --watch"].append(timed[0])
                times[f"{who}save to line (wall)"].append(timed[1])
                time.sleep(0.5)
    finally:
        for watcher in watchers.values():
            watcher.stop()
    return times


def stats(values: list[float], digits: int = 2) -> list[str]:
    """Median, min, max and n, as table cells."""
    if not values:
        return ["n/a", "n/a", "n/a", "0"]
    cells = (statistics.median(values), min(values), max(values))
    return [*(f"{value:.{digits}f}" for value in cells), str(len(values))]


def ratio(top: list[float], bottom: list[float]) -> float | None:
    """The median of the rounds' ratios: both lists hold one time a round, taken a few
    seconds apart, so that a round's ratio is free of the machine's drift between
    rounds (on a shared machine the reference alone has varied by 1.5 times in an
    hour); lists of other lengths, the ratio of their medians."""
    if not top or not bottom:
        return None
    if len(top) != len(bottom):
        return statistics.median(top) / statistics.median(bottom)
    return statistics.median(a / b for a, b in zip(top, bottom, strict=True))


def shown(value: float | None, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:.2f}{unit}"


def table(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown section holding one table (none if there are no rows)."""
    lines = ["", f"## {title}", ""]
    for row in [header, ["---"] * len(header), *rows] if rows else []:
        lines.append("| " + " | ".join(row) + " |")
    return [*lines, ""]


def machine() -> list[str]:
    def field(path: str, name: str) -> str:
        try:
            found = re.search(rf"^{name}\s*:\s*(.+)$", Path(path).read_text(), re.MULTILINE)
        except OSError:
            found = None
        return found[1].strip() if found else "?"

    pandoc = "pandoc not installed"
    if shutil.which("pandoc"):
        done = subprocess.run(["pandoc", "--version"], capture_output=True, text=True)
        pandoc = done.stdout.splitlines()[0]
    kib = field("/proc/meminfo", "MemTotal").split()[0]
    return [
        f"- date: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- machine: {platform.platform()}; {field('/proc/cpuinfo', 'model name')}; "
        f"{os.cpu_count()} cores; {int(kib) / 1024**2 if kib.isdigit() else 0:.1f} GB RAM",
        f"- Python {platform.python_version()}, WeasyPrint {version('weasyprint')}, {pandoc}",
    ]


def report(
    args: argparse.Namespace, cold_: dict, batch_: dict, watch_: dict | None, notes: list[str]
) -> str:
    command = shlex.join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]])
    rounds = f"{args.rounds} cold, {args.batch_rounds} batch, {args.watch_edits} watch edits"
    out = ["# Benchmark results", "", *machine(), f"- command: `{command}`", f"- rounds: {rounds}"]
    if BEFORE:
        out += [f"- before: {describe_checkout(BEFORE)}"]
    out += [
        "",
        "Each contender runs in a fresh process, in turn, round after round, so that the",
        "noise of this shared machine falls on all alike; times are medians, and a ratio",
        "is the median of the rounds' ratios (a round's contenders run seconds apart).",
        "`ours` is a build like every build after the first: the cache (figure and cover",
        "pictures, page counts) filled by an earlier one; `first build` starts from an",
        "empty cache. The reference makes a plainer PDF (no cover, page numbers, tags or",
        "figures sized to the page) and a plainer EPUB. `before` is the earlier checkout",
        "named above, timed in the same rounds. Python's compiled modules are written and",
        "used, as on a user's machine (the untimed warm-up writes them). `WeasyPrint",
        "alone` does only WeasyPrint's part of our build (bench/weasyprint_alone.py):",
        "WeasyPrint imported as booklet imports it, the documents our build laid out laid",
        "out again with the same stylesheets and fonts, their pages written as one tagged",
        "PDF; no Markdown, templates, pagination or EPUB. No build in one process that",
        "lays out those documents can take less; what lies between it and `ours` is",
        "booklet's own work.",
    ]
    spread = ["median", "min", "max", "n"]
    contenders = {
        "ours": "ours",
        "first": "ours, first build (empty cache)",
        "alone": "WeasyPrint alone: our pages, laid out and written",
        "ref": "reference: pandoc x2 + weasyprint",
        "before ours": "before",
        "before first": "before, first build (empty cache)",
    }
    rows = []
    for name, row in cold_.items():
        for who, contender in contenders.items():
            if who in row:
                rss = stats(row[f"{who}_rss"], 0)  # the reference's: its WeasyPrint step
                rows.append([name, contender, *stats(row[who]), rss[0], rss[2]])
    header = ["source", "contender", *spread, "peak RSS MB, median", "max"]
    out += table("Cold builds, PDF + EPUB (s)", header, rows)
    labels = [("ours", "ours"), ("first", "first build"), ("alone", "WeasyPrint alone")]
    for who, label in [*labels, ("before ours", "before")]:
        if who in next(iter(cold_.values())):
            ratios = [f"{name} {shown(ratio(row[who], row['ref']))}" for name, row in cold_.items()]
            each = "median of the rounds' ratios"
            out += [f"Ratio {label} / reference ({each}): " + ", ".join(ratios) + "."]
    out += [
        "",
        "Peak RSS: of the largest process (wait4), and of the process with its children",
        "together, sampled every 5 ms in a build of its own: "
        + ", ".join(
            f"{name} {shown(max(row[key]))} MB ({key.removesuffix('tree_rss').strip() or 'now'})"
            for name, row in cold_.items()
            for key in row
            if key.endswith("tree_rss")
        )
        + ".",
    ]
    rows = [[how, *stats(values)] for how, values in batch_.items()]
    out += table("Batch: 12 copies of our article, each titled apart (s)", ["how", *spread], rows)
    batch_ratio = ratio(batch_["one call"], batch_["12 separate calls"])
    out += [f"Ratio one call / separate calls: {shown(batch_ratio)}"]
    if "before: one call" in batch_:
        before_batch = ratio(batch_["before: one call"], batch_["12 separate calls"])
        out += [f"Ratio before, one call / separate calls: {shown(before_batch)}"]
    rows = [[what, *stats(values)] for what, values in (watch_ or {}).items()]
    out += table("Watch: rebuild after an edit of our article (s)", ["time", *spread], rows)
    out += [
        "Edits in the intro and in an exercise, in turn (with --before, the two watchers",
        "edited in turn). `reported`: what --watch prints, from the change it sees to both",
        "files written; `save to line`: from the save to that line, with the 50 ms --watch",
        "waits for a save's last file event.",
    ]
    if watch_ is None:
        out += ["watch: not available"]
    article, fifty = cold_["our article"], cold_["50 exercises"]
    watched = (watch_ or {}).get("reported by --watch")
    rebuild = statistics.median(watched) if watched else None
    peak = max(
        (value for row in cold_.values() for key in ("ours_rss", "tree_rss") for value in row[key]),
        default=None,
    )
    targets = [  # label, measured, limit, unit
        ("cold build of our article ≤ 1.0 x reference", ratio(article["ours"], article["ref"])),
        ("first build of our article ≤ 1.0 x reference", ratio(article["first"], article["ref"])),
        ("cold build of 50 exercises ≤ 1.0 x reference", ratio(fifty["ours"], fifty["ref"])),
        ("peak RSS of our builds ≤ 200 MB (max, children included)", peak),
        ("watch rebuild ≤ 0.3 s (reported, median)", rebuild),
        ("batch of 12 ≤ 0.6 x separate calls", batch_ratio),
    ]
    limits = [(1.0, "x"), (1.0, "x"), (1.0, "x"), (200, " MB"), (0.3, " s"), (0.6, "x")]
    rows = []
    for (label, value), (limit, unit) in zip(targets, limits, strict=True):
        met = "n/a" if value is None else "pass" if value <= limit else "FAIL"
        rows.append([label, shown(value, unit), met])
    out += table("Targets", ["target", "measured", "pass"], rows)
    if notes:  # what the tools said on the warm-up, why watch did not run...
        out += ["## Notes", "", *(f"- {note}" for note in dict.fromkeys(notes)), ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))


def describe_checkout(folder: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), "log", "-1", "--format=%h %s"], capture_output=True, text=True
    )
    return f"`{folder}`, {done.stdout.strip()[:100] or 'not a git checkout'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of cold builds")
    parser.add_argument("--batch-rounds", type=int, default=2, help="it is slow: fewer")
    parser.add_argument("--watch-edits", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="1 round each, 2 watch edits")
    parser.add_argument("--write", action="store_true", help="also write bench/RESULTS.md")
    parser.add_argument(
        "--before", type=Path, metavar="DIR", help="an earlier checkout to time beside this one"
    )
    args = parser.parse_args()
    global BEFORE
    BEFORE = args.before.resolve() if args.before else None
    if args.quick:
        args.rounds, args.batch_rounds, args.watch_edits = 1, 1, 2
    notes: list[str] = []
    if not shutil.which("pandoc"):
        print(NO_PANDOC)
        notes.append(NO_PANDOC)
    work = Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    env = {**os.environ, "BOOKLET_CACHE": str(work / "cache")}
    # Python's compiled modules, as on any user's machine (Python writes them on the
    # first run; pip has written WeasyPrint's and pandoc has none): a machine that sets
    # PYTHONDONTWRITEBYTECODE would otherwise compile booklet's modules from source in
    # every timed build. Into the temporary folder, for every contender alike.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    if BEFORE:
        install_before(work)
    try:
        print("cold builds ...", file=sys.stderr, flush=True)
        cold_ = cold(work, args.rounds, env, notes)
        print("batch ...", file=sys.stderr, flush=True)
        batch_ = batch(work, args.batch_rounds, env)
        print("watch ...", file=sys.stderr, flush=True)
        watch_ = watch(work, args.watch_edits, env, notes)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(args, cold_, batch_, watch_, notes)
    print(text)
    if args.write:
        (ROOT / "bench" / "RESULTS.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
