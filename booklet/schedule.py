"""How often and for how long, read from a dose written plainly ("2 sets of 10,
3 times a day for 3 weeks"), so that the tick-off grid matches the dose: rows of
days (a week a row), a box per session.

The words come from the layout's labels (labels.yaml, `dose_per_day`,
`dose_per_week`, `dose_every_other_day`, `dose_days`, `dose_weeks`,
`dose_numbers`), so a dose reads the same in every language of the layout. Each
is a list of phrases separated by `|`; `#` in a phrase is a number (digits, or one
of `dose_numbers`: one, two, three... in order), and a phrase ending in `=N`
means N ("twice a day=2"). A dose no phrase matches has no schedule: the layout
then keeps its plain row of boxes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

# Without a period in the dose, the grid covers two weeks (the row of boxes it
# replaces did too); a longer period shows its first four weeks, which is what
# fits in an exercise's dose box.
DEFAULT_DAYS = 14
MAX_WEEKS_SHOWN = 4
# More than this is not a dose anyone writes; read as no schedule at all.
MAX_PER_DAY = 10
MAX_PER_WEEK = 14
MAX_DAYS = 366
# A phrase is not read inside a longer word ("daily" in "biweekly"): a letter or
# digit may not touch it, unless it is Chinese or Japanese, written without
# spaces ("每天3次", "1日3回行う").
_TOUCHING = r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
FREQUENCY_KEYS = ("dose_per_day", "dose_per_week", "dose_every_other_day")
PERIOD_KEYS = ("dose_days", "dose_weeks")


@dataclass(frozen=True)
class Day:
    number: int  # from 1, the first day of the programme
    sessions: int  # boxes to tick that day; 0 is a day off


@dataclass(frozen=True)
class Week:
    number: int  # from 1
    days: tuple[Day, ...]  # the week's days, a cell each; empty when sessions are weekly
    sessions: int  # the boxes of the whole week


@dataclass(frozen=True)
class Schedule:
    """Sessions over a period: `per_day` on every `every`-th day, or `per_week`."""

    days: int  # the whole period, as the dose says (or two weeks)
    per_day: int = 0
    every: int = 1  # 1: every day; 2: every other day
    per_week: int = 0

    @property
    def weeks(self) -> tuple[Week, ...]:
        """The weeks the grid shows (at most MAX_WEEKS_SHOWN), each a row."""
        shown = min(self.days, MAX_WEEKS_SHOWN * 7)
        weeks = []
        for index in range((shown + 6) // 7):
            if self.per_week:
                weeks.append(Week(index + 1, (), self.per_week))
                continue
            days = tuple(
                Day(number, self.per_day if (number - 1) % self.every == 0 else 0)
                for number in range(index * 7 + 1, min(shown, index * 7 + 7) + 1)
            )
            weeks.append(Week(index + 1, days, sum(day.sessions for day in days)))
        return tuple(weeks)

    @property
    def cut_short(self) -> bool:
        """True when the period is longer than the weeks the grid shows."""
        return self.days > MAX_WEEKS_SHOWN * 7

    @property
    def boxes(self) -> int:
        return sum(week.sessions for week in self.weeks)

    def first_week(self) -> Week:
        """The first week, always seven days long: the programme sheet's grid."""
        return Schedule(7, self.per_day, self.every, self.per_week).weeks[0]


def read_schedule(dose: str | None, words: Mapping[str, str]) -> Schedule | None:
    """The schedule that `dose` writes plainly, in the words of `words` (a layout's
    labels for the booklet's language); None when it says no frequency."""
    if not dose:
        return None
    numbers_text = words.get("dose_numbers", "")
    table = tuple((key, words.get(key, "")) for key in (*FREQUENCY_KEYS, *PERIOD_KEYS))
    phrases = _phrases(table, numbers_text)
    numbers = _numbers(numbers_text)
    frequency = _longest(dose, phrases, FREQUENCY_KEYS, numbers)
    if frequency is None:
        return None
    key, count = frequency
    period = _longest(dose, phrases, PERIOD_KEYS, numbers)
    days = DEFAULT_DAYS
    if period is not None:
        days = period[1] * (7 if period[0] == "dose_weeks" else 1)
    if not 1 <= days <= MAX_DAYS:
        return None
    if key == "dose_every_other_day":
        return Schedule(days, per_day=1, every=2)
    if key == "dose_per_week":
        return Schedule(days, per_week=count) if 1 <= count <= MAX_PER_WEEK else None
    return Schedule(days, per_day=count) if 1 <= count <= MAX_PER_DAY else None


