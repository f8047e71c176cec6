"""Pagination with made-up page counts: no WeasyPrint, only the arithmetic of which
page each part starts on, the Notes pages, the links' pages and settling."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from booklet.export.keep import Kept
from booklet.export.pagination import Guess, Numbers, paginate


@dataclass(frozen=True)
class Part:
    id: str
    kind: str = "exercise"
    links: tuple[str, ...] = ()


@dataclass
class Page:
    anchors: dict = field(default_factory=dict)


@dataclass
class Layout:
    pages: list[Page]


def handout(exercises: int = 3, intro_links: bool = True) -> tuple[list[Part], list[Part]]:
    ids = [f"exercise-{n}" for n in range(1, exercises + 1)]
    parts = [
        Part("cover", "cover"),
        Part("intro", "intro", tuple(ids) if intro_links else ()),
        *(Part(i) for i in ids),
        Part("closing", "closing"),
        Part("back-cover", "back-cover"),
    ]
    notes = [Part(f"notes-{n}", "notes") for n in range(1, 4)]
    return parts, notes


class Typesetter:
    """Lays a part out on as many pages as `lengths` says (one by default), its
    own id on its first page; records what each part was told, in order."""

    def __init__(self, lengths: dict[str, int] | None = None, anchors_on=None):
        self.lengths = lengths or {}
        self.anchors_on = anchors_on or {}  # element id -> (part id, page index)
        self.calls: list[tuple[str, Numbers]] = []

    def __call__(self, part: Part, numbers: Numbers) -> Layout:
        self.calls.append((part.id, numbers))
        length = self.lengths.get(part.id, 1)
        length = length(numbers) if callable(length) else length
        pages = [Page() for _ in range(length)]
        pages[0].anchors[part.id] = (0, 0)
        for anchor, (owner, index) in self.anchors_on.items():
            if owner == part.id:
                pages[index].anchors[anchor] = (0, 0)
        return Layout(pages)


def starts(result) -> dict[str, int]:
    return {
        part.id: numbers.start for part, numbers in zip(result.parts, result.numbers, strict=False)
    }


def test_one_page_parts_settle_in_one_pass_and_the_back_cover_lands_on_an_even_page():
    parts, notes = handout(3)  # 7 parts: one Notes page makes 8
    typesetter = Typesetter()
    result = paginate(parts, notes, typesetter)
    assert result.settled and result.passes == 1
    assert [part.id for part in result.parts][-2:] == ["notes-1", "back-cover"]
    assert starts(result) == {
        "cover": 1,
        "intro": 2,
        "exercise-1": 3,
        "exercise-2": 4,
        "exercise-3": 5,
        "closing": 6,
        "notes-1": 7,
        "back-cover": 8,
    }
    assert all(numbers.total == 8 for numbers in result.numbers)
    intro = result.numbers[1]
    assert intro.links == (("exercise-1", 3), ("exercise-2", 4), ("exercise-3", 5))


def test_the_intro_and_the_closing_are_laid_out_first():
    parts, notes = handout(3)
    typesetter = Typesetter()
    paginate(parts, notes, typesetter)
    order = [part for part, _ in typesetter.calls]
    assert order[:2] == ["intro", "closing"]
    assert order[2:] == ["cover", "exercise-1", "exercise-2", "exercise-3", "notes-1", "back-cover"]


def test_a_long_intro_is_laid_out_first_so_only_it_is_told_new_numbers_again():
    """Laid out first, the intro tells every later part the right start at once; only
    the intro itself was told a page count that its own length then changed. (The
    typesetter keeps every part's layout by the numbers it was told, so a second pass
    lays out only what was told something new.)"""
    parts, notes = handout(3)
    typesetter = Typesetter({"intro": 3})
    result = paginate(parts, notes, typesetter)
    assert result.settled and result.passes == 2
    told = {}
    for part, numbers in typesetter.calls:
        told.setdefault(part, set()).add(numbers)
    assert {part: len(numbers) for part, numbers in told.items() if len(numbers) > 1} == {
        "intro": 2
    }
    assert starts(result)["exercise-1"] == 5
    assert result.numbers[1].links[0] == ("exercise-1", 5)
    assert [part.id for part in result.parts][-1] == "back-cover"
    assert result.numbers[-1].start % 2 == 0, "the back cover on an even page"


def test_a_guess_from_the_last_layout_makes_one_pass_enough():
    parts, notes = handout(3)
    lengths = {"intro": 2, "exercise-2": 3}
    first = paginate(parts, notes, Typesetter(lengths))
    assert first.passes == 2, "the exercise's second and third page moved the others"
    assert first.found.counts["exercise-2"] == 3
    again = Typesetter(lengths)
    second = paginate(parts, notes, again, first.found)
    assert second.passes == 1 and second.settled
    assert starts(second) == starts(first)
    assert len(again.calls) == len(second.parts)


def test_a_link_to_an_element_inside_a_part_points_at_the_page_it_landed_on():
    parts, notes = handout(2)
    parts[1] = Part("intro", "intro", ("section-2",))
    typesetter = Typesetter({"intro": 3}, anchors_on={"section-2": ("intro", 2)})
    result = paginate(parts, notes, typesetter)
    assert result.numbers[1].links == (("section-2", 4),)
    assert result.found.anchors["section-2"] == ("intro", 2)


@pytest.mark.parametrize("exercises, pad_to, notes_used", [(1, 4, 3), (2, 4, 2), (4, 4, 0)])
def test_notes_pages_pad_to_a_multiple(exercises, pad_to, notes_used):
    parts, notes = handout(exercises)  # 4 + exercises parts of one page
    result = paginate(parts, notes, Typesetter(), pad_to=pad_to)
    assert sum(part.kind == "notes" for part in result.parts) == notes_used
    assert len(result.parts) % pad_to == 0
    assert result.numbers[-1].total == len(result.parts)


def test_numbers_that_keep_changing_end_with_one_more_pass_and_say_so():
    """An intro that runs onto a second page when its list says the first exercise is
    on page 3, and fits one page when it says 4 (the digits of a page number can do
    that), never settles: the last pass is taken and `settled` is False."""
    parts, notes = handout(2)
    flip = {"intro": lambda numbers: 2 if dict(numbers.links)["exercise-1"] == 3 else 1}
    typesetter = Typesetter(flip)
    result = paginate(parts, notes, typesetter, max_passes=3)
    assert not result.settled
    assert result.passes == 4
    assert [part.id for part in result.parts][-1] == "back-cover"


def test_too_few_notes_pages_is_a_programming_error():
    parts, notes = handout(1)
    with pytest.raises(ValueError, match="Notes pages are needed"):
        paginate(parts, notes[:1], Typesetter(), pad_to=4)


def test_guess_defaults_to_nothing_known():
    assert Guess().counts == {} and Guess().anchors == {}


# ---- the store everything kept between builds lives in ----


def test_the_store_keeps_the_most_recently_used():
    store: Kept[str, int] = Kept(2)
    assert store.get("a", lambda: 1) == 1
    assert store.get("b", lambda: 2) == 2
    assert store.get("a", lambda: 99) == 1, "kept"
    store.get("c", lambda: 3)  # "b" was used longest ago
    assert "b" not in store and "a" in store and "c" in store
    assert (store.made, store.found) == (3, 1)


def test_a_failure_to_make_keeps_what_was_kept():
    store: Kept[str, int] = Kept(1)
    store.get("a", lambda: 1)

    def fail() -> int:
        raise RuntimeError("layout failed")

    with pytest.raises(RuntimeError):
        store.get("b", fail)
    assert "a" in store and len(store) == 1
