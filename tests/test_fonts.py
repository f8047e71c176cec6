"""The font stack: the packaged default, and a user's own font dropped into fonts/."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from booklet.assets import Project
from booklet.css import css_string
from booklet.fonts import FontFace, FontStack, load_font_stack
from booklet.render import Renderer
from tests.helpers import Epub, Pdf, minimal_source, run, write_source


def test_default_stack_is_atkinson_hyperlegible_in_four_static_faces(tmp_path):
    stack = load_font_stack(Project(tmp_path))
    assert stack.body == stack.headings == "Atkinson Hyperlegible"
    assert sorted((f.weight, f.style) for f in stack.faces) == [
        (400, "italic"),
        (400, "normal"),
        (700, "italic"),
        (700, "normal"),
    ]
    assert all(f.path.is_file() and f.path.suffix == ".ttf" for f in stack.faces)


def test_a_font_dropped_into_fonts_is_used_in_both_outputs(project, tmp_path):
    default = load_font_stack(Project(tmp_path)).faces[0].path
    fonts = project / "fonts"
    fonts.mkdir()
    font = TTFont(default)
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = "Test Sans"
        elif record.nameID == 6:
            record.string = "TestSans-Regular"
    font.save(fonts / "TestSans-Regular.ttf")
    (fonts / "fonts.yaml").write_text("body: Test Sans\n")

    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 0, result.err
    names = [name for name, _ in Pdf(tmp_path / "out" / "test.pdf").font_descriptors()]
    assert any("+Test-Sans" in name for name in names)
    assert any("+Atkinson-Hyperlegible-Bold" in name for name in names), "headings keep theirs"
    epub = Epub(tmp_path / "out" / "test.epub")
    hrefs = {item.get("href") for item in epub.manifest.values()}
    assert "fonts/TestSans-Regular.ttf" in hrefs
    css = epub.read("ereader.css").decode()
    assert 'font-family: "Test Sans"' in css


def test_an_unknown_family_says_how_to_get_it(project, tmp_path):
    (project / "fonts").mkdir()
    (project / "fonts" / "fonts.yaml").write_text("body: No Such Family\n")
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 2
    assert (
        "fonts.yaml: font family 'No Such Family' is neither in fonts/ nor installed" in result.err
    )
    assert "fontpkg-no-such-family" in result.err


def test_a_font_link_leading_out_of_fonts_is_refused(project, tmp_path):
    import os

    (project / "fonts").mkdir()
    outside = tmp_path / "elsewhere.ttf"
    outside.write_bytes(b"not really a font")
    os.symlink(outside, project / "fonts" / "Linked.ttf")
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert "Linked.ttf: links to a file outside fonts/" in result.err


# ---- names into CSS ----

HOSTILE_FAMILY = (
    'Evil", sans-serif; -webkit-mask-image: url("http://127.0.0.1:8765/font-mask.png"); '
    "x: y} @import url(http://127.0.0.1:8765/x.css); </style><script>z</script>\\"
)


def built_font(path, family: str) -> None:
    """A small but real TrueType font (one glyph) whose name table says `family`."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((50, 0))
    pen.lineTo((50, 700))
    pen.lineTo((450, 700))
    pen.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({ord("A"): "A"})
    builder.setupGlyf({".notdef": pen.glyph(), "A": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 50), "A": (500, 50)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(usWeightClass=400)
    builder.setupPost()
    builder.save(str(path))


def test_a_font_whose_family_name_carries_css_is_refused(project, tmp_path):
    fonts = project / "fonts"
    fonts.mkdir()
    built_font(fonts / "Evil-Regular.ttf", HOSTILE_FAMILY)
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2, result.err
    assert result.err.startswith(f"error: {fonts / 'Evil-Regular.ttf'}: the family name ")
    assert "letters, digits, spaces and - _ ." in result.err
    assert len(result.err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_family_name_in_fonts_yaml_that_carries_css_is_refused(project, tmp_path):
    (project / "fonts").mkdir()
    (project / "fonts" / "fonts.yaml").write_text('headings: "Evil\\", serif; x: url(y)"\n')
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.err.startswith(f"error: {project / 'fonts' / 'fonts.yaml'}: 'headings': ")


def test_an_ordinary_font_of_our_own_making_is_used(project, tmp_path):
    (project / "fonts").mkdir()
    built_font(project / "fonts" / "Plain-Regular.ttf", "Plain Test 2.0_b")
    (project / "fonts" / "fonts.yaml").write_text("body: Plain Test 2.0_b\n")
    source = write_source(project / "source", minimal_source("### One\n\nAAA\n"))
    result = run(source, "--out", tmp_path / "out", "--project", project, "--format", "epub")
    assert result.code == 0, result.err
    css = Epub(tmp_path / "out" / "test.epub").read("ereader.css").decode()
    assert 'font-family: "Plain Test 2.0_b"' in css


@pytest.mark.parametrize(
    "text",
    [
        'say "hi"',
        "back\\slash\\",
        "two\nlines\r\nand\fform feed",
        "</style><script>alert(1)</script>",
        'x"; } body { background: url(http://evil.example/) } a { b: "',
        "tab\tand bell\x07 and \x7f",
        "é ü 中文 🙂",
        "",
    ],
)
def test_css_string_reads_back_as_one_string_token(text):
    import tinycss2

    written = css_string(text)
    tokens = [t for t in tinycss2.parse_component_value_list(written) if t.type != "whitespace"]
    assert [t.type for t in tokens] == ["string"], written
    assert tokens[0].value == text
    assert "<" not in written and "\n" not in written and "\r" not in written


def css_facts(css: str) -> tuple[list, list[str], list[str]]:
    """(the first value of every font-family declaration, every url(), every at-rule)
    of a stylesheet, nested rules included."""
    import tinycss2

    families, urls, at_rules = [], [], []

    def tokens(nodes):
        for node in nodes:
            if node.type == "url":
                urls.append(node.value)
            elif node.type == "function":
                if node.lower_name == "url":
                    urls.append(next(t.value for t in node.arguments if t.type == "string"))
                tokens(node.arguments)
            elif node.type in ("() block", "[] block", "{} block"):
                tokens(node.content)

    def rules(nodes):
        for node in nodes:
            if node.type == "at-rule":
                at_rules.append(node.lower_at_keyword)
            if node.type == "declaration":
                if node.lower_name == "font-family":
                    first = next(t for t in node.value if t.type != "whitespace")
                    families.append(first.value if first.type == "string" else first)
                tokens(node.value)
            elif node.type in ("qualified-rule", "at-rule"):
                tokens(node.prelude)
                if node.content:
                    rules(tinycss2.parse_blocks_contents(node.content))

    rules(tinycss2.parse_stylesheet(css))
    return families, urls, at_rules


def test_every_family_name_the_layout_writes_goes_through_the_escaper(tmp_path):
    """Even a name that fonts.py would refuse stays one string in each stylesheet."""
    face = FontFace(HOSTILE_FAMILY, 400, "normal", tmp_path / "x.ttf", 'fonts/x").ttf')
    stack = FontStack(body=HOSTILE_FAMILY, headings=HOSTILE_FAMILY, faces=[face])
    renderer = Renderer(Project(tmp_path), "default", stack)
    labels = renderer.labels("en")
    sheets = {
        "fonts.css": renderer.render("fonts.css"),
        "ereader.css": renderer.render("ereader.css"),
        "print.css": renderer.render("print.css", paper="a4", press=True, labels=labels),
    }
    for name, css in sheets.items():
        families, urls, at_rules = css_facts(css)
        assert families and set(families) == {HOSTILE_FAMILY}, name
        assert 'fonts/x").ttf' in urls or name == "print.css", name
        assert all(u.startswith(("data:", "fonts/")) for u in urls), (name, urls)
        assert "import" not in at_rules, name
        assert "</style" not in css.lower(), name


def test_an_installed_family_is_found_again_from_the_cache_as_it_was():
    from booklet.fonts import installed_family

    first = installed_family("Noto Sans")
    again = installed_family("Noto Sans")  # from the cache the first call filled
    assert first is not None and again == first
    assert first.name == "Noto Sans"
    assert all(file.path.is_file() for file in first.files)
    assert {file.style for file in first.files} >= {"normal"}
    assert installed_family("No Such Family") is None
    assert installed_family("No Such Family") is None
