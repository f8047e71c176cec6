"""Source file -> Booklet model: images, markup, numbering, and every problem at once."""

from __future__ import annotations

import os

import pytest

from booklet.assets import Project
from booklet.errors import SourceError
from booklet.parse import parse_booklet
from tests.helpers import MINIMAL_FRONT, OUR_SOURCE, ROOT, minimal_source, write_source

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'


def parse(path, project):
    return parse_booklet(path, Project(project))


def problems(path, project) -> list[tuple[int | None, str]]:
    with pytest.raises(SourceError) as caught:
        parse(path, project)
    return [(p.line, p.message) for p in caught.value.problems]


def test_our_article_parses_into_five_numbered_exercises():
    booklet = parse(OUR_SOURCE, ROOT)
    assert booklet.title == "5 of the best hamstring exercises for runners"
    assert booklet.language == "en-US"
    assert booklet.author.name == "Tonya Russell"
    assert booklet.author.photo is None
    assert [s.title for s in booklet.sections] == [
        "What do hamstrings do, anyway?",
        "5 key stretches for healthy hamstrings",
    ]
    names = [e.name for e in booklet.exercises]
    assert names == [
        "Piriformis stretch",
        "Clamshells",
        "Glute bridges",
        "Donkey kicks",
        "Deadlifts",
    ]
    assert [e.number for e in booklet.exercises] == [1, 2, 3, 4, 5]
    assert all(e.figure is not None and e.figure.alt for e in booklet.exercises)
    assert "Placeholder" not in "".join(e.html for e in booklet.exercises)
    assert "physical therapist" in booklet.closing_html
    assert booklet.cover.alt == "Two runners chat and stretch their hamstrings before a run."


def test_the_figure_is_taken_out_of_the_exercise_text(project):
    source = write_source(
        project / "source", minimal_source("### One\n\n![A pose.](pose.svg)\n\nDo it.\n")
    )
    (project / "source" / "pose.svg").write_text(SVG)
    exercise = parse(source, project).exercises[0]
    assert exercise.figure.alt == "A pose."
    assert exercise.figure.href == "images/pose.svg"
    assert "<img" not in exercise.html
    assert "Do it." in exercise.html


def test_images_resolve_next_to_the_source_first_then_in_images(project):
    (project / "images" / "both.svg").write_text(SVG)
    source = write_source(
        project / "elsewhere",
        minimal_source("### One\n\n![Mine.](both.svg)\n\n### Two\n\n![Shared.](piriformis.svg)\n"),
    )
    (project / "elsewhere" / "both.svg").write_text(SVG)
    first, second = parse(source, project).exercises
    assert first.figure.path == (project / "elsewhere" / "both.svg").resolve()
    assert second.figure.path == (project / "images" / "piriformis.svg").resolve()


def test_every_image_problem_is_reported_with_its_line(project):
    source = write_source(
        project / "source",
        minimal_source(
            "### One\n\n![](piriformis.svg)\n\n### Two\n\n![A thing.](missing.svg)\n\n"
            "### Three\n\n![Remote.](https://example.com/x.png)\n\n"
            "### Four\n\n![Abs.](/etc/passwd.svg)\n"
        ),
    )
    found = problems(source, project)
    assert found[0] == (
        10,
        "image 'piriformis.svg' has no alt text; write ![what it shows](piriformis.svg)",
    )
    assert found[1][0] == 14 and "image 'missing.svg' not found" in found[1][1]
    assert found[2][0] == 18 and "is not a local file" in found[2][1]
    assert found[3][0] == 22 and "absolute path" in found[3][1]


def test_a_cover_image_that_does_not_exist_names_its_front_matter_line(project):
    text = MINIMAL_FRONT.replace("disclaimer:", "cover:\n  image: nope.svg\n  alt: x\ndisclaimer:")
    source = write_source(project / "source", text + "\n### One\n\nA.\n")
    assert problems(source, project)[0][0] == 6


def test_symlinks_out_of_the_allowed_folders_are_refused(project, tmp_path):
    secret = tmp_path / "secret.svg"
    secret.write_text(SVG)
    os.symlink(secret, project / "images" / "link.svg")
    source = write_source(project / "source", minimal_source("### One\n\n![x](link.svg)\n"))
    assert "points outside" in problems(source, project)[0][1]


def test_parent_escapes_are_refused(project):
    (project / "outside.svg").write_text(SVG)
    source = write_source(project / "source", minimal_source("### One\n\n![x](../outside.svg)\n"))
    assert "points outside" in problems(source, project)[0][1]


def test_no_exercises(project):
    source = write_source(project / "source", minimal_source("Just text.\n\n## A section\n"))
    assert problems(source, project) == [
        (None, "has no exercises; start each exercise with a ### heading")
    ]


def test_level_one_heading_and_nameless_exercise(project):
    source = write_source(project / "source", minimal_source("# Title\n\n###\n\nA.\n"))
    found = problems(source, project)
    assert found[0][0] == 8 and "'#' heading" in found[0][1]
    assert found[1] == (10, "an exercise heading has no name; write ### and the name")


def test_raw_html_is_shown_as_text_never_passed_through(project):
    source = write_source(
        project / "source",
        minimal_source("### One\n\n<script>alert(1)</script>\n\nText <b onclick=x>bold</b>.\n"),
    )
    html = parse(source, project).exercises[0].html
    assert "<script>" not in html and "<b" not in html
    assert "&lt;script&gt;" in html


def test_typography_and_inline_markup(project):
    source = write_source(
        project / "source", minimal_source("### Don't *stop*\n\nIt's \"fine\" -- really...\n")
    )
    exercise = parse(source, project).exercises[0]
    assert exercise.name == "Don\u2019t stop"
    assert exercise.name_html == "Don\u2019t <em>stop</em>"
    assert "It\u2019s \u201cfine\u201d \u2013 really\u2026" in exercise.html


def test_duplicate_exercise_names_get_distinct_anchors(project):
    source = write_source(project / "source", minimal_source("### Same\n\nA.\n\n### Same\n\nB.\n"))
    anchors = [e.anchor for e in parse(source, project).exercises]
    assert anchors == ["exercise-1", "exercise-2"]


def test_dates_are_reproducible_with_source_date_epoch(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    source = write_source(project / "source", minimal_source())
    booklet = parse(source, project)
    assert booklet.modified.isoformat() == "2023-11-14T22:13:20+00:00"
    assert booklet.date.isoformat() == "2023-11-14"


def test_a_dose_line_gives_the_exercise_its_dose(project):
    source = write_source(
        project / "source",
        minimal_source(
            "### One\n\nDose: 3 sets of 10, twice a day\n\nDo it.\n\n"
            "### Two\n\ndose:  hold 30 s\n\nB.\n"
            "\n### Three\n\nNo dose here. The word Dose: inside a line is text.\n"
        ),
    )
    one, two, three = parse(source, project).exercises
    assert one.dose == "3 sets of 10, twice a day"
    assert "Dose" not in one.html and "Do it." in one.html
    assert two.dose == "hold 30 s"
    assert three.dose is None and "Dose:" in three.html


def test_dose_problems(project):
    source = write_source(
        project / "source",
        minimal_source("### One\n\nDose: 3 sets\nDose: 2 sets\n\n### Two\n\nDose:\n"),
    )
    found = problems(source, project)
    assert (11, "an exercise has more than one Dose: line; keep one") in found
    assert any(line == 15 and "the Dose: line is empty" in message for line, message in found)
