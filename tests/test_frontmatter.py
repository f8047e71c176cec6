"""Front matter: required fields, types, unknown fields, every problem with its line."""

from __future__ import annotations

import pytest

from booklet.errors import SourceError
from booklet.frontmatter import parse_front_matter
from tests.helpers import run, write_source

GOOD = """\
title: A title
author:
  name: Someone
disclaimer: Careful.
"""


def parse(text: str):
    # Front matter starts on line 2 of the file, after the first ---.
    return parse_front_matter("s.md", text, 2)


def problems(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(SourceError) as caught:
        parse(text)
    return [(p.line, p.message) for p in caught.value.problems]


def test_minimal_front_matter_gets_defaults():
    front = parse(GOOD)
    assert front.title.value == "A title"
    assert front.language == "en"
    assert front.subtitle is None and front.cover_image is None and front.date is None


def test_scalars_keep_the_text_written():
    front = parse(GOOD.replace("A title", "1984") + "subtitle: Yes\n")
    assert front.title.value == "1984"
    assert front.subtitle.value == "Yes"


def test_every_missing_required_field_is_reported_at_once():
    found = problems("subtitle: only this\n")
    messages = " ".join(message for _, message in found)
    assert "'title' is required" in messages
    assert "'author.name' is required" in messages
    assert "'disclaimer' is required" in messages


def test_unknown_fields_are_named_with_their_line():
    found = problems(GOOD + "colour: red\nauthor2: x\n")
    assert (
        6,
        "unknown field 'colour'; the fields are: author, cover, date, disclaimer, "
        "language, paper, subtitle, title",
    ) in found
    assert any(line == 7 and "'author2'" in message for line, message in found)


def test_unknown_nested_field():
    found = problems(GOOD.replace("  name: Someone", "  name: Someone\n  twitter: x"))
    assert found == [
        (5, "unknown field 'author.twitter'; the fields are: bio, name, photo, photo_alt")
    ]


def test_invalid_yaml_names_the_file_line():
    found = problems("title: [unclosed\nauthor:\n  name: x\n")
    assert len(found) == 1
    line, message = found[0]
    assert message.startswith("front matter is not valid YAML")
    assert line in (3, 4)


def test_photo_needs_alt_text_and_cover_needs_alt():
    found = problems(
        GOOD.replace("  name: Someone", "  name: Someone\n  photo: me.jpg")
        + "cover:\n  image: c.svg\n"
    )
    messages = [message for _, message in found]
    assert any("'author.photo_alt' is required" in m for m in messages)
    assert any("'cover.alt' is required" in m for m in messages)


@pytest.mark.parametrize("tag", ["en", "en-US", "fr", "pt-BR", "zh-Hant-TW", "es-419"])
def test_language_tags_accepted(tag):
    assert parse(GOOD + f"language: {tag}\n").language == tag


@pytest.mark.parametrize("tag", ["english", "en_US", "e", "en-"])
def test_language_tags_refused(tag):
    assert "is not a language tag" in problems(GOOD + f"language: {tag}\n")[0][1]


def test_wrong_types():
    found = problems("title:\n  - a\nauthor: Someone\ndisclaimer: x\n")
    messages = [message for _, message in found]
    assert "'title' must be text" in messages
    assert any(m.startswith("'author' must hold fields") for m in messages)


def test_duplicate_field():
    assert any("given twice" in m for _, m in problems(GOOD + "title: Again\n"))


def test_overlong_field():
    assert any("keep it under" in m for _, m in problems(GOOD.replace("A title", "x" * 300)))


def test_date():
    assert parse(GOOD + "date: 2026-03-01\n").date.isoformat() == "2026-03-01"
    assert "write YYYY-MM-DD" in problems(GOOD + "date: March\n")[0][1]


def test_yaml_aliases_are_refused():
    text = "title: &t A title\nsubtitle: *t\nauthor:\n  name: x\ndisclaimer: y\n"
    assert "alias" in problems(text)[0][1]


def test_empty_front_matter_lists_the_required_fields():
    assert len(problems("")) == 3


# ---- through the command line: one line, never a traceback ----


def build(project, tmp_path, front: str):
    source = write_source(project / "source", "---\n" + front + "---\n\n### One\n\nDo it.\n")
    return source, run(source, "--out", tmp_path / "out", "--project", project)


@pytest.mark.parametrize(
    "value",
    ["[" * 500 + "]" * 500, "{a: " * 500 + "}" * 500, "[" * 30_000],
)
def test_a_value_nested_hundreds_deep_is_one_line(project, tmp_path, value):
    source, result = build(project, tmp_path, GOOD + f"subtitle: {value}\n")
    assert result.code == 2
    assert result.err == (
        f"error: {source}:6: front matter nests lists or mappings more than 20 deep; "
        "the fields nest two deep (author: then name:)\n"
    )


def test_block_nesting_hundreds_deep_is_one_line(project, tmp_path):
    deep = "".join(" " * level + f"k{level}:\n" for level in range(1, 300))
    _, result = build(project, tmp_path, GOOD + "cover:\n" + deep)
    assert result.code == 2
    assert "front matter nests lists or mappings more than 20 deep" in result.err
    assert len(result.err.splitlines()) == 1


@pytest.mark.parametrize(
    "written, shown",
    [('"A\\0B\\x07C"', "U+0000"), ('"bell\\a"', "U+0007"), ('"\\e[31m"', "U+001B")],
)
def test_control_characters_written_as_yaml_escapes_are_refused(project, tmp_path, written, shown):
    source, result = build(project, tmp_path, GOOD.replace("A title", written))
    assert result.code == 2
    assert result.err == (
        f"error: {source}:2: 'title' holds an invisible control character ({shown}); delete it\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_huge_front_matter_is_one_line(project, tmp_path):
    source, result = build(project, tmp_path, GOOD + "# " + "x" * 70_000 + "\n")
    assert result.code == 2
    assert result.err.startswith(f"error: {source}:2: the front matter is 68 KB; its fields fit")
