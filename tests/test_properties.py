"""Properties that hold for any input, checked with Hypothesis."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booklet.assets import Project
from booklet.errors import SourceError
from booklet.parse import parse_booklet
from tests.helpers import MINIMAL_FRONT, ROOT, Epub, Pdf, run

# Derandomized so CI is repeatable; every run still tries hundreds of sources.
PARSER = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

LINES = st.sampled_from(
    [
        "---",
        "## Section",
        "### Exercise",
        "###",
        "# Title",
        "####  Tip",
        "```",
        "~~~",
        "![A figure.](piriformis.svg)",
        "![](piriformis.svg)",
        "![x](missing.svg)",
        "![x](https://example.org/a.png)",
        "[link](javascript:x)",
        "<script>x</script>",
        "- item",
        "1. step",
        "text *emphasis* and **strong**",
        "",
        "    code",
        "> quote",
        "title: x",
        "author:",
        "  name: y",
        "disclaimer: z",
        "&nbsp;&amp;",
        "\t",
        "***",
    ]
)


def _parse(text: str | bytes) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        shutil.copytree(ROOT / "images", folder / "images")
        path = folder / "s.md"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        try:
            parse_booklet(path, Project(folder))
        except SourceError as err:
            assert str(err).startswith(str(path)), "every message names the file"
    finally:
        shutil.rmtree(folder)


@PARSER
@given(st.text())
def test_any_text_parses_or_is_a_source_error(text):
    _parse(text)


@PARSER
@given(st.binary(max_size=400))
def test_any_bytes_parse_or_are_a_source_error(data):
    _parse(data)


HEADINGS = st.builds(
    lambda level, text: "#" * level + " " + text, st.integers(1, 7), st.text(max_size=12)
)
RULES = st.builds(lambda n, pad: " " * pad + "-" * n, st.integers(1, 6), st.integers(0, 4))


@PARSER
@given(st.lists(LINES | HEADINGS | RULES | st.text(max_size=30), max_size=40), st.booleans())
def test_markdown_shaped_text_parses_or_is_a_source_error(lines, with_front_matter):
    body = "\n".join(lines)
    _parse((MINIMAL_FRONT + "\n" + body) if with_front_matter else body)


WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=14
)
EXERCISE = st.tuples(WORD, st.lists(WORD, min_size=1, max_size=120))


@settings(
    max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(EXERCISE, min_size=1, max_size=4), st.sampled_from(["letter", "a5"]))
def test_the_layout_never_loses_text(exercises, paper):
    folder = Path(tempfile.mkdtemp())
    try:
        body = "".join(
            f"### {name}\n\n![A runner on their back.](piriformis.svg)\n\n{' '.join(words)}\n\n"
            for name, words in exercises
        )
        shutil.copytree(ROOT / "images", folder / "images")
        source = folder / "s.md"
        source.write_text(MINIMAL_FRONT + "\n" + body, encoding="utf-8")
        result = run(source, "--out", folder / "out", "--project", folder, "--paper", paper)
        assert result.code == 0, result.err
        pdf_words = set(" ".join(Pdf(folder / "out" / "s.pdf").pages).split())
        epub = Epub(folder / "out" / "s.epub")
        epub_words = set(" ".join(epub.text(href) for href in epub.spine_hrefs()).split())
        for name, words in exercises:
            for word in [name, *words]:
                assert word in pdf_words, f"{word!r} missing from the PDF"
                assert word in epub_words, f"{word!r} missing from the EPUB"
    finally:
        shutil.rmtree(folder)
