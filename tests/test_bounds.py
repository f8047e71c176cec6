"""Legal but pathological Markdown ends in seconds with one clear line (exit 2, with
the line), never a RecursionError or a hang; and parsing grows linearly with the
number of exercises."""

from __future__ import annotations

import re
import time

import pytest

from booklet.assets import Project
from booklet.bounds import bracket_scan
from booklet.parse import parse_booklet
from tests.helpers import minimal_source, run, write_source

# Each as the red team wrote it (one line, or one paragraph of many lines), under the
# 2 MB limit; the body starts on line 10 of the file, the exercise's text on line 12.
ISSUE_SOURCES = {
    "500,000 <": "<" * 500_000,
    "300,000 [": "[" * 300_000,
    "300,000 ![": "![" * 300_000,
    "100,000 [a](": "[a](" * 100_000,
    "*_ x 100,000": "*_" * 100_000,
    "300,000 \"' pairs": "\"'" * 300_000,
    "a million &": "&" * 1_000_000,
    "a 1.9 MB word": "a" * 1_900_000,
    "a 4,000-column table": "|" + " a |" * 4000 + "\n|" + " - |" * 4000 + "\n|" + " b |" * 4000,
    "- - - on one line": "- " * 100_000 + "x",
    "1. 1. 1. on one line": "1. " * 100_000 + "x",
    "lists nested 300 deep": "".join("    " * level + "- x\n" for level in range(300)),
    "quotes nested 100,000 deep": "> " * 100_000 + "x",
    # The same, spread out so that no word or line is long:
    "[ spread over a paragraph": "[ a " * 20_000,
    "[a]( spread over lines": "[a](\n" * 20_000,
    "` in every paragraph": ("` " * 9_000 + "\n\n") * 100,
    "\"' in every paragraph": ("\"' " * 6_000 + "\n\n") * 100,
    "*_ in every paragraph": ("*a _b " * 2_000 + "\n\n") * 100,
    "a list of 100,000 items": "".join(f"- item {n}\n" for n in range(100_000)),
    "a table of 40,000 rows": "| a | b |\n|---|---|\n" + "| c | d |\n" * 40_000,
    "nested brackets": "[" * 1_500 + "a" + "]" * 1_500,
    "a paragraph of 40,000 characters": "word " * 8_000,
    "340,000 exercises": "### a\n" * 340_000,
}


@pytest.mark.parametrize("body", ISSUE_SOURCES.values(), ids=ISSUE_SOURCES.keys())
def test_pathological_markdown_is_one_line_in_seconds(project, tmp_path, body):
    text = minimal_source("### One\n\n" + body + "\n")
    assert len(text.encode()) < 2 * 1024 * 1024
    source = write_source(project / "source", text)
    started = time.perf_counter()
    result = run(source, "--out", tmp_path / "out", "--project", project)
    seconds = time.perf_counter() - started
    assert result.code == 2, result.err[:300]
    assert "Traceback" not in result.err and "Recursion" not in result.err
    lines = result.err.splitlines()
    assert len(lines) <= 2, result.err[:600]  # one line (two where two limits are passed)
    assert re.match(rf"error: {re.escape(str(source))}:\d+: ", lines[0]), lines[0][:200]
    assert seconds < 10, f"took {seconds:.1f} s"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "body",
    [
        "See [the clinic](https://clinic.example/) [twice](https://clinic.example/b). " * 200,
        'It\'s "quoted" and *emphasised* and `code` and _more_ [x](https://a.example). ' * 300,
        "- " + "\n- ".join(f"step {n}: don't rush" for n in range(1_500)),
        "| a | b |\n|---|---|\n" + "| it's | [a](https://a.example) |\n" * 500,
        "Visit <https://example.org/" + "a" * 1_900 + ">.",
        "> quoted\n>\n> - a list in a quote\n>     - nested in it\n",
    ],
    ids=["links", "prose", "long list", "long table", "long address", "nesting"],
)
def test_text_near_the_limits_is_built(project, tmp_path, body):
    source = write_source(project / "source", minimal_source("### One\n\n" + body + "\n"))
    result = run(source, "--out", tmp_path / "out", "--project", project, "--format", "epub")
    assert result.code == 0, result.err[:500]


def test_the_bracket_scan_counts_what_markdown_would_scan():
    assert bracket_scan("[a](b) and [c][d]") == 2 + 2 + 2 + 2
    assert bracket_scan("[" * 4) == 4 + 3 + 2 + 1
    assert bracket_scan(r"\[\[\[ text") == 0
    assert bracket_scan("[a](" + "x" * 10) == 2 + 11


def test_parsing_grows_linearly_with_the_number_of_exercises(project):
    def per_exercise(count: int) -> float:
        body = "## Many\n\n" + "".join(
            f"### Move {n}\n\n![A runner on their back.](piriformis.svg)\n\n"
            f"Lie down and hold move {n} for ten *slow* counts.\n\nDose: 3 sets of {n}\n\n"
            for n in range(1, count + 1)
        )
        path = write_source(project / "source", minimal_source(body), name=f"s{count}.md")
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            booklet = parse_booklet(path, Project(project))
            best = min(best, time.process_time() - started)
        assert len(booklet.exercises) == count
        return best / count

    small, large = per_exercise(200), per_exercise(2_000)
    assert large < 1.5 * small, (
        f"{large * 1e3:.2f} ms per exercise at 2,000, {small * 1e3:.2f} at 200"
    )
