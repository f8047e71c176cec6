"""A project's settings and brand (booklet.yaml): the project found from the source,
the paper from the region and each precedence, the brand on every output, a
layout's own pictures, `make-booklet new`, and every bad setting."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from booklet.colour import contrast_on_white
from tests.helpers import ROOT, Epub, Pdf, minimal_source, run, write_source

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80" viewBox="0 0 240 80">'
    '<circle cx="40" cy="40" r="32" fill="none" stroke="#00695c" stroke-width="8"/>'
    '<rect x="86" y="30" width="140" height="20" fill="#00695c"/></svg>'
)
BRAND = """brand:
  name: Northside Physiotherapy
  logo: northside-logo.svg
  logo_alt: The Northside Physiotherapy mark
  colour: "#00695c"
  address: |
    12 Mill Lane
    Leeds LS1 4AB
  phone: 0113 496 0000
  email: hello@northside.example
  website: northside.example
"""
EXERCISES = "## Moves\n\n" + "".join(
    f"### Move {n}\n\n![A person lies on their back.](glute-bridge.pose.yaml)\n\nDo it.\n\n"
    for n in (1, 2)
)


def clinic(tmp_path: Path, settings: str = BRAND, source: str | None = None) -> Path:
    """A project with booklet.yaml, images/northside-logo.svg and source/knee.md."""
    project = tmp_path / "clinic"
    (project / "images").mkdir(parents=True)
    (project / "images" / "northside-logo.svg").write_text(LOGO, encoding="utf-8")
    (project / "booklet.yaml").write_text(settings, encoding="utf-8")
    return write_source(project / "source", source or minimal_source(EXERCISES), "knee.md")


def page_colours(pdf: pikepdf.Pdf, page: int) -> set[tuple[float, ...]]:
    colours = set()
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[page - 1]):
        if str(operator) in ("rg", "RG"):
            colours.add(tuple(round(float(value), 3) for value in operands))
    return colours


def rgb(colour: str) -> tuple[float, ...]:
    return tuple(round(int(colour[i : i + 2], 16) / 255, 3) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def branded(tmp_path_factory) -> dict:
    tmp_path = tmp_path_factory.mktemp("branded")
    source = clinic(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = Path.cwd()
    os.chdir(elsewhere)  # the project is found from the source, not from here
    try:
        result = run(source, "--format", "pdf,epub")
    finally:
        os.chdir(before)
    out = source.parents[1] / "build"
    return {"run": result, "pdf": Pdf(out / "knee.pdf"), "epub": Epub(out / "knee.epub")}


def test_the_project_is_found_from_the_source_and_its_settings_are_read(branded):
    assert branded["run"].code == 0, branded["run"].err
    assert branded["run"].err == ""


def test_the_brand_on_the_cover_in_the_footers_and_on_the_back_cover(branded):
    pdf: Pdf = branded["pdf"]
    assert "Northside Physiotherapy" in pdf.text(1)
    for inner in range(2, len(pdf.pages)):
        assert "Northside Physiotherapy · 0113 496 0000" in pdf.text(inner), inner
    last = pdf.text(len(pdf.pages))
    for line in ("12 Mill Lane", "Leeds LS1 4AB", "0113 496 0000", "hello@northside.example"):
        assert line in last
    assert last.index("Disclaimer") < last.index("12 Mill Lane"), "under the disclaimer"


def test_the_logo_is_a_figure_with_its_alt_text(branded):
    with pikepdf.open(branded["pdf"].path) as pdf:
        stack, figures = [pdf.Root.StructTreeRoot], []
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    figures.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    assert figures.count("The Northside Physiotherapy mark") == 2, "cover and back cover"


def test_the_accent_colour_is_the_brands(branded):
    with pikepdf.open(branded["pdf"].path) as pdf:
        exercise = branded["pdf"].page_of("EXERCISE 1 OF 2")
        assert rgb("#00695c") in page_colours(pdf, exercise), "the numeral, the label"
        assert rgb("#a33600") not in page_colours(pdf, exercise)
    epub: Epub = branded["epub"]
    css = epub.read("ereader.css").decode()
    assert "#00695c" in css and "#a33600" not in css


def test_the_epub_back_cover_carries_the_contact_block_and_the_logo(branded):
    epub: Epub = branded["epub"]
    back = epub.xhtml("back-cover.xhtml")
    text = epub.text("back-cover.xhtml")
    assert "12 Mill Lane" in text and "hello@northside.example" in text
    logos = [img for img in back.iter("{http://www.w3.org/1999/xhtml}img")]
    assert [img.get("alt") for img in logos] == ["The Northside Physiotherapy mark"]
    assert epub.read(logos[0].get("src"))[:8] == b"\x89PNG\r\n\x1a\n"
    links = {a.get("href") for a in back.iter("{http://www.w3.org/1999/xhtml}a")}
    assert {"mailto:hello@northside.example", "https://northside.example"} <= links


def test_a_colour_too_light_for_text_is_darkened_and_said(tmp_path):
    source = clinic(tmp_path, BRAND.replace("#00695c", "#ffcc00"))
    result = run(source, "--format", "epub")
    assert result.code == 0
    said = result.err.splitlines()
    path = source.parents[1] / "booklet.yaml"
    assert said[0].startswith(f"warning: {path}:5: the brand colour #ffcc00 is 1.5:1 on white")
    assert len(said) == 1
    darker = re.search(r"printed in (#[0-9a-f]{6})", said[0])[1]
    assert contrast_on_white(darker) >= 4.5
    css = Epub(source.parents[1] / "build" / "knee.epub").read("ereader.css").decode()
    assert f"color: {darker}" in css and "solid #ffcc00" in css, "text darker, rules as given"


# ---- paper ----


@pytest.mark.parametrize(
    "language, paper",
    [("en-US", "Letter"), ("en", "Letter"), ("en-GB", "A4"), ("de-DE", "A4"), ("fr-FR", "A4")],
)
def test_the_paper_follows_the_language_region(project, tmp_path, language, paper):
    text = minimal_source().replace("title: A test", f"language: {language}\ntitle: A test")
    source = write_source(project / "source", text)
    assert run(source, "--out", tmp_path, "--project", project, "--format", "pdf").code == 0
    size = {"Letter": (612, 792), "A4": (595, 842)}[paper]
    with pikepdf.open(tmp_path / "test.pdf") as pdf:
        box = [round(float(v)) for v in pdf.pages[0].MediaBox]
    assert tuple(box[2:]) == size


@pytest.mark.parametrize(
    "command_line, front_matter, settings, expected",
    [
        ([], None, None, (612, 792)),  # en: the US
        ([], None, "a4", (595, 842)),
        ([], "a5", "a4", (420, 595)),
        (["--paper", "letter"], "a5", "a4", (612, 792)),
    ],
)
def test_paper_precedence(tmp_path, command_line, front_matter, settings, expected):
    text = minimal_source()
    if front_matter:
        text = text.replace("title: A test", f"paper: {front_matter}\ntitle: A test")
    source = clinic(tmp_path, f"paper: {settings}\n" if settings else "", text)
    assert run(source, "--format", "pdf", *command_line).code == 0
    with pikepdf.open(source.parents[1] / "build" / "knee.pdf") as pdf:
        box = [round(float(v)) for v in pdf.pages[0].MediaBox]
    assert tuple(box[2:]) == expected


def test_booklet_yaml_names_the_default_formats_and_output_folder(tmp_path):
    source = clinic(tmp_path, "formats: [pdf]\nout: handouts\n")
    result = run(source)
    assert result.code == 0
    assert sorted(p.name for p in (source.parents[1] / "handouts").iterdir()) == ["knee.pdf"]


def test_sources_of_two_projects_are_built_apart(tmp_path):
    one = clinic(tmp_path / "a")
    two = clinic(tmp_path / "b")
    result = run(one, two)
    assert result.code == 2
    assert "the sources belong to different projects" in result.err


# ---- a layout's own files ----


def test_a_layout_brings_its_own_picture_to_both_outputs(tmp_path):
    source = clinic(tmp_path, "")
    layout = source.parents[1] / "layouts" / "default"
    layout.mkdir(parents=True)
    (layout / "stamp.svg").write_text(LOGO.replace("#00695c", "#333333"), encoding="utf-8")
    back = (ROOT / "layouts" / "default" / "back-cover.html").read_text(encoding="utf-8")
    (layout / "back-cover.html").write_text(
        back.replace("</section>", '<img src="stamp.svg" alt="The clinic stamp"/></section>'),
        encoding="utf-8",
    )
    result = run(source, "--format", "pdf,epub")
    assert result.code == 0, result.err
    out = source.parents[1] / "build"
    with pikepdf.open(out / "knee.pdf") as pdf:
        figures = [
            str(node.get("/Alt"))
            for node in pdf.objects
            if isinstance(node, pikepdf.Dictionary) and node.get("/S") == "/Figure"
        ]
    assert "The clinic stamp" in figures
    epub = Epub(out / "knee.epub")
    assert 'src="stamp.png"' in epub.read("back-cover.xhtml").decode()
    assert epub.read("stamp.png")[:4] == b"\x89PNG"


def test_a_layout_picture_that_links_out_of_the_project_is_refused(tmp_path):
    source = clinic(tmp_path, "")
    layout = source.parents[1] / "layouts" / "default"
    layout.mkdir(parents=True)
    outside = tmp_path / "outside.svg"
    outside.write_text(LOGO, encoding="utf-8")
    (layout / "stamp.svg").symlink_to(outside)
    result = run(source, "--format", "pdf")
    assert result.code == 2
    assert result.err == (
        f"error: {layout / 'stamp.svg'}: links to a file outside the project; copy it here\n"
    )


# ---- make-booklet new ----


def test_new_makes_a_project_that_builds_and_refuses_a_full_folder(tmp_path):
    folder = tmp_path / "my-handouts"
    result = run("new", folder)
    assert result.code == 0, result.err
    assert (folder / "booklet.yaml").is_file() and (folder / "images").is_dir()
    built = run(folder / "source" / "first-handout.md")
    assert built.code == 0 and built.err == "", built.err
    assert (folder / "build" / "first-handout.pdf").is_file()
    again = run("new", folder)
    assert again.code == 2 and "is not an empty folder" in again.err
    assert (folder / "build" / "first-handout.pdf").is_file(), "nothing touched"


def test_the_command_names_itself_as_typed():
    script = Path(sys.executable).with_name("make-booklet")
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("usage: make-booklet ")
    assert "make-booklet new:" in done.stdout


# ---- bad settings: one line each, with booklet.yaml's line, nothing built ----


@pytest.mark.parametrize(
    "settings, line, words",
    [
        ("papper: a4\n", 1, "unknown setting 'papper'; the settings are: brand, email, formats"),
        ("paper: a3\n", 1, "paper 'a3': choose letter, a4, a5"),
        ("brand:\n  name: X\n  colour: teal-ish\n", 3, "brand.colour 'teal-ish' is not a colour"),
        ("brand:\n  name: X\n  logo: nowhere.svg\n", 3, "brand.logo 'nowhere.svg' is not in"),
        ("brand:\n  name: X\n  logo: ../../etc/x.svg\n", 3, "must be a file in images/"),
        ("formats: [pdf, docx]\n", 1, "unknown format 'docx'"),
        ("paper: [a4\n", 2, "booklet.yaml is not valid YAML"),
        ("email:\n  signature: " + "x" * 1001 + "\n", 2, "'email.signature' is 1001 characters"),
        ("brand:\n  name: X\n  email: not-an-address\n", 3, "is not an e-mail address"),
    ],
)
def test_a_bad_setting_is_one_line(tmp_path, settings, line, words):
    source = clinic(tmp_path, settings)
    result = run(source)
    path = source.parents[1] / "booklet.yaml"
    assert result.code == 2
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith(f"error: {path}:{line}: "), result.err
    assert words in result.err
    assert not (source.parents[1] / "build").exists()


def test_booklet_yaml_that_is_not_utf8(tmp_path):
    source = clinic(tmp_path)
    path = source.parents[1] / "booklet.yaml"
    path.write_bytes(b"brand:\n  name: Caf\xe9\n")
    result = run(source)
    assert result.code == 2
    assert result.err == f"error: {path}:2: is not UTF-8; save it as UTF-8\n"


@pytest.mark.parametrize(
    "logo, words",
    [
        (b"\x89PNG\r\n\x1a\n broken", "cannot be read as an image"),
        (b"plain text, not a picture", "is not"),
    ],
)
def test_a_logo_that_is_not_an_image(tmp_path, logo, words):
    source = clinic(tmp_path)
    (source.parents[1] / "images" / "northside-logo.svg").write_bytes(logo)
    result = run(source)
    assert result.code == 2 and len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith(f"error: {source.parents[1] / 'booklet.yaml'}: brand.logo: ")


def test_a_logo_with_a_script_is_cleaned(tmp_path):
    source = clinic(tmp_path)
    logo = source.parents[1] / "images" / "northside-logo.svg"
    logo.write_text(LOGO.replace("<circle", "<script>alert(1)</script><circle"), encoding="utf-8")
    assert run(source, "--format", "epub").code == 0
    epub = Epub(source.parents[1] / "build" / "knee.epub")
    assert b"alert" not in b"".join(epub.zip.read(name) for name in epub.zip.namelist())


def test_the_starter_is_shipped_in_the_package():
    from importlib.resources import files

    starter = files("booklet") / "starter"
    for name in ("booklet.yaml", "README.md", "source/first-handout.md", "fonts/fonts.yaml"):
        assert (starter / name).is_file(), name
