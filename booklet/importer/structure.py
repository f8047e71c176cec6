"""Sections, exercises and the closing, from the article's headings and lists.

Our format: `##` starts a section, `###` an exercise, and whatever follows the
last exercise is the closing. An article marks its exercises in one of two ways:
- with headings: when it uses two levels of headings, the upper level are the
  sections and the next level the exercises (deeper ones become bold lines);
  when it uses one level, numbered headings ("1. Clamshells") are the exercises,
  or, where none is numbered, every heading that is not a question;
- with a list whose every item opens with a short name and a full stop or a
  colon ("Clamshells. Lie on your side..."), or with the name in bold: each item is
  an exercise, named so. Then the headings are all sections.
The text after a list of exercises is the closing when no exercise follows it. A
heading worded as one ("Final thoughts", "In summary", "Fazit": wording.py) is
never an exercise, and after the last exercise it starts the closing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from booklet.importer.document import Block
from booklet.importer.wording import is_closing_heading

NUMBERS_WENT = "the numbers before exercise names went (the handout numbers them)"

# The name a list item opens with: one to six words, then ". " or ": ".
_ITEM_NAME = re.compile(r"^(?P<name>[^.:!?;*\n]{2,60}?)[.:]\s+(?P<rest>\S.*)$", re.DOTALL)
_BOLD_NAME = re.compile(
    r"^\*\*(?P<name>.+?)\*\*\s*(?:[.:\u2013\u2014-]\s*)?(?P<rest>.*)$", re.DOTALL
)
# Words that make the opening a sentence of instructions, not a name.
_NOT_IN_A_NAME = re.compile(r"\b(?:you|your|yours|i|we|our|my|it|this|that|is|are|be)\b", re.I)
_NUMBERED = re.compile(r"^(?:\d{1,2}[.):]|#\d{1,2}[.:]?|no\.\s*\d{1,2}[.:]?)\s+(?=\S)", re.I)


@dataclass
class Exercise:
    name: str  # inline Markdown
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Section:
    title: str | None  # inline Markdown; None for exercises before any section heading
    blocks: list[Block] = field(default_factory=list)  # its lead text
    exercises: list[Exercise] = field(default_factory=list)
    after: list[Block] = field(default_factory=list)  # text after its exercises


@dataclass
class Structure:
    intro: list[Block]
    sections: list[Section]
    closing: list[Block]
    how: str  # how the exercises were found, for the report
    notes: list[str] = field(default_factory=list)

    @property
    def exercises(self) -> list[Exercise]:
        return [exercise for section in self.sections for exercise in section.exercises]


def split_item(block: Block) -> tuple[str, str] | None:
    """(name, rest) of a list item that opens with an exercise's name, else None."""
    bold = _BOLD_NAME.match(block.text) if block.lead else None
    if bold and 1 <= len(block.lead.split()) <= 8:
        name = bold.group("name").strip().rstrip(".:").strip()
        return (name, bold.group("rest").strip()) if name else None
    match = _ITEM_NAME.match(block.text)
    if not match:
        return None
    name, rest = match.group("name").strip(), match.group("rest").strip()
    words = name.split()
    if not 1 <= len(words) <= 6 or _NOT_IN_A_NAME.search(name):
        return None
    if not (name[0].isupper() or name[0].isdigit()) or len(rest.split()) < 4:
        return None
    return name, rest


def exercise_lists(blocks: list[Block]) -> set[int]:
    """The ids of the lists whose every top-level item opens with a name (two or more)."""
    items: dict[int, list[Block]] = {}
    for block in blocks:
        if block.kind == "item" and block.level == 0:
            items.setdefault(block.list_id, []).append(block)
    return {
        list_id
        for list_id, members in items.items()
        if len(members) >= 2 and all(split_item(member) for member in members)
    }


