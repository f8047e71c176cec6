"""A fuzz round over the parts that read what others wrote: the front matter, the
client list, the SVG cleaner and the Markdown body (Hypothesis).

Derandomized (the same examples every run) with a small budget each, so CI stays
fast: about 20 s for the whole file. `FUZZ_EXAMPLES=3000 pytest tests/test_fuzz.py`
fuzzes longer (about 4 minutes; it found nothing more). Any crash a fuzzer finds is
kept below as a regular test.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from booklet.assets import Project
from booklet.bounds import markdown_problems
from booklet.clients import CONTROL, Client, header_text, read_clients
from booklet.errors import SourceError
from booklet.fonts import load_font_stack
from booklet.frontmatter import parse_front_matter
from booklet.images import ImageRejected, clean_svg
from booklet.mail import draft_headers
from booklet.model import Author, Booklet
from booklet.parse import parse_booklet
from booklet.render import Renderer
from tests.helpers import MINIMAL_FRONT, ROOT


def budget(examples: int):
    return settings(
        max_examples=int(os.environ.get("FUZZ_EXAMPLES", examples)),
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---- front matter ----

SCALARS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "~", "null", "yes", "1984", "2026-13-40", "*a", "&a x", "!!binary x"]),
    st.integers(),
    st.booleans(),
    st.none(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    ["title", "subtitle", "language", "author", "cover", "disclaimer", "date", "name", "x"]
)
YAML_NOISE = st.sampled_from(
    ['"\\0"', '"\\x07"', "'\\u2028'", "[" * 30, "{a: " * 25, ": :", "- - -", "\t", "&a [*a]", "|"]
)


@st.composite
def front_matter(draw) -> str:
    data = draw(st.dictionaries(FIELDS, VALUES, max_size=6))
    text = yaml.safe_dump(data, default_flow_style=draw(st.sampled_from([None, True, False])))
    lines = text.splitlines()
    for _ in range(draw(st.integers(0, 3))):  # then spoil it here and there
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(YAML_NOISE | st.text(max_size=20)))
    return "\n".join(lines)


@budget(300)
@given(front_matter())
def test_fuzz_front_matter_is_read_or_refused(text):
    try:
        front = parse_front_matter(Path("s.md"), text, 2)
    except SourceError as err:
        assert all(p.message for p in err.problems)
        return
    for value in (front.title.value, front.author_name.value, front.disclaimer.value):
        assert "\x00" not in value and "\x07" not in value


# ---- the client list ----

CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "Ana\r\nBcc: x@evil.example",
            "=?utf-8?q?Hi=0D=0ABcc:_x@evil.example?=",
            "=?utf-8?b?QQ0KQg==?=",
            '"quoted, with comma"',
            "ana@example.com",
            "a@b@c",
            "²",
            "1;2;99",
            "Squats; squats ;3",
            "\x00",
            "x" * 2100,
        ]
    ),
)


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value

    return "\n".join(",".join(cell(v) for v in row) for row in [header, *rows]) + "\n"


@budget(150)
@given(
    st.lists(
        st.sampled_from(["name", "email", "exercises", "dose", "note", "Name "]),
        min_size=1,
        max_size=5,
        unique=True,
    ),
    st.lists(st.lists(CELLS, min_size=0, max_size=6), max_size=6),
)
def test_fuzz_client_lists_are_read_or_refused(header, rows):
    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / "clients.csv"
        path.write_text(csv_text(header, rows), encoding="utf-8", newline="")
        try:
            clients = read_clients(path)
        except SourceError as err:
            assert str(err).startswith(str(path))
            return
        renderer = _renderer()
        for client in clients:
            assert client.row >= 2
            if client.problems:
                continue
            for value in (client.name, client.email or ""):
                assert not CONTROL.search(value) and not CONTROL.search(header_text(value))
            try:
                message, _ = draft_headers(renderer, _BOOKLET, client)
            except SourceError:
                continue
            for name, value in message.items():
                assert not CONTROL.search(str(value)), (name, value)
    finally:
        shutil.rmtree(folder)


_RENDERER: list[Renderer] = []
_BOOKLET = Booklet(
    source=Path("s.md"),
    stem="s",
    title="A title",
    subtitle=None,
    language="en",
    author=Author("Someone"),
    cover=None,
    disclaimer_html="",
    date=__import__("datetime").date(2026, 1, 1),
    modified=__import__("datetime").datetime(2026, 1, 1, tzinfo=__import__("datetime").UTC),
    intro_html="",
    sections=[],
    closing_html="",
    images=[],
)


def _renderer() -> Renderer:
    if not _RENDERER:
        project = Project(Path(tempfile.mkdtemp()))
        _RENDERER.append(Renderer(project, "default", load_font_stack(project)))
    return _RENDERER[0]


# ---- the SVG cleaner ----

SVG_TAGS = st.sampled_from(
    ["g", "rect", "use", "image", "script", "style", "a", "foreignObject", "defs", "text", "svg"]
)
ATTRIBUTES = st.dictionaries(
    st.sampled_from(
        [
            "id",
            "href",
            "{http://www.w3.org/1999/xlink}href",
            "onload",
            "style",
            "width",
            "height",
            "viewBox",
            "x",
            "fill",
        ]
    ),
    st.one_of(
        st.sampled_from(
            [
                "#a",
                "#b",
                "#c",
                "http://evil.example/x",
                "javascript:alert(1)",
                "data:image/png;base64,AAAA",
                "url(http://e.example/)",
                "0",
                "1",
                "-5",
                "1e9",
                "0 0 1 300",
                "a",
                "",
            ]
        ),
        st.text(max_size=10),
    ),
    max_size=4,
)


def svg_tree(draw, depth: int = 0) -> etree._Element:
    element = etree.Element("{http://www.w3.org/2000/svg}" + draw(SVG_TAGS))
    for name, value in draw(ATTRIBUTES).items():
        value = "".join(c for c in value if c.isprintable())
        element.set(name, value)
    if depth < 6:
        for _ in range(draw(st.integers(0, 4))):
            element.append(svg_tree(draw, depth + 1))
    return element


@st.composite
def svg_documents(draw) -> bytes:
    root = svg_tree(draw)
    root.tag = "{http://www.w3.org/2000/svg}svg"
    return etree.tostring(root)


@budget(300)
@given(svg_documents())
def test_fuzz_svg_is_cleaned_or_refused(data):
    try:
        cleaned = clean_svg(data, "x.svg")
    except ImageRejected as err:
        assert str(err).startswith("'x.svg'")
        return
    root = etree.fromstring(cleaned)
    for element in root.iter():
        assert etree.QName(element).localname not in ("script", "foreignObject")
        for name, value in element.attrib.items():
            assert not etree.QName(name).localname.startswith("on")
            local = etree.QName(name).localname
            if local == "href":
                assert value.strip().startswith(("#", "data:image/")), value
            if local == "style":
                assert "url(http" not in value.replace(" ", ""), value


# ---- the Markdown body ----

MARKDOWN_PIECES = st.sampled_from(
    [
        "[",
        "]",
        "(",
        ")",
        "![",
        "](",
        "*",
        "_",
        "**",
        "`",
        "```",
        "\\",
        "<",
        ">",
        "&",
        "&#",
        '"',
        "'",
        "|",
        "-",
        "1.",
        "#",
        "###",
        "    ",
        "\n",
        "\n\n",
        " ",
        "a",
        "https://a.example",
        "~~~",
        "> ",
        "- ",
        "1. ",
        "---",
        "Dose:",
        "&#0;",
        "&#x1F;",
        "\t",
    ]
)


@budget(250)
@given(st.lists(MARKDOWN_PIECES | st.text(max_size=6), max_size=120), st.integers(1, 40))
def test_fuzz_markdown_body_builds_or_is_refused(pieces, repeat):
    body = "".join(pieces) * (1 + repeat // 10)
    assert isinstance(markdown_problems(body, 1), list)
    folder = Path(tempfile.mkdtemp())
    try:
        shutil.copytree(ROOT / "images", folder / "images")
        path = folder / "s.md"
        path.write_text(MINIMAL_FRONT + "\n### One\n\n" + body + "\n", encoding="utf-8")
        try:
            parse_booklet(path, Project(folder))
        except SourceError as err:
            assert str(err).startswith(str(path))
    finally:
        shutil.rmtree(folder)


# ---- cases the fuzzers are built around, as regular tests ----


def test_found_a_client_name_that_is_only_an_encoded_word_decodes_to_nothing(tmp_path):
    """A name of `=?utf-8?b?QQ0KQg==?=` ("A\\r\\nB") passes a check of the raw text;
    it is refused once decoded."""
    path = tmp_path / "clients.csv"
    path.write_text("name,email\n=?utf-8?b?QQ0KQg==?=,a@b.example\n", encoding="utf-8")
    (client,) = read_clients(path)
    assert [p.message for p in client.problems] == [
        "the name holds a control character (U+000D) once its =?...?= encoded words are "
        "decoded; remove it"
    ]


def test_draft_headers_refuse_a_template_subject_that_decodes_to_a_line_break(tmp_path):
    layout = tmp_path / "layouts" / "default"
    layout.mkdir(parents=True)
    (layout / "email.txt").write_text("Subject: =?utf-8?q?a=0Ab?=\n\nHello\n")
    project = Project(tmp_path)
    renderer = Renderer(project, "default", load_font_stack(project))
    client = Client(2, "Ana", "ana", "ana@example.com", list_file=tmp_path / "c.csv")
    try:
        draft_headers(renderer, _BOOKLET, client)
    except SourceError as err:
        assert str(err).startswith(f"{tmp_path / 'c.csv'}:2: the e-mail Subject header")
    else:
        raise AssertionError("the subject was let through")
