"""The body's structure: intro, sections, exercises, closing (DESIGN.md rules)."""

from __future__ import annotations

from booklet.body import split_body


def split(text: str):
    return split_body(text, 10)


def test_intro_sections_exercises_closing():
    parts = split(
        "Intro.\n\n## Section\n\nLead.\n\n### One\n\nText one.\n\n"
        "### Two\n\nText two.\n\n---\n\nBye.\n"
    )
    assert parts.intro.text.strip() == "Intro."
    assert [s.title for s in parts.sections] == ["Section"]
    assert parts.sections[0].lead.text.strip() == "Lead."
    assert [(e.name, e.line) for e in parts.sections[0].exercises] == [("One", 16), ("Two", 20)]
    assert parts.sections[0].exercises[1].body.text.strip() == "Text two."
    assert parts.closing.text.strip() == "Bye."


def test_an_exercise_ends_at_a_heading_of_any_level():
    parts = split("## S\n\n### One\n\nA.\n\n#### Tips\n\nMore.\n\n### Two\n\nB.\n")
    one, two = parts.sections[0].exercises
    assert one.body.text.strip() == "A."
    assert "#### Tips" in parts.sections[0].lead.text
    assert two.body.text.strip() == "B."


def test_text_after_a_rule_between_exercises_continues_the_section():
    parts = split("## S\n\n### One\n\nA.\n\n---\n\nBetween.\n\n### Two\n\nB.\n")
    assert "Between." in parts.sections[0].lead.text
    assert parts.sections[0].exercises[0].body.text.strip() == "A."
    assert parts.closing.is_blank()


def test_a_heading_after_the_last_exercise_starts_the_closing():
    parts = split("## S\n\n### One\n\nA.\n\n## Afterwards\n\nRest.\n")
    assert [s.title for s in parts.sections] == ["S"]
    assert parts.closing.text.startswith("## Afterwards")
    assert parts.closing.first_line == 16


def test_exercises_before_any_section_get_an_untitled_section():
    parts = split("Intro.\n\n### One\n\nA.\n")
    assert parts.sections[0].title == ""
    assert parts.sections[0].exercises[0].name == "One"


def test_headings_inside_fenced_code_are_text():
    parts = split("## S\n\n### One\n\n```\n### not a heading\n---\n```\n")
    assert len(parts.sections[0].exercises) == 1
    assert "### not a heading" in parts.sections[0].exercises[0].body.text


def test_top_level_headings_are_collected_with_their_lines():
    assert split("# Title\n\n### One\n\nA.\n").top_level_headings == [10]


def test_line_numbers_follow_the_file():
    parts = split("## S\n\n### One\n\n![x](a.svg)\n\nA.\n")
    assert parts.sections[0].exercises[0].body.line_containing("a.svg") == 14


def test_rules_outside_exercises_do_not_become_setext_headings():
    parts = split("Intro text\n---\n\n### One\n\nA.\n")
    assert "***" in parts.intro.text
