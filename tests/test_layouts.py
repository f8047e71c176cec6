"""The layout search path: a project overrides one partial and keeps the rest."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from booklet.render import BUNDLED_LAYOUTS
from tests.helpers import Epub, Pdf, minimal_source, run, write_source


def test_one_partial_overrides_in_both_outputs(project, tmp_path):
    override = project / "layouts" / "default" / "back-cover.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '<section class="back-cover" id="back-cover"><p>Clinic of the Hills</p>'
        "{{ booklet.disclaimer_html|safe }}</section>\n"
    )
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 0, result.err
    pdf = Pdf(tmp_path / "test.pdf")
    assert "Clinic of the Hills" in pdf.text(len(pdf.pages))
    assert "Ask a professional first." in pdf.text(len(pdf.pages))
    assert "EXERCISE 1 OF 1" in pdf.text(3), "the other partials still come from the default"
    assert "Clinic of the Hills" in Epub(tmp_path / "test.epub").text("back-cover.xhtml")


def test_a_named_layout_falls_back_to_the_default_and_can_extend_it(project, tmp_path):
    folder = project / "layouts" / "clinic"
    folder.mkdir(parents=True)
    (folder / "closing.html").write_text(
        '{% include "!default/closing.html" %}\n<p class="clinic">Book again: 555 0100</p>\n'
    )
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path, "--project", project, "--layout", "clinic")
    assert result.code == 0, result.err
    pdf = Pdf(tmp_path / "test.pdf")
    closing = pdf.page_of("Written by Test Author")
    assert "Book again: 555 0100" in pdf.text(closing)


def test_an_unknown_layout_is_an_error(project, tmp_path):
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path, "--project", project, "--layout", "nope")
    assert result.code == 2
    assert "layout 'nope' not found" in result.err


def test_a_broken_template_names_the_template(project, tmp_path):
    override = project / "layouts" / "default" / "cover.html"
    override.parent.mkdir(parents=True)
    override.write_text("{% if %}\n")
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path, "--project", project)
    assert result.code == 2
    assert "cover.html:1: layout template error" in result.err
    assert "Traceback" not in result.err


def test_the_wheel_contains_the_bundled_layout_and_poses(tmp_path):
    import subprocess
    import sys

    from tests.helpers import ROOT

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    wheel = next(tmp_path.glob("booklet-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in BUNDLED_LAYOUTS.joinpath("default").iterdir():
        assert f"booklet/layouts/default/{path.name}" in names
    from booklet.poses.library import library_folder

    for path in library_folder().glob("*.pose.yaml"):
        assert f"booklet/poses/library/{path.name}" in names


def test_a_project_labels_file_changes_only_the_words_it_names(project, tmp_path):
    folder = project / "layouts" / "default"
    folder.mkdir(parents=True)
    (folder / "labels.yaml").write_text(
        "en:\n  exercise_count: 'Move {number} of {total}'\nfr:\n  notes: Vos notes\n",
        encoding="utf-8",
    )
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf")
    assert result.code == 0, result.err
    pdf = Pdf(tmp_path / "test.pdf")
    assert "MOVE 1 OF 1" in pdf.text(3)
    assert "Disclaimer" in pdf.text(len(pdf.pages)), "the words it does not name stay"


def test_an_edited_labels_file_is_read_again(project, tmp_path):
    """The labels kept in the cache are the file's as it is now, not as it was."""
    folder = project / "layouts" / "default"
    folder.mkdir(parents=True)
    source = write_source(project / "source", minimal_source())
    for words in ("Move", "Stretch", "Move"):
        labels = f"en:\n  exercise_count: '{words} {{number}} of {{total}}'\n"
        (folder / "labels.yaml").write_text(labels, encoding="utf-8")
        result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf")
        assert result.code == 0, result.err
        assert f"{words.upper()} 1 OF 1" in Pdf(tmp_path / "test.pdf").text(3)
    (folder / "labels.yaml").write_text("- notes\n", encoding="utf-8")
    result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf")
    assert result.code == 2, "a bad file is refused, whatever was kept of an earlier one"


@pytest.mark.parametrize(("name", "kind"), [("no", "yes or no"), ("2026-01-01", "a date")])
def test_a_labels_name_that_yaml_reads_as_no_text_is_one_clear_line(project, tmp_path, name, kind):
    """Norwegian is 'no', which YAML reads as false: said, not guessed at."""
    folder = project / "layouts" / "default"
    folder.mkdir(parents=True)
    (folder / "labels.yaml").write_text(f"{name}:\n  notes: Notater\n", encoding="utf-8")
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf")
    assert result.code == 2
    assert result.err.startswith(f"error: {folder / 'labels.yaml'}: a name is read as {kind} (")
    assert "in quotes: 'no':" in result.err and result.err.count("\n") == 1


def test_a_labels_file_of_the_wrong_shape_is_one_clear_line(project, tmp_path):
    folder = project / "layouts" / "default"
    folder.mkdir(parents=True)
    (folder / "labels.yaml").write_text("- notes\n- Notes\n", encoding="utf-8")
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf")
    assert result.code == 2
    assert result.err == (
        f"error: {folder / 'labels.yaml'}: must map languages to labels, "
        "e.g. 'en:' then '  notes: Notes' on the next line\n"
    )


