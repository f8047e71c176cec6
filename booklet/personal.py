"""One client's handout: their exercises, renumbered, with their doses, their name
and the date on the cover and the clinician's note on the intro page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from pathlib import Path

from booklet.bounds import markdown_problems
from booklet.clients import Client
from booklet.errors import Problem, SourceError
from booklet.markup import MarkdownRenderer
from booklet.model import Booklet, Exercise, Image

# An exercise by number: ASCII digits only ('²' and '٣' are digits to str.isdigit()
# but not numbers anyone types for an exercise), and never thousands of them.
NUMBER = re.compile(r"[0-9]{1,9}")


def personalise(booklet: Booklet, client: Client, clients_file: Path, today: dt.date) -> Booklet:
    """The booklet as `client` gets it; a SourceError naming the CSV row if their
    exercises do not match the source's."""
    chosen, problems = choose_exercises(booklet, client)
    if problems:
        raise SourceError(clients_file, problems)
    renumbered: dict[int, Exercise] = {}
    for new_number, exercise in enumerate(chosen, start=1):
        renumbered[exercise.number] = dataclasses.replace(
            exercise,
            number=new_number,
            anchor=f"exercise-{new_number}",
            dose=client.dose or exercise.dose,
        )
    sections = [
        dataclasses.replace(
            section,
            exercises=[renumbered[e.number] for e in section.exercises if e.number in renumbered],
        )
        for section in booklet.sections
    ]
    return dataclasses.replace(
        booklet,
        sections=sections,
        prepared_for=client.name,
        prepared_on=today,
        note_html=_note_html(client.note, clients_file, client.row) if client.note else "",
    )


def choose_exercises(booklet: Booklet, client: Client) -> tuple[list[Exercise], list[Problem]]:
    """The client's exercises in the source's order (so the handout reads as the
    article does), and a problem for each name or number the source does not have."""
    exercises = booklet.exercises
    if not client.exercises:
        return exercises, []
    by_name = {exercise.name.casefold(): exercise for exercise in exercises}
    chosen: list[Exercise] = []
    problems: list[Problem] = []
    for wanted in client.exercises:
        if NUMBER.fullmatch(wanted) and 1 <= int(wanted) <= len(exercises):
            exercise = exercises[int(wanted) - 1]
        elif wanted.casefold() in by_name:
            exercise = by_name[wanted.casefold()]
        else:
            problems.append(Problem(_unknown(wanted, exercises), client.row))
            continue
        if exercise not in chosen:
            chosen.append(exercise)
    return sorted(chosen, key=lambda exercise: exercise.number), problems


def _unknown(wanted: str, exercises: list[Exercise]) -> str:
    if NUMBER.fullmatch(wanted):
        return f"there is no exercise {wanted}; the source has {len(exercises)}"
    close = difflib.get_close_matches(wanted, [e.name for e in exercises], n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else "use a name or number from the source"
    return f"the source has no exercise '{wanted}'; {hint}"


def _note_html(note: str, clients_file: Path, row: int) -> str:
    def no_images(src: str, alt: str) -> Image:
        raise ValueError("a note cannot show images")

    too_much = markdown_problems(note, row)
    if too_much:
        raise SourceError(clients_file, Problem(f"the note: {too_much[0].message}", row))
    rendered = MarkdownRenderer(no_images).render(note)
    if rendered.problems:
        raise SourceError(clients_file, Problem(rendered.problems[0][1], row))
    return rendered.html
