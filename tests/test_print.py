"""Print-ready outputs: the print-shop PDF, the folded booklet, the tagged handout."""

from __future__ import annotations

import itertools
import re

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from booklet.export.imposition import saddle_stitch_sides
from tests.helpers import OUR_SOURCE, ROOT, TEST_SOURCES, minimal_source, run, write_source

MM = 72 / 25.4
PAPER = {"letter": (612, 792), "a4": (595.28, 841.89)}


# ---- imposition order ----


def read_folded(sides):
    """The page order a reader meets after printing `sides` double-sided, stacking the
    sheets in order and folding the stack in half."""
    sheets = list(zip(sides[0::2], sides[1::2], strict=True))  # (front, back)
    order = []
    for front, back in sheets:  # first half: right of the front, left of the back
        order += [front[1], back[0]]
    for front, back in reversed(sheets):  # second half, from the centre outwards
        order += [back[1], front[0]]
    return order


@settings(max_examples=60, derandomize=True)
@given(st.integers(min_value=1, max_value=60))
def test_folded_sheets_read_in_order(sheets):
    pages = 4 * sheets
    sides = saddle_stitch_sides(pages)
    assert len(sides) == 2 * sheets
    assert sorted(itertools.chain.from_iterable(sides)) == list(range(1, pages + 1))
    assert read_folded(sides) == list(range(1, pages + 1))
    assert sides[0] == (pages, 1), "back cover left, front cover right, outside of sheet 1"


@pytest.mark.parametrize("pages", [0, 2, 6, 10])
def test_only_multiples_of_four_fold(pages):
    with pytest.raises(ValueError):
        saddle_stitch_sides(pages)


# ---- the folded booklet, built ----


def halves(reader: PdfReader, index: int) -> tuple[str, str]:
    """Text on the left and on the right half of one sheet side."""
    page = reader.pages[index]
    middle = float(page.mediabox.width) / 2
    parts = {"left": [], "right": []}

    def visit(text, cm, tm, font, size):
        x = cm[4] + tm[4] * cm[0]
        if text.strip():
            parts["left" if x < middle else "right"].append(text)

    page.extract_text(visitor_text=visit)
    return " ".join(" ".join(parts["left"]).split()), " ".join(" ".join(parts["right"]).split())


def build_booklet(source, tmp_path, paper, project=ROOT):
    result = run(
        source, "--out", tmp_path, "--project", project, "--format", "booklet", "--paper", paper
    )
    assert result.code == 0, result.err
    assert result.err == ""
    return PdfReader(tmp_path / f"{source.stem}-booklet.pdf")


def check_booklet(reader: PdfReader, paper: str, title: str, disclaimer: str):
    sides = len(reader.pages)
    assert sides % 2 == 0
    for page in reader.pages:  # landscape sheets of the chosen paper
        assert (float(page.mediabox.height), float(page.mediabox.width)) == pytest.approx(
            PAPER[paper], abs=0.5
        )
    total = 2 * sides
    left, right = halves(reader, 0)
    assert disclaimer in left, "the back cover is the left half of the outside"
    assert right.startswith(title), "the front cover is the right half of the outside"
    expected = saddle_stitch_sides(total)
    for index, (want_left, want_right) in enumerate(expected[1:], start=1):
        left, right = halves(reader, index)
        for text, page in ((left, want_left), (right, want_right)):
            if 1 < page < total:  # the footer: "page 3 of 12", "page 3 sur 12"...
                # (then an exercise page's numeral, drawn last, in the margin)
                footer = rf"\b{page} \w+ {total}( \d+)?$"
                assert re.search(footer, text), (index, page, text[-60:])
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            described = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in described.get_object()
    assert any("Atkinson" in f for f in fonts)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_our_article_as_a_booklet(tmp_path, paper):
    reader = build_booklet(OUR_SOURCE, tmp_path, paper)
    check_booklet(
        reader,
        paper,
        "5 of the best hamstring exercises for runners",
        "Our writer\u2019s advice is intended",
    )


@pytest.mark.parametrize(
    ("name", "paper"),
    [
        ("etirements-du-matin", "a4"),
        ("seven-moves", "letter"),
        ("etirements-du-matin", "letter"),
        ("seven-moves", "a4"),
    ],
)
def test_test_sources_as_booklets(tmp_path, name, paper):
    titles = {
        "etirements-du-matin": ("Étirements du matin pour coureurs", "Ces conseils"),
        "seven-moves": ("Seven moves: a strength circuit", "Check with a health"),
    }
    reader = build_booklet(TEST_SOURCES / f"{name}.md", tmp_path, paper, project=tmp_path)
    check_booklet(reader, paper, *titles[name])


