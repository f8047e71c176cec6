"""YAML documents of text fields (a source's front matter, a project's booklet.yaml),
read as YAML's node tree so that every value keeps its line, and checked against
a table of the fields there may be, every problem reported at once.

Composed, never loaded: no YAML tag ever builds a Python object, and a value is
the text as written (`title: 1984` stays "1984"). Aliases are refused (they can
blow a small document up), and so is nesting far deeper than any field needs
(the composer recurses once per level).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from booklet.errors import Problem, SourceError
from booklet.source import CONTROL_CHARACTER

MAX_DEPTH = 20
_OPENS = (
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
)
_CLOSES = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


@dataclass(frozen=True)
class Located:
    """A field's text and the file line it came from."""

    value: str
    line: int


@dataclass(frozen=True)
class Words:
    """A field that holds several words: a YAML list, or a text with commas."""

    max_chars: int


@dataclass(frozen=True)
class Document:
    """What the messages call the document and its fields."""

    path: Path
    first_line: int = 1  # of the YAML in the file
    name: str = "front matter"  # "front matter is not valid YAML"
    field: str = "field"  # "unknown field 'x'"
    max_chars: int = 64 * 1024
    too_large: str = "move the text into the body"  # what to do about it
    how_deep: str = "the fields nest two deep (author: then name:)"
    example: str = "title: ..."

    def line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def error(self, message: str, line: int | None) -> SourceError:
        return SourceError(self.path, Problem(message, line))


def compose(document: Document, text: str) -> yaml.MappingNode:
    """The document's root mapping; a SourceError (one problem, with its line) when it
    is too large, too deep, not YAML, not a mapping, or uses an alias."""
    if len(text) > document.max_chars:
        raise document.error(
            f"the {document.name} is {len(text) // 1024} KB; its {document.field}s fit in "
            f"{document.max_chars // 1024} KB: {document.too_large}",
            document.first_line,
        )
    _refuse_deep_nesting(document, text)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = document.first_line + mark.line if mark else document.first_line
        raise document.error(
            f"{document.name} is not valid YAML: {err.problem or err.context}", line
        ) from None
    except yaml.YAMLError as err:
        raise document.error(
            f"{document.name} is not valid YAML: {err}", document.first_line
        ) from None
    if root is None:
        return yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(root, yaml.MappingNode):
        raise document.error(
            f"{document.name} must be {document.field}s like '{document.example}'",
            document.line(root),
        )
    _refuse_aliases(document, root)
    return root


def collect(
    document: Document,
    mapping: yaml.MappingNode,
    allowed: dict,
    values: dict[str, Located],
    problems: list[Problem],
    prefix: str = "",
) -> None:
    """Every field of `mapping` into `values` ("author.name": Located), checked against
    `allowed` ({name: max characters, a nested table, or Words}); what is wrong into
    `problems`. A nested table's own entry in `values` is an empty text at its line."""
    for key_node, value_node in mapping.value:
        key = str(key_node.value)
        name = prefix + key
        line = document.line(key_node)
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            problems.append(
                Problem(
                    f"unknown {document.field} '{name}'; the {document.field}s are: {known}", line
                )
            )
            continue
        if name in values:
            problems.append(Problem(f"'{name}' is given twice; keep one", line))
            continue
        spec = allowed[key]
        if isinstance(spec, dict):
            if not isinstance(value_node, yaml.MappingNode):
                problems.append(
                    Problem(f"'{name}' must hold {document.field}s: {', '.join(spec)}", line)
                )
                continue
            values[name] = Located("", line)
            collect(document, value_node, spec, values, problems, name + ".")
            continue
        if isinstance(spec, Words) and isinstance(value_node, yaml.SequenceNode):
            items = value_node.value
            if not all(_is_text(item) for item in items):
                problems.append(Problem(f"'{name}' must be a list of words", line))
                continue
            text, max_chars = ", ".join(item.value.strip() for item in items), spec.max_chars
        elif _is_text(value_node):
            # The raw scalar text, so that `title: 1984` or `title: Yes` stays as written.
            text = value_node.value.strip()
            max_chars = spec.max_chars if isinstance(spec, Words) else spec
        else:
            problems.append(Problem(f"'{name}' must be text", line))
            continue
        control = CONTROL_CHARACTER.search(text)
        if control:  # written as a YAML escape ("\0", "\x07"): past the file's own check
            problems.append(
                Problem(
                    f"'{name}' holds an invisible control character "
                    f"(U+{ord(control.group()):04X}); delete it",
                    line,
                )
            )
        if len(text) > max_chars:
            problems.append(
                Problem(f"'{name}' is {len(text)} characters; keep it under {max_chars}", line)
            )
            continue
        values[name] = Located(text, line)


def _is_text(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null"


def _refuse_deep_nesting(document: Document, text: str) -> None:
    """Read the YAML's tokens (the scanner does not recurse) and stop at the first
    collection nested deeper than any field needs, before the composer sees it."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise document.error(
                        f"{document.name} nests lists or mappings more than {MAX_DEPTH} deep; "
                        + document.how_deep,
                        document.first_line + token.start_mark.line,
                    )
            elif isinstance(token, _CLOSES):
                depth -= 1
    except yaml.YAMLError:
        return  # the composer reports it, with its line


def _refuse_aliases(document: Document, root: yaml.Node) -> None:
    """Anchors and aliases (&a, *a) can blow up into huge documents; no field needs them."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise document.error(
                f"{document.name} uses a YAML alias (*name); write the value out",
                document.line(node),
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend([key, value])
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
