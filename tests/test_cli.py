"""The command line as a user meets it: options, exit codes, and one clear line per problem."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import MINIMAL_FRONT, ROOT, minimal_source, run, write_source

BAD_SOURCES = {
    "missing required field": (
        MINIMAL_FRONT.replace("disclaimer: Ask a professional first.\n", "") + "\n### One\n\nA.\n",
        2,
        "'disclaimer' is required",
    ),
    "unknown field": (
        MINIMAL_FRONT.replace("---\n\n", "").replace("disclaimer:", "colour: red\ndisclaimer:")
        + "\n### One\n\nA.\n",
        5,
        "unknown field 'colour'",
    ),
    "invalid yaml": (
        "---\ntitle: [oops\nauthor:\n  name: x\ndisclaimer: y\n---\n\n### One\n",
        3,
        "not valid YAML",
    ),
    "unclosed front matter": ("---\ntitle: x\n\n### One\n", 1, "never closed"),
    "empty file": ("", None, "is empty"),
    "missing image": (
        minimal_source("### One\n\n![A pose.](nowhere.svg)\n"),
        10,
        "image 'nowhere.svg' not found",
    ),
    "image without alt text": (
        minimal_source("### One\n\n![](piriformis.svg)\n"),
        10,
        "no alt text",
    ),
    "no exercises": (minimal_source("Only an intro.\n"), None, "has no exercises"),
}


@pytest.mark.parametrize("case", BAD_SOURCES)
def test_bad_input_is_one_clear_line_and_exit_2(project, tmp_path, case):
    text, line, words = BAD_SOURCES[case]
    source = write_source(project / "source", text)
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    location = f"{source}:{line}: " if line else f"{source}: "
    assert lines[0].startswith(f"error: {location}"), lines[0]
    assert words in lines[0]
    assert "Traceback" not in result.err


def test_a_path_that_does_not_exist(tmp_path):
    result = run(tmp_path / "nope.md", "--out", tmp_path / "out")
    assert result.code == 2
    assert result.err == f"error: {tmp_path / 'nope.md'}: no such file; check the path\n"


def test_a_failed_build_leaves_earlier_outputs_intact(project, tmp_path):
    out = tmp_path / "out"
    source = write_source(project / "source", minimal_source("### One\n\nFirst version.\n"))
    assert run(source, "--out", out, "--project", project).code == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    assert set(before) == {"test.pdf", "test.epub"}

    source.write_text(minimal_source("### One\n\n![](missing.svg)\n"), encoding="utf-8")
    assert run(source, "--out", out, "--project", project).code == 2
    after = {path.name: path.read_bytes() for path in out.iterdir()}
    assert after == before, "no output replaced, and no temporary file left behind"


def test_one_bad_source_does_not_stop_the_others(project, tmp_path):
    good = write_source(project / "source", minimal_source(), "good.md")
    bad = write_source(project / "source", "", "bad.md")
    result = run(bad, good, "--out", tmp_path / "out", "--project", project, "--format", "pdf")
    assert result.code == 2
    assert "bad.md: is empty" in result.err
    assert (tmp_path / "out" / "good.pdf").is_file()


def test_output_lines_name_each_file_with_size_and_pages(project, tmp_path):
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project)
    pdf_line, epub_line = result.out.splitlines()
    assert pdf_line.startswith(f"wrote {tmp_path / 'out' / 'test.pdf'} (")
    assert pdf_line.endswith(" pages)")
    assert epub_line.startswith(f"wrote {tmp_path / 'out' / 'test.epub'} (") and "KB" in epub_line


def test_without_sources_every_source_of_the_project_is_built(project, tmp_path):
    write_source(project / "source", minimal_source(), "one.md")
    write_source(project / "source", minimal_source(), "two.md")
    result = run("--out", tmp_path / "out", "--project", project, "--format", "epub")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["one.epub", "two.epub"]


def test_no_sources_anywhere_is_a_usage_error(tmp_path):
    result = run("--project", tmp_path, "--out", tmp_path / "out")
    assert result.code == 2
    assert "no .md files" in result.err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "docx"], "unknown format 'docx'; choose from: pdf, epub"),
        (["--paper", "legal"], "invalid choice: 'legal'"),
    ],
)
def test_bad_options(project, tmp_path, args, words):
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", *args)
    assert result.code == 2
    assert words in result.err


def test_an_output_folder_that_cannot_be_created(project, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", blocker / "out", "--project", project)
    assert result.code == 1
    assert result.err.startswith(f"error: {blocker / 'out'}: cannot create the output folder")


def test_help_explains_every_option():
    result = run("--help")
    assert result.code == 0
    text = result.out
    for option in ["--out", "--format", "--paper", "--layout", "--project", "--strict"]:
        assert option in text


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "make_booklet.py", "--version"],
        [sys.executable, "-m", "booklet", "--version"],
        [str(ROOT / ".venv" / "bin" / "make-booklet"), "--version"],
    ],
)
def test_entry_points(command):
    if (
        command[0].endswith("make-booklet")
        and not (ROOT / ".venv" / "bin" / "make-booklet").exists()
    ):
        pytest.skip("console script is installed by `make test` into .venv")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("booklet ")


def test_output_into_a_closed_pipe_is_no_traceback():
    """`make-booklet figures | head -1`: the reader goes away after a line."""
    import subprocess
    import sys

    command = [sys.executable, str(ROOT / "make_booklet.py"), "figures"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        process.stdout.readline()
        process.stdout.close()  # as head does, with most of the list unread
        errors = process.stderr.read().decode()
        process.wait(timeout=60)
    assert "Traceback" not in errors, errors
    assert process.returncode == 141


def test_a_build_leaves_no_temporary_files_behind(tmp_path):
    """The command ends without the interpreter's teardown: what WeasyPrint leaves for
    it to delete (a copy of the fonts per document), in this process and in workers,
    goes with the build's scratch folder."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    sources = [
        write_source(tmp_path / "source", minimal_source(), name=f"{name}.md")
        for name in ("one", "two")
    ]
    for built in ([sources[0]], sources):  # one source here, two in worker processes
        command = [sys.executable, "-m", "booklet", *map(str, built), "--out", str(tmp_path)]
        env = {**os.environ, "TMPDIR": str(scratch)}
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "one.pdf").exists()
        assert list(scratch.iterdir()) == []


def test_output_that_cannot_be_written_is_an_error(tmp_path):
    """What is left to print when the build ends fails to write (a full disk): said,
    and not exit 0."""
    command = [sys.executable, "-m", "booklet", "figures"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open("/dev/full", "w") as full:
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, env=env)
    assert done.returncode == 1
    assert done.stderr.startswith("error: cannot write the output (")
    assert "Traceback" not in done.stderr
