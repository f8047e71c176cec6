"""Split the Markdown body into intro, sections, exercises and closing.

The structure (which heading starts what) is read line by line, so every part keeps
its line numbers for error messages; the text of each part is then rendered by
Python-Markdown (see `markup.py`).

Rules (DESIGN.md, "The source format"):
- text before the first heading is the intro;
- `##` starts a section, `###` an exercise; an exercise runs until the next
  heading of any level or a `---` line;
- whatever follows the end of the last exercise is the closing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
RULE = re.compile(r"^ {0,3}(?:-[ \t]*){3,}$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass
class Chunk:
    """Markdown lines, each with its line number in the file."""

    first_line: int  # where the chunk starts, for messages about the chunk as a whole
    lines: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)

    def add(self, line: _Line, text: str | None = None) -> None:
        self.lines.append(line.text if text is None else text)
        self.numbers.append(line.number)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def is_blank(self) -> bool:
        return not any(line.strip() for line in self.lines)

    def take_lines(self, pattern: re.Pattern) -> list[tuple[int, re.Match]]:
        """Remove the lines that match `pattern`; return (file line, match) for each."""
        taken, kept_lines, kept_numbers = [], [], []
        for number, text in zip(self.numbers, self.lines, strict=True):
            match = pattern.match(text)
            if match:
                taken.append((number, match))
            else:
                kept_lines.append(text)
                kept_numbers.append(number)
        self.lines, self.numbers = kept_lines, kept_numbers
        return taken

    def line_containing(self, needle: str) -> int:
        """The file line of the first line that contains `needle` (for an empty needle,
        the first line with any text), else the chunk's start."""
        for number, text in zip(self.numbers, self.lines, strict=True):
            if needle in text and text.strip():
                return number
        return self.first_line


@dataclass
class ExercisePart:
    name: str
    line: int
    body: Chunk


@dataclass
class SectionPart:
    title: str
    line: int
    lead: Chunk
    exercises: list[ExercisePart] = field(default_factory=list)


@dataclass
class BodyParts:
    intro: Chunk
    sections: list[SectionPart]
    closing: Chunk
    top_level_headings: list[int]  # lines of `#` headings, which the format does not allow


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    kind: str  # "heading", "rule" or "text"
    level: int = 0
    title: str = ""


def split_body(body: str, first_line: int) -> BodyParts:
    lines = list(_classify(body, first_line))
    last_exercise = max(
        (i for i, line in enumerate(lines) if line.kind == "heading" and line.level == 3),
        default=None,
    )
    intro = Chunk(first_line)
    sections: list[SectionPart] = []
    closing: Chunk | None = None
    top_level: list[int] = []
    exercise: ExercisePart | None = None
    target = intro  # where text lines go now

    for index, line in enumerate(lines):
        if closing is not None:
            closing.add(line, "***" if line.kind == "rule" else None)
            if line.kind == "heading" and line.level == 1:
                top_level.append(line.number)
            continue
        ends_exercise = line.kind == "rule" or (line.kind == "heading" and line.level != 3)
        if exercise is not None and ends_exercise and index > (last_exercise or 0):
            # Past the end of the last exercise: the rest is the closing. A rule that
            # ends it is only a separator; a heading belongs to the closing text.
            closing = Chunk(line.number + 1 if line.kind == "rule" else line.number)
            if line.kind == "heading":
                closing.add(line)
                if line.level == 1:
                    top_level.append(line.number)
            continue
        if line.kind == "heading" and line.level == 1:
            top_level.append(line.number)
        if line.kind == "heading" and line.level == 2:
            section = SectionPart(line.title, line.number, Chunk(line.number + 1))
            sections.append(section)
            exercise, target = None, section.lead
        elif line.kind == "heading" and line.level == 3:
            if not sections:
                # Exercises before any `##` heading belong to an untitled section.
                sections.append(SectionPart("", line.number, Chunk(line.number)))
            exercise = ExercisePart(line.title, line.number, Chunk(line.number + 1))
            sections[-1].exercises.append(exercise)
            target = exercise.body
        elif line.kind == "rule" and exercise is not None:
            # The rule ends the exercise; text after it continues the section.
            exercise = None
            target = sections[-1].lead
            target.add(line, "")
        elif line.kind == "heading" and exercise is not None:
            # A level 4-6 heading ends the exercise too; it heads more section text.
            exercise = None
            target = sections[-1].lead
            target.add(line)
        else:
            # A rule outside an exercise is a plain thematic break, written so that
            # Markdown cannot read it as a setext underline of the line above.
            target.add(line, "***" if line.kind == "rule" else None)

    return BodyParts(intro, sections, closing or Chunk(first_line + len(lines)), top_level)


def _classify(body: str, first_line: int):
    fence: str | None = None
    for offset, text in enumerate(body.split("\n")):
        number = first_line + offset
        fence_match = FENCE.match(text)
        if fence is not None:
            if (
                fence_match
                and fence_match.group(1)[0] == fence[0]
                and len(fence_match.group(1)) >= len(fence)
            ):
                fence = None
            yield _Line(number, text, "text")
            continue
        if fence_match:
            fence = fence_match.group(1)
            yield _Line(number, text, "text")
            continue
        heading = HEADING.match(text)
        if heading:
            yield _Line(
                number, text, "heading", len(heading.group(1)), (heading.group(2) or "").strip()
            )
        elif RULE.match(text):
            yield _Line(number, text, "rule")
        else:
            yield _Line(number, text, "text")
