"""Validate the YAML front matter into typed fields, reporting every problem at once."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from booklet.errors import Problem, SourceError
from booklet.fields import Document, Located, collect, compose
from booklet.paper import PAPERS

# Well-formed BCP 47 tags of the kinds people write: en, en-US, pt-BR, zh-Hant-TW, es-419.
LANGUAGE_TAG = re.compile(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?(-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$"
)


@dataclass(frozen=True)
class FrontMatter:
    title: Located
    subtitle: Located | None
    language: str
    author_name: Located
    author_bio: Located | None
    author_photo: Located | None
    author_photo_alt: Located | None
    cover_image: Located | None
    cover_alt: Located | None
    disclaimer: Located
    date: dt.date | None
    paper: str | None = None  # letter, a4 or a5: else the project's, else the region's


# Each field: its maximum length. Strings only; nested mappings are listed separately.
TOP_LEVEL = {
    "title": 200,
    "subtitle": 300,
    "language": 35,
    "disclaimer": 4000,
    "date": 10,
    "paper": 10,
}
NESTED = {
    "author": {"name": 200, "bio": 4000, "photo": 500, "photo_alt": 500},
    "cover": {"image": 500, "alt": 500},
}
REQUIRED = ["title", "author.name", "disclaimer"]


def parse_front_matter(path: Path, text: str, first_line: int) -> FrontMatter:
    """Turn the YAML between the --- fences into a FrontMatter, or raise a SourceError
    that lists every problem with its line."""
    document = Document(path, first_line)
    problems: list[Problem] = []
    values: dict[str, Located] = {}
    collect(document, compose(document, text), TOP_LEVEL | NESTED, values, problems)

    for key in REQUIRED:
        if key not in values or not values[key].value.strip():
            parent = key.split(".")[0]
            line = values[parent].line if parent in values else first_line
            problems.append(Problem(f"'{key}' is required; add it to the front matter", line))

    language = values.get("language")
    if language and not LANGUAGE_TAG.match(language.value):
        problems.append(
            Problem(
                f"language '{language.value}' is not a language tag; write e.g. en, en-US, fr",
                language.line,
            )
        )
    paper = values.get("paper")
    if paper and paper.value not in PAPERS:
        problems.append(
            Problem(
                f"paper '{paper.value}' is not one booklet prints on; write {', '.join(PAPERS)}",
                paper.line,
            )
        )
    _require_pair(values, "author.photo", "author.photo_alt", problems)
    _require_pair(values, "cover.image", "cover.alt", problems)
    date = _parse_date(values.get("date"), problems)

    if problems:
        raise SourceError(path, sorted(problems, key=lambda p: p.line or 0))
    return FrontMatter(
        title=values["title"],
        subtitle=values.get("subtitle"),
        language=values["language"].value if "language" in values else "en",
        author_name=values["author.name"],
        author_bio=values.get("author.bio"),
        author_photo=values.get("author.photo"),
        author_photo_alt=values.get("author.photo_alt"),
        cover_image=values.get("cover.image"),
        cover_alt=values.get("cover.alt"),
        disclaimer=values["disclaimer"],
        date=date,
        paper=paper.value if paper else None,
    )


def _require_pair(
    values: dict[str, Located], key: str, partner: str, problems: list[Problem]
) -> None:
    if key in values and not (partner in values and values[partner].value.strip()):
        problems.append(
            Problem(
                f"'{partner}' is required when '{key}' is set: describe the image", values[key].line
            )
        )
    if partner in values and key not in values:
        problems.append(Problem(f"'{partner}' is set but '{key}' is not", values[partner].line))


def _parse_date(located: Located | None, problems: list[Problem]) -> dt.date | None:
    if located is None:
        return None
    try:
        return dt.date.fromisoformat(located.value)
    except ValueError:
        problems.append(
            Problem(f"date '{located.value}' is not a date; write YYYY-MM-DD", located.line)
        )
        return None