@dataclass(frozen=True)
class _Phrase:
    """A phrase of the labels as two expressions: `alone`, the phrase in any case,
    and `bounded`, the same not touching a letter or digit (made when first needed:
    Python's re takes 8 ms to compile the bounds, which name the CJK ranges, and a
    dose holds few of a language's thirty phrases)."""

    key: str
    alone: re.Pattern
    fixed: int | None  # the number an "=N" phrase means

    @property
    def bounded(self) -> re.Pattern:
        return _bounded(self.alone.pattern)


def _longest(
    dose: str, phrases: tuple[_Phrase, ...], keys: tuple[str, ...], numbers: dict[str, int]
) -> tuple[str, int] | None:
    """The longest phrase of `keys` found in `dose` (so "twice daily" wins over
    "daily"), as (key, its number); the earliest of equally long ones."""
    best = None
    for phrase in phrases:
        if phrase.key not in keys or not phrase.alone.search(dose):
            continue
        for match in phrase.bounded.finditer(dose):
            length = match.end() - match.start()
            if best is None or (length, -match.start()) > (best[0], -best[1]):
                if phrase.fixed is not None:
                    value = phrase.fixed
                elif "n" in phrase.alone.groupindex:
                    written = match.group("n")
                    value = int(written) if written.isdigit() else _number(written, numbers)
                else:
                    value = 1
                best = (length, match.start(), phrase.key, value)
    return None if best is None else (best[2], best[3])


@functools.lru_cache(maxsize=64)
def _phrases(table: tuple[tuple[str, str], ...], numbers_text: str) -> tuple[_Phrase, ...]:
    # Longest words first, so that "seventeen" is not read as "seven".
    words = sorted(_numbers(numbers_text), key=len, reverse=True)
    # \d: the digits of every script too (Persian and Arabic, full-width).
    number = "|".join([r"\d{1,3}", *(re.escape(word) for word in words)])
    compiled = []
    for key, text in table:
        for written in text.split("|"):
            written, fixed = _fixed(written.strip())
            if written:
                compiled.append(_Phrase(key, _pattern(written, number), fixed))
    return tuple(compiled)


def _fixed(phrase: str) -> tuple[str, int | None]:
    text, equals, number = phrase.rpartition("=")
    if equals and number.strip().isdigit():
        return text.strip(), int(number)
    return phrase, None


def _pattern(phrase: str, number: str) -> re.Pattern:
    """A phrase as a regular expression: any run of spaces matches any spacing, `#`
    the `number` pattern (digits or a word of dose_numbers)."""
    parts = []
    for index, piece in enumerate(phrase.split("#")):
        if index:
            parts.append(f"(?P<n>{number})")
        parts.append(r"\s+".join(re.escape(word) for word in piece.split()))
        if piece[:1].isspace():
            parts.insert(len(parts) - 1, r"\s+")
        if piece[-1:].isspace() and piece.strip():
            parts.append(r"\s+")
    return re.compile("".join(parts), re.IGNORECASE)


@functools.lru_cache(maxsize=256)
def _bounded(phrase: str) -> re.Pattern:
    """`phrase` (a pattern) where it touches no letter or digit on either side. Only
    the phrase ignores case: the bounds read the same in any case."""
    return re.compile(rf"(?<!{_TOUCHING})(?i:{phrase})(?!{_TOUCHING})")


def _number(written: str, numbers: dict[str, int]) -> int:
    """The value of a number word as the dose writes it, in any case: the pattern
    matched it ignoring case, which casefold() does not always undo (Turkish "İki")."""
    return next(
        value
        for word, value in numbers.items()
        if re.fullmatch(re.escape(word), written, re.IGNORECASE)
    )


def _numbers(text: str) -> dict[str, int]:
    words = [word.strip().casefold() for word in text.split("|")]
    return {word: value for value, word in enumerate(words, start=1) if word}
