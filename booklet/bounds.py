"""What the Markdown stage may be given: limits checked on the raw lines, before
Python-Markdown sees them.

Python-Markdown is fast on text people write, but some of its patterns take time
that grows with the square of what they scan, and its block parser recurses once
per level of nesting. Legal but pathological sources (300,000 `[`, `*_` a hundred
thousand times, `1. 1. 1. ...` on one line) would run for minutes or overflow the
stack. Every limit here is far above what an article needs, and a source over one
gets one line saying where and what to do:

- nesting: lists and quotes at most MAX_NESTING deep, counted from the markers at
  the start of a line (`> - 1. `) and its indentation;
- paragraphs: at most MAX_PARAGRAPH characters between blank lines (a list item and
  a table row count on their own), words at most MAX_WORD characters, headings at
  most MAX_HEADING;
- brackets: the text Python-Markdown scans looking for the `]` or `)` that closes
  each `[` and `](` is bounded (MAX_BRACKET_SCAN); an unclosed `[` makes it scan
  to the end of the paragraph;
- tables: at most MAX_TABLE_COLUMNS columns and MAX_ROWS rows, lists at most
  MAX_ROWS items (Python-Markdown's time grows faster than their length);
- punctuation: at most MAX_MARKUP of the characters Python-Markdown's inline
  patterns work hardest on (quotes, backticks, asterisks, underscores, backslashes,
  brackets) in the whole text, and MAX_PARAGRAPH_MARKUP in one paragraph: its time
  on a paragraph dense with them grows with the square of their number. A long
  article has a few thousand in all.

Fenced code blocks are taken as they are: Markdown does not look inside them.
"""

from __future__ import annotations

import re

from booklet.errors import Problem

MAX_NESTING = 40  # deeper than any handout; the layout engine recurses per level too
MAX_PARAGRAPH = 30_000  # about 5,000 words
MAX_WORD = 2_000  # a long web address fits
MAX_HEADING = 500
MAX_BRACKET_SCAN = 1_000_000  # characters; about half a second of Python-Markdown
MAX_TABLE_COLUMNS = 24
MAX_ROWS = 2_000  # rows of a table, items of a list
MAX_MARKUP = 100_000
MAX_PARAGRAPH_MARKUP = 5_000  # Python-Markdown's time on them grows with their square
MARKUP = re.compile(r"[`'\"*_\\\[\]!]")

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# One container marker at the start of what is left of a line: a quote, a bullet, or
# an ordered-list number, each followed by a space (or the end of the line).
CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$))[ \t]?")
LIST_ITEM = re.compile(r"^[ \t>]*(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)")
HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
TABLE_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")


def markdown_problems(text: str, first_line: int) -> list[Problem]:
    """Every limit `text` (Markdown whose first line is file line `first_line`) goes
    past, one problem each, at most one per paragraph."""
    problems: list[Problem] = []
    lines = text.split("\n")
    fence: str | None = None
    unit: list[tuple[int, str]] = []  # the lines of the paragraph being read
    table = False
    reported: set[str] = set()
    markup = rows = 0  # punctuation so far; rows of the current table or list
    for offset, line in enumerate(lines):
        number = first_line + offset
        fenced = FENCE.match(line)
        if fence is not None:
            if fenced and fenced[1][0] == fence[0] and len(fenced[1]) >= len(fence):
                fence = None
            continue
        if fenced:
            fence = fenced[1]
            _check_unit(unit, problems, reported)
            unit = []
            continue
        markup += len(MARKUP.findall(line))
        if markup > MAX_MARKUP:
            problems.append(
                Problem(
                    f"more than {MAX_MARKUP:,} quotes, asterisks, underscores, backticks, "
                    "backslashes and brackets up to here: Markdown cannot read so many in good "
                    "time; is this an article?",
                    number,
                )
            )
            return problems
        rows = rows + 1 if (table or LIST_ITEM.match(line)) else (rows if _continues(line) else 0)
        if rows > MAX_ROWS:
            problems.append(
                Problem(
                    f"a {'table' if table else 'list'} of more than {MAX_ROWS:,} "
                    f"{'rows' if table else 'items'}; split it up",
                    number,
                )
            )
            return problems
        problem = _line_problem(line)
        if problem:
            if problem not in reported:  # once is enough: the first line says it
                reported.add(problem)
                problems.append(Problem(problem, number))
            unit = []
            continue
        if not line.strip():
            _check_unit(unit, problems, reported)
            unit, table = [], False
            continue
        if len(unit) == 1 and TABLE_DELIMITER.match(line):
            table = True
            columns = line.strip().strip("|").count("|") + 1
            if columns > MAX_TABLE_COLUMNS:
                problems.append(
                    Problem(
                        f"a table of {columns} columns; at most {MAX_TABLE_COLUMNS} fit on a "
                        "page: split it into narrower tables",
                        number,
                    )
                )
        # A list item, a heading or a table row is read on its own by Markdown.
        if table or LIST_ITEM.match(line) or HEADING.match(line):
            _check_unit(unit, problems, reported)
            unit = []
        unit.append((number, line))
        if HEADING.match(line):
            _check_unit(unit, problems, reported)
            unit = []
    _check_unit(unit, problems, reported)
    return problems


