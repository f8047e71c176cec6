"""The font stack: the packaged default, and a user's own font dropped into fonts/."""

from __future__ import annotations

from fontTools.ttLib import TTFont

from booklet.assets import Project
from booklet.fonts import load_font_stack
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
