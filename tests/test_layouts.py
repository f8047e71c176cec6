"""The layout search path: a project overrides one partial and keeps the rest."""

from __future__ import annotations

import zipfile

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


def test_the_wheel_contains_the_bundled_layout(tmp_path):
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
