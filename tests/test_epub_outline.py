"""The EPUB's outline in any reading system: a title page with the h1, headings that
nest, contents nested by section, the page list in the NCX too, colours that hold in
a dark theme, fonts cut to the book, and a Kindle file (Calibre) that ends on the
disclaimer."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import time

import pytest

from booklet.colour import contrast
from tests.helpers import NS, Epub

HEADING = re.compile(r"^\{http://www.w3.org/1999/xhtml\}h([1-6])$")


def test_a_title_page_with_the_h1_after_the_cover(hamstring):
    epub: Epub = hamstring["epub"]
    assert epub.spine_hrefs()[:2] == ["cover.xhtml", "title-page.xhtml"]
    page = epub.xhtml("title-page.xhtml")
    h1 = page.findall(".//x:h1", NS)
    assert [h.text for h in h1] == ["5 of the best hamstring exercises for runners"]
    text = epub.text("title-page.xhtml")
    assert "Strength and stretches" in text or "Tonya Russell" in text
    assert "Tonya Russell" in text


def test_every_document_but_the_cover_has_headings_that_nest(hamstring, test_builds):
    for epub in [hamstring["epub"], *(built["epub"] for built in test_builds.values())]:
        for href in epub.spine_hrefs():
            if href in ("cover.xhtml", "nav.xhtml"):
                continue
            levels = [
                int(HEADING.match(el.tag).group(1))
                for el in epub.xhtml(href).iter()
                if isinstance(el.tag, str) and HEADING.match(el.tag)
            ]
            assert levels, f"{epub.path.name}/{href} has no heading"
            assert levels[0] == (1 if href == "title-page.xhtml" else 2), (href, levels)
            assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (href, levels)
            if href != "title-page.xhtml":
                assert 1 not in levels, "the title page's h1 is the only one"


def test_no_banner_landmark_in_an_exercise(hamstring):
    epub: Epub = hamstring["epub"]
    for href in epub.spine_hrefs():
        root = epub.xhtml(href)
        assert root.find(".//x:header", NS) is None, href
        assert not root.xpath("//*[@role='banner']"), href


def test_contents_nested_by_section(hamstring):
    epub: Epub = hamstring["epub"]
    nav = epub.xhtml(epub.item_with_property("nav").get("href"))
    toc = nav.find(".//x:nav[@epub:type='toc']/x:ol", NS)
    top = [li.find("x:a", NS).text for li in toc.findall("x:li", NS)]
    assert top == [
        "Introduction",
        "5 key stretches for healthy hamstrings",
        "Closing words",
        "Disclaimer",
    ]
    intro = toc.findall("x:li", NS)[0]
    sections = [(a.text, a.get("href")) for a in intro.findall("x:ol/x:li/x:a", NS)]
    assert sections == [
        ("What do hamstrings do, anyway?", "intro.xhtml#section-1"),
        ("5 key stretches for healthy hamstrings", "intro.xhtml#section-2"),
    ]
    section = toc.findall("x:li", NS)[1]
    assert section.find("x:a", NS).get("href") == "exercise-1.xhtml"
    nested = [a.text for a in section.findall("x:ol/x:li/x:a", NS)]
    assert nested == [
        "1. Piriformis stretch",
        "2. Clamshells",
        "3. Glute bridges",
        "4. Donkey kicks",
        "5. Deadlifts",
    ]
    ncx_id = epub.opf.find("opf:spine", NS).get("toc")
    ncx = epub.xhtml(epub.manifest[ncx_id].get("href"))
    point = ncx.find(".//ncx:navMap/ncx:navPoint[2]", NS)
    assert len(point.findall("ncx:navPoint", NS)) == 5


def test_page_list_in_the_ncx_too(hamstring):
    epub: Epub = hamstring["epub"]
    ncx_id = epub.opf.find("opf:spine", NS).get("toc")
    ncx = epub.xhtml(epub.manifest[ncx_id].get("href"))
    targets = ncx.findall(".//ncx:pageList/ncx:pageTarget", NS)
    pages = {t.get("value"): t.find("ncx:content", NS).get("src") for t in targets}
    pdf = hamstring["pdf"]
    page = pdf.page_of("EXERCISE 3 OF 5")
    assert pages[str(page)] == f"exercise-3.xhtml#page-{page}"
    assert pages["1"] == "cover.xhtml#page-1"


def test_colours_hold_in_a_dark_theme(hamstring):
    css = hamstring["epub"].read("ereader.css").decode()
    colours = re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", css)
    for colour in colours:
        assert contrast(colour, "#000000") >= 3, f"{colour} vanishes on black"
    assert "currentColor" in css
    for match in re.finditer(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", css):
        assert contrast(match.group(1), "#ffffff") >= 4.5
        assert contrast(match.group(1), "#000000") >= 3


def test_fonts_cut_to_the_book_with_their_licence(hamstring):
    from io import BytesIO

    from fontTools.ttLib import TTFont

    epub: Epub = hamstring["epub"]
    assert epub.path.stat().st_size <= 150 * 1024
    fonts = [i for i in epub.manifest.values() if i.get("media-type", "").startswith("font/")]
    assert fonts
    for item in fonts:
        data = epub.read(item.get("href"))
        font = TTFont(BytesIO(data))
        assert "fvar" not in font, "static faces only"
        assert len(font.getBestCmap()) < 200, "cut to the book's characters"
        assert "Open Font License" in str(font["name"].getDebugName(13))
    licences = [i for i in epub.manifest.values() if i.get("media-type") == "text/plain"]
    assert any(b"SIL OPEN FONT LICENSE" in epub.read(i.get("href")).upper() for i in licences)


EBOOK_CONVERT = shutil.which("ebook-convert")


@pytest.mark.skipif(EBOOK_CONVERT is None, reason="Calibre's ebook-convert is not installed")
def test_calibre_kindle_file_ends_on_the_disclaimer(hamstring, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if os.geteuid() == 0:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
    started = time.perf_counter()
    for source, target in [(hamstring["epub"].path, "book.azw3"), ("book.azw3", "book.txt")]:
        subprocess.run(
            [EBOOK_CONVERT, str(source), target],
            cwd=tmp_path,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    lines = [line.strip() for line in (tmp_path / "book.txt").read_text().splitlines()]
    lines = [line for line in lines if line]
    assert "Table of Contents" not in lines, "Calibre made a contents page of its own"
    disclaimer = len(lines) - 1 - lines[::-1].index("Disclaimer")
    assert lines[disclaimer + 1].startswith("Our writer")
    assert len(lines) - disclaimer <= 3, lines[disclaimer:]
    assert time.perf_counter() - started < 120
