"""Shared helpers: run the CLI, and read PDFs and EPUBs back by structure."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree
from pypdf import PdfReader

from booklet.cli import main

ROOT = Path(__file__).resolve().parents[1]
OUR_SOURCE = ROOT / "source" / "hamstring-exercises-for-runners.md"
TEST_SOURCES = Path(__file__).resolve().parent / "sources"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(*args: str | Path) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(arg) for arg in args], stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


def run_within(seconds: float, *args: str | Path) -> Run:
    """The command in a process of its own, stopped after `seconds`: for input that
    once made it run for minutes. A regular expression that backtracks cannot be
    interrupted from inside the process that runs it."""
    command = [sys.executable, "-m", "booklet", *(str(arg) for arg in args)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds, cwd=ROOT)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after {seconds} s: {command[3:]}") from None
    return Run(done.returncode, done.stdout, done.stderr)


def write_source(folder: Path, text: str, name: str = "test.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL_FRONT = """---
title: A test handout
author:
  name: Test Author
disclaimer: Ask a professional first.
---
"""


def minimal_source(body: str = "### One\n\nDo it.\n") -> str:
    return MINIMAL_FRONT + "\n" + body


# ---- PDF ----


class Pdf:
    def __init__(self, path: Path):
        self.path = path
        self.reader = PdfReader(path)
        self.pages = [_unhyphenated(page.extract_text() or "") for page in self.reader.pages]

    def page_of(self, needle: str) -> int:
        """1-based number of the first page whose text contains `needle`."""
        for number, text in enumerate(self.pages, start=1):
            if needle in _flat(text):
                return number
        raise AssertionError(f"{needle!r} is on no page")

    def text(self, number: int) -> str:
        return _flat(self.pages[number - 1])

    def bookmarks(self) -> list[tuple[str, int]]:
        found = []

        def walk(items):
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    found.append((item.title, self.reader.get_destination_page_number(item) + 1))

        walk(self.reader.outline)
        return found

    def font_descriptors(self) -> list[tuple[str, object]]:
        fonts = []
        for page in self.reader.pages:
            resources = page.get("/Resources") or {}
            for font in (resources.get("/Font") or {}).values():
                font = font.get_object()
                descendant = font.get("/DescendantFonts")
                if descendant is not None:
                    font = descendant.get_object()[0].get_object()
                fonts.append((str(font.get("/BaseFont")), font.get("/FontDescriptor").get_object()))
        return fonts


def pdf_strings(path: Path) -> list[str]:
    """Every string a PDF holds outside the text drawn on its pages: the document
    info, the XMP metadata, outline titles, the structure tree (/Alt, /T,
    /ActualText, /E), annotations, named destinations, every name. Read with
    pikepdf, which decodes what WeasyPrint compresses."""
    import pikepdf

    found: list[str] = []
    seen: set[tuple[int, int]] = set()

    def walk(obj) -> None:
        if isinstance(obj, (pikepdf.String, pikepdf.Name)):
            found.append(str(obj))
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
            if obj.is_indirect:
                if obj.objgen in seen:
                    return
                seen.add(obj.objgen)
            if isinstance(obj, pikepdf.Array):
                for item in obj:
                    walk(item)
                return
            if isinstance(obj, pikepdf.Stream) and obj.get("/Type") == "/Metadata":
                found.append(obj.read_bytes().decode("utf-8", "replace"))
            for key, value in obj.items():
                found.append(key)
                walk(value)

    with pikepdf.open(path) as pdf:
        walk(pdf.trailer)
    return found


def _flat(text: str) -> str:
    return " ".join(text.split())


def _unhyphenated(text: str) -> str:
    """A word hyphenated at the end of a line joined again: WeasyPrint's hyphen
    (U+2010, unlike the hyphen-minus authors type) and the line break after it."""
    return re.sub("\u2010\\s+", "", text)


# ---- EPUB ----


class Epub:
    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path)
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//c:rootfile", NS).get("full-path")
        self.base = PurePosixPath(self.opf_path).parent
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.manifest = {
            item.get("id"): item for item in self.opf.iterfind("opf:manifest/opf:item", NS)
        }

    def metadata(self, name: str) -> list[str]:
        return [el.text for el in self.opf.iterfind(f"opf:metadata/dc:{name}", NS)]

    def meta_property(self, prop: str) -> str | None:
        el = self.opf.find(f"opf:metadata/opf:meta[@property='{prop}']", NS)
        return el.text if el is not None else None

    def spine_hrefs(self) -> list[str]:
        return [
            self.manifest[ref.get("idref")].get("href")
            for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)
        ]

    def read(self, href: str) -> bytes:
        return self.zip.read(str(self.base / href))

    def xhtml(self, href: str) -> etree._Element:
        return etree.fromstring(self.read(href))

    def item_with_property(self, prop: str) -> etree._Element | None:
        for item in self.manifest.values():
            if prop in (item.get("properties") or "").split():
                return item
        return None

    def text(self, href: str) -> str:
        body = self.xhtml(href).find("x:body", NS)
        return " ".join("".join(body.itertext()).split())