def structure(blocks: list[Block]) -> Structure:
    lists = exercise_lists(blocks)
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    notes: list[str] = []
    section_level, exercise_headings = None, set()
    headings = [b for b in blocks if b.kind == "heading"]
    named = [b for b in headings if not is_closing_heading(b.plain)]  # may be exercises
    if len(levels) >= 2:
        section_level = levels[0]
        exercise_headings = {id(b) for b in named if b.level == levels[1]}
        lists = set()
        how = f"from the level-{levels[1]} headings"
    elif lists:
        section_level = levels[0] if levels else None
        how = "from list items that open with a name"
    elif levels:
        numbered = [b for b in named if _NUMBERED.match(b.plain)]
        chosen = numbered or [b for b in named if not b.plain.endswith("?")]
        exercise_headings = {id(b) for b in chosen}
        section_level = levels[0]
        how = "from the numbered headings" if numbered else "from the headings"
    else:
        how = ""
    return _Assembler(section_level, exercise_headings, lists, notes).assemble(blocks, how)


class _Assembler:
    def __init__(self, section_level, exercise_headings: set[int], lists: set[int], notes):
        self.section_level = section_level
        self.exercise_headings = exercise_headings
        self.lists = lists
        self.notes = notes
        self.intro: list[Block] = []
        self.sections: list[Section] = []
        self.exercise: Exercise | None = None
        self.in_exercise_list = False

    def assemble(self, blocks: list[Block], how: str) -> Structure:
        last_exercise_index = max(
            (i for i, b in enumerate(blocks) if self._starts_exercise(b)), default=-1
        )
        closing: list[Block] = []
        for index, block in enumerate(blocks):
            if last_exercise_index >= 0 and index > last_exercise_index and self._past_last(block):
                closing = blocks[index:]
                break
            self._take(block)
        structure = Structure(self.intro, self.sections, closing, how, self.notes)
        if not structure.exercises:
            structure.how = ""
        return structure

    def _starts_exercise(self, block: Block) -> bool:
        if id(block) in self.exercise_headings:
            return True
        return block.kind == "item" and block.level == 0 and block.list_id in self.lists

    def _past_last(self, block: Block) -> bool:
        """After the last exercise: where its text ends and the closing begins."""
        if self.in_exercise_list:  # a list of exercises ends where the list does
            in_item = block.kind == "item" and block.list_id in self.lists and block.level > 0
            return not (block.kind == "image" or in_item)
        if block.kind != "heading" or id(block) in self.exercise_headings:
            return False
        return block.level <= (self.section_level or 0) or is_closing_heading(block.plain)

    def _take(self, block: Block) -> None:
        if id(block) in self.exercise_headings:
            self.in_exercise_list = False
            self._new_exercise(_exercise_name(block.text, self.notes))
            return
        if block.kind == "item" and block.list_id in self.lists:
            if block.level == 0:
                self.in_exercise_list = True
                name, rest = split_item(block)
                self._new_exercise(name)
                if rest:
                    self.exercise.blocks.append(Block("paragraph", plain=block.plain, text=rest))
            else:  # a list inside an exercise's item: one level up, in the exercise
                # (inside an item with no words of its own before the first exercise,
                # there is none: then in the text where the list is)
                target = self.exercise.blocks if self.exercise is not None else self._target()
                target.append(replace(block, level=block.level - 1))
            return
        if self.in_exercise_list and block.kind != "image":
            # Text after a list of exercises (with more exercises to come): the section's.
            self.in_exercise_list = False
            self.exercise = None
            if block.kind != "heading" or block.level != self.section_level:
                self.sections[-1].after.append(block)
                return
        if block.kind == "heading" and block.level == self.section_level:
            self.sections.append(Section(block.text))
            self.exercise = None
            return
        if block.kind == "heading":
            self.notes.append(f"the heading '{block.plain}' became a bold line")
            block = Block("paragraph", plain=block.plain, text=f"**{block.text}**")
        self._target().append(block)

    def _new_exercise(self, name: str) -> None:
        if not self.sections:
            self.sections.append(Section(None))
        self.exercise = Exercise(name)
        self.sections[-1].exercises.append(self.exercise)

    def _target(self) -> list[Block]:
        if self.exercise is not None:
            return self.exercise.blocks
        if self.sections:
            section = self.sections[-1]
            return section.after if section.exercises else section.blocks
        return self.intro


def _exercise_name(text: str, notes: list[str]) -> str:
    stripped = _NUMBERED.sub("", text, count=1)
    if stripped != text and NUMBERS_WENT not in notes:
        notes.append(NUMBERS_WENT)
    return stripped
