"""Make the README's pictures (docs/*.png) anew from today's outputs, so that they
show what the tool makes now: `.venv/bin/python tools/pictures.py`.

Builds our article (source/) in a scratch project: the handout, the print-shop PDF,
the folded booklet and the programme sheet; the client handout of the example
client list; and the same article with the README's example brand. Each picture is
pages rendered by poppler's pdftoppm, put side by side on a grey ground.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ARTICLE = "hamstring-exercises-for-runners"
GROUND, GAP = (205, 205, 205), 16

BRAND = """\
paper: a4
brand:
  name: Northside Physiotherapy
  logo: northside-logo.svg
  colour: "#00695c"
  address: |
    12 Mill Lane
    Leeds LS1 4AB
  phone: 0113 496 0000
  email: hello@northside.example
  website: northside.example
"""
# A made-up clinic's mark: a leaf in a circle (no person, no real clinic).
LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">
  <circle cx="50" cy="50" r="48" fill="#00695c"/>
  <path d="M30 70 C30 40 50 25 72 26 C72 50 58 70 30 70 Z" fill="#ffffff"/>
  <path d="M30 70 L58 42" stroke="#00695c" stroke-width="4"/>
</svg>
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        plain = _project(scratch / "plain")
        out = plain / "build"
        _build(plain, "--format", "pdf,print,booklet,sheet")
        _build(
            plain,
            str(plain / "source" / f"{ARTICLE}.md"),
            "--clients",
            str(plain / "source" / "clients-example.csv"),
        )
        branded = _project(scratch / "branded")
        (branded / "booklet.yaml").write_text(BRAND, encoding="utf-8")
        (branded / "images" / "northside-logo.svg").write_text(LOGO, encoding="utf-8")
        _build(branded, "--format", "pdf")

        handout = out / f"{ARTICLE}.pdf"
        _picture("handout-pages.png", [(handout, 1), (handout, 3)], 90)
        _picture("print-shop-page.png", [(out / f"{ARTICLE}-print.pdf", 3)], 60)
        _picture(
            "booklet-first-sheet.png", [(out / f"{ARTICLE}-booklet.pdf", p) for p in (1, 2)], 45
        )
        _picture("programme-sheet.png", [(out / f"{ARTICLE}-sheet.pdf", 1)], 80)
        client = out / "clients" / "ana-souza" / f"{ARTICLE}.pdf"
        _picture("client-handout.png", [(client, page) for page in (1, 2, 3)], 70)
        branded_pdf = branded / "build" / f"{ARTICLE}.pdf"
        _picture("brand-cover-and-back.png", [(branded_pdf, 1), (branded_pdf, -1)], 45)


def _project(folder: Path) -> Path:
    for part in ("source", "images", "fonts"):
        shutil.copytree(ROOT / part, folder / part)
    return folder


def _build(project: Path, *args: str) -> None:
    command = [sys.executable, "-m", "booklet", "--project", str(project), *args]
    subprocess.run(command, check=True, cwd=project, stdout=subprocess.DEVNULL)


def _picture(name: str, pages: list[tuple[Path, int]], resolution: int) -> None:
    images = [_page(pdf, page, resolution) for pdf, page in pages]
    width = sum(image.width for image in images) + GAP * (len(images) + 1)
    height = max(image.height for image in images) + 2 * GAP
    sheet = Image.new("RGB", (width, height), GROUND)
    left = GAP
    for image in images:
        sheet.paste(image, (left, GAP))
        left += image.width + GAP
    sheet.save(DOCS / name, optimize=True)
    print(f"wrote docs/{name} ({sheet.width} x {sheet.height} px)")


def _page(pdf: Path, page: int, resolution: int) -> Image.Image:
    if page < 0:  # from the end: -1 is the last page
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = int(
            next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
        )
        page = pages + 1 + page
    with tempfile.TemporaryDirectory() as folder:
        stem = Path(folder) / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(resolution),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
        )
        with Image.open(f"{stem}.png") as image:
            return image.convert("RGB")


if __name__ == "__main__":
    main()
