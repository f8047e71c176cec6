"""Outputs are written to temporary files and renamed, a source's outputs together:
nothing half-written, nothing half-replaced, nothing overwritten by mistake."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys

import pytest

from booklet.errors import OutputError
from booklet.output import atomic_write
from tests.helpers import ROOT, minimal_source, run, write_source


def test_a_failure_while_writing_leaves_the_earlier_file_and_no_temporary(tmp_path):
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"yesterday's good handout")
    with pytest.raises(RuntimeError), atomic_write(target) as temporary:
        temporary.write_bytes(b"half a PD")
        raise RuntimeError("renderer crashed")
    assert target.read_bytes() == b"yesterday's good handout"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout.pdf"]


def test_success_replaces_the_file_with_ordinary_permissions(tmp_path):
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"old")
    with atomic_write(target) as temporary:
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o044, "readable by others, like any document"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout.pdf"]


def test_a_writer_that_writes_nothing_replaces_nothing(tmp_path):
    target = tmp_path / "book.epub"
    target.write_bytes(b"old")
    with pytest.raises(OutputError, match="produced no data"), atomic_write(target):
        pass
    assert target.read_bytes() == b"old"


# ---- through the command: a set of outputs is written whole, or not at all ----


def test_two_sources_that_would_write_one_file_build_nothing(project, tmp_path):
    english = write_source(project / "source" / "en", minimal_source(), "u15.md")
    german = write_source(project / "source" / "de", minimal_source(), "u15.md")
    out = tmp_path / "out"
    result = run(english, german, "--out", out, "--project", project)
    assert result.code == 2
    assert result.err == (
        f"error: {english} and {german} would both be written to {out / 'u15.pdf'}; "
        "rename one of them, or build them into different --out folders\n"
    )
    assert not out.exists()


def test_an_output_that_would_overwrite_its_source_is_refused(project, tmp_path):
    source = write_source(tmp_path, minimal_source(), "handout.pdf")  # Markdown, oddly named
    result = run(source, "--out", tmp_path, "--project", project, "--format", "pdf")
    assert result.code == 2
    assert "would overwrite" in result.err and "choose another --out" in result.err
    assert source.read_text(encoding="utf-8") == minimal_source()


def test_when_one_format_fails_no_output_of_the_source_is_replaced(project, tmp_path):
    out = tmp_path / "out"
    source = write_source(project / "source", minimal_source("### One\n\nFirst version.\n"))
    assert run(source, "--out", out, "--project", project).code == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    # The next build's EPUB fails (its page wrapper is not XML); its PDF would be fine.
    source.write_text(minimal_source("### One\n\nSecond version.\n"), encoding="utf-8")
    layout = project / "layouts" / "default"
    layout.mkdir(parents=True)
    (layout / "epub-page.xhtml").write_text("<html><body>{{ page.html }}</bod", encoding="utf-8")
    result = run(source, "--out", out, "--project", project)
    assert result.code == 1 and "malformed XHTML" in result.err
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_a_file_that_cannot_be_written_is_one_line_and_nothing_is_replaced(project, tmp_path):
    """A disk that fills while the EPUB is written (here: a file-size limit, which
    fails the write the same way, with an OSError)."""
    out = tmp_path / "out"
    # A cover picture and a figure: the EPUB is then larger than anything else a build
    # writes (WeasyPrint's copies of the font files).
    body = "### One\n\n![A runner bends forward.](deadlifts.svg)\n\nDo it.\n"
    text = minimal_source(body).replace(
        "disclaimer:", "cover:\n  image: cover-runners.svg\n  alt: Two runners.\ndisclaimer:"
    )
    source = write_source(project / "source", text)
    assert run(source, "--out", out, "--project", project).code == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    # Room for every file but the EPUB.
    limit = len(before["test.epub"]) - 1

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error to the writer, not a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "make_booklet.py"),
            str(source),
            "--out",
            str(out),
            "--project",
            str(project),
        ],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {out / 'test.epub'}: cannot write")
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_temporary_files_of_a_killed_build_are_removed_by_the_next(project, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    left = out / f".test.pdf.{dead.pid}.k2j3h4l5.part"
    left.write_bytes(b"half a PDF")
    alive = out / f".other.pdf.{os.getppid()}.a1b2c3d4.part"  # a build still running
    alive.write_bytes(b"being written")
    source = write_source(project / "source", minimal_source())
    assert run(source, "--out", out, "--project", project, "--format", "pdf").code == 0
    assert not left.exists() and alive.exists()
