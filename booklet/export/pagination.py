"""Which page each part of a handout starts on, when every part is laid out on its own.

A part (the cover, the intro, an exercise...) cannot count the pages of the others,
so it is told: the page it starts on, the handout's page count, and the page of
every element its links lead to (`Numbers`). Those come from the parts' lengths,
which are known only once the parts are laid out, so `paginate` guesses them (the
lengths the previous layout of the same handout found, else one page a part),
lays every part out, and lays out again the parts whose numbers turned out
different, until nothing changes. Lined Notes pages go before the back cover to
make the page count a multiple of `pad_to`.

Pure: the layout is a function it is given, so this is tested with made-up page
counts; the typesetter gives it WeasyPrint's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

# Numbers settle in two passes at most in practice; a layout whose numbers keep
# changing (a page number whose digits make a list one line longer, and so on)
# stops here, as WeasyPrint's own repagination does.
MAX_PASSES = 4
# Laid out first, because their length is the hardest to guess: the numbers the
# other parts are then given already count their real length.
HARDEST_TO_GUESS = ("intro", "closing")


class PartLike(Protocol):
    @property
    def id(self) -> str: ...  # unique in the handout, the id of its first element
    @property
    def kind(self) -> str: ...
    @property
    def links(self) -> tuple[str, ...]: ...  # the element ids its links lead to


class PageLike(Protocol):
    @property
    def anchors(self) -> Mapping[str, object]: ...  # ids of the elements on the page


class LaidPart(Protocol):
    @property
    def pages(self) -> Sequence[PageLike]: ...


Part = TypeVar("Part", bound=PartLike)
Laid = TypeVar("Laid", bound=LaidPart)


@dataclass(frozen=True)
class Numbers:
    """What a part is told about the rest of the handout."""

    start: int  # the page it begins on
    total: int  # the handout's page count
    links: tuple[tuple[str, int], ...]  # (element id, page) for every link it holds


@dataclass(frozen=True)
class Guess:
    """What a layout of a handout found, the best guess for its next layout."""

    counts: Mapping[str, int] = field(default_factory=dict)  # part id -> pages
    # element id -> (part id, page within the part)
    anchors: Mapping[str, tuple[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Paginated:
    parts: list  # in reading order, Notes pages included
    layouts: list  # each part's layout, in the same order
    numbers: list[Numbers]  # what each was told, in the same order
    settled: bool  # False: the numbers kept changing, and the last pass was taken
    passes: int  # layout passes over the parts
    found: Guess  # for the next layout of the same handout


def paginate(
    parts: Sequence[Part],
    notes: Sequence[Part],
    lay_out: Callable[[Part, Numbers], Laid],
    guess: Guess = Guess(),
    pad_to: int = 2,
    max_passes: int = MAX_PASSES,
) -> Paginated:
    """Lay out `parts` (in reading order, the back cover last) with as many of
    `notes` before the back cover as make the page count a multiple of `pad_to`."""
    book = _Book(parts, notes, pad_to, dict(guess.counts), dict(guess.anchors))
    laid: dict[str, Laid] = {}
    told: dict[str, Numbers] = {}
    for passes in range(1, max_passes + 1):
        for part in book.in_layout_order():
            told[part.id] = book.numbers(part)
            laid[part.id] = lay_out(part, told[part.id])
            book.learn(part, laid[part.id])
        # Settled when every part was told what the layout now says.
        if all(told.get(part.id) == book.numbers(part) for part in book.parts()):
            return book.result(laid, told, True, passes)
    # Numbers that keep changing the layout that makes them: one last pass with the
    # latest, every part laid out with the numbers right but for what this pass
    # changes again; the caller says so.
    for part in book.parts():
        told[part.id] = book.numbers(part)
        laid[part.id] = lay_out(part, told[part.id])
    return book.result(laid, told, False, max_passes + 1)


class _Book:
    """The parts' lengths as known so far: the real length of each part laid out,
    the guess (or one page) for the others."""

    def __init__(self, parts, notes, pad_to, counts, anchors):
        self.body, self.back = list(parts[:-1]), parts[-1]
        self.notes, self.pad_to = list(notes), pad_to
        self.counts: dict[str, int] = counts
        self.anchors: dict[str, tuple[str, int]] = anchors
        self._starts: dict[str, int] | None = None  # made again when a count changes

    def parts(self) -> list:
        pages = sum(self._count(part) for part in (*self.body, self.back))
        missing = -pages % self.pad_to
        if missing > len(self.notes):
            raise ValueError(f"{missing} Notes pages are needed and {len(self.notes)} given")
        return [*self.body, *self.notes[:missing], self.back]

    def in_layout_order(self):
        yield from sorted(self.body, key=lambda part: part.kind not in HARDEST_TO_GUESS)
        # The Notes pages needed are known once everything before them is laid out.
        yield from self.parts()[len(self.body) :]

    def numbers(self, part) -> Numbers:
        starts = self._page_starts()
        pages = {}
        for anchor in part.links:
            # A part's own id is where it starts, even before it is laid out.
            owner, index = self.anchors.get(anchor, (anchor, 0))
            if owner in starts:
                pages[anchor] = starts[owner] + index
        return Numbers(starts[part.id], starts[_TOTAL] - 1, tuple(pages.items()))

    def learn(self, part, laid) -> None:
        """Take the part's real length, and where its elements landed."""
        if self._count(part) != len(laid.pages):
            self._starts = None
        self.counts[part.id] = len(laid.pages)
        found: dict[str, tuple[str, int]] = {}
        for index, page in enumerate(laid.pages):
            for anchor in page.anchors:  # an element split over pages is on each
                found.setdefault(anchor, (part.id, index))
        self.anchors.update(found)

    def result(self, laid, told, settled: bool, passes: int) -> Paginated:
        parts = self.parts()
        return Paginated(
            parts=parts,
            layouts=[laid[part.id] for part in parts],
            numbers=[told[part.id] for part in parts],
            settled=settled,
            passes=passes,
            found=Guess(dict(self.counts), dict(self.anchors)),
        )

    def _count(self, part) -> int:
        return self.counts.get(part.id, 1)

    def _page_starts(self) -> dict[str, int]:
        if self._starts is None:
            parts = self.parts()
            firsts = itertools.accumulate([1, *(self._count(part) for part in parts)])
            self._starts = dict(zip([part.id for part in parts] + [_TOTAL], firsts, strict=True))
        return self._starts


_TOTAL = "\0total"  # no element id: where the page after the last would start