@pytest.mark.parametrize("exercises", [1, 3, 30])
def test_any_number_of_exercises_folds(project, tmp_path, exercises):
    body = "".join(
        f"### Move {n}\n\n![A runner on their back.](piriformis.svg)\n\nDo it.\n\n"
        for n in range(1, exercises + 1)
    )
    source = write_source(project / "source", minimal_source(body))
    reader = build_booklet(source, tmp_path, "letter", project)
    check_booklet(reader, "letter", "A test handout", "Ask a professional first.")
    text = " ".join(" ".join(halves(reader, i)) for i in range(len(reader.pages)))
    assert f"EXERCISE {exercises} OF {exercises}" in text


def test_a5_sheets_do_not_fold(project, tmp_path):
    source = write_source(project / "source", minimal_source())
    result = run(
        source, "--out", tmp_path, "--project", project, "--format", "booklet", "--paper", "a5"
    )
    assert result.code == 2
    assert "use --paper letter or --paper a4" in result.err


# ---- the print-shop PDF ----


SOURCES = [OUR_SOURCE, TEST_SOURCES / "etirements-du-matin.md", TEST_SOURCES / "seven-moves.md"]


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_print_shop_pdf(tmp_path, paper, source):
    project = ROOT if source == OUR_SOURCE else tmp_path
    result = run(
        source, "--out", tmp_path, "--project", project, "--format", "print,pdf", "--paper", paper
    )
    assert result.code == 0 and result.err == ""
    press_path, handout_path = (
        tmp_path / f"{source.stem}-print.pdf",
        tmp_path / f"{source.stem}.pdf",
    )
    press = pikepdf.open(press_path)
    handout = pikepdf.open(handout_path)
    assert len(press.pages) == len(handout.pages), "same pages, same order"
    intents = press.Root.OutputIntents
    assert len(intents) == 1 and intents[0].S == "/GTS_PDFX"
    assert "sRGB" in str(intents[0].OutputConditionIdentifier)
    assert "/DestOutputProfile" in intents[0]
    with press.open_metadata() as xmp:
        assert xmp.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
    width, height = PAPER[paper]
    for page in press.pages:
        trim = [float(v) for v in page.TrimBox]
        bleed = [float(v) for v in page.BleedBox]
        media = [float(v) for v in page.MediaBox]
        assert trim == pytest.approx([0, 0, width, height], abs=0.5)
        assert bleed[0] <= -3 * MM + 0.01 and bleed[1] <= -3 * MM + 0.01
        assert bleed[2] >= width + 3 * MM - 0.01 and bleed[3] >= height + 3 * MM - 0.01
        assert media[0] <= bleed[0] and media[1] <= bleed[1]
        assert media[2] >= bleed[2] and media[3] >= bleed[3]
    for a, b in zip(PdfReader(press_path).pages, PdfReader(handout_path).pages, strict=True):
        assert " ".join(a.extract_text().split()) == " ".join(b.extract_text().split())


# ---- the tagged handout ----


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
    return found


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_handout_is_tagged_with_alt_text_on_every_figure(tmp_path, source):
    from booklet.assets import Project
    from booklet.parse import parse_booklet

    project = ROOT if source == OUR_SOURCE else tmp_path
    assert run(source, "--out", tmp_path, "--project", project, "--format", "pdf").code == 0
    path = tmp_path / f"{source.stem}.pdf"
    pdf = pikepdf.open(path)
    booklet = parse_booklet(source, Project(project))
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == booklet.language
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    elements = structure(pdf)
    figures = [str(e.Alt) for e in elements if e.S == "/Figure"]
    assert sorted(figures) == sorted(image.alt for image in booklet.images)
    kinds = [str(e.S) for e in elements]
    assert kinds.count("/H1") == 1, "the title"
    assert kinds.count("/H2") >= len(booklet.exercises), "every exercise name is a heading"
    assert path.stat().st_size <= 300 * 1024


def test_pdf_ua_is_declared_when_asked(tmp_path):
    result = run(OUR_SOURCE, "--out", tmp_path, "--project", ROOT, "--format", "pdf", "--pdf-ua")
    assert result.code == 0 and result.err == ""
    with pikepdf.open(tmp_path / "hamstring-exercises-for-runners.pdf") as pdf:
        with pdf.open_metadata() as xmp:
            assert str(xmp.get("pdfuaid:part")) == "1"
        assert (tmp_path / "hamstring-exercises-for-runners.pdf").stat().st_size <= 300 * 1024