@pytest.mark.parametrize(
    "reach",
    [
        "cycler.__init__.__globals__.os.popen('touch {marker}').read()",
        "booklet.source.write_text('{marker}')",
        "booklet.cover.data",
        "labels.update({{'notes': '{marker}'}})",
    ],
)
def test_a_template_that_reaches_outside_its_data_is_a_layout_error(project, tmp_path, reach):
    marker = tmp_path / "ran"
    closing = project / "layouts" / "default" / "closing.html"
    closing.parent.mkdir(parents=True)
    closing.write_text(
        "<section id='closing'>\n<p>Bye</p>\n{{ "
        + reach.format(marker=marker)
        + " }}\n</section>\n"
    )
    source = write_source(
        project / "source",
        minimal_source().replace(
            "---\n\n", "cover:\n  image: piriformis.svg\n  alt: A figure.\n---\n\n", 1
        ),
    )
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2, result.err
    assert result.err.startswith(f"error: {closing}:3: layout template error: "), result.err
    assert len(result.err.splitlines()) == 1
    assert not marker.exists(), "nothing the template asked for was done"
    assert source.read_text().startswith("---"), "the source is as it was"
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


# ---- what a layout contributes is checked like the booklet's own content ----


def layout_file(project: Path, name: str, text: str) -> Path:
    path = project / "layouts" / "default" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


EREADER = (BUNDLED_LAYOUTS / "default" / "ereader.css").read_text()
EPUB_PAGE = (BUNDLED_LAYOUTS / "default" / "epub-page.xhtml").read_text()
CLOSING = (BUNDLED_LAYOUTS / "default" / "closing.html").read_text()


@pytest.mark.parametrize(
    "name, text, words",
    [
        ("ereader.css", "@import url(http://127.0.0.1:9/x.css);\n" + EREADER, "@import"),
        ("ereader.css", EREADER + "p { background: url(//evil.example/t.png) }", "url(//evil"),
        ("ereader.css", EREADER + "p { behavior: url(x.htc) }", "runs code (behavior)"),
        (
            "print.css",
            'p { background-image: image-set("https://evil.example/a.png" 1x) }',
            "image-set",
        ),
        (
            "epub-page.xhtml",
            EPUB_PAGE.replace("</head>", '<script src="http://127.0.0.1:9/x.js"></script></head>'),
            "writes a <script> element",
        ),
        ("epub-page.xhtml", EPUB_PAGE.replace("<body ", '<body onload="x()" '), "onload"),
        (
            "closing.html",
            CLOSING + '<img src="https://evil.example/pixel.gif" alt=""/>',
            "<img src=",
        ),
        ("closing.html", CLOSING + '<a href="javascript:alert(1)">x</a>', "not a web or mail"),
        (
            "closing.html",
            CLOSING + "<style>@import 'http://evil.example/x.css';</style>",
            "<style>",
        ),
        ("closing.html", CLOSING + '<p style="background: url(http://e.example/)">x</p>', "style"),
        ("closing.html", CLOSING + '<svg><image href="http://e.example/a.png"/></svg>', "<image"),
        (
            "closing.html",
            CLOSING + '<meta http-equiv="refresh" content="0; url=http://e.example/">',
            "<meta>",
        ),
        ("closing.html", CLOSING + "<p>bell\x07</p>", "control character (U+0007)"),
    ],
)
def test_a_layout_cannot_add_scripts_or_remote_references(project, tmp_path, name, text, words):
    path = layout_file(project, name, text)
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2, result.err
    assert result.err.startswith(f"error: {path}: "), result.err
    assert words in result.err
    assert len(result.err.splitlines()) == 1
    assert not list(tmp_path.glob("out/*.epub")), "no EPUB carries it"
    if name not in ("ereader.css", "epub-page.xhtml"):  # the PDF: all or nothing is #14.6
        assert not list(tmp_path.glob("out/*.pdf"))


def test_a_layout_may_link_to_the_web_and_use_its_own_files(project, tmp_path):
    layout_file(
        project,
        "closing.html",
        CLOSING + '<p><a href="https://clinic.example/">Book</a> or <a href="mailto:a@b.example">'
        'write</a>.</p><p style="color: #222">Thanks.</p>',
    )
    layout_file(project, "ereader.css", EREADER + "p.stamp { background: url(stamp.svg) }\n")
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 0, result.err
    assert "Book or write" in Epub(tmp_path / "out" / "test.epub").text("closing.xhtml")


@pytest.mark.parametrize("name", ["closing.html", "print.css", "labels.yaml"])
def test_a_layout_file_that_links_out_of_the_project_is_refused(project, tmp_path, name):
    secret = tmp_path / "secret.txt"
    secret.write_text("THE SECRET TEXT\n")
    link = project / "layouts" / "default" / name
    link.parent.mkdir(parents=True)
    link.symlink_to(secret)
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2, result.err
    assert result.err == (
        f"error: {link}: links to a file outside the project; "
        "copy the file itself into the layout\n"
    )
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_layout_folder_that_links_out_of_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "downloaded-layout"
    outside.mkdir()
    (outside / "closing.html").write_text("<section id='closing'>THE SECRET TEXT</section>")
    (project / "layouts").mkdir()
    (project / "layouts" / "default").symlink_to(outside)
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert "closing.html: links to a file outside the project" in result.err


def test_a_link_inside_the_project_is_followed(project, tmp_path):
    (project / "shared").mkdir()
    (project / "shared" / "closing.html").write_text(CLOSING + "<p>Shared closing</p>")
    layout_file(project, "cover.html", (BUNDLED_LAYOUTS / "default" / "cover.html").read_text())
    (project / "layouts" / "default" / "closing.html").symlink_to(
        project / "shared" / "closing.html"
    )
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project, "--format", "epub")
    assert result.code == 0, result.err
    assert "Shared closing" in Epub(tmp_path / "out" / "test.epub").text("closing.xhtml")


def test_a_control_character_in_labels_is_refused_with_the_labels_file(project, tmp_path):
    path = layout_file(project, "labels.yaml", 'en:\n  notes: "Notes\\0"\n')
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.err == (
        f"error: {path}: the label 'notes' holds an invisible control character (U+0000); "
        "delete it\n"
    )
