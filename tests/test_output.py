"""Outputs are written to a temporary file and renamed: nothing half-written, ever."""

from __future__ import annotations

import pytest

from booklet.errors import OutputError
from booklet.output import atomic_write


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
