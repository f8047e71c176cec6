"""The handout PDF, read back by its text, pages, bookmarks, metadata and fonts."""

from __future__ import annotations

import re

import pytest

from tests.helpers import Pdf, minimal_source, run, write_source

EXERCISES = ["Piriformis stretch", "Clamshells", "Glute bridges", "Donkey kicks", "Deadlifts"]
DISCLAIMER = "Our writer\u2019s advice is intended for informational"
POINTS_PER_INCH = 72
PAPER_POINTS = {"letter": (612, 792), "a4": (595.28, 841.89), "a5": (419.53, 595.28)}


def test_front_cover_carries_title_author_and_figure(hamstring):
    pdf: Pdf = hamstring["pdf"]
    cover = pdf.text(1)
    assert "5 of the best hamstring exercises for runners" in cover
    assert "Tonya Russell" in cover
    assert "page 1" not in cover, "no footer on the cover"
    assert _has_image(pdf, 1)


def test_intro_lists_the_exercises_with_the_pages_they_are_on(hamstring):
    pdf: Pdf = hamstring["pdf"]
    intro = pdf.text(2)
    assert intro.startswith("Your hamstrings are an important muscle group")
    for name in EXERCISES:
        listed = re.search(re.escape(name) + r"[ .]*?(\d+)", intro)
        assert listed, f"{name} is not in the list"
        assert int(listed.group(1)) == pdf.page_of(f"EXERCISE {EXERCISES.index(name) + 1} OF 5")


def test_each_exercise_is_alone_on_its_own_page(hamstring):
    pdf: Pdf = hamstring["pdf"]
    pages = [pdf.page_of(f"EXERCISE {n} OF 5") for n in range(1, 6)]
    assert pages == sorted(set(pages)), "one page each, in order"
    for number, (page, name) in enumerate(zip(pages, EXERCISES, strict=True), start=1):
        # The label and the name come first, before the text; the large numeral is
        # page furniture in the margin, drawn after it.
        assert pdf.text(page).startswith(f"EXERCISE {number} OF 5 {name} ")
        assert _has_image(pdf, page)
    # The end of each exercise's text is on the same page as its start.
    assert "letting your arms hang" in pdf.text(pages[-1])
    assert "Consider using a resistance band to complete this exercise" in pdf.text(pages[1])


def test_every_exercise_has_a_bookmark_to_its_page(hamstring):
    pdf: Pdf = hamstring["pdf"]
    bookmarks = dict(pdf.bookmarks())
    for number, name in enumerate(EXERCISES, start=1):
        assert bookmarks[name] == pdf.page_of(f"EXERCISE {number} OF 5")
    assert bookmarks["Disclaimer"] == len(pdf.pages)


def test_disclaimer_alone_on_an_even_last_page(hamstring):
    pdf: Pdf = hamstring["pdf"]
    assert len(pdf.pages) % 2 == 0
    last = pdf.text(len(pdf.pages))
    assert DISCLAIMER in last
    assert pdf.page_of(DISCLAIMER) == len(pdf.pages)
    assert "page " not in last, "no footer on the back cover"


def test_padding_is_a_lined_notes_page_never_a_bare_blank(hamstring, tmp_path, project):
    # Our article has an odd number of pages before the back cover, so it is padded.
    pdf: Pdf = hamstring["pdf"]
    before_last = pdf.text(len(pdf.pages) - 1)
    assert before_last.startswith("Notes")
    for number in range(1, len(pdf.pages) + 1):
        assert pdf.text(number), f"page {number} is blank"
    # With an even number of pages before the back cover, nothing is inserted.
    source = write_source(project / "source", minimal_source("### One\n\nA.\n\n### Two\n\nB.\n"))
    run(source, "--out", tmp_path, "--project", project, "--format", "pdf")
    short = Pdf(tmp_path / "test.pdf")
    assert len(short.pages) == 6 and "Notes" not in " ".join(short.pages)


def test_inner_pages_are_numbered(hamstring):
    pdf: Pdf = hamstring["pdf"]
    total = len(pdf.pages)
    for number in range(2, total):
        assert f"page {number} of {total}" in pdf.text(number)
        assert "5 of the best hamstring exercises for runners" in pdf.text(number)


def test_metadata_and_language(hamstring):
    reader = hamstring["pdf"].reader
    assert reader.metadata.title == "5 of the best hamstring exercises for runners"
    assert reader.metadata.author == "Tonya Russell"
    assert reader.metadata.creation_date is not None
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-US"


def test_every_font_is_embedded_and_subset(hamstring):
    fonts = hamstring["pdf"].font_descriptors()
    assert fonts
    for name, descriptor in fonts:
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name
        assert re.match(r"/[A-Z]{6}\+", name), f"{name} is not subset"
    assert any("Atkinson-Hyperlegible" in name for name, _ in fonts)