def test_format_all_writes_every_output(tmp_path):
    result = run(OUR_SOURCE, "--out", tmp_path, "--project", ROOT, "--format", "all")
    assert result.code == 0 and result.err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "hamstring-exercises-for-runners-booklet.pdf",
        "hamstring-exercises-for-runners-print.pdf",
        "hamstring-exercises-for-runners.epub",
        "hamstring-exercises-for-runners.pdf",
    ]


def test_pdf_ua_checker_finds_no_errors(tmp_path):
    """outloud checks PDF/UA-1 and WCAG: no error and no warning (the running footers
    and the numerals are artifacts, not content)."""
    import subprocess
    import sys
    from pathlib import Path

    result = run(OUR_SOURCE, "--out", tmp_path, "--project", ROOT, "--format", "pdf", "--pdf-ua")
    assert result.code == 0
    checker = Path(sys.executable).with_name("outloud")
    done = subprocess.run(
        [str(checker), "--fail-on", "error", str(tmp_path / "hamstring-exercises-for-runners.pdf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 error(s), 0 warning(s)" in done.stdout


def test_links_are_part_of_the_printed_page_in_every_pdf(tmp_path):
    """Link annotations carry the Print flag (PDF/UA asks for it, and some printers
    drop annotations without it): the handout's list of exercises, the source's web
    links, in the handout and the print-shop PDF."""
    result = run(OUR_SOURCE, "--out", tmp_path, "--project", ROOT, "--format", "pdf,print")
    assert result.code == 0
    for name in (
        "hamstring-exercises-for-runners.pdf",
        "hamstring-exercises-for-runners-print.pdf",
    ):
        with pikepdf.open(tmp_path / name) as pdf:
            links = [
                annotation
                for page in pdf.pages
                for annotation in page.get("/Annots", [])
                if annotation.get("/Subtype") == "/Link"
            ]
            assert len(links) >= 5, "one for each exercise in the intro's list"
            assert all(int(link.get("/F", 0)) & 4 for link in links), name


@pytest.mark.parametrize("fmt", ["pdf", "print"])
def test_page_furniture_is_an_artifact_and_all_else_is_in_the_structure(tmp_path, fmt):
    """The running title, "page 3 of 10" and the numeral of an exercise are artifacts
    (a screen reader skips them); every other marked text belongs to the structure."""
    result = run(OUR_SOURCE, "--out", tmp_path, "--project", ROOT, "--format", fmt)
    assert result.code == 0
    suffix = {"pdf": "", "print": "-print"}[fmt]
    with pikepdf.open(tmp_path / f"hamstring-exercises-for-runners{suffix}.pdf") as pdf:
        in_tree = {element.objgen for element in structure(pdf)}
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        owners = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        artifacts = 0
        for page in pdf.pages:
            mine = owners[int(page.StructParents)]
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) != "BDC":
                    continue
                tag, properties = operands
                if str(tag) == "/Artifact":
                    artifacts += str(properties.get("/Type")) == "/Pagination"
                else:
                    owner = mine[int(properties.MCID)]
                    assert owner.objgen in in_tree, f"{tag} {properties.MCID} outside the tree"
        # Two footer strings on each of 8 inner pages, and 5 numerals.
        assert artifacts >= 2 * 8 + 5


def test_the_folded_booklet_is_untagged_print_work(tmp_path):
    """A sheet's reading order (the last page beside the first) is the printer's: the
    booklet claims no structure, and carries no marked content that points nowhere."""
    assert run(OUR_SOURCE, "--out", tmp_path, "--project", ROOT, "--format", "booklet").code == 0
    with pikepdf.open(tmp_path / "hamstring-exercises-for-runners-booklet.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        for page in pdf.pages:
            operators = [str(op) for _, op in pikepdf.parse_content_stream(page)]
            assert "BDC" not in operators


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_pdf_ua_validator_finds_no_failure(tmp_path, source):
    """page-validation checks every PDF/UA-1 rule veraPDF checks: none fails, for our
    article and the test sources."""
    import page

    project = ROOT if source == OUR_SOURCE else tmp_path
    result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf", "--pdf-ua")
    assert result.code == 0
    report = page.validate_pdf(tmp_path / f"{source.stem}.pdf", profile="ua1")
    assert [(failure.rule_id, failure.message) for failure in report.failures] == []
    assert report.is_compliant
