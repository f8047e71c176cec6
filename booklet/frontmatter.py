"""Validate the YAML front matter into typed fields, reporting every problem at once."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from booklet.errors import Problem, SourceError
from booklet.source import CONTROL_CHARACTER

# Well-formed BCP 47 tags of the kinds people write: en, en-US, pt-BR, zh-Hant-TW, es-419.
LANGUAGE_TAG = re.compile(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?(-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$"
)


@dataclass(frozen=True)
class Located:
    """A front-matter string and the file line it came from."""

    value: str
    line: int


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


# Each field: its maximum length. Strings only; nested mappings are listed separately.
TOP_LEVEL = {
    "title": 200,
    "subtitle": 300,
    "language": 35,
    "disclaimer": 4000,
    "date": 10,
}
NESTED = {
    "author": {"name": 200, "bio": 4000, "photo": 500, "photo_alt": 500},
    "cover": {"image": 500, "alt": 500},
}
REQUIRED = ["title", "author.name", "disclaimer"]
# The fields nest two deep (author.name); the YAML composer recurses once per level
# and would overflow Python's stack on `[[[[...` five hundred deep.
MAX_DEPTH = 20
# Every field at its longest, with room for comments and folding.
MAX_FRONT_MATTER_CHARS = 64 * 1024
_OPENS = (
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
)
_CLOSES = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def parse_front_matter(path: Path, text: str, first_line: int) -> FrontMatter:
    """Turn the YAML between the --- fences into a FrontMatter, or raise a SourceError
    that lists every problem with its line."""
    problems: list[Problem] = []
    values: dict[str, Located] = {}
    root = _compose(path, text, first_line)
    if root is None:
        root = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(root, yaml.MappingNode):
        raise SourceError(
            path, Problem("front matter must be fields like 'title: ...'", _line(root, first_line))
        )
    _collect(root, "", TOP_LEVEL | NESTED, values, problems, first_line)

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
    )


def _compose(path: Path, text: str, first_line: int) -> yaml.Node | None:
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise SourceError(
            path,
            Problem(
                f"the front matter is {len(text) // 1024} KB; its fields fit in "
                f"{MAX_FRONT_MATTER_CHARS // 1024} KB: move the text into the body",
                first_line,
            ),
        )
    _refuse_deep_nesting(path, text, first_line)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + mark.line if mark else first_line
        raise SourceError(
            path, Problem(f"front matter is not valid YAML: {err.problem or err.context}", line)
        ) from None
    except yaml.YAMLError as err:
        raise SourceError(
            path, Problem(f"front matter is not valid YAML: {err}", first_line)
        ) from None
    _refuse_aliases(path, root, first_line)
    return root


def _refuse_deep_nesting(path: Path, text: str, first_line: int) -> None:
    """Read the YAML's tokens (the scanner does not recurse) and stop at the first
    collection nested deeper than any field needs, before the composer sees it."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SourceError(
                        path,
                        Problem(
                            f"front matter nests lists or mappings more than {MAX_DEPTH} deep; "
                            "the fields nest two deep (author: then name:)",
                            first_line + token.start_mark.line,
                        ),
                    )
            elif isinstance(token, _CLOSES):
                depth -= 1
    except yaml.YAMLError:
        return  # the composer reports it, with its line


def _refuse_aliases(path: Path, root: yaml.Node | None, first_line: int) -> None:
    """Anchors and aliases (&a, *a) can blow up into huge documents; no field needs them."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise SourceError(
                path,
                Problem(
                    "front matter uses a YAML alias (*name); write the value out",
                    _line(node, first_line),
                ),
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend([key, value])
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _collect(
    mapping: yaml.MappingNode,
    prefix: str,
    allowed: dict,
    values: dict[str, Located],
    problems: list[Problem],
    first_line: int,
) -> None:
    for key_node, value_node in mapping.value:
        key = str(key_node.value)
        name = prefix + key
        line = _line(key_node, first_line)
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            problems.append(Problem(f"unknown field '{name}'; the fields are: {known}", line))
            continue
        if name in values:
            problems.append(Problem(f"'{name}' is given twice; keep one", line))
            continue
        spec = allowed[key]
        if isinstance(spec, dict):
            if not isinstance(value_node, yaml.MappingNode):
                problems.append(Problem(f"'{name}' must hold fields: {', '.join(spec)}", line))
                continue
            values[name] = Located("", line)
            _collect(value_node, name + ".", spec, values, problems, first_line)
            continue
        if (
            not isinstance(value_node, yaml.ScalarNode)
            or value_node.tag == "tag:yaml.org,2002:null"
        ):
            problems.append(Problem(f"'{name}' must be text", line))
            continue
        # The raw scalar text, so that `title: 1984` or `title: Yes` stays the text written.
        text = value_node.value.strip()
        control = CONTROL_CHARACTER.search(text)
        if control:  # written as a YAML escape ("\0", "\x07"): past the source's own check
            problems.append(
                Problem(
                    f"'{name}' holds an invisible control character "
                    f"(U+{ord(control.group()):04X}); delete it",
                    line,
                )
            )
        if len(text) > spec:
            problems.append(
                Problem(f"'{name}' is {len(text)} characters; keep it under {spec}", line)
            )
            continue
        values[name] = Located(text, line)


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


def _line(node: yaml.Node, first_line: int) -> int:
    return first_line + node.start_mark.line