def test_text_comes_out_in_reading_order(hamstring):
    text = " ".join(hamstring["pdf"].pages)
    text = " ".join(text.split())
    anchors = [
        "Your hamstrings are an important",
        "What do hamstrings do, anyway?",
        "5 key stretches",
        *EXERCISES,
        "physical therapist",
        "Written by Tonya Russell",
        DISCLAIMER,
    ]
    positions = [text.index(anchor) for anchor in anchors]
    assert positions == sorted(positions)


def test_small_enough_to_email(hamstring):
    assert hamstring["pdf"].path.stat().st_size <= 300 * 1024


@pytest.mark.parametrize("paper", ["letter", "a4", "a5"])
def test_paper_sizes(project, tmp_path, paper):
    source = write_source(
        project / "source",
        minimal_source("### One\n\n![A runner on their back.](piriformis.svg)\n\nA.\n"),
    )
    result = run(
        source, "--out", tmp_path, "--project", project, "--format", "pdf", "--paper", paper
    )
    assert result.code == 0 and result.err == ""
    box = Pdf(tmp_path / "test.pdf").reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(PAPER_POINTS[paper], abs=0.5)


def test_our_article_fits_on_a5_too(project, tmp_path):
    from tests.helpers import OUR_SOURCE, ROOT

    result = run(
        OUR_SOURCE, "--out", tmp_path, "--project", ROOT, "--format", "pdf", "--paper", "a5"
    )
    assert result.code == 0
    assert result.err == "", "every exercise fits on one A5 page"


def test_an_exercise_too_long_for_a_page_shrinks_its_figure_then_warns(project, tmp_path):
    long_text = "\n\n".join(["Keep going with this for a while longer, slowly and carefully."] * 14)
    source = write_source(
        project / "source",
        minimal_source(
            f"### Long one\n\n![A runner on their back.](piriformis.svg)\n\n{long_text}\n"
        ),
    )
    result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf")
    assert result.code == 0 and result.err == "", "a smaller figure makes it fit"

    very_long = "\n\n".join(["Keep going with this for a while longer, slowly and carefully."] * 40)
    source.write_text(
        minimal_source(f"### Very long one\n\n![A pose.](piriformis.svg)\n\n{very_long}\n")
    )
    result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf")
    assert result.code == 0
    assert "exercise 1 'Very long one' does not fit on one page" in result.err
    strict = run(source, "--out", tmp_path, "--project", project, "--format", "pdf", "--strict")
    assert strict.code == 2
    assert "--strict" in strict.err


def test_an_exercise_gets_the_largest_figure_its_page_holds(project, tmp_path):
    """A tall picture is as tall as the page lets it be: the larger figure (4.4 in on
    Letter) when the text is short, the usual one (3.6 in) when the larger one would
    push the text onto a second page, a smaller one when even that would."""
    import pikepdf
    from PIL import Image

    Image.new("RGB", (300, 900), "white").save(project / "images" / "tall.png")
    step = "Keep going with this for a while longer, slowly and carefully."

    def figure_height(paragraphs: int) -> float:
        text = "\n\n".join([step] * paragraphs)
        source = write_source(
            project / "source", minimal_source(f"### Tall\n\n![A pose.](tall.png)\n\n{text}\n")
        )
        result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf")
        assert result.code == 0 and result.err == "", result.err
        with pikepdf.open(tmp_path / "test.pdf") as pdf:
            for page in pdf.pages:
                matrices = [pikepdf.Matrix()]
                for operands, operator in pikepdf.parse_content_stream(page):
                    if str(operator) == "q":
                        matrices.append(matrices[-1])
                    elif str(operator) == "Q":
                        matrices.pop()
                    elif str(operator) == "cm":
                        matrices[-1] = pikepdf.Matrix(*operands) @ matrices[-1]
                    elif str(operator) == "Do":
                        drawn = page.Resources.XObject[operands[0]]
                        if drawn.Subtype == "/Image":
                            return matrices[-1].d / POINTS_PER_INCH
        raise AssertionError("the figure is on no page")

    assert figure_height(2) == pytest.approx(4.4, abs=0.02)
    assert figure_height(9) == pytest.approx(4.4, abs=0.02), "room for it, if only just"
    assert figure_height(10) == pytest.approx(3.6, abs=0.02)
    assert figure_height(12) == pytest.approx(2.6, abs=0.02)


