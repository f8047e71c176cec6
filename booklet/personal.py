"""One client's handout: their exercises, renumbered, with their doses (one for all,
or one per exercise), only the sections that still hold an exercise, their name and
the date on the cover and the clinician's note on the intro page."""

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
from booklet.typography import writing_of

# An exercise by number: ASCII digits only ('²' and '٣' are digits to str.isdigit()
# but not numbers anyone types for an exercise), and never thousands of them.
NUMBER = re.compile(r"[0-9]{1,9}")


def personalise(booklet: Booklet, client: Client, clients_file: Path, today: dt.date) -> Booklet:
    """The booklet as `client` gets it; a SourceError naming the CSV row if their
    exercises do not match the source's."""
    chosen, problems = choose_exercises(booklet, client)
    doses, dose_problems = match_doses(booklet, client, chosen)
    if problems or dose_problems:
        raise SourceError(clients_file, problems + dose_problems)
    renumbered: dict[int, Exercise] = {}
    for new_number, exercise in enumerate(chosen, start=1):
        renumbered[exercise.number] = dataclasses.replace(
            exercise,
            number=new_number,
            anchor=f"exercise-{new_number}",
            dose=doses.get(exercise.number) or client.dose or exercise.dose,
        )
    # A section whose exercises all fall away goes, with its text and its entry in the
    # intro's list; one that never had exercises (text only) stays, as the intro does.
    sections = [
        dataclasses.replace(
            section,
            exercises=[renumbered[e.number] for e in section.exercises if e.number in renumbered],
        )
        for section in booklet.sections
        if not section.exercises or any(e.number in renumbered for e in section.exercises)
    ]
    return dataclasses.replace(
        booklet,
        sections=sections,
        prepared_for=client.name,
        prepared_on=today,
        note_html=(
            _note_html(client.note, booklet.language, clients_file, client.row)
            if client.note
            else ""
        ),
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


def row_problems(booklet: Booklet, client: Client) -> list[Problem]:
    """Everything wrong with the client's row for this source (their exercises and
    doses), so that a bad row is reported before anything is built."""
    chosen, problems = choose_exercises(booklet, client)
    return problems + match_doses(booklet, client, chosen)[1]


def match_doses(
    booklet: Booklet, client: Client, chosen: list[Exercise]
) -> tuple[dict[int, str], list[Problem]]:
    """The client's dose pairs as {source's exercise number: dose}, and a problem for
    each pair that names an exercise the source lacks, one the client does not do,
    or one already given a dose."""
    exercises = booklet.exercises
    by_name = {exercise.name.casefold(): exercise for exercise in exercises}
    doing = {exercise.number for exercise in chosen}
    doses: dict[int, str] = {}
    named: dict[int, str] = {}
    problems: list[Problem] = []
    for wanted, dose in client.doses:
        if NUMBER.fullmatch(wanted) and 1 <= int(wanted) <= len(exercises):
            exercise = exercises[int(wanted) - 1]
        elif wanted.casefold() in by_name:
            exercise = by_name[wanted.casefold()]
        else:
            problems.append(Problem(f"the dose column: {_unknown(wanted, exercises)}", client.row))
            continue
        if exercise.number not in doing:
            problems.append(
                Problem(
                    f"the dose column gives '{exercise.name}' a dose, but it is not among this "
                    "client's exercises; add it to the exercises column or remove its dose",
                    client.row,
                )
            )
        elif exercise.number in named:
            problems.append(
                Problem(
                    f"the dose column names '{exercise.name}' twice (as '{named[exercise.number]}' "
                    f"and '{wanted}'); give each exercise one dose",
                    client.row,
                )
            )
        else:
            named[exercise.number] = wanted
            doses[exercise.number] = dose
    return doses, problems


def _unknown(wanted: str, exercises: list[Exercise]) -> str:
    if NUMBER.fullmatch(wanted):
        return f"there is no exercise {wanted}; the source has {len(exercises)}"
    close = difflib.get_close_matches(wanted, [e.name for e in exercises], n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else "use a name or number from the source"
    return f"the source has no exercise '{wanted}'; {hint}"


def _note_html(note: str, language: str, clients_file: Path, row: int) -> str:
    """The note as HTML, its quotation marks those of the handout's language."""

    def no_images(src: str, alt: str) -> Image:
        raise ValueError("a note cannot show images")

    too_much = markdown_problems(note, row)
    if too_much:
        raise SourceError(clients_file, Problem(f"the note: {too_much[0].message}", row))
    rendered = MarkdownRenderer(no_images, writing_of(language)).render(note)
    if rendered.problems:
        raise SourceError(clients_file, Problem(rendered.problems[0][1], row))
    return rendered.html
