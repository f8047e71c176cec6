"""Special files (FIFOs) where a file is expected, and folders that lead out of the
project: refused with the file's name, never read (a FIFO would block for ever)."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest

from tests.helpers import TEST_SOURCES, minimal_source, run, write_source


@contextlib.contextmanager
def fifo(path: Path):
    """A FIFO at `path`. Should the build open it anyway, a writer comes along after a
    few seconds and closes it, so that the test fails instead of hanging for ever."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    done = threading.Event()

    def unblock():
        if not done.wait(5):
            with contextlib.suppress(OSError):
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    thread = threading.Thread(target=unblock, daemon=True)
    thread.start()
    try:
        yield path
    finally:
        done.set()
        thread.join()


def test_a_fifo_among_the_fonts_is_refused(project, tmp_path):
    source = write_source(project / "source", minimal_source())
    with fifo(project / "fonts" / "x.ttf") as path:
        result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.err == (
        f"error: {path}: is a FIFO (named pipe), not a file; replace it with a regular file\n"
    )


def test_a_fifo_as_fonts_yaml_is_refused(project, tmp_path):
    source = write_source(project / "source", minimal_source())
    with fifo(project / "fonts" / "fonts.yaml") as path:
        result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.err.startswith(f"error: {path}: is a FIFO (named pipe), not a file")


@pytest.mark.parametrize("name", ["closing.html", "print.css", "labels.yaml"])
def test_a_fifo_among_the_layout_files_is_refused(project, tmp_path, name):
    source = write_source(project / "source", minimal_source())
    with fifo(project / "layouts" / "default" / name) as path:
        result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.err.startswith(f"error: {path}: is a FIFO (named pipe), not a file")


def test_a_fifo_as_an_image_is_refused_with_the_source_line(project, tmp_path):
    source = write_source(project / "source", minimal_source("### One\n\n![A figure.](x.png)\n"))
    with fifo(project / "source" / "x.png"):
        result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.err == (
        f"error: {source}:10: image 'x.png' is a FIFO (named pipe), not a file; "
        "replace it with a regular file\n"
    )


def test_a_fifo_as_the_source_is_refused(project, tmp_path):
    with fifo(project / "source" / "pipe.md") as path:
        result = run(path, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.err.startswith(f"error: {path}: is not a file")


def test_a_fifo_as_the_client_list_is_refused(project, tmp_path):
    with fifo(tmp_path / "clients.csv") as path:
        result = run(
            TEST_SOURCES / "seven-moves.md",
            "--clients",
            path,
            "--out",
            tmp_path / "out",
            "--project",
            project,
        )
    assert result.code == 2
    assert result.err.startswith(f"error: {path}: is a FIFO (named pipe), not a file")


def test_a_device_as_an_image_is_refused(project, tmp_path):
    (project / "source").mkdir(parents=True)
    (project / "source" / "zero.png").symlink_to("/dev/zero")
    source = write_source(project / "source", minimal_source("### One\n\n![A figure.](zero.png)\n"))
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert ":10: image 'zero.png'" in result.err


def test_a_fonts_folder_that_links_out_of_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "someone-elses-fonts"
    outside.mkdir()
    (outside / "fonts.yaml").write_text("body: Atkinson Hyperlegible\n")
    (project / "fonts").symlink_to(outside)
    source = write_source(project / "source", minimal_source())
    result = run(source, "--out", tmp_path / "out", "--project", project)
    assert result.code == 2
    assert result.err == (
        f"error: {project / 'fonts'}: links to a folder outside the project; "
        "copy the fonts into fonts/\n"
    )