def test_test_sources(test_builds):
    french = test_builds["etirements-du-matin"]["pdf"]
    box = french.reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(PAPER_POINTS["a4"], abs=0.5)
    assert "Étirements du matin pour coureurs" in french.text(1)
    assert "« Deux minutes, café compris »" in french.text(1)
    assert french.page_of("EXERCICE 2 SUR 2") > french.page_of("EXERCICE 1 SUR 2")
    assert "1. Posez le genou droit au sol" in french.text(french.page_of("EXERCICE 1 SUR 2"))
    assert "page 2 sur" in french.text(2)
    assert "Avertissement" in french.text(len(french.pages))
    assert french.reader.trailer["/Root"]["/Lang"] == "fr-FR"
    assert len(french.pages) % 2 == 0

    seven = test_builds["seven-moves"]["pdf"]
    pages = [seven.page_of(f"EXERCISE {n} OF 7") for n in range(1, 8)]
    assert pages == list(range(pages[0], pages[0] + 7))
    assert "Rest a minute between the two blocks." in seven.text(2) + seven.text(3)
    assert "Walk for two minutes" in seven.text(pages[-1] + 1)
    assert len(seven.pages) % 2 == 0
    assert "Check with a health professional" in seven.text(len(seven.pages))


def _has_image(pdf: Pdf, number: int) -> bool:
    resources = pdf.reader.pages[number - 1].get("/Resources") or {}
    return bool(resources.get("/XObject"))


def test_a_dose_shows_in_a_box_with_room_to_tick_sessions(test_builds):
    seven = test_builds["seven-moves"]["pdf"]
    page = seven.text(seven.page_of("EXERCISE 4 OF 7"))
    assert "DOSE 3 sets of 12, every other day Tick a box after each session:" in page
    assert "1. Feet shoulder-width apart." in page
    epub = test_builds["seven-moves"]["epub"]
    assert "Dose 3 sets of 12, every other day" in epub.text("exercise-4.xhtml")


def test_page_numbers_hold_however_long_each_part_runs(project, tmp_path):
    """Each part is laid out on its own and told its page numbers: they must come out
    right when the intro and the closing run over several pages and an exercise
    spills, and the list in the intro must point at the right pages."""
    from booklet.build import Builder
    from booklet.export.typesetter import Typesetter
    from booklet.options import BuildOptions

    filler = "A paragraph that goes on for a while, so that the part runs long. " * 5
    intro = "\n\n".join([filler] * 10)
    moves = "".join(f"### Move {n}\n\nDo move {n} slowly.\n\n" for n in range(1, 6))
    spill = "\n\n".join([filler] * 16)
    body = f"{intro}\n\n## Moves\n\n{moves}### Long move\n\n{spill}\n\n---\n\n{intro}\n"
    source = write_source(project / "source", minimal_source(body))
    typesetter, warnings = Typesetter(), []
    options = BuildOptions(out=tmp_path, project=project, formats=("pdf",))
    Builder(options, lambda source, message: warnings.append(message), typesetter).build(source)
    pdf = Pdf(tmp_path / "test.pdf")

    total = len(pdf.pages)
    assert total % 2 == 0 and "Ask a professional first." in pdf.text(total)
    for number in range(2, total):
        assert f"page {number} of {total}" in pdf.text(number), number
    names = [f"Move {n}" for n in range(1, 6)] + ["Long move"]
    pages = [pdf.page_of(f"EXERCISE {n} OF 6") for n in range(1, 7)]
    assert pages[0] > 3, "the intro runs over two pages or more"
    assert pdf.page_of("A paragraph that goes on") == 2
    intro = " ".join(pdf.text(n) for n in range(2, pages[0]))
    listed = [int(re.search(re.escape(name) + r"[ .]*?(\d+)", intro).group(1)) for name in names]
    assert listed == pages
    assert pages[-1] + 1 < total - 1, "the long move runs onto more pages"
    assert any("exercise 6 'Long move' does not fit on one page" in w for w in warnings)
    # Two passes at most: the spill changed the page count after every part before.
    notes = sum(text.startswith("Notes") for text in pdf.pages)
    assert typesetter.parts_laid_out <= 2 * (10 + notes)


def test_parts_of_unknown_length_are_laid_out_again_and_no_others(project, tmp_path):
    """A first build guesses one page a part. The intro and the closing, whose length
    is hardest to guess, go first; only they need a second layout when they run long."""
    from booklet.build import Builder
    from booklet.export.typesetter import Typesetter
    from booklet.options import BuildOptions

    long = "\n\n".join(["A paragraph that goes on for a while, so it runs long. " * 5] * 10)
    moves = "".join(f"### Move {n}\n\nDo move {n} slowly.\n\n" for n in range(1, 6))
    source = write_source(
        project / "source", minimal_source(f"{long}\n\n## Moves\n\n{moves}---\n\n{long}\n")
    )
    typesetter = Typesetter()
    options = BuildOptions(out=tmp_path, project=project, formats=("pdf",))
    Builder(options, lambda source, message: None, typesetter).build(source)
    pdf = Pdf(tmp_path / "test.pdf")
    parts = 9 + sum(text.startswith("Notes") for text in pdf.pages)
    assert pdf.page_of("EXERCISE 1 OF 5") == 4, "a two-page intro"
    assert typesetter.parts_laid_out <= parts + 2