def _continues(line: str) -> bool:
    """A blank or indented line does not end the list it may be in."""
    return not line.strip() or line[:1] in (" ", "\t")


def _line_problem(line: str) -> str | None:
    if HEADING.match(line) and len(line) > MAX_HEADING:
        return f"a heading of {len(line):,} characters; keep headings under {MAX_HEADING}"
    word = WORD.search(line)
    if word:
        return (
            f"a word of {len(word.group()):,} characters without a space; words and web "
            f"addresses stay under {MAX_WORD}: add spaces or shorten it"
        )
    if _nesting(line) > MAX_NESTING:
        return f"lists or quotes are nested more than {MAX_NESTING} deep; flatten them"
    return None


def _nesting(line: str) -> int:
    """How many lists and quotes this line opens or continues: the container markers
    at its start (`> - 1. x` is three), then its indentation, four columns a level."""
    depth, position = 0, 0
    while depth <= MAX_NESTING:
        marker = CONTAINER.match(line, position)
        if not marker or marker.end() == position:
            break
        depth, position = depth + 1, marker.end()
    indent = len(line) - len(line.lstrip(" \t"))
    columns = len(line[:indent].expandtabs(4))
    return depth + columns // 4


def _check_unit(unit: list[tuple[int, str]], problems: list[Problem], reported: set[str]) -> None:
    """The limits of one paragraph; each kind of problem is reported once, where it is
    first met (a source that passes one limit tends to pass it everywhere)."""
    if not unit or len(reported & {"paragraph", "markup", "brackets"}) == 3:
        return
    start = unit[0][0]
    text = "\n".join(line for _, line in unit)
    if len(text) > MAX_PARAGRAPH:
        if "paragraph" in reported:
            return
        reported.add("paragraph")
        problems.append(
            Problem(
                f"a paragraph of {len(text):,} characters (to line {unit[-1][0]}); paragraphs "
                f"stay under {MAX_PARAGRAPH:,}: break it up with blank lines",
                start,
            )
        )
        return
    markup = len(MARKUP.findall(text))
    if markup > MAX_PARAGRAPH_MARKUP:
        if "markup" in reported:
            return
        reported.add("markup")
        problems.append(
            Problem(
                f"a paragraph with {markup:,} quotes, asterisks, underscores, backticks, "
                f"backslashes and brackets (to line {unit[-1][0]}); Markdown reads at most "
                f"{MAX_PARAGRAPH_MARKUP:,} in one paragraph in good time: break it up",
                start,
            )
        )
        return
    scan = bracket_scan(text)
    if scan > MAX_BRACKET_SCAN and "brackets" not in reported:
        reported.add("brackets")
        problems.append(
            Problem(
                "a paragraph with too many '[' or '](' that are never closed for Markdown to "
                "read in good time; close them, or write \\[ for a bracket that is only text",
                start,
            )
        )


def bracket_scan(text: str) -> int:
    """How many characters Python-Markdown's link patterns scan in `text`: each `[`
    scans to its `]`, and each `](` to its `)`, or to the end when there is none.
    Linear: one pass with a stack for each kind."""
    cost = 0
    brackets: list[int] = []
    targets: list[int] = []
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            brackets.append(index)
        elif char == "]":
            if brackets:
                cost += index - brackets.pop()
            if text.startswith("(", index + 1):
                targets.append(index + 1)
        elif char == ")" and targets:
            cost += index - targets.pop()
    end = len(text)
    cost += sum(end - start for start in brackets) + sum(end - start for start in targets)
    return cost
