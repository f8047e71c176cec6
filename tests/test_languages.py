# ruff: noqa: RUF001 (the quotation marks of each language, as they are written)
"""Every language and script: quotation marks, labels, fonts that cover the text,
right to left in print and in the EPUB."""

from __future__ import annotations

import pikepdf
import pypdfium2 as pdfium
import pytest

from booklet import typography
from tests.helpers import NS, TEST_SOURCES, Epub, Pdf, minimal_source, run, write_source

QUOTED = "She said: \"Quality before speed, not 'fast' at all.\" Don't worry.\n\n"


def quoted_source(language: str) -> str:
    front = minimal_source("").replace("title: A test handout", f"title: Q\nlanguage: {language}")
    return front + QUOTED + "### One\n\nDo it.\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """The Russian, Greek, Arabic and Hebrew test sources, built as a user would."""
    out = tmp_path_factory.mktemp("languages")
    project = tmp_path_factory.mktemp("languages-project")
    names = ["rastyazhka", "askiseis", "tamarin-ar", "targilim-he"]
    result = run(
        *(TEST_SOURCES / f"{name}.md" for name in names),
        "--out",
        out,
        "--project",
        project,
        "--paper",
        "a4",
        "--format",
        "pdf,epub,booklet",
    )
    assert result.code == 0, result.err
    assert result.err == "", "no glyph warning, no missing labels"
    return {
        name: {
            "pdf": Pdf(out / f"{name}.pdf"),
            "epub": Epub(out / f"{name}.epub"),
            "path": out / f"{name}.pdf",
            "booklet": out / f"{name}-booklet.pdf",
        }
        for name in names
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "„Quality before speed, not ‚fast‘ at all.“ Don’t worry."),
        (
            "fr-FR",
            "«\u202fQuality before speed, not «\u202ffast\u202f» at all.\u202f» Don’t worry.",
        ),
        ("en", "“Quality before speed, not ‘fast’ at all.” Don’t worry."),
    ],
)
def test_quotation_marks_follow_the_language(tmp_path, language, expected):
    source = write_source(tmp_path / "source", quoted_source(language))
    result = run(source, "--out", tmp_path / "out", "--project", tmp_path, "--format", "epub")
    assert result.code == 0, result.err
    root = Epub(tmp_path / "out" / "test.epub").xhtml("intro.xhtml")
    text = "".join(root.find("x:body", NS).itertext())  # the spaces as they are
    assert expected in text


@pytest.mark.parametrize("tag", [*typography.SCRIPTS, "en-GB", "pt-BR", "ar-EG", "sr-Latn", "yi"])
def test_direction_and_script_are_cldr_s(tag):
    """The languages written down (to spare every build Babel's locale data) are
    written as Babel, from CLDR, says: direction, joined letters, capitals."""
    from babel import Locale
    from babel.core import get_global

    locale, primary = Locale.parse(tag, sep="-"), tag.split("-")[0]
    script = locale.script or get_global("likely_subtags")[primary].split("_")[1]
    writing = typography.writing_of(tag)
    assert writing.direction == ("rtl" if locale.character_order == "right-to-left" else "ltr")
    assert writing.connected == (script in typography.CONNECTED_SCRIPTS)
    assert writing.capitals == (
        script in typography.CASED_SCRIPTS and primary not in typography.CAPITALS_NEED_CARE
    )


def test_a_language_without_labels_gets_one_warning(tmp_path):
    source = write_source(tmp_path / "source", quoted_source("sw"))
    result = run(source, "--out", tmp_path / "out", "--project", tmp_path, "--format", "pdf")
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.err
    assert "no labels in the language 'sw'" in warnings[0] and "English" in warnings[0]
    assert "EXERCISE 1 OF 1" in Pdf(tmp_path / "out" / "test.pdf").text(3)


def test_labels_in_every_official_eu_language_and_more():
    import yaml

    from booklet.render import BUNDLED_LAYOUTS

    labels = yaml.safe_load((BUNDLED_LAYOUTS / "default" / "labels.yaml").read_text("utf-8"))
    eu = [
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "ga",
        "hr",
        "hu",
        "it",
        "lt",
        "lv",
        "mt",
        "nl",
        "pl",
        "pt",
        "ro",
        "sk",
        "sl",
        "sv",
    ]
    for language in [*eu, "ar", "he", "tr", "uk", "ru", "zh", "ja"]:
        assert set(labels[language]) == set(labels["en"]), language


@pytest.mark.parametrize("name", ["rastyazhka", "askiseis"])
def test_cyrillic_and_greek_print_in_an_embedded_font(built, name):
    words = {"rastyazhka": "Ягодичный мост", "askiseis": "Γέφυρα γλουτών"}[name]
    pdf: Pdf = built[name]["pdf"]
    assert words in pdf.text(pdf.page_of(words))
    with pikepdf.open(built[name]["path"]) as document:
        for page in document.pages:
            for font in page.Resources.Font.values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    labels = {"rastyazhka": "Упражнение 1 из 2", "askiseis": "Άσκηση 1 από 2"}[name]
    assert labels.upper() in pdf.text(3).upper()


def test_russian_quotes_at_both_levels(built):
    text = built["rastyazhka"]["epub"].text("intro.xhtml")
    assert "«Качество важнее скорости, а „быстро“ — не значит „хорошо“.»" in text


@pytest.mark.parametrize("name", ["tamarin-ar", "targilim-he"])
def test_right_to_left_in_the_epub(built, name):
    epub: Epub = built[name]["epub"]
    spine = epub.opf.find("opf:spine", NS)
    assert spine.get("page-progression-direction") == "rtl"
    for item in epub.manifest.values():
        if item.get("media-type") == "application/xhtml+xml":
            root = epub.xhtml(item.get("href"))
            assert root.get("dir") == "rtl", item.get("href")
    css = epub.read("ereader.css").decode()
    assert "border-right: 0.25em solid" in css  # the disclaimer's rule on the start side


@pytest.mark.parametrize(
    ("name", "words"),
    [("tamarin-ar", ["استلقِ", "ظهرك", "جسر الألوية"]), ("targilim-he", ["גשר ישבן", "שכבו"])],
)
def test_right_to_left_text_reads_back_from_the_pdf(built, name, words):
    text = built[name]["pdf"].text(3)
    for word in words:
        assert word in text


def _boxes(path, number):
    """Each character of page `number` with its box (left, bottom, right, top)."""
    page = pdfium.PdfDocument(path)[number - 1]
    text = page.get_textpage()
    chars = text.get_text_range()
    return page.get_size()[0], [(c, text.get_charbox(i)) for i, c in enumerate(chars)]


def _positions(path, number, title_word, page_word):
    width, boxes = _boxes(path, number)
    numeral = max(boxes, key=lambda cb: cb[1][3] - cb[1][1])  # the tallest character
    text = "".join(c for c, _ in boxes)
    title = boxes[text.index(title_word)][1]
    page = boxes[text.index(page_word)][1]
    return width, numeral[1], title, page


def test_footer_and_numeral_are_mirrored_right_to_left(built, hamstring):
    width, numeral, title, page = _positions(built["tamarin-ar"]["path"], 3, "تمارين", "الصفحة")
    assert numeral[0] > width * 0.8, "the numeral in the right margin"
    assert title[0] > width / 2 and page[2] < width / 2, "title at the right, page at the left"
    path = hamstring["pdf"].path
    width, numeral, title, page = _positions(path, 3, "5 of the best", "page 3")
    assert numeral[2] < width * 0.2, "left to right: the numeral in the left margin"
    assert title[2] < width / 2 and page[0] > width / 2


def test_a_right_bound_booklet_is_imposed_mirrored(built):
    width, boxes = _boxes(built["tamarin-ar"]["booklet"], 1)
    text = "".join(c for c, _ in boxes)
    subtitle = boxes[text.index("ومرونة")][1]  # only on the front cover
    assert subtitle[2] < width / 2, "the front cover on the left half: bound at the right"
    width, boxes = _boxes(built["rastyazhka"]["booklet"], 1)
    text = "".join(c for c, _ in boxes)
    assert boxes[text.index("Пять")][1][0] > width / 2, "left to right: the cover at the right"


def test_hebrew_labels(built):
    assert "תרגיל 1 מתוך 2" in built["targilim-he"]["epub"].text("exercise-1.xhtml")


def test_format_all_on_a5_builds_what_applies_and_says_what_it_left_out(tmp_path):
    source = write_source(tmp_path / "source", minimal_source())
    result = run(
        source, "--out", tmp_path / "out", "--project", tmp_path, "--paper", "a5", "--format", "all"
    )
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "test-print.pdf",
        "test-sheet.pdf",
        "test.epub",
        "test.pdf",
    ]
    said = [line for line in result.out.splitlines() if line.startswith("left out")]
    assert said == [
        "left out booklet (half-size pages imposed two-up, to print double-sided, fold and "
        "staple): a folded booklet is printed on Letter or A4 sheets, not A5; --paper a4 "
        "makes one of A5 pages"
    ]


def test_format_all_leaves_out_what_a_source_s_own_paper_cannot_make(tmp_path):
    # The paper comes from the front matter, not the command line: each source decides.
    a5 = minimal_source().replace("---\ntitle:", "---\npaper: a5\ntitle:", 1)
    write_source(tmp_path / "source", a5, name="small.md")
    write_source(tmp_path / "source", minimal_source(), name="large.md")
    result = run("--out", tmp_path / "out", "--project", tmp_path, "--format", "all")
    assert result.code == 0, result.err
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "small-booklet.pdf" not in names and "large-booklet.pdf" in names
    assert {"small.pdf", "small.epub", "small-print.pdf", "small-sheet.pdf"} <= set(names)
    assert "small.md: left out booklet" in result.err and "large.md: left out" not in result.err


def test_french_spacing_where_the_author_typed_plain_spaces(test_builds):
    epub: Epub = test_builds["etirements-du-matin"]["epub"]
    title_page = "".join(epub.xhtml("title-page.xhtml").find("x:body", NS).itertext())
    assert "«\u202fDeux minutes, café compris\u202f»" in title_page
    intro = "".join(epub.xhtml("intro.xhtml").find("x:body", NS).itertext())
    assert "raides\u00a0: voici" in intro


@pytest.mark.parametrize(
    ("language", "source"),
    [
        ("en-US", "seven-moves"),
        ("fr", "etirements-du-matin"),
        ("ru", "rastyazhka"),
        ("el", "askiseis"),
        ("de-DE", "knee-after-acl"),
    ],
)
def test_hyphenation_read_on_demand_breaks_words_as_pyphen_does(language, source, tmp_path):
    """The dictionary the typesetter reads line by line as words look it up breaks
    every word where pyphen's own reading of the whole file does."""
    import re
    import shutil

    import pyphen

    from booklet.export import engine

    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    pyphen.hdcache.pop(path, None)
    engine.hyphenation_for(language)
    ours = pyphen.Pyphen(lang=language)
    shutil.copy(path, tmp_path / path.name)  # another file: pyphen reads it whole
    theirs = pyphen.Pyphen(filename=tmp_path / path.name)
    text = (TEST_SOURCES / f"{source}.md").read_text(encoding="utf-8")
    words = set(re.findall(r"\w{5,}", text)) | {"Oberschenkelmuskulatur", "extraordinairement"}
    assert len(words) > 30
    assert [ours.inserted(w) for w in sorted(words)] == [theirs.inserted(w) for w in sorted(words)]
    assert any("-" in ours.inserted(w) for w in words)
